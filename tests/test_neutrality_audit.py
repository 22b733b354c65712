"""The audit's measures on hand-made readings (no model): name effect, roles that follow the text,
narratives that stay, technique rates and spans that reappear, bootstrap intervals."""

from __future__ import annotations

import numpy as np

from unspin.evaluate import neutrality_narratives as nn
from unspin.evaluate.neutrality import (
    Actor,
    DocAudit,
    Reading,
    guess_language,
    narrative_change,
    role_change,
    summarize,
    technique_change,
)
from unspin.evaluate.neutrality_stats import bootstrap, ratio
from unspin.evaluate.neutrality_swap import make_variant

TEXT = "Russia attacked. Ukraine resisted bravely."
PRAISE = "URW: Praise of Russia"
FEARS = "URW: Amplifying war-related fears"
COLLAPSE_RU = "URW: Speculating war outcomes: Russian army is collapsing"
COLLAPSE_UA = "URW: Speculating war outcomes: Ukrainian army is collapsing"


def scores(ant: float) -> dict[str, float]:
    return {"Antagonist": ant, "Protagonist": (1 - ant) / 2, "Innocent": (1 - ant) / 2}


def reading(
    ru: float | None, ua: float | None, narratives: frozenset[str] = frozenset(), spans=(), words=100
) -> Reading:  # type: ignore[no-untyped-def]
    actors = {}
    for side, p in (("russia", ru), ("ukraine", ua)):
        if p is not None:
            actors[("country", side)] = Actor("Antagonist" if p >= 0.5 else "Protagonist", scores(p))
    return Reading(words, tuple(spans), narratives, actors)


def doc(orig: Reading, copy: Reading, mode: str = "swap", text: str = TEXT) -> DocAudit:
    d = DocAudit("d", "en", orig)
    d.copies[mode] = (make_variant(text, mode), copy)  # type: ignore[arg-type]
    return d


def test_a_model_that_reads_the_name_has_a_name_effect_and_roles_that_do_not_follow() -> None:
    # Whoever is *named* Russia gets P(Antagonist) 0.9, whoever is named Ukraine 0.1, whatever the text says.
    docs = [doc(reading(0.9, 0.1), reading(0.1, 0.9)) for _ in range(5)]
    r = role_change(docs, "swap")
    assert r["name_effect"]["Antagonist"]["value"] == 0.8
    assert r["text_effect"]["Antagonist"]["value"] == 0.0
    assert r["follows_text"]["value"] == 0.0


def test_a_model_that_reads_the_text_has_no_name_effect() -> None:
    # The actor who attacks is the antagonist under either name.
    docs = [doc(reading(0.9, 0.1), reading(0.9, 0.1)) for _ in range(5)]
    r = role_change(docs, "swap")
    assert r["name_effect"]["Antagonist"]["value"] == 0.0
    assert r["text_effect"]["Antagonist"]["value"] == 0.8
    assert r["follows_text"]["value"] == 1.0
    assert r["lost"] == 0


def test_an_actor_missing_from_the_copy_counts_as_not_following() -> None:
    r = role_change([doc(reading(0.9, 0.1), reading(0.9, None))], "swap")
    assert r["actors"] == 2 and r["lost"] == 1
    assert r["follows_text"]["value"] == 0.5


def test_placebo_reports_each_real_names_effect_against_an_invented_one() -> None:
    docs = [doc(reading(0.9, 0.2), reading(0.5, 0.5), mode="placebo") for _ in range(3)]
    r = role_change(docs, "placebo")
    assert np.isclose(r["name_effect_by_side"]["russia"]["Antagonist"]["value"], 0.4)
    assert np.isclose(r["name_effect_by_side"]["ukraine"]["Antagonist"]["value"], -0.3)


def test_side_bound_narratives_must_mirror_or_vanish_and_neutral_ones_stay() -> None:
    before = frozenset({PRAISE, FEARS, COLLAPSE_RU})
    stays = doc(reading(0.5, 0.5, before), reading(0.5, 0.5, before))
    follows = doc(reading(0.5, 0.5, before), reading(0.5, 0.5, frozenset({FEARS, COLLAPSE_UA})))
    r = narrative_change([stays], "swap")
    assert r["side_bound_found"] == 2 and r["stayed"]["value"] == 1.0 and r["neutral_kept"]["value"] == 1.0
    r = narrative_change([follows], "swap")
    assert r["stayed"]["value"] == 0.0
    assert r["mirrored"]["value"] == 0.5 and r["vanished"]["value"] == 0.5
    assert r["side_bound_appeared"] == 0


def test_narrative_classes() -> None:
    assert nn.kind("URW: Discrediting Ukraine: Ukraine is associated with nazism") == "side"
    assert nn.kind("URW: Discrediting Ukraine: Other") == "side"
    assert nn.kind(FEARS) == "neutral"
    assert nn.kind("URW: Amplifying war-related fears: Russia will also attack other countries") == "side"
    assert (
        nn.kind("URW: Blaming the war on others rather than the invader: The West are the aggressors")
        == "mixed"
    )
    assert nn.kind("CC: Criticism of climate policies") == "neutral"
    assert nn.mirror(COLLAPSE_RU) == COLLAPSE_UA


def test_technique_rates_and_spans_that_reappear_through_the_alignment() -> None:
    text = "Russia is evil. Ukraine is brave."
    v = make_variant(text, "swap")  # "Ukraine is evil. Russia is brave."
    spans = (("Loaded_Language", 10, 14), ("Loaded_Language", 27, 32))  # "evil", "brave"
    a, b = v.to_variant(10, 14)
    moved = (("Loaded_Language", a, b),)
    d = DocAudit("d", "en", Reading(6, spans, frozenset(), {}))
    d.copies["swap"] = (v, Reading(6, moved, frozenset(), {}))
    r = technique_change([d], "swap")
    assert r["change"]["value"] == -0.5
    assert r["reappear"]["value"] == 0.5
    assert v.text[a:b] == "evil"


def test_bootstrap_interval_brackets_the_value_and_skips_empty_documents() -> None:
    cols = np.array([[1, 2], [0, 0], [3, 4], [2, 2]], float)
    est = bootstrap(cols, ratio())
    assert est.n == 3 and np.isclose(est.value, 6 / 8)
    assert est.low <= est.value <= est.high
    assert bootstrap(np.zeros((0, 2)), ratio()).n == 0


def test_summary_has_targets_and_languages() -> None:
    docs = [doc(reading(0.9, 0.1), reading(0.9, 0.1)) for _ in range(5)]
    out = summarize(docs)
    assert out["documents"] == 5 and out["targets"]["roles_follow_text"]["met"]
    assert out["targets"]["name_effect_antagonist"]["met"]
    assert guess_language("Россия и Украина") == "ru" and guess_language("Russia and Ukraine") == "en"


def test_a_target_met_pooled_but_missed_in_one_language_is_missed() -> None:
    good = [doc(reading(0.9, 0.1), reading(0.9, 0.1)) for _ in range(5)]
    bad = [doc(reading(0.9, 0.1), reading(0.1, 0.9)) for _ in range(5)]
    for d in bad:
        d.language = "ru"
    # Fifty English documents that follow the text outweigh five Russian ones that do not: 100 of 110
    # actors pooled (0.91, above the 0.9 target), none in Russian.
    out = summarize([*good * 10, *bad])
    row = out["targets"]["roles_follow_text"]
    assert row["value"] >= 0.9 and row["by_language"] == {"en": 1.0, "ru": 0.0}
    assert not row["met"]
