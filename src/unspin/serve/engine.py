"""Running analyses for the server: one analyzer per worker process, behind a bounded queue.

The analyzer is not safe to call from two threads at once, and one call already keeps the cores busy
(OpenVINO's own threads), so each worker runs analyses on one thread. That thread takes every request
waiting when it becomes free (up to ``MAX_BATCH``) and analyzes them together: their windows share encoder
batches (``Analyzer.analyze_many``), which is where a loaded server gains throughput; an idle server
never waits to fill a batch, so a lone request pays nothing for it. Admission control keeps latency
bounded: a request is refused with 503 + Retry-After when the queue is full or when the work already
queued (pending × the recent mean service time) would make it wait longer than ``max_wait_s``. A refusal
costs microseconds, which is what lets an overloaded server keep answering instead of growing a backlog.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from unspin.store import analyses as store
from unspin.store.db import Database

if TYPE_CHECKING:
    from unspin.analysis import Analysis
    from unspin.analyzer import Analyzer
    from unspin.ingest import Source

EWMA_ALPHA = 0.2  # weight of the newest service time: follows a change within ~10 analyses
MAX_BATCH = 8  # requests analyzed together at most (their windows share encoder batches)


class Overloaded(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("The server is busy analyzing other texts; retry in a moment.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Job:
    source: Source
    digest: str
    keep: bool
    future: Future[Outcome]


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
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._pending = 0
        self._service_s = 0.2  # a first guess until analyses are measured
        self._lock = threading.Lock()
        self.batches: list[int] = []  # sizes of the last batches run (for tests and the bench)
        self._worker = threading.Thread(target=self._work, name="unspin-analyze", daemon=True)
        self._worker.start()

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
        future: Future[Outcome] = Future()
        self._jobs.put(_Job(source, digest, keep, future))
        # Counted down when the job ends, not when the request does: a client that hangs up does not stop
        # an analysis already running, and the queue bound must keep counting it.
        return await asyncio.wrap_future(future)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            batch = [job]
            stop = False
            while len(batch) < MAX_BATCH:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            live = []
            for j in batch:
                if j.future.set_running_or_notify_cancel():
                    live.append(j)
                else:
                    self._done(None)  # cancelled before it ran
            if live:
                self._run_batch(live)
            if stop:
                return

    def _run_batch(self, batch: list[_Job]) -> None:
        started = time.perf_counter()
        try:
            results = self.analyzer.analyze_many(
                [(j.source.text, j.source.title, j.source.info) for j in batch]
            )
        except BaseException as err:  # the analyzer itself failed: every request of the batch hears it
            for j in batch:
                j.future.set_exception(err)
                self._done(None)
            return
        each = (time.perf_counter() - started) / len(batch)
        self.batches = [*self.batches[-99:], len(batch)]
        for j, result in zip(batch, results, strict=True):
            try:
                if isinstance(result, BaseException):
                    raise result
                j.future.set_result(self._store(j, result))
            except BaseException as err:
                j.future.set_exception(err)
            finally:
                self._done(each)

    def _store(self, job: _Job, result: Analysis) -> Outcome:
        data = result.model_dump_json()
        if not job.keep:
            return Outcome(None, data, cached=False)
        source = job.source
        # Committed before the response is sent: an acknowledged analysis survives any stop.
        stored, new = store.save(
            self.db.conn(),
            digest=job.digest,
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
        """Finish the batch running, cancel what still waits, stop the worker thread."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None and job.future.cancel():
                self._done(None)
        self._jobs.put(None)
        self._worker.join()
