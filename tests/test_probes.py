"""Runtime probes: save/load, softmax, document pooling and span pooling."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.model.probes import Probe, SpanPooler, doc_pool, load_probes, save_probes, softmax


def sample_probes() -> dict[str, Probe]:
    rng = np.random.default_rng(0)
    return {
        "narratives": Probe(
            ("URW: Praise of Russia", "CC: Downplaying climate change"),
            rng.normal(size=(6, 2)).astype(np.float32),
            rng.normal(size=2).astype(np.float32),
            "sigmoid",
            thresholds=np.array([0.123456, 0.7], np.float32),
            settings={"narrative_threshold": 0.45, "domain_filter": False},
        ),
        "role": Probe(
            ("Protagonist", "Antagonist", "Innocent"),
            rng.normal(size=(6, 3)).astype(np.float32) * 50,
            np.array([0.1, -3.3333333, 7.0], np.float32),
            "softmax",
        ),
    }


def test_save_load_round_trip(tmp_path: Path) -> None:
    probes = sample_probes()
    save_probes(tmp_path / "model", probes, extra={"encoder": "minilm"})
    back = load_probes(tmp_path / "model")
    assert set(back) == set(probes)
    for name, p in probes.items():
        q = back[name]
        assert q.labels == p.labels and isinstance(q.labels, tuple)
        assert q.activation == p.activation
        assert q.settings == p.settings
        assert q.weight.dtype == np.float32 and q.weight.shape == p.weight.shape
        np.testing.assert_array_equal(q.weight, p.weight.astype(np.float16).astype(np.float32))
        np.testing.assert_allclose(q.weight, p.weight, rtol=1e-3)
        np.testing.assert_array_equal(q.bias, p.bias)
    t = back["narratives"].thresholds
    assert t is not None
    np.testing.assert_allclose(t, [0.1235, 0.7], atol=1e-6)  # stored to 4 decimals
    assert back["role"].thresholds is None
    meta = json.loads((tmp_path / "model" / "probes.json").read_text(encoding="utf-8"))
    assert meta["encoder"] == "minilm"


def test_loaded_probe_computes_like_the_original(tmp_path: Path) -> None:
    probes = sample_probes()
    save_probes(tmp_path, probes)
    back = load_probes(tmp_path)
    x = np.random.default_rng(1).normal(size=(5, 6)).astype(np.float32)
    for name, p in probes.items():
        np.testing.assert_allclose(back[name](x), p(x), atol=2e-2)


def test_load_probes_of_a_folder_without_probes(tmp_path: Path) -> None:
    assert load_probes(tmp_path) == {}
    assert load_probes(tmp_path / "missing") == {}
    (tmp_path / "probes.json").write_text('{"probes": {}}', encoding="utf-8")
    assert load_probes(tmp_path) == {}  # the arrays file is missing too


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


def test_probe_activations() -> None:
    w = np.eye(2, dtype=np.float32)
    b = np.zeros(2, np.float32)
    x = np.array([[0.0, np.log(3.0)]], np.float32)
    np.testing.assert_allclose(Probe(("a", "b"), w, b, "sigmoid")(x), [[0.5, 0.75]], rtol=1e-6)
    np.testing.assert_allclose(Probe(("a", "b"), w, b, "softmax")(x), [[0.25, 0.75]], rtol=1e-6)


def test_doc_pool() -> None:
    hidden = np.array([[1.0, -2.0, 0.0], [3.0, 4.0, -1.0]], np.float32)
    v = doc_pool(hidden)
    assert v.shape == (6,) and v.dtype == np.float32
    assert v.tolist() == [2.0, 1.0, -0.5, 3.0, 4.0, 0.0]
    empty = doc_pool(np.zeros((0, 3), np.float32))
    assert empty.shape == (6,) and not empty.any()


@st.composite
def tokens_and_span(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, int]:
    n = draw(st.integers(1, 12))
    offsets = []
    pos = draw(st.integers(0, 3))
    for _ in range(n):
        length = draw(st.integers(1, 6))
        offsets.append((pos, pos + length))
        pos += length + draw(st.integers(0, 3))  # adjacent tokens or gaps (spaces)
    start = draw(st.integers(0, pos + 2))
    end = draw(st.integers(start + 1, pos + 4))
    hidden = np.asarray(
        draw(
            st.lists(st.lists(st.floats(-10, 10, width=32), min_size=3, max_size=3), min_size=n, max_size=n)
        ),
        np.float32,
    )
    return hidden, np.array(offsets, np.int64), start, end


@settings(max_examples=150, deadline=None)
@given(tokens_and_span())
def test_span_pooler_equals_brute_force_mean(case: tuple[np.ndarray, np.ndarray, int, int]) -> None:
    hidden, offsets, start, end = case
    inside = [i for i, (s, e) in enumerate(offsets) if s < end and e > start]
    got = SpanPooler(hidden, offsets)(start, end)
    assert got.shape == (3,) and got.dtype == np.float32
    if inside:
        np.testing.assert_allclose(got, hidden[inside].astype(np.float64).mean(0), rtol=1e-5, atol=1e-4)
    else:
        assert not got.any()


def test_span_pooler_examples() -> None:
    hidden = np.array([[1.0], [2.0], [4.0], [8.0]], np.float32)
    pool = SpanPooler(hidden, np.array([(0, 3), (4, 7), (7, 9), (12, 15)]))
    assert pool(4, 9).tolist() == [3.0]  # tokens 1 and 2
    assert pool(5, 6).tolist() == [2.0]  # inside token 1
    assert pool(2, 5).tolist() == [1.5]  # partial overlap of tokens 0 and 1
    assert pool(0, 100).tolist() == [3.75]
    assert pool(9, 12).tolist() == [0.0]  # the gap between tokens 2 and 3
    assert pool(3, 4).tolist() == [0.0]
    assert pool(20, 30).tolist() == [0.0]
