"""A tiny real run of the training code: a few articles, two steps, export, then the runtime loads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.data import semeval2023 as sd

pytest.importorskip("torch")
DATA = sd.default_data_dir() / "semeval2023-task3" / "en"


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_train_export_and_load(tmp_path: Path) -> None:
    from unspin.analyzer import Analyzer
    from unspin.train import export, techniques

    ckpt, out = tmp_path / "ckpt", tmp_path / "model"
    # With the auxiliary document and role losses, as `make train` runs it.
    assert techniques.main(["--smoke", "--auxiliary", "0.5", "--out", str(ckpt)]) == 0
    metrics = json.loads((ckpt / "metrics.json").read_text())
    assert any(lab.startswith("narrative:") for lab in metrics["config"]["auxiliary_labels"])
    assert set(metrics["thresholds"]) == set(techniques.TECHNIQUES)
    assert 0.0 <= metrics["paragraph_micro_f1"] <= 1.0
    assert export.main(["--checkpoint", str(ckpt), "--out", str(out)]) == 0
    analyzer = Analyzer(model_dir=out)
    result = analyzer.analyze("The corrupt elites lie to you every single day. Wake up!")
    assert result.model.name == "unspin-techniques"
    for s in result.spans:
        assert result.text[s.start : s.end] == s.text
    assert list(analyzer.heads) == ["techniques"] and result.narratives == [] and result.genre is None


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_train_with_checkworthiness_exports_a_claim_head(tmp_path: Path) -> None:
    """The multi-task option (`--checkworthy`): a claim head beside the paragraph head, used at run time."""
    from unspin.analyzer import Analyzer
    from unspin.train import export, techniques

    ckpt, out = tmp_path / "ckpt", tmp_path / "model"
    assert techniques.main(["--smoke", "--checkworthy", "1.0", "--claim-batch", "8", "--out", str(ckpt)]) == 0
    metrics = json.loads((ckpt / "metrics.json").read_text())
    assert 0.0 <= metrics["claim_devtest_f1"] <= 1.0 and 0.0 < metrics["claim_threshold"] < 1.0
    assert export.main(["--checkpoint", str(ckpt), "--out", str(out)]) == 0
    saved = json.loads((out / "heads.json").read_text())["heads"]["checkworthy"]
    assert saved["probe"]["thresholds"] == [round(metrics["claim_threshold"], 4)]
    analyzer = Analyzer(model_dir=out)
    assert "checkworthy" in analyzer.heads
    result = analyzer.analyze("The army fired 40 rockets at the city on Monday, officials said.")
    assert all(result.text[c.start : c.end] == c.text for c in result.claims)


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_article_heads_train_on_the_shipped_encoder(tmp_path: Path) -> None:
    """The probe training end to end on a few documents; the runtime then uses every head."""
    import shutil

    pytest.importorskip("sklearn")
    pytest.importorskip("spacy")
    from unspin.analyzer import Analyzer
    from unspin.encoder.config import default_model_dir
    from unspin.heads.base import SavedHeads
    from unspin.train import probes

    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    (model / "probe_metrics.json").unlink(missing_ok=True)
    saved = SavedHeads.read(model)
    saved.sections = {k: v for k, v in saved.sections.items() if k in ("techniques", "checkworthy")}
    saved.write(model)  # only the heads training of the encoder writes: the probes come back below
    assert probes.main(["--model", str(model), "--smoke"]) == 0
    m = json.loads((model / "probe_metrics.json").read_text())
    assert 0.0 <= m["narratives"]["heldout"]["fine_f1"] <= 1.0
    assert 0.0 <= m["roles"]["heldout"]["main_role_accuracy"] <= 1.0
    analyzer = Analyzer(model_dir=model)
    assert {"narratives", "genre", "frames", "entities"} <= set(analyzer.heads)
    result = analyzer.analyze(
        "Vladimir Putin met Joe Biden in Geneva.\n\nNATO said Russia was the aggressor. " * 4
    )
    assert result.genre is not None
    for e in result.entities:
        assert all(result.text[x.start : x.end] == x.text for x in e.mentions)


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_article_heads_of_a_multilingual_encoder_train_on_every_language(tmp_path: Path) -> None:
    """An encoder whose config lists several languages gets heads trained on each (SemEval-2025: all five;
    SemEval-2023: its languages), with held-out figures per language."""
    import shutil

    pytest.importorskip("sklearn")
    pytest.importorskip("spacy")
    pytest.importorskip("natasha")
    from unspin.encoder.config import default_model_dir
    from unspin.train import probes

    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    config = json.loads((model / "config.json").read_text())
    config["languages"] = ["en", "ru"]
    (model / "config.json").write_text(json.dumps(config))
    assert probes.main(["--model", str(model), "--smoke"]) == 0
    m = json.loads((model / "probe_metrics.json").read_text())
    assert set(m["narratives"]["heldout"]["per_language"]) == {"en", "ru", "bg", "pt", "hi"}
    assert set(m["genre_frames_per_language"]) == {"en", "ru"}
    assert {"en", "ru"} <= set(m["roles"]["per_language"])


def test_split_is_article_level_and_fixed() -> None:
    ids = [str(i) for i in range(446)]
    train, held = sd.split_ids(ids)
    assert not set(train) & set(held)
    assert len(held) == 67 and sorted(train + held) == sorted(ids)
    assert sd.split_ids(list(reversed(ids))) == (train, held)
