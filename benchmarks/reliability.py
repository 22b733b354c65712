"""`make reliability`: the fuzzers (short), the limit tests at full size, and the kill tests at 20+ random
kill points each, summarized in one table.

    python benchmarks/reliability.py [--fuzz-seconds 10] [--kill-points 20] [--json out/reliability.json]

Each part runs as it does on its own: fuzz targets through tests/fuzz/fuzz_runner.py (a process per
target), the limit and kill tests through pytest with ``UNSPIN_LIMITS_FULL=1`` and
``UNSPIN_KILL_POINTS=N``; the tests leave their measurements in ``out/reliability/`` (``UNSPIN_RELIABILITY_OUT``),
which this script reads back. Exit status 1 when anything failed, crashed, hung, lost or duplicated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "reliability"
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

import fuzz_runner  # noqa: E402  (tests/fuzz, put on the path just above)

LIMIT_TESTS = ["tests/test_limits.py", "tests/test_limits_url.py"]
KILL_TESTS = {
    "kill: claims import": ("tests/test_kill_claims_import.py", "kill_claims_import.json"),
    "kill: batch run": ("tests/test_kill_batch.py", "kill_batch.json"),
    "kill: server writes": ("tests/test_kill_serve.py", "kill_serve.json"),
}
DASH = "—"


@dataclass
class Row:
    check: str
    executions: str = DASH
    crashes: str = DASH  # crashes + hangs for fuzzers; failed tests for the limits
    limits_tried: str = DASH
    limits_answered: str = DASH
    kills: str = DASH
    kills_survived: str = DASH
    records_lost: str = DASH
    ok: bool = True


def pytest_run(paths: list[str], env: dict[str, str], junit: Path) -> tuple[int, int, str]:
    """Run pytest on ``paths``; return (tests run, tests failed, output tail)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *paths, "-q", "-s", "-p", "no:cacheprovider", f"--junitxml={junit}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    tried = failed = 0
    if junit.exists():
        for suite in ET.parse(junit).getroot().iter("testsuite"):
            tried += int(suite.get("tests", 0)) - int(suite.get("skipped", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    else:
        failed = 1
    return tried, failed, (proc.stdout + proc.stderr)[-4000:]


def table(rows: list[Row]) -> str:
    head = (
        "check",
        "executions",
        "crashes/hangs",
        "limits tried",
        "answered",
        "kills",
        "survived",
        "records lost",
    )
    cells = [head] + [
        (
            r.check,
            r.executions,
            r.crashes,
            r.limits_tried,
            r.limits_answered,
            r.kills,
            r.kills_survived,
            r.records_lost,
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = []
    for n, c in enumerate(cells):
        lines.append(
            "  ".join(
                x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(c, widths, strict=True))
            )
        )
        if n == 0 or n == len(cells) - 2:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fuzz-seconds", type=float, default=10.0, help="fuzzing time per target")
    parser.add_argument("--kill-points", type=int, default=20, help="random kill points per kill test")
    parser.add_argument("--targets", default=",".join(fuzz_runner.TARGETS))
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out: fuzz,limits,kills")
    parser.add_argument("--json", type=Path, default=ROOT / "out" / "reliability.json")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    env = {**os.environ, "UNSPIN_RELIABILITY_OUT": str(OUT), "UNSPIN_LIMITS_FULL": "1",
           "UNSPIN_KILL_POINTS": str(args.kill_points)}  # fmt: skip
    rows: list[Row] = []
    notes: list[str] = []
    started = time.monotonic()

    if "fuzz" not in skip:
        for target in args.targets.split(","):
            r = fuzz_runner.run_target(target, args.fuzz_seconds)
            print(
                f"fuzz {target}: {r.executions:,} executions, {r.crashes} crashes, {r.hangs} hangs",
                file=sys.stderr,
            )
            if not r.ok:
                notes.append(f"fuzz {target} failed:\n{r.tail}")
            rows.append(Row(f"fuzz: {target}", f"{r.executions:,}", f"{r.crashes}/{r.hangs}", ok=r.ok))

    if "limits" not in skip:
        tried, failed, tail = pytest_run(LIMIT_TESTS, env, OUT / "limits.xml")
        print(f"limits: {tried} tried, {failed} failed", file=sys.stderr)
        if failed:
            notes.append(f"limit tests failed:\n{tail}")
        rows.append(
            Row(
                "limits (text, URL)",
                limits_tried=str(tried),
                limits_answered=str(tried - failed),
                ok=not failed,
            )
        )
        for path in sorted(OUT.glob("limits_*.json")):
            notes.append(f"{path.stem.removeprefix('limits_')}: {json.loads(path.read_text())}")

    if "kills" not in skip:
        for name, (test, result) in KILL_TESTS.items():
            _tried, failed, tail = pytest_run([test], env, OUT / f"{Path(test).stem}.xml")
            path = OUT / result
            if path.exists():
                k = json.loads(path.read_text())
                lost = k["lost"] + k["duplicated"]
                row = Row(name, kills=str(k["kills"]), kills_survived=str(k["survived"]),
                          records_lost=f"{k['lost']} (+{k['duplicated']} dup)", ok=not failed and not lost)  # fmt: skip
                notes.append(f"{name}: states after the kills {k.get('states')}")
            else:
                row = Row(name, kills="?", kills_survived="0", records_lost="?", ok=False)
            if failed:
                notes.append(f"{name} failed:\n{tail}")
            print(
                f"{name}: {row.kills} kills, {row.kills_survived} survived, lost {row.records_lost}",
                file=sys.stderr,
            )
            rows.append(row)

    total = Row(
        "total",
        executions=f"{sum(int(r.executions.replace(',', '')) for r in rows if r.executions != DASH):,}",
        crashes=str(sum(sum(map(int, r.crashes.split("/"))) for r in rows if r.crashes != DASH)),
        limits_tried=str(sum(int(r.limits_tried) for r in rows if r.limits_tried != DASH)),
        limits_answered=str(sum(int(r.limits_answered) for r in rows if r.limits_answered != DASH)),
        kills=str(sum(int(r.kills) for r in rows if r.kills.isdigit())),
        kills_survived=str(sum(int(r.kills_survived) for r in rows if r.kills_survived.isdigit())),
        records_lost=str(sum(int(r.records_lost.split()[0]) for r in rows if r.records_lost[:1].isdigit())),
        ok=all(r.ok for r in rows),
    )
    rows.append(total)
    print()
    print(table(rows))
    print(f"\n{'all good' if total.ok else 'FAILURES (details below)'}; {time.monotonic() - started:.0f} s; "
          f"fuzzing {args.fuzz_seconds:g} s per target, {args.kill_points} kill points per kill test")  # fmt: skip
    for note in notes:
        print(note)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"rows": [r.__dict__ for r in rows], "notes": notes}, indent=1))
    return 0 if total.ok else 1


if __name__ == "__main__":
    sys.exit(main())
