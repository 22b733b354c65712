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
    assert techniques.main(["--smoke", "--out", str(ckpt)]) == 0
    metrics = json.loads((ckpt / "metrics.json").read_text())
    assert set(metrics["thresholds"]) == set(techniques.TECHNIQUES)
    assert 0.0 <= metrics["paragraph_micro_f1"] <= 1.0
    assert export.main(["--checkpoint", str(ckpt), "--out", str(out)]) == 0
    analyzer = Analyzer(model_dir=out)
    result = analyzer.analyze("The corrupt elites lie to you every single day. Wake up!")
    assert result.model.name == "unspin-techniques"
    for s in result.spans:
        assert result.text[s.start : s.end] == s.text


def test_split_is_article_level_and_fixed() -> None:
    ids = [str(i) for i in range(446)]
    train, held = sd.split_ids(ids)
    assert not set(train) & set(held)
    assert len(held) == 67 and sorted(train + held) == sorted(ids)
    assert sd.split_ids(list(reversed(ids))) == (train, held)
