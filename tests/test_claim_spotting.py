"""Claim spotting: candidate rules, sentence pooling, the spotter on real hidden states, the claims in the
analysis (offsets, schema), the news evaluation file, and the training code on a few sentences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from unspin.analysis import Analysis, Claim
from unspin.evaluate.checkworthy import NEWS_FILE, load_news
from unspin.heads.base import Linear
from unspin.heads.checkworthy import CheckworthyHead, is_candidate


def test_questions_and_fragments_are_not_candidates() -> None:
    assert is_candidate("Russia's overseas assets were frozen by the West.")
    assert not is_candidate("Who benefits from this war?")
    assert not is_candidate("Is this really “security”?”")
    assert not is_candidate("Read more here")
    assert not is_candidate("   ")


def test_spotter_keeps_sentences_above_threshold(analyzer) -> None:  # type: ignore[no-untyped-def]
    text = "The army fired 40 rockets at the city on Monday. What a shame! Do you agree with them?"
    enc = analyzer.encode(text)
    assert [(s.start, s.end) for s in enc.doc.sentences] == [(0, 48), (49, 62), (63, len(text))]
    dim = enc.hidden.shape[1]
    always = Linear(
        ("checkworthy",),
        np.zeros((2 * dim, 1), np.float32),
        np.array([5.0], np.float32),
        thresholds=np.array([0.5], np.float32),
    )
    spotted = CheckworthyHead(always)(enc)["claims"]
    # The short exclamation and the question are no candidates; the claim gets the probe's score (the
    # claims stage ranks and cuts, see test_claims_stage).
    assert [(s.start, s.end) for s in spotted] == [(0, 48)] and spotted[0].score > 0.99
    # Without the rules (a setting saved with the head), every sentence is a candidate.
    assert len(CheckworthyHead(always, rules=False)(enc)["claims"]) == 3
    assert len(CheckworthyHead(always, min_words=12)(enc)["claims"]) == 0  # the claim has 10 words
    never = Linear(always.labels, always.weight, np.array([-5.0], np.float32), thresholds=always.thresholds)
    assert [c.score < 0.01 for c in CheckworthyHead(never)(enc)["claims"]] == [True]


def test_shipped_model_spots_claims_with_exact_offsets(demo_analysis: Analysis) -> None:
    assert demo_analysis.claims, "the demo article makes many checkable claims"
    for c in demo_analysis.claims:
        assert demo_analysis.text[c.start : c.end] == c.text
        s = demo_analysis.sentences[c.sentence]
        assert (s.start, s.end) == (c.start, c.end)
        assert 0.0 <= c.score <= 1.0
    texts = [c.text for c in demo_analysis.claims]
    # The check: a false factual claim is spotted as checkable.
    assert any(t.startswith("Russia had to send troops to protect its ally Ukraine") for t in texts)
    # Pure opinion is not.
    assert not any(t.startswith("To deal with a country like Japan") for t in texts)


def test_claim_offsets_are_validated(demo_analysis: Analysis) -> None:
    data = demo_analysis.model_dump(mode="json")
    data["claims"] = [{"start": 0, "end": 5, "text": "wrong", "sentence": 0, "score": 0.9}]
    with pytest.raises(ValueError, match="does not quote"):
        Analysis.model_validate(data)
    first = demo_analysis.sentences[0]
    data["claims"] = [
        Claim(start=first.start, end=first.end, text=first.text, sentence=999, score=0.9).model_dump()
    ]
    with pytest.raises(ValueError, match="sentence 999"):
        Analysis.model_validate(data)


def test_news_file_quotes_its_articles(demo_text: str) -> None:
    rows = load_news()
    assert len(rows) >= 60 and {r.label for r in rows} == {True, False}
    demo = [r for r in rows if r.article == "demo"]
    assert demo and all(demo_text[r.start : r.end] == r.text for r in demo)
    assert NEWS_FILE.read_text(encoding="utf-8").startswith("# Check-worthy sentences")


@pytest.mark.skipif(
    not (Path(__file__).parents[2] / "shared" / "data").is_dir(), reason="needs ../shared/data"
)
def test_claim_probe_training_smoke(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from unspin.analyzer import Analyzer
    from unspin.encoder.config import default_model_dir
    from unspin.train import claim_probe

    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    assert claim_probe.main(["--model", str(model), "--smoke"]) == 0
    metrics = json.loads((model / "claim_metrics.json").read_text())
    assert 0.0 <= metrics["dev_test"]["f1"] <= 1.0
    analyzer = Analyzer(model_dir=model)
    assert "checkworthy" in analyzer.heads
    # The other heads survived the rewrite of heads.json.
    assert {"narratives", "entities", "genre"} <= set(analyzer.heads)


def test_passages_join_neighbouring_sentences_with_exact_spans() -> None:
    from unspin.data.checkthat import Sentence, passages

    rows = [
        Sentence("12", "Third.", False),
        Sentence("10", "First one.", True),
        Sentence("11", "Second.", False),
        Sentence("40", "Far away.", True),
    ]
    out = passages(rows)
    assert [p.rows for p in out] == [[1, 2, 0], [3]]
    for p in out:
        for (s, e), i in zip(p.spans, p.rows, strict=True):
            assert p.text[s:e] == rows[i].text
    assert [len(p.rows) for p in passages(rows * 1, max_sentences=2)] == [2, 1, 1]
