"""Shared runner for unspin's atheris fuzz targets (one ``fuzz_*.py`` file per target in this folder).

A target module defines ``NAME``, ``SEEDS`` (starting inputs, written to the working corpus), ``EXPECTED``
(the exception types that are documented answers to bad input: ``UnspinError`` subclasses, pydantic's
``ValidationError`` for the JSON loader) and ``check(data)``. Anything else ``check`` raises is a crash;
an input that runs longer than the target's ``TIMEOUT_S`` is a hang (libFuzzer's ``-timeout``).

Run one target:      .venv/bin/python tests/fuzz/fuzz_decode.py -max_total_time=60
Replay a crash:      .venv/bin/python tests/fuzz/fuzz_decode.py out/fuzz/decode/crash-<sha1>
Minimize a crash:    .venv/bin/python tests/fuzz/fuzz_decode.py -minimize_crash=1 -runs=20000 CRASH
Run them all:        .venv/bin/python tests/fuzz/fuzz_runner.py --seconds 60   (what `make fuzz` does)

Working corpora and crash artifacts go to ``out/fuzz/<target>/`` (ignored by git); minimized crash
inputs are committed under ``tests/regressions/<target>/`` and replayed by ``tests/test_fuzz_smoke.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "out" / "fuzz"
REGRESSIONS = ROOT / "tests" / "regressions"
TARGETS = (
    "decode",
    "html",
    "url",
    "records",
    "euvsdisinfo",
    "claimreview",
    "analysis_json",
    "analyze",
)

Check = Callable[[bytes], None]


@contextlib.contextmanager
def instrumented(active: bool) -> Iterator[None]:
    """Instrument unspin's own modules for coverage while they are imported, when run as a fuzzer.

    Only ``unspin`` is instrumented: its branches are what we want the fuzzer to explore, and
    instrumenting trafilatura, pydantic or httpx too would slow every execution several times over.
    Imported by pytest (to replay regressions) nothing is instrumented and atheris is not needed.
    """
    if not active:
        yield
        return
    import atheris

    with atheris.instrument_imports(include=["unspin"]):
        yield


_SCRATCH: list[Path] = []


def scratch() -> Path:
    """A scratch folder for targets whose readers take a path; made on first use, in /dev/shm if there
    is one (thousands of small writes a second should not touch the disk)."""
    if not _SCRATCH:
        shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="unspin-fuzz-", dir=shm)))
    return _SCRATCH[0]


def guarded(check: Check, expected: tuple[type[BaseException], ...]) -> Check:
    """``check`` with the documented errors swallowed: what escapes is a crash."""

    def one_input(data: bytes) -> None:
        with contextlib.suppress(*expected):
            check(data)

    return one_input


def _write_seeds(corpus: Path, seeds: Sequence[bytes]) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        # Named by content, like libFuzzer's own corpus files, so rerunning never duplicates a seed.
        (corpus / f"seed-{hashlib.sha1(seed).hexdigest()}").write_bytes(seed)


def main(
    name: str,
    check: Check,
    seeds: Sequence[bytes],
    expected: tuple[type[BaseException], ...],
    *,
    max_len: int = 4096,
    timeout_s: int = 10,
    rss_limit_mb: int = 3072,
) -> None:
    """Fuzz one target with atheris; extra libFuzzer flags and files come from the command line."""
    import atheris

    work = OUT / name
    # UNSPIN_FUZZ_CORPUS: another corpus folder (the smoke test starts from the seeds alone, so its few
    # executions do not go to replaying a working corpus that longer runs have grown).
    corpus = Path(os.environ.get("UNSPIN_FUZZ_CORPUS") or work / "corpus")
    _write_seeds(corpus, seeds)
    work.mkdir(parents=True, exist_ok=True)  # libFuzzer writes crash artifacts here and will not create it
    user = sys.argv[1:]
    flags = {arg.split("=", 1)[0] for arg in user if arg.startswith("-")}
    defaults = {
        "-max_len": str(max_len),
        "-timeout": str(timeout_s),  # one input running this long is a hang
        "-rss_limit_mb": str(rss_limit_mb),
        "-artifact_prefix": f"{work}/",
        "-print_final_stats": "1",
    }
    argv = [sys.argv[0]] + [f"{k}={v}" for k, v in defaults.items() if k not in flags] + user
    if not any(not arg.startswith("-") for arg in user):
        argv.append(str(corpus))  # no file given to replay: fuzz from (and grow) the working corpus
    atheris.Setup(argv, guarded(check, expected))
    atheris.Fuzz()


# --- Running targets as subprocesses (make fuzz, the smoke test, make reliability) ---------------------


@dataclass
class Result:
    target: str
    seconds: float
    executions: int
    crashes: int
    hangs: int
    returncode: int
    artifacts: list[str]
    tail: str  # the end of libFuzzer's output, for a failed run

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.crashes == 0 and self.hangs == 0


_EXECUTED = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_DONE = re.compile(r"Done (\d+) runs in")
_PROGRESS = re.compile(r"^#(\d+)\s", re.MULTILINE)
_ARTIFACT = re.compile(r"Test unit written to (\S+)")


def parse(target: str, output: str, returncode: int, seconds: float) -> Result:
    """Read executions, crashes and hangs from libFuzzer's output."""
    numbers = [int(m) for rx in (_EXECUTED, _DONE) for m in rx.findall(output)]
    if not numbers:
        numbers = [int(m) for m in _PROGRESS.findall(output)]
    artifacts = _ARTIFACT.findall(output)
    hangs = sum(1 for a in artifacts if "timeout-" in Path(a).name)
    crashes = len(artifacts) - hangs
    if returncode != 0 and not artifacts:
        # Killed from outside, out of memory before writing a unit, or an error in the target's setup.
        crashes = 1
    return Result(
        target=target,
        seconds=round(seconds, 1),
        executions=max(numbers, default=0),
        crashes=crashes,
        hangs=hangs,
        returncode=returncode,
        artifacts=artifacts,
        tail=output[-3000:],
    )


def run_target(
    target: str,
    seconds: float,
    *,
    runs: int | None = None,
    corpus: Path | None = None,
    extra: Sequence[str] = (),
) -> Result:
    """Run one target for ``seconds`` (and at most ``runs`` executions) in a fresh process; ``corpus``
    replaces the working corpus in ``out/fuzz/<target>/corpus``."""
    script = HERE / f"fuzz_{target}.py"
    cmd = [sys.executable, str(script), f"-max_total_time={max(1, round(seconds))}", *extra]
    if runs is not None:
        cmd.append(f"-runs={runs}")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if corpus is not None:
        env["UNSPIN_FUZZ_CORPUS"] = str(corpus)
    started = time.monotonic()
    # Generous: startup (imports, the analyze target's model) comes on top of the fuzzing time, and a
    # hang inside one input is libFuzzer's to report (-timeout), not ours.
    proc = subprocess.run(
        cmd, capture_output=True, text=True, errors="replace", cwd=ROOT, env=env, timeout=seconds + 300
    )
    return parse(target, proc.stdout + proc.stderr, proc.returncode, time.monotonic() - started)


def table(results: Sequence[Result]) -> str:
    rows = [("target", "seconds", "executions", "exec/s", "crashes", "hangs")]
    for r in results:
        rate = f"{r.executions / r.seconds:,.0f}" if r.seconds else "-"
        rows.append((r.target, f"{r.seconds:g}", f"{r.executions:,}", rate, str(r.crashes), str(r.hangs)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run unspin's fuzz targets one after another.")
    parser.add_argument("--seconds", type=float, default=60.0, help="fuzzing time per target")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated target names")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results = []
    for target in args.targets.split(","):
        result = run_target(target.strip(), args.seconds)
        results.append(result)
        print(f"{result.target}: {result.executions:,} executions, {result.crashes} crashes, "
              f"{result.hangs} hangs", file=sys.stderr, flush=True)  # fmt: skip
        if not result.ok:
            print(result.tail, file=sys.stderr)
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(cli())
