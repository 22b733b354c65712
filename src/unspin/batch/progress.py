"""Progress of a batch run: a rich bar with rate and ETA on a terminal, plain lines otherwise.

Plain lines (for logs, CI, ``nohup``) come at most every ``interval`` seconds plus a final one, so a
10k-article run writes a few dozen lines, not ten thousand. The rate counts only work done in this run:
articles skipped on resume would make it look absurdly fast.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Reporter(Protocol):
    def advance(self, n: int) -> None: ...
    def close(self) -> None: ...


def _eta(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


class PlainProgress:
    def __init__(self, total: int | None, already: int, stream: IO[str], interval: float = 10.0) -> None:
        self.total, self.done, self.new = total, already, 0
        self.stream, self.interval = stream, interval
        self.start = self.last = time.monotonic()
        if already:
            print(f"unspin batch: resuming, {already:,} articles already done", file=stream, flush=True)

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.new / elapsed
        text = f"unspin batch: {self.done:,}"
        if self.total:
            text += f"/{self.total:,} ({100 * self.done / self.total:.0f}%)"
        text += f", {rate:.1f} articles/s"
        if self.total and rate > 0:
            text += f", ETA {_eta(max(0, self.total - self.done) / rate)}"
        return text

    def advance(self, n: int) -> None:
        self.done += n
        self.new += n
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        print(self.line() + f", {_eta(time.monotonic() - self.start)} elapsed", file=self.stream, flush=True)


class RichProgress:
    def __init__(self, total: int | None, already: int, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]unspin batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.start = time.monotonic()
        self.new = 0
        self.task = self.progress.add_task("batch", total=total, completed=already, rate="")
        self.progress.start()

    def advance(self, n: int) -> None:
        self.new += n
        rate = self.new / max(time.monotonic() - self.start, 1e-9)
        self.progress.update(self.task, advance=n, rate=f"{rate:.1f} art/s")

    def close(self) -> None:
        self.progress.stop()


class NoProgress:
    def advance(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def make_reporter(total: int | None, already: int, mode: str = "auto", interval: float = 10.0) -> Reporter:
    """``mode``: auto (bar on a terminal, else lines), bar, lines, or none."""
    if mode == "none":
        return NoProgress()
    if mode == "bar" or (mode == "auto" and sys.stderr.isatty()):
        return RichProgress(total, already, Console(stderr=True))
    return PlainProgress(total, already, sys.stderr, interval)
