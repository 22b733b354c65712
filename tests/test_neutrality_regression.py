"""The neutrality audit on a small fixed set of real war texts (the wire reports, editorials and
fact-checks of data/narrative_negatives.jsonl), with the issue's thresholds.

The heads of model 0.1.0 failed it on roles: swapping Russia's and Ukraine's names moved P(Antagonist) by
+0.24 (English +0.31) and only 64% of the countries kept their role. Model 0.4.0 (roles read from the
context) meets both role targets here (name effect +0.011, roles follow the text for 97%) but English
technique spans change by +6.2% under the swap (Russian -2.1%, pooled +4.6%): still xfail(strict). The day
a model passes it turns red (XPASS) and the marker must go, so the thresholds then guard every later model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.evaluate.negatives import load_negatives
from unspin.evaluate.neutrality import run_audit


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="issue 14: English technique spans change by +6.2% when the sides' names are swapped in these texts "
    "(target within 5%); the role targets are met since model 0.4.0; remove this marker when all pass",
)
def test_swapping_the_sides_names_changes_neither_roles_nor_techniques(analyzer) -> None:  # type: ignore[no-untyped-def]
    texts = [(n.id, n.text) for n in load_negatives() if n.domain == "URW"]
    report = run_audit(analyzer.analyze, texts, modes=("swap",))
    assert report["documents"] == len(texts)
    # Each target must hold pooled and in every language where it can be measured (English and Russian).
    failed = {k: (t["value"], t.get("by_language")) for k, t in report["targets"].items() if not t["met"]}
    assert not failed, f"targets missed (pooled value, by language): {failed}"


def test_cli_audits_the_analysts_own_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from unspin.cli import main

    doc = tmp_path / "report.txt"
    doc.write_text(
        next(n.text for n in load_negatives() if n.id == "en-news-kyiv-two-missiles"), encoding="utf-8"
    )
    (tmp_path / "no-names.txt").write_text(
        "The council met on Tuesday to discuss the budget.", encoding="utf-8"
    )
    assert main(["evaluate", "neutrality", str(doc), str(tmp_path / "no-names.txt"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 1 and report["skipped_without_names"] == 1 and report["corpus"] == "files"
    assert {"swap", "placebo", "targets"} <= set(report)
    assert report["swap"]["roles"]["country"]["actors"] >= 2  # Russia and Ukraine, found in both copies
