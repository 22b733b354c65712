"""The head protocol's parts: layers saved and loaded, strict settings, activations, and the one pooling."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.document import Document, Segment
from unspin.encoder.encoded import Encoded
from unspin.errors import ModelError
from unspin.heads.base import HEADS_JSON, Linear, SavedHeads, softmax, strength
from unspin.heads.narratives import NarrativeHead
from unspin.heads.registry import load_heads


def sample_layers() -> dict[str, Linear]:
    rng = np.random.default_rng(0)
    return {
        "probe": Linear(
            ("URW: Praise of Russia", "CC: Downplaying climate change"),
            rng.normal(size=(6, 2)).astype(np.float32),
            rng.normal(size=2).astype(np.float32),
            "sigmoid",
            thresholds=np.array([0.123456, 0.7], np.float32),
        ),
        "role": Linear(
            ("Protagonist", "Antagonist", "Innocent"),
            rng.normal(size=(6, 3)).astype(np.float32) * 50,
            np.array([0.1, -3.3333333, 7.0], np.float32),
            "softmax",
        ),
    }


def test_save_load_round_trip(tmp_path: Path) -> None:
    layers = sample_layers()
    saved = SavedHeads()
    saved.put("some", {"threshold": 0.45, "domain_filter": False}, layers)
    saved.write(tmp_path / "model")
    section = SavedHeads.read(tmp_path / "model").section("some")
    assert section is not None
    assert section.get("threshold") == 0.45 and section.get("domain_filter") is False
    for name, p in layers.items():
        q = section.linear(name)
        assert q.labels == p.labels and isinstance(q.labels, tuple)
        assert q.activation == p.activation
        assert q.weight.dtype == np.float32 and q.weight.shape == p.weight.shape
        np.testing.assert_array_equal(q.weight, p.weight.astype(np.float16).astype(np.float32))
        np.testing.assert_array_equal(q.bias, p.bias)
        x = np.random.default_rng(1).normal(size=(5, 6)).astype(np.float32)
        np.testing.assert_allclose(q(x), p(x), atol=2e-2)
    t = section.linear("probe").thresholds
    assert t is not None
    np.testing.assert_allclose(t, [0.1235, 0.7], atol=1e-6)  # stored to 4 decimals
    assert section.linear("role").thresholds is None
    section.done()  # every key was read


def test_full_precision_layers_stay_exact(tmp_path: Path) -> None:
    layer = sample_layers()["probe"]
    saved = SavedHeads()
    saved.put("techniques", {}, {"paragraph": layer}, half=False)
    saved.write(tmp_path)
    section = SavedHeads.read(tmp_path).section("techniques")
    assert section is not None
    np.testing.assert_array_equal(section.linear("paragraph").weight, layer.weight)


def _narratives_folder(tmp_path: Path, settings_: dict[str, object]) -> Path:
    saved = SavedHeads()
    saved.put("narratives", settings_, {"probe": sample_layers()["probe"]})
    saved.write(tmp_path)
    return tmp_path


FULL = {"narrative_threshold": 0.4, "subnarrative_threshold": 0.6, "domain_filter": True}


def test_saved_settings_are_honoured(tmp_path: Path) -> None:
    section = SavedHeads.read(_narratives_folder(tmp_path, FULL)).section("narratives")
    assert section is not None
    head = NarrativeHead.load(section)
    assert (head.t_narrative, head.t_sub, head.domain_filter) == (0.4, 0.6, True)


@pytest.mark.parametrize(
    "broken",
    [
        {k: v for k, v in FULL.items() if k != "subnarrative_threshold"},  # missing
        {**{k: v for k, v in FULL.items() if k != "narrative_threshold"}, "narative_threshold": 0.4},  # typo
        {**FULL, "min_words": 5},  # a setting this head does not have
    ],
)
def test_a_missing_or_misspelt_setting_fails_loudly(tmp_path: Path, broken: dict[str, object]) -> None:
    section = SavedHeads.read(_narratives_folder(tmp_path, broken)).section("narratives")
    assert section is not None
    with pytest.raises(ModelError):
        NarrativeHead.load(section)


def test_a_model_folder_without_a_technique_head_or_with_an_unknown_head_fails(tmp_path: Path) -> None:
    _narratives_folder(tmp_path, FULL)
    with pytest.raises(ModelError, match="no technique head"):
        load_heads(tmp_path)
    meta = json.loads((tmp_path / HEADS_JSON).read_text())
    meta["heads"]["sentiment"] = {}
    (tmp_path / HEADS_JSON).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="sentiment"):
        load_heads(tmp_path)
    with pytest.raises(ModelError):
        load_heads(tmp_path / "missing")


def test_layer_shapes_must_fit_its_labels() -> None:
    with pytest.raises(ModelError):
        Linear(("a", "b"), np.zeros((4, 3), np.float32), np.zeros(3, np.float32))


def test_softmax_rows_sum_to_one() -> None:
    x = np.random.default_rng(2).normal(size=(7, 5)) * 3
    s = softmax(x)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(s.argmax(-1), x.argmax(-1))
    ref = np.exp(x) / np.exp(x).sum(-1, keepdims=True)
    np.testing.assert_allclose(s, ref, rtol=1e-10)


def test_softmax_is_stable_for_large_logits() -> None:
    s = softmax(np.array([[1000.0, 1001.0, 999.0], [-1e4, -1e4, -1e4 + 1]], np.float32))
    assert np.isfinite(s).all()
    ref = softmax(np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 1.0]]))
    np.testing.assert_allclose(s, ref, rtol=1e-5)


def test_linear_activations() -> None:
    w = np.eye(2, dtype=np.float32)
    b = np.zeros(2, np.float32)
    x = np.array([[0.0, np.log(3.0)]], np.float32)
    np.testing.assert_allclose(Linear(("a", "b"), w, b, "sigmoid")(x), [[0.5, 0.75]], rtol=1e-6)
    np.testing.assert_allclose(Linear(("a", "b"), w, b, "softmax")(x), [[0.25, 0.75]], rtol=1e-6)


def test_strength_is_relative_to_the_threshold() -> None:
    assert strength(0.35, 0.3) == "weak"  # just over a low threshold
    assert strength(0.92, 0.9) == "weak"  # 92% reads as certain, but it barely clears its 0.9
    assert strength(0.6, 0.3) == "moderate"
    assert strength(0.9, 0.3) == "strong"
    assert strength(0.2, 0.3) == "weak"


def _encoded(hidden: np.ndarray, offsets: np.ndarray, text_len: int) -> Encoded:
    doc = Document.from_text("x" * text_len)
    return Encoded(doc, offsets, np.zeros((len(offsets), 0), np.float32), hidden)


def test_article_vector_is_mean_then_max() -> None:
    hidden = np.array([[1.0, -2.0, 0.0], [3.0, 4.0, -1.0]], np.float32)
    enc = _encoded(hidden, np.array([[0, 2], [3, 5]]), 6)
    v = enc.article_vector()
    assert v.shape == (6,) and v.dtype == np.float32
    assert v.tolist() == [2.0, 1.0, -0.5, 3.0, 4.0, 0.0]
    empty = _encoded(np.zeros((0, 3), np.float32), np.zeros((0, 2), np.int64), 4).article_vector()
    assert empty.shape == (6,) and not empty.any()


@st.composite
def tokens_and_spans(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]], int]:
    n = draw(st.integers(1, 12))
    offsets = []
    pos = draw(st.integers(0, 3))
    for _ in range(n):
        length = draw(st.integers(1, 6))
        offsets.append((pos, pos + length))
        pos += length + draw(st.integers(0, 3))  # adjacent tokens or gaps (spaces)
    spans = []
    for _ in range(draw(st.integers(1, 5))):  # overlapping, unordered, empty-of-tokens spans alike
        start = draw(st.integers(0, pos + 2))
        spans.append((start, draw(st.integers(start + 1, pos + 4))))
    hidden = np.asarray(
        draw(
            st.lists(st.lists(st.floats(-10, 10, width=32), min_size=3, max_size=3), min_size=n, max_size=n)
        ),
        np.float32,
    )
    return hidden, np.array(offsets, np.int64), spans, pos + 4


@settings(max_examples=150, deadline=None)
@given(tokens_and_spans())
def test_pool_equals_brute_force(case: tuple[np.ndarray, np.ndarray, list[tuple[int, int]], int]) -> None:
    hidden, offsets, spans, length = case
    enc = _encoded(hidden, offsets, length)
    both = enc.pool(spans)
    mean, mx = enc.pool([Segment(*s) for s in spans], "mean"), enc.pool(spans, "max")
    assert both.shape == (len(spans), 6) and both.dtype == np.float32
    for k, (start, end) in enumerate(spans):
        inside = [i for i, (s, e) in enumerate(offsets) if s < end and e > start]
        if inside:
            np.testing.assert_allclose(
                mean[k], hidden[inside].astype(np.float64).mean(0), rtol=1e-5, atol=1e-4
            )
            np.testing.assert_array_equal(mx[k], hidden[inside].max(0))
        else:
            assert not mean[k].any() and not mx[k].any()
        np.testing.assert_array_equal(both[k], np.concatenate([mean[k], mx[k]]))


def test_pool_examples() -> None:
    hidden = np.array([[1.0], [2.0], [4.0], [8.0]], np.float32)
    enc = _encoded(hidden, np.array([(0, 3), (4, 7), (7, 9), (12, 15)]), 30)
    spans = [(4, 9), (5, 6), (2, 5), (0, 100), (9, 12), (3, 4), (20, 30)]
    assert enc.pool(spans, "mean")[:, 0].tolist() == [3.0, 2.0, 1.5, 3.75, 0.0, 0.0, 0.0]
    assert enc.pool(spans, "max")[:, 0].tolist() == [4.0, 2.0, 2.0, 8.0, 0.0, 0.0, 0.0]
