"""Dense similarity for known claims: the sentence encoder, stored vectors, the dense ranker, hybrid
fusion and the ``evaluate claims`` benchmark, all on small temporary databases."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from unspin.claims.records import KnownClaim, Provenance, upsert_claims
from unspin.claims.search import fuse, rank_bm25, search
from unspin.claims.vectors import embed_missing, load_index, make_dense_ranker, missing_count
from unspin.cli import main
from unspin.encoder.similarity import SentenceEncoder, default_similarity_dir, similarity_model_available
from unspin.evaluate.claims import build_cases, evaluate_claims, metrics, split_cases
from unspin.store.db import connect, schema_version
from unspin.store.migrations import MIGRATIONS

pytestmark = pytest.mark.skipif(not similarity_model_available(), reason="no similarity model")

TITLES = [
    "NATO expansion to the East is military aggression against Russia",
    "The EU is collapsing because of migrants",
    "Vaccines contain microchips to control people",
    "MH17 was shot down by a Ukrainian fighter jet",
    "The chemical attack in Syria was staged by the White Helmets",
    "Crimea joined Russia after a legitimate referendum",
]
SUMMARIES = [
    "The alliance keeps moving its troops closer to Russian borders, which is an act of aggression.",
    "Brussels cannot control the flow of refugees and the union is falling apart.",
    "Western vaccines hide tiny chips that track everyone who gets the shot.",
    "The Malaysian airliner was destroyed by a Ukrainian military aircraft, not a missile.",
    "The rescuers filmed a fake gas attack to blame the Syrian government.",
    "The people of the peninsula freely voted to become part of Russia.",
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def claim(title: str, summary: str = "") -> KnownClaim:
    return KnownClaim(
        title=title, summary=summary, key=f"text:{title}", provenance=(Provenance("t.csv", "csv", 2),)
    )


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    db = connect(tmp_path / "u.db")
    upsert_claims(db, [claim(t, s) for t, s in zip(TITLES, SUMMARIES, strict=True)])
    return db


def test_encoder_shape_normalization_and_batch_invariance(encoder: SentenceEncoder) -> None:
    texts = ["short", "a somewhat longer sentence about NATO and Russia", "x " * 400, "medium length text"]
    vectors = encoder.encode(texts, batch=2)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    for i, text in enumerate(texts):
        alone = encoder.encode([text])[0]
        assert float(alone @ vectors[i]) > 0.999
    assert encoder.encode([]).shape == (0, 384)


def test_paraphrase_ranks_above_unrelated(encoder: SentenceEncoder) -> None:
    q, para, other = encoder.encode(
        [
            "NATO is expanding eastwards and threatening Russia",
            "The Atlantic alliance moves towards Russia's borders",
            "The recipe needs two cups of flour",
        ]
    )
    assert float(q @ para) > float(q @ other) + 0.2


def test_exported_model_matches_pytorch(encoder: SentenceEncoder) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from transformers import AutoModel

    from unspin.train.common import base_model_dir
    from unspin.train.similarity_export import MeanPooled, torch_embeddings

    model = MeanPooled(AutoModel.from_pretrained(str(base_model_dir()))).eval()
    sentences = [*TITLES[:4], "The weather is nice today."]
    cos = np.sum(torch_embeddings(model, sentences) * encoder.encode(sentences), axis=1)
    assert float(cos.min()) >= 0.99


def test_migration_adds_vector_table_once(tmp_path: Path) -> None:
    first = connect(tmp_path / "m.db")
    assert schema_version(first) == len(MIGRATIONS) >= 2
    tables = first.execute("SELECT count(*) FROM sqlite_master WHERE name = 'claim_vectors'").fetchone()[0]
    assert tables == 1
    again = connect(tmp_path / "m.db")
    assert again.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_vectors_stored_once_and_dropped_when_claim_changes(
    conn: sqlite3.Connection, encoder: SentenceEncoder
) -> None:
    assert missing_count(conn, encoder.name) == len(TITLES)
    assert embed_missing(conn, encoder) == len(TITLES)
    assert embed_missing(conn, encoder) == 0
    blob = conn.execute("SELECT vector FROM claim_vectors LIMIT 1").fetchone()[0]
    assert len(blob) == 384 * 2  # float16
    conn.execute("UPDATE claims SET summary = 'changed' WHERE id = 1")
    assert missing_count(conn, encoder.name) == 1
    conn.execute("DELETE FROM claims WHERE id = 2")
    assert conn.execute("SELECT count(*) FROM claim_vectors").fetchone()[0] == len(TITLES) - 2


def test_dense_search_finds_exact_title_first(conn: sqlite3.Connection, encoder: SentenceEncoder) -> None:
    dense = make_dense_ranker(encoder)
    for i, title in enumerate(TITLES):
        assert dense(conn, title, 3)[0][0] == i + 1
    ranked = dense(conn, "a passenger plane was downed by a jet from Kyiv", 2)
    assert ranked[0][0] == 4
    index = load_index(conn, encoder.name)
    upsert_claims(conn, [claim("A brand new claim about the moon landing")])
    assert dense(conn, "moon landing", 1)[0][0] == 7  # embedded on demand, index reloaded
    assert load_index(conn, encoder.name) is not index
    hybrid = search(conn, "plane shot down over Ukraine", 3, rankers=(rank_bm25, dense))
    assert hybrid[0][0].title == TITLES[3]


def test_fusion_math() -> None:
    bm25 = [(1, 9.0), (2, 5.0), (3, 1.0)]
    dense = [(3, 0.9), (1, 0.8), (4, 0.1)]
    fused = dict(fuse([bm25, dense], 10, k=60))
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert fused[4] == pytest.approx(1 / 63)
    assert [cid for cid, _ in fuse([bm25, dense], 10, k=60)][:2] == [1, 3]
    weighted = dict(fuse([bm25, dense], 10, k=60, weights=(1.0, 0.5)))
    assert weighted[3] == pytest.approx(1 / 63 + 0.5 / 61)
    assert [cid for cid, _ in fuse([bm25, dense], 2, k=1, weights=(0.0, 1.0))] == [3, 1]


def test_metrics_and_split() -> None:
    rankings = [[(1, 0.0), (2, 0.0)], [(5, 0.0), (6, 0.0), (7, 0.0)], [(9, 0.0)]]
    m = metrics(rankings, [1, 7, 3])
    assert m == {
        "recall@1": pytest.approx(1 / 3),
        "recall@5": pytest.approx(2 / 3),
        "mrr@10": pytest.approx((1 + 1 / 3) / 3),
    }
    cases, _, _ = build_cases(connect(":memory:"))
    assert cases == []


def test_evaluate_claims_on_tiny_db(conn: sqlite3.Connection, encoder: SentenceEncoder) -> None:
    upsert_claims(conn, [claim("An unrelated claim about football"), claim("Another one about the weather")])
    cases, ids, _ = build_cases(conn)
    assert len(cases) == len(TITLES) and len(ids) == len(TITLES) + 2
    tuning, held = split_cases(cases)
    assert len(tuning) == 3 and len(held) == 3 and {c.target for c in tuning + held} == set(range(1, 7))
    result = evaluate_claims(conn, encoder)
    assert set(result["results"]) == {"bm25", "dense", "hybrid"}
    assert result["results"]["dense"]["recall@5"] == 1.0
    assert result["tuning_grid"] and result["heldout"] == 3


def test_cli_search_modes(tmp_path: Path) -> None:
    db = tmp_path / "u.db"
    conn = connect(db)
    upsert_claims(conn, [claim(t, s) for t, s in zip(TITLES, SUMMARIES, strict=True)])
    conn.close()
    for mode in ("bm25", "dense", "hybrid"):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(
                ["claims", "search", "Malaysian plane MH17", "--mode", mode, "--json", "--db", str(db)]
            )
        assert code == 0, err.getvalue()
        assert json.loads(out.getvalue())[0]["title"] == TITLES[3]


def test_model_card_and_size() -> None:
    folder = default_similarity_dir()
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size <= 24_000_000
    config = json.loads((folder / "config.json").read_text())
    assert config["max_len"] == 128 and config["fidelity"]["sentences"] >= 50
    assert "Apache-2.0" in (folder / "MODEL_CARD.md").read_text()
