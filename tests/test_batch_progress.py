"""Progress: plain lines with count, rate and ETA when not on a terminal; a rich bar on one."""

from __future__ import annotations

import io
import re
import sys

import pytest
from rich.console import Console

from unspin.batch.progress import PlainProgress, RichProgress, make_reporter


def test_plain_lines_count_from_resumed_work_and_give_an_eta() -> None:
    out = io.StringIO()
    p = PlainProgress(total=10, already=4, stream=out, interval=0.0)
    p.advance(2)
    p.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "unspin batch: resuming, 4 articles already done"
    assert re.match(r"unspin batch: 6/10 \(60%\), [\d.]+ articles/s, ETA \d+m\d\ds$", lines[1])
    assert "elapsed" in lines[-1]


def test_plain_lines_are_throttled() -> None:
    out = io.StringIO()
    p = PlainProgress(total=None, already=0, stream=out, interval=3600.0)
    for _ in range(100):
        p.advance(1)
    assert out.getvalue() == ""  # nothing until the interval passes, however many articles
    p.close()
    assert out.getvalue().startswith("unspin batch: 100, ")


def test_rich_bar_shows_rate_on_a_terminal() -> None:
    buf = io.StringIO()
    bar = RichProgress(total=5, already=0, console=Console(file=buf, force_terminal=True, width=120))
    bar.advance(5)
    bar.close()
    assert "5/5" in buf.getvalue() and "art/s" in buf.getvalue()


def test_auto_mode_is_plain_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert isinstance(make_reporter(3, 0, "auto"), PlainProgress)
