"""The Ray engine: the same chunks and the same ``process_chunk``, run by actors through Ray Data.

Each actor loads the model once and analyzes whole chunks (``batch_size=1`` row = one chunk of articles),
so packing, outputs and their order are exactly the local engine's. The driver reads the inputs (on a
cluster the workers cannot see its files) and feeds Ray Data a window of chunks at a time: a dataset needs
its items up front, and windows keep the driver's memory bounded. Each window starts a fresh actor pool,
whose model loading (~1-2 s per actor) is small against a window of thousands of articles.

``--address`` connects to a running cluster (``ray start --head`` / ``ray://host:10001``); without it, Ray
starts a local instance on this machine.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

import numpy as np

from unspin.batch.records import Task
from unspin.batch.worker import Outcome, WorkerConfig

CHUNKS_PER_WINDOW = 256  # chunks handed to Ray Data at once (x chunk size = articles per window)


class _ChunkAnalyzer:
    """A Ray Data actor: one model, many chunks."""

    def __init__(self, config: WorkerConfig) -> None:
        from unspin.batch.worker import init_worker

        init_worker(config)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from unspin.batch.worker import process_chunk

        out = [pickle.dumps(process_chunk(pickle.loads(blob))) for blob in batch["chunk"]]
        return {"outcomes": np.array(out, dtype=object)}


def ray_workers(threads: int) -> int:
    """Actors to run: every CPU of the cluster, ``threads`` per actor."""
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
    return max(1, cpus // max(1, threads))


def _windows(chunks: Iterable[list[Task]], size: int) -> Iterator[list[list[Task]]]:
    it = iter(chunks)
    while window := list(islice(it, size)):
        yield window


def run_ray(
    chunks: Iterable[list[Task]],
    deliver: Callable[[list[Outcome]], None],
    workers: int | None,
    config: WorkerConfig,
    window: int = CHUNKS_PER_WINDOW,
) -> None:
    """Analyze every chunk on a Ray cluster (``ray.init`` must have run); ``deliver`` outcomes in order."""
    import ray.data

    # Ray Data logs each dataset's start and end (one per window) and that its bars are off: noise
    # beside unspin's own progress. Its errors still show.
    for name in ("ray.data", *(n for n in logging.root.manager.loggerDict if n.startswith("ray.data."))):
        logging.getLogger(name).setLevel(logging.ERROR)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # same output order as the local engine
    ctx.enable_progress_bars = False  # unspin draws its own
    threads = config.run.threads or 1
    # never more actors than the cluster can place: a pool waiting for CPUs that do not exist would hang
    actors = min(workers or 1 << 30, ray_workers(threads))
    for part in _windows(chunks, window):
        items: list[dict[str, Any]] = [{"chunk": pickle.dumps(c)} for c in part]
        source = ray.data.from_items(items, override_num_blocks=len(items))
        results = source.map_batches(
            _ChunkAnalyzer,
            fn_constructor_args=(config,),
            batch_size=1,
            batch_format="numpy",
            concurrency=min(actors, len(items)),
            num_cpus=threads,
        )
        for row in results.iter_rows():
            deliver(pickle.loads(row["outcomes"]))


def connect(address: str | None) -> None:
    """Join the cluster at ``address``, or start a local Ray; nothing if this process is already connected."""
    import ray

    if ray.is_initialized():
        return
    if address:
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(include_dashboard=False, log_to_driver=False)
