"""Entity-role decoding: RoleCall.fine_roles, RoleScorer over layers the test controls, mention features,
and the nearest-sentence rule of ``Document.segment_at``."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.document import Document, Segment
from unspin.encoder.encoded import Encoded
from unspin.errors import ModelError
from unspin.heads.base import Linear
from unspin.heads.roles import FRAMED, RoleCall, RoleScorer, mention_features
from unspin.taxonomy.roles import FINE_ROLE_ORDER, FINE_ROLES, MAIN_ROLES

# Feature layout fed to the head: [framed logit | 3 main-role logits | 22 fine-role logits].
N_FINE = len(FINE_ROLE_ORDER)
WIDTH = 1 + len(MAIN_ROLES) + N_FINE


def selector(cols: range) -> np.ndarray:
    w = np.zeros((WIDTH, len(cols)), np.float32)
    w[list(cols), range(len(cols))] = 1.0
    return w


def make_head(
    framed_threshold: float | None = 0.4,
    fine_thresholds: np.ndarray | None = None,
    main_order: tuple[str, ...] = MAIN_ROLES,
) -> RoleScorer:
    framed = Linear(
        (FRAMED,),
        selector(range(0, 1)),
        np.zeros(1, np.float32),
        "sigmoid",
        thresholds=None if framed_threshold is None else np.array([framed_threshold], np.float32),
    )
    main_cols = range(1, 1 + len(MAIN_ROLES))
    w_main = selector(main_cols)[:, [MAIN_ROLES.index(r) for r in main_order]]
    role = Linear(main_order, w_main, np.zeros(3, np.float32), "softmax")
    fine = Linear(
        FINE_ROLE_ORDER,
        selector(range(4, WIDTH)),
        np.zeros(N_FINE, np.float32),
        "sigmoid",
        thresholds=fine_thresholds,
    )
    return RoleScorer(framed, role, fine)


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def features(framed: float, main: dict[str, float], fine: dict[str, float]) -> np.ndarray:
    x = np.full(WIDTH, logit(0.01), np.float32)
    x[0] = logit(framed)
    for r, z in main.items():
        x[1 + MAIN_ROLES.index(r)] = z
    for r, p in fine.items():
        x[4 + FINE_ROLE_ORDER.index(r)] = logit(p)
    return x


# --- RoleCall.fine_roles --------------------------------------------------------------------------

CALL = RoleCall(
    0.9,
    {"Protagonist": 0.6, "Antagonist": 0.3, "Innocent": 0.1},
    {"Guardian": 0.7, "Peacemaker": 0.8, "Virtuous": 0.2, "Tyrant": 0.95, "Victim": 0.3, "Forgotten": 0.1},
)


def test_fine_roles_of_the_main_role_above_threshold_best_first() -> None:
    assert CALL.fine_roles("Protagonist", {}) == [("Peacemaker", 0.8), ("Guardian", 0.7)]


def test_fine_roles_respect_per_role_thresholds() -> None:
    assert CALL.fine_roles("Protagonist", {"Peacemaker": 0.85, "Virtuous": 0.1}) == [
        ("Guardian", 0.7),
        ("Virtuous", 0.2),
    ]


def test_fine_roles_fall_back_to_the_single_best_of_the_main_role() -> None:
    # Tyrant (Antagonist) is the best overall, yet only Innocent roles may answer for Innocent.
    assert CALL.fine_roles("Innocent", {}) == [("Victim", 0.3)]


def test_fine_roles_of_a_main_role_without_scores_is_empty() -> None:
    assert CALL.fine_roles("Bystander", {}) == []


def test_main_role_is_the_argmax() -> None:
    assert CALL.main_role == "Protagonist"


# --- RoleHead ---------------------------------------------------------------------------------------


def test_head_calls_follow_the_probes() -> None:
    h = make_head()
    x = np.stack(
        [
            features(0.9, {"Antagonist": 3.0}, {"Tyrant": 0.8, "Deceiver": 0.6}),
            features(0.35, {"Innocent": 2.0, "Protagonist": 1.5}, {"Victim": 0.9}),
            features(0.45, {"Protagonist": 0.5}, {}),
        ]
    )
    calls = h(x)
    assert len(calls) == 3
    assert [c.main_role for c in calls] == ["Antagonist", "Innocent", "Protagonist"]
    assert [h.is_framed(c) for c in calls] == [True, False, True]  # framed threshold 0.4
    for c in calls:
        assert set(c.main_scores) == set(MAIN_ROLES) and sum(c.main_scores.values()) == pytest.approx(
            1.0, abs=1e-5
        )
        assert tuple(c.fine_scores) == FINE_ROLE_ORDER
    assert calls[0].framed == pytest.approx(0.9, abs=1e-5)
    fine = calls[0].fine_roles("Antagonist", h.fine_thresholds)
    assert [(r, round(p, 4)) for r, p in fine] == [("Tyrant", 0.8), ("Deceiver", 0.6)]
    (only,) = calls[1].fine_roles("Innocent", h.fine_thresholds)
    assert only[0] == "Victim"


def test_head_maps_scores_by_label_whatever_the_probe_order() -> None:
    h = make_head(main_order=("Innocent", "Antagonist", "Protagonist"))
    (c,) = h(features(0.9, {"Antagonist": 4.0}, {})[None])
    assert c.main_role == "Antagonist"
    assert c.main_scores["Antagonist"] > 0.9


def test_head_thresholds_default_to_a_half() -> None:
    h = make_head(framed_threshold=None)
    assert h.framed_threshold == 0.5 and set(h.fine_thresholds.values()) == {0.5}
    (c,) = h(features(0.45, {}, {})[None])
    assert not h.is_framed(c)


def test_head_fine_thresholds_come_from_the_fine_probe() -> None:
    t = np.full(N_FINE, 0.5, np.float32)
    t[FINE_ROLE_ORDER.index("Guardian")] = 0.9
    h = make_head(fine_thresholds=t)
    assert h.fine_thresholds["Guardian"] == pytest.approx(0.9)
    (c,) = h(features(0.9, {"Protagonist": 2.0}, {"Guardian": 0.85, "Underdog": 0.6})[None])
    assert [r for r, _ in c.fine_roles("Protagonist", h.fine_thresholds)] == ["Underdog"]


def test_head_of_no_mentions() -> None:
    assert make_head()(np.zeros((0, WIDTH), np.float32)) == []


def test_head_rejects_a_role_probe_without_the_main_roles() -> None:
    h = make_head()
    bad = Linear(("Hero", "Villain", "Victim"), h.role.weight, h.role.bias, "softmax")
    with pytest.raises(ModelError):
        RoleScorer(h.framed_probe, bad, h.fine)


def test_fine_role_order_covers_the_taxonomy() -> None:
    assert set(FINE_ROLE_ORDER) == set(FINE_ROLES) and N_FINE == 22


def test_mention_features_concatenate_mention_and_sentence() -> None:
    text = "Abc defg hij kl."  # one sentence, four tokens
    hidden = np.arange(8, dtype=np.float32).reshape(4, 2)
    enc = Encoded(
        Document.from_text(text), np.array([(0, 3), (4, 8), (9, 12), (13, 15)]), np.zeros((4, 0)), hidden
    )
    f = mention_features(enc, [(4, 8)])
    assert f.tolist() == [[2.0, 3.0, 3.0, 4.0]]


# --- the sentence of an offset, nearest before when between sentences -----------------------------------

SENTENCES = (Segment(5, 10), Segment(11, 20), Segment(25, 30))


@pytest.mark.parametrize(
    ("start", "index"),
    [(5, 0), (9, 0), (10, 0), (11, 1), (19, 1), (22, 1), (25, 2), (29, 2), (40, 2), (0, 0)],
)
def test_sentence_at_nearest(start: int, index: int) -> None:
    doc = Document("x" * 40, sentences=SENTENCES)
    assert doc.segment_at(start, "sentence", nearest=True) == index


@pytest.mark.parametrize(("start", "index"), [(5, 0), (10, None), (11, 1), (22, None), (0, None), (29, 2)])
def test_sentence_at_exact(start: int, index: int | None) -> None:
    assert Document("x" * 40, sentences=SENTENCES).segment_at(start) == index


def test_sentence_at_no_sentences() -> None:
    assert Document("").segment_at(7, nearest=True) is None


def _word_encoded(text: str, seed: int = 0) -> Encoded:
    """One token per word, random states: enough to test what each feature kind reads."""
    import re

    offsets = np.array([(m.start(), m.end()) for m in re.finditer(r"\S+", text)], np.int64)
    hidden = np.random.default_rng(seed).normal(size=(len(offsets), 6)).astype(np.float32)
    return Encoded(Document.from_text(text), offsets, np.zeros((len(offsets), 0), np.float32), hidden)


def test_context_features_do_not_read_the_name() -> None:
    from unspin.heads.roles import context_features, role_features

    text = "First sentence here. The soldiers of Russia shelled the town at night. Last one."
    enc = _word_encoded(text)
    start = text.index("Russia")
    mention = [(start, start + len("Russia"))]
    name_token = int(np.flatnonzero(enc.offsets[:, 0] == start)[0])
    before_ctx, before_ms = context_features(enc, mention), role_features(enc, mention, "mention_sentence")
    enc.hidden[name_token] += 5.0  # another name's states, the context unchanged  # type: ignore[index]
    assert np.allclose(context_features(enc, mention), before_ctx, atol=1e-5)
    assert not np.allclose(role_features(enc, mention, "mention_sentence"), before_ms)
    # The sentence part is the mean of the sentence's other tokens; the window part of the 8 either side.
    sent = enc.doc.sentences[1]
    in_sent = [
        t for t in range(len(enc.offsets)) if sent.start <= enc.offsets[t, 0] < sent.end and t != name_token
    ]
    assert np.allclose(before_ctx[0, :6], enc.hidden[in_sent].mean(0), atol=1e-5)  # type: ignore[index]
    window = [
        t for t in range(max(0, name_token - 8), min(len(enc.offsets), name_token + 9)) if t != name_token
    ]
    assert np.allclose(before_ctx[0, 6:], enc.hidden[window].mean(0), atol=1e-5)  # type: ignore[index]
    with pytest.raises(ModelError):
        role_features(enc, mention, "names")
