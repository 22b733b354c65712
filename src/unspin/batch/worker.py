"""What a worker does with a chunk of tasks: read, analyze (windows packed across the chunk), serialize.
Engine-agnostic.

The local engine calls ``process_chunk`` in pool processes, the Ray engine in its actors; both get the same
lines for the same tasks. A worker holds one analyzer for its whole life (loading costs ~1 s).

Each output line is ``{"id", "outlet", "date", "origin", "analysis"}`` where ``analysis`` is exactly what
``unspin analyze --format json`` writes (``Analysis.model_dump(mode="json")``). Serializing here, in the
worker, keeps the parent (which only appends lines) from becoming the bottleneck.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from unspin.analysis import Analysis, SourceInfo
from unspin.analyzer import Analyzer
from unspin.batch.records import Reject, Task
from unspin.claims.known import KnownClaims
from unspin.errors import UnspinError
from unspin.ingest import load_source, source_from_text
from unspin.options import RunOptions
from unspin.render.html import render_html


@dataclass(frozen=True)
class Done:
    """An analyzed task: its id and its output line (JSON, no newline)."""

    id: str
    line: str
    html: str | None = None  # the per-article report, when asked for (--html)


Outcome = Done | Reject


@dataclass(frozen=True)
class WorkerConfig:
    run: RunOptions = field(default_factory=RunOptions)  # threads: per worker
    window_batch: int = 32
    html: bool = False


_analyzer: Analyzer | None = None
_config = WorkerConfig()


def init_worker(config: WorkerConfig) -> None:
    """Load the model once per process (pool initializer, actor constructor)."""
    global _analyzer, _config
    _config = config
    _analyzer = Analyzer(options=config.run, known_claims=KnownClaims.for_options(config.run))
    _analyzer.encoder.window_batch = config.window_batch


def _load(task: Task) -> tuple[str, str | None, SourceInfo]:
    if task.path is not None:
        src = load_source(task.path, max_bytes=_config.run.max_bytes)
    else:
        src = source_from_text(task.text or "", title=task.title, max_bytes=_config.run.max_bytes)
        src = type(src)(
            text=src.text, title=src.title, info=src.info.model_copy(update={"name": task.origin})
        )
    return src.text, task.title if task.title is not None else src.title, src.info


def record_line(task: Task, analysis: Analysis) -> str:
    record: dict[str, Any] = {
        "id": task.id,
        "outlet": task.outlet,
        "date": task.date,
        "origin": task.origin,
        "analysis": analysis.model_dump(mode="json"),
    }
    return json.dumps(record, ensure_ascii=False)


def process_chunk(tasks: Sequence[Task]) -> list[Outcome]:
    """Analyze ``tasks``; every task yields exactly one outcome, in order."""
    if _analyzer is None:
        init_worker(_config)
    assert _analyzer is not None
    outcomes: list[Outcome | None] = [None] * len(tasks)
    ready: list[tuple[int, tuple[str, str | None, SourceInfo]]] = []
    for i, task in enumerate(tasks):
        try:
            ready.append((i, _load(task)))
        except UnspinError as err:
            outcomes[i] = Reject(task.origin, str(err), task.id)
    results = _analyzer.analyze_many([item for _, item in ready])  # windows packed across the chunk
    for (i, _), result in zip(ready, results, strict=True):
        task = tasks[i]
        if isinstance(result, Analysis):
            page = render_html(result) if _config.html else None
            outcomes[i] = Done(task.id, record_line(task, result), page)
        elif isinstance(result, UnspinError):
            outcomes[i] = Reject(task.origin, str(result), task.id)
        else:  # a bug, not bad input: keep the run going, but say what it was
            outcomes[i] = Reject(task.origin, f"internal error: {type(result).__name__}: {result}", task.id)
    return [o for o in outcomes if o is not None]
