"""Running analyses for the server: one analyzer per worker process, behind a bounded queue.

The analyzer is not safe to call from two threads at once, and one call already keeps the cores busy
(OpenVINO's own threads), so each worker runs analyses on one thread. Admission control keeps latency
bounded: a request is refused with 503 + Retry-After when the queue is full or when the work already
queued (pending × the recent mean service time) would make it wait longer than ``max_wait_s``. A refusal
costs microseconds, which is what lets an overloaded server keep answering instead of growing a backlog.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from unspin.store import analyses as store
from unspin.store.db import Database

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer
    from unspin.ingest import Source

EWMA_ALPHA = 0.2  # weight of the newest service time: follows a change within ~10 analyses


class Overloaded(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("The server is busy analyzing other texts; retry in a moment.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Outcome:
    """What an analyze request produced: the stored row (None with store=false) and the JSON."""

    stored: store.StoredAnalysis | None
    analysis_json: str
    cached: bool


class AnalysisPool:
    def __init__(self, analyzer: Analyzer, db: Database, max_queue: int, max_wait_s: float) -> None:
        self.analyzer = analyzer
        self.db = db
        self.max_queue = max(1, max_queue)
        self.max_wait_s = max_wait_s
        self.model_version = f"{analyzer.model_info.name} {analyzer.model_info.version}"
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unspin-analyze")
        self._pending = 0
        self._service_s = 0.2  # a first guess until analyses are measured
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        return self._pending

    def _admit(self) -> None:
        with self._lock:
            expected = (self._pending + 1) * self._service_s
            if self._pending >= self.max_queue or (self._pending and expected > self.max_wait_s):
                raise Overloaded(max(1, math.ceil(self._pending * self._service_s)))
            self._pending += 1

    def _done(self, seconds: float | None) -> None:
        with self._lock:
            self._pending -= 1
            if seconds is not None:
                self._service_s += EWMA_ALPHA * (seconds - self._service_s)

    async def run(self, source: Source, *, keep: bool) -> Outcome:
        """Analyze ``source`` (or find it in the store); raises Overloaded when the queue is full."""
        digest = store.input_hash(source.text, source.title, source.info.name)
        if keep:
            hit = await asyncio.to_thread(lambda: store.find(self.db.conn(), digest, self.model_version))
            if hit is not None:
                return Outcome(hit, hit.json, cached=True)
        self._admit()
        timing: list[float] = []
        try:
            future = self._executor.submit(self._analyze, source, digest, keep, timing)
        except BaseException:
            self._done(None)
            raise
        # Counted down when the job ends, not when the request does: a client that hangs up does not stop
        # an analysis already running, and the queue bound must keep counting it.
        future.add_done_callback(lambda _: self._done(timing[0] if timing else None))
        return await asyncio.wrap_future(future)

    def _analyze(self, source: Source, digest: str, keep: bool, timing: list[float]) -> Outcome:
        started = time.perf_counter()
        result = self.analyzer.analyze(source.text, title=source.title, source=source.info)
        timing.append(time.perf_counter() - started)
        data = result.model_dump_json()
        if not keep:
            return Outcome(None, data, cached=False)
        # Committed before the response is sent: an acknowledged analysis survives any stop.
        stored, new = store.save(
            self.db.conn(),
            digest=digest,
            model_version=self.model_version,
            title=result.title or "",
            source=source.info.url or source.info.name or source.info.kind,
            text=result.text,
            spans=len(result.spans),
            analysis_json=data,
        )
        return Outcome(stored, stored.json, cached=not new)

    def refresh(self, row: store.StoredAnalysis) -> store.StoredAnalysis:
        """The stored analysis with its claims matched again when the known claims changed since it was
        made (an import after the analysis, or the first start's seeding): a stored page never says "no
        match" against a database that now holds the claim. Unchanged rows cost one count."""
        known = self.analyzer.known_claims
        if known is None:
            return row
        from unspin.analysis import Analysis
        from unspin.caveats import claims_warnings
        from unspin.claims.known import match_record

        try:
            analysis = Analysis.model_validate_json(row.json)
        except ValueError:
            return row  # written by another version: shown as it is
        info = analysis.known_claims
        size = known.size()
        if info is None or info.claims == size:
            return row
        texts = [c.text for c in analysis.claims]
        found = known.match(texts)
        claims = [
            c.model_copy(update={"matches": [match_record(m) for m in ms]})
            for c, ms in zip(analysis.claims, found, strict=True)
        ]
        new_info = info.model_copy(update={"claims": size})
        kept = [w for w in analysis.warnings if w.code not in ("no_known_claims", "claims_not_matched")]
        updated = analysis.model_copy(
            update={
                "claims": claims,
                "known_claims": new_info,
                "warnings": kept + claims_warnings(new_info, len(claims)),
            }
        )
        data = updated.model_dump_json()
        store.replace_json(self.db.conn(), row.id, data)
        return dataclasses.replace(row, json=data)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
