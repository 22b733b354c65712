"""The local engine: worker processes, each with its own model, fed through a bounded window of chunks.

At most ``2 × workers`` chunks are in flight, so memory stays flat however large the corpus: the reader
is pulled only as fast as results come back (an ``imap`` with back-pressure, which ``Pool.imap`` lacks).
Results are delivered in input order, so a clean run writes articles in the order they were read.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from unspin.batch.records import Task
from unspin.batch.worker import Outcome, WorkerConfig, init_worker, process_chunk

IN_FLIGHT_PER_WORKER = 2  # one running, one queued: no worker ever waits for the parent


def run_local(
    chunks: Iterable[list[Task]],
    deliver: Callable[[list[Outcome]], None],
    workers: int,
    config: WorkerConfig,
) -> None:
    """Analyze every chunk on ``workers`` processes; call ``deliver`` with each chunk's outcomes, in order."""
    # spawn, not fork: the parent may run a progress thread, and forking a threaded process is unsafe.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=init_worker, initargs=(config,)
    )
    pending: deque[Future[list[Outcome]]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(process_chunk, chunk))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                deliver(pending.popleft().result())
        while pending:
            deliver(pending.popleft().result())
    except BaseException:
        # Ctrl-C or an error: drop queued work and do not wait for running chunks (what they would
        # have written is redone on resume anyway)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
