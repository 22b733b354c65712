"""The neutrality audit on a small fixed set of real war texts (the wire reports, editorials and
fact-checks of data/narrative_negatives.jsonl), with the issue's thresholds.

Today's heads fail it: swapping Russia's and Ukraine's names moves P(Antagonist) by about 0.3 and only
about 60% of the countries keep their role. The test is marked xfail(strict): the day the new heads pass
it, it turns red (XPASS) and the marker must go, so the thresholds then guard every later model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.evaluate.negatives import load_negatives
from unspin.evaluate.neutrality import TARGETS, run_audit


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="issue 14: today's role heads read the country's name (name effect on P(Antagonist) ~0.3 on these "
    "texts, roles follow the text for ~60% of countries); remove this marker when the new heads pass",
)
def test_swapping_the_sides_names_changes_neither_roles_nor_techniques(analyzer) -> None:  # type: ignore[no-untyped-def]
    texts = [(n.id, n.text) for n in load_negatives() if n.domain == "URW"]
    report = run_audit(analyzer.analyze, texts, modes=("swap",))
    assert report["documents"] == len(texts)
    swap = report["swap"]
    name_effect = swap["roles"]["country"]["name_effect"]["Antagonist"]["value"]
    follows = swap["roles"]["country"]["follows_text"]["value"]
    change = swap["techniques"]["change"]["value"]
    assert abs(change) <= TARGETS["technique_change"], (
        f"technique spans per 1,000 words changed {change:+.1%}"
    )
    assert follows >= TARGETS["roles_follow_text"], (
        f"roles follow the text for only {follows:.0%} of countries"
    )
    assert abs(name_effect) <= TARGETS["name_effect_antagonist"], (
        f"name effect on P(Antagonist) {name_effect:+.3f}"
    )


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
