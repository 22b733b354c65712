"""The cross-validation code path end to end on six tiny articles with a tiny random BERT (no download):
folds, training, out-of-fold dumps, resuming, nested choices, the report, and replay == live decoding."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from unspin.data import semeval2023 as sd

pytest.importorskip("torch")
DATA = sd.default_data_dir() / "semeval2023-task3"


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_cv_runs_resumes_and_replays_like_the_runtime(tmp_path: Path) -> None:
    import torch

    from unspin.encoder.windows import load_tokenizer
    from unspin.evaluate.semeval2023 import score
    from unspin.train import cv, cv_report, cv_score, encoders, oof, tagger_fit
    from unspin.train.techniques import predict_article

    arts = cv.smoke_articles()
    folds = cv.assign_folds(arts)
    assert sorted(folds.values()) == [0, 0, 1, 1, 2, 2]  # stratified: one English, one Russian per fold
    assert {a.lang for a in arts if folds[a.key] == 0} == {"en", "ru"}
    spec = encoders.tiny()
    cfg = tagger_fit.FitConfig(epochs=2, train_layers=1, batch=4, max_steps=2, head_lr=1e-2)
    cv.run_cv("tiny", spec, arts, folds, tmp_path, cfg)
    dumps = sorted(tmp_path.glob("tiny/fold*/epoch*.npz"))
    assert len(dumps) == 6 and (tmp_path / "tiny/bottom1.npy").exists()  # the frozen layer ran once

    # a finished run is skipped; a lost dump is rewritten from the checkpoint without training again
    ckpt = tmp_path / "tiny/fold1/ckpt.pt"
    stamp = ckpt.stat().st_mtime_ns
    (tmp_path / "tiny/fold1/epoch2.npz").unlink()
    cv.run_cv("tiny", spec, arts, folds, tmp_path, cfg)
    assert (tmp_path / "tiny/fold1/epoch2.npz").exists() and ckpt.stat().st_mtime_ns == stamp

    cv_report.write(tmp_path, {"tiny": (arts, folds)}, compare=None)
    summary = json.loads((tmp_path / "summary.json").read_text())
    run = summary["runs"]["tiny"]
    assert run["epochs"] == [1, 2] and set(run["headline"]) == {"all", "en", "ru"}
    assert run["headline"]["all"]["paragraph_micro_f1"]["n"] == 3
    assert set(run["chosen_per_fold"].values()) <= set(run["grid"])
    assert set(run["per_technique"]) == set(cv_score.LABELS)
    assert "| tiny |" in (tmp_path / "recipe.md").read_text()

    # out-of-fold predictions (cached bottom + trained top) match the whole model run as at run time,
    # and replayed through the runtime decoder they score as the live model does
    model = tagger_fit.make_model(spec, cfg.seed, cfg.train_layers)
    model.load_state_dict(torch.load(tmp_path / "tiny/fold0/epoch2.pt"), strict=False)
    model.eval()
    held = [a for a in arts if folds[a.key] == 0]
    records = oof.load(tmp_path / "tiny/fold0/epoch2.npz")
    tok = load_tokenizer(str(spec.tokenizer))
    for art in held:
        offsets, probs, _ = predict_article(model, tok, art.text, specials=spec.specials, bf16=False)
        assert (records[art.key].offsets == offsets).all()
        assert abs(records[art.key].probs - probs).max() < 2e-3
    items = cv_score.cache(held, records)
    for mix in cv_score.MIX_CHOICES:
        dec = cv_score.tune(items, frozenset(), (mix,))
        replayed = cv_score.metrics(cv_score.decode_items(items, dec))
        live = score(
            held,
            lambda text: predict_article(model, tok, text, specials=spec.specials, bf16=False),
            cv_score.LABELS,
            decoder=replace(dec, paragraph=model.export_paragraph_head()),
        )
        assert replayed["paragraph_micro_f1"] == pytest.approx(live["paragraph_micro_f1"], abs=0.02), mix
        assert replayed["span_f1"] == pytest.approx(live["span_f1"], abs=0.02), mix


def test_cached_bottom_then_top_is_the_whole_encoder() -> None:
    import torch

    from unspin.train import cached, encoders

    encoder = encoders.load_encoder(encoders.tiny()).eval()
    ids = torch.randint(1000, 2000, (3, 20))
    mask = torch.ones_like(ids)
    mask[1, 12:] = 0  # a padded window
    with torch.no_grad():
        whole = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        split = cached.top(encoder, cached.bottom(encoder, ids, mask, 1), mask, 1)
    assert torch.allclose(whole[mask.bool()], split[mask.bool()], atol=1e-5)
