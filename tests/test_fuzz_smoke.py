"""A short run (a second or so) of every atheris fuzz target (tests/fuzz/), and every minimized crash input the fuzzers
found (tests/regressions/<target>/) replayed through its target: each must now end in a documented
error or a correct result. `make fuzz` runs the targets for longer (FUZZ_SECONDS each)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent / "fuzz"
sys.path.insert(0, str(FUZZ))

import fuzz_runner  # noqa: E402  (lives in tests/fuzz, put on the path just above)

REGRESSIONS = sorted(p for p in fuzz_runner.REGRESSIONS.glob("*/*") if p.is_file())
# Executions per smoke run: a few seconds' worth each (the analyze target runs the model: ~15/s).
RUNS = {"analyze": 12, "analysis_json": 300, "html": 300}


@pytest.mark.parametrize("target", fuzz_runner.TARGETS)
def test_fuzz_target_runs_clean(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    result = fuzz_runner.run_target(target, seconds=1, runs=RUNS.get(target, 1000), corpus=tmp_path)
    assert result.ok, f"{target}: {result.crashes} crashes, {result.hangs} hangs\n{result.tail}"
    assert result.executions > 0, result.tail


@pytest.mark.parametrize("path", REGRESSIONS, ids=[f"{p.parent.name}/{p.name}" for p in REGRESSIONS])
def test_regression_input_is_handled(path: Path) -> None:
    target = importlib.import_module(f"fuzz_{path.parent.name}")
    fuzz_runner.guarded(target.check, target.EXPECTED)(path.read_bytes())


def test_every_regression_folder_names_a_target() -> None:
    assert {p.parent.name for p in REGRESSIONS} <= set(fuzz_runner.TARGETS)


def test_libfuzzer_output_is_read_for_executions_crashes_and_hangs() -> None:
    ok = fuzz_runner.parse(
        "x", "#100\tNEW\nDone 1234 runs in 2 second(s)\nstat::number_of_executed_units: 1234\n", 0, 2.0
    )
    assert (ok.executions, ok.crashes, ok.hangs, ok.ok) == (1234, 0, 0, True)
    crash = fuzz_runner.parse(
        "x", "#7\tNEW\n=== Uncaught Python exception: ===\nTest unit written to out/crash-ab\n", 1, 1.0
    )
    assert (crash.executions, crash.crashes, crash.ok) == (7, 1, False)
    hang = fuzz_runner.parse(
        "x", "ALARM: working on the last Unit\nTest unit written to out/timeout-cd\n", 1, 9.0
    )
    assert (hang.hangs, hang.crashes) == (1, 0)
    killed = fuzz_runner.parse("x", "#3\tNEW\n", -9, 1.0)
    assert killed.crashes == 1  # died without writing a unit (OOM kill, setup error): still a failure


# --- The bugs the fuzzers found, as plain tests (the inputs above are the minimized originals) --------


def test_unknown_marked_sections_in_html_are_skipped_not_a_crash() -> None:
    from unspin.ingest.html import _fallback_extract, extract_html

    assert extract_html("<p>Words before.</p><![C[x]]><p>After.</p>")[0].split("\n")[0] == "Words before."
    assert _fallback_extract("<p>a</p><![zz[hidden]]>b<![CDATA[c]]>d")[0] == "a\nbd"
    assert _fallback_extract("<p>a</p><![1")[0].startswith("a")


@pytest.mark.parametrize("host", ["-9.254.160", "1.-1.0.1", "1_0.0.0.1", "+1.2.3.4"])
def test_signed_or_underscored_numeric_hosts_are_bad_input(host: str) -> None:
    from unspin.errors import BadInput
    from unspin.ingest import check_url

    with pytest.raises(BadInput, match="neither a valid IP address"):
        check_url(f"http://{host}/")


def test_a_malformed_url_in_a_headerless_first_row_is_bad_input_for_that_file_only() -> None:
    from unspin.claims.importers.files import read_claims
    from unspin.errors import BadInput

    # urlsplit's ValueError used to escape and stop the whole `claims import`, later files included.
    with pytest.raises(BadInput, match="unrecognised CSV header"):
        read_claims("Bad url,False,https://fc>ex]ample/2,2020-01-01\n", "f.csv")
