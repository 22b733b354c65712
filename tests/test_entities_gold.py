"""The entity evaluation without the model: the hand-checked lists parse, and the judge counts fragments,
unmerged aliases and over-merges as errors."""

from __future__ import annotations

from unspin.evaluate.entities_gold import GoldDoc, GoldEntity, Listed, judge, key, load_gold, precision
from unspin.evaluate.negatives import load_negatives


def test_gold_lists_cover_twenty_articles_in_two_languages() -> None:
    docs = load_gold()
    assert len(docs) == 20
    assert sum(d.language == "en" for d in docs) == 10 and sum(d.language == "ru" for d in docs) == 10
    assert all(d.entities for d in docs)
    negatives = {n.id for n in load_negatives()}
    for d in docs:
        if d.source.startswith("negatives/"):
            assert d.source.split("/", 1)[1] in negatives


def test_negatives_set_is_large_enough_and_says_why() -> None:
    items = load_negatives()
    assert len(items) >= 20 and len({i.id for i in items}) == len(items)
    assert all(i.url.startswith("http") and i.why and len(i.text) <= 2000 for i in items)


def test_key_ignores_case_article_possessive_and_dots() -> None:
    assert key("the U.S.") == key("US") == "us"
    assert key("Russia’s") == "russia"


DOC = GoldDoc(
    "x",
    "en",
    (
        GoldEntity("GPE", "United States", frozenset({"united states", "us"})),
        GoldEntity("LOC", "Russian Far East", frozenset({"russian far east", "far east"})),
        GoldEntity("GPE", "Russia", frozenset({"russia", "russian"})),
    ),
)
TEXT = "US and United States; the Russian Far East; Russia; Far"


def test_judge_counts_fragments_unmerged_aliases_and_overmerges() -> None:
    rows = judge(
        DOC,
        TEXT,
        [
            Listed("United States", ((0, 2), (7, 20))),  # right: both aliases merged
            Listed("US", ((0, 2),)),  # unmerged alias
            Listed("Far", ((52, 55),)),  # fragment
            Listed("Russia", ((44, 50), (26, 42))),  # over-merge with the Far East
        ],
    )
    assert [ok for _, ok, _ in rows] == [True, False, False, False]
    assert "unmerged" in rows[1][2] and "merges" in rows[3][2]
    p = precision([("en", rows)])
    assert p["listed"] == 4 and p["precision"] == 0.25
