"""``unspin evaluate neutrality``: does the model read the text or the names?

Each war text is analyzed three times: as written, with the two sides' names swapped (Russia <-> Ukraine,
their demonyms, capitals, seats of power, leaders and institutions, in English and Russian), and with
invented names for both sides (the placebo: what any change of names costs). The report compares the copies
with the original, with 95% bootstrap intervals over documents:

- techniques: spans per 1,000 words (total and per technique) and the share of the original's spans that
  reappear at the same place in the copy (same technique, overlapping the span's image);
- roles: whether each country's role follows the text (the role the original gives Russia is the role the
  swap gives the actor now named Ukraine, who plays Russia's part), and the *name effect* on each role's
  probability: P(role | the actor is named Russia) - P(role | the same actor, same text, named Ukraine),
  averaged over actors (``Entity.role_scores``); the *text effect* (what the text says about Russia versus
  Ukraine, names held fixed) beside it for scale. The placebo gives each real name's effect against an
  invented one;
- narratives: whether a narrative about one side mirrors or vanishes in the swap, as it should, or stays.

The model is called through ``Analyzer.analyze`` only; each copy is analyzed as a document of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from unspin.analysis import Analysis
from unspin.evaluate import neutrality_lexicon as lx
from unspin.evaluate import neutrality_narratives as nn
from unspin.evaluate.neutrality_stats import Estimate, bootstrap, rate_change, ratio
from unspin.evaluate.neutrality_swap import Mode, Variant, make_variant

ROLES = ("Protagonist", "Antagonist", "Innocent")
GROUPS: dict[str, frozenset[str]] = {"country": lx.COUNTRY_KINDS, "leader": lx.LEADER_KINDS}
# The targets for the swap (the new heads must meet them; today's model does not).
TARGETS = {"name_effect_antagonist": 0.05, "roles_follow_text": 0.90, "technique_change": 0.05}
_WORD = re.compile(r"\w+")
MIN_DOCS_PER_LANGUAGE = 5


@dataclass(frozen=True)
class Actor:
    role: str | None
    scores: dict[str, float]


@dataclass(frozen=True)
class Reading:
    """What the model said about one copy of one document, in that copy's offsets."""

    words: int
    spans: tuple[tuple[str, int, int], ...]
    narratives: frozenset[str]
    actors: dict[tuple[str, str], Actor]  # (group, side the text speaks of) -> the entity playing it


@dataclass
class DocAudit:
    id: str
    language: str | None
    original: Reading
    copies: dict[str, tuple[Variant, Reading]] = field(default_factory=dict)


def read(analysis: Analysis, variant: Variant) -> Reading:
    """The analysis of ``variant.text`` reduced to what the audit compares."""
    actors: dict[tuple[str, str], Actor] = {}
    for group, kinds in GROUPS.items():
        for side in lx.SIDES:
            segs = [(s.new_start, s.new_end) for s in variant.segments if s.side == side and s.kind in kinds]
            best, hits = None, 0
            for e in analysis.entities:
                n = sum(1 for m in e.mentions for a, b in segs if m.start < b and a < m.end)
                if n > hits:
                    best, hits = e, n
            if best is not None:
                actors[(group, side)] = Actor(best.main_role, dict(best.role_scores))
    labels = {n.label for n in analysis.narratives} | {
        s.label for n in analysis.narratives for s in n.subnarratives
    }
    return Reading(
        words=len(_WORD.findall(analysis.text)),
        spans=tuple((s.technique, s.start, s.end) for s in analysis.spans),
        narratives=frozenset(labels),
        actors=actors,
    )


def audit_document(
    analyze: Callable[[str], Analysis], doc_id: str, text: str, modes: Sequence[Mode] = ("swap", "placebo")
) -> DocAudit | None:
    """Analyze the original and its copies; None when the text names neither side (nothing to swap)."""
    original = make_variant(text, "original")
    if not any(s.kind in lx.COUNTRY_KINDS for s in original.segments):
        return None
    base = analyze(text)
    out = DocAudit(doc_id, base.language or guess_language(text), read(base, original))
    for mode in modes:
        v = make_variant(text, mode)
        out.copies[mode] = (v, read(analyze(v.text), v))
    return out


def guess_language(text: str) -> str:
    """ "ru" when Cyrillic letters outnumber Latin ones, else "en" (the two languages the names cover)."""
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "ru" if cyrillic > latin else "en"


# --- techniques ---------------------------------------------------------------------------------------


def _reappeared(doc: DocAudit, mode: str) -> tuple[int, int]:
    variant, reading = doc.copies[mode]
    hits = 0
    for tech, s, e in doc.original.spans:
        a, b = variant.to_variant(s, e)
        hits += any(t == tech and s2 < b and a < e2 for t, s2, e2 in reading.spans)
    return hits, len(doc.original.spans)


def technique_change(docs: Sequence[DocAudit], mode: str) -> dict[str, Any]:
    per_doc = [
        (Counter(t for t, *_ in d.original.spans), Counter(t for t, *_ in d.copies[mode][1].spans))
        for d in docs
    ]
    words = np.array([[d.original.words, d.copies[mode][1].words] for d in docs], np.float64)

    def rates(tech: str | None) -> tuple[Estimate, float, float]:
        counts = np.array(
            [[sum(o.values()), sum(c.values())] if tech is None else [o[tech], c[tech]] for o, c in per_doc],
            np.float64,
        )
        cols = np.stack([counts[:, 0], words[:, 0], counts[:, 1], words[:, 1]], axis=1)
        est = bootstrap(cols, rate_change())
        w = words.sum(axis=0)
        return est, 1000 * counts[:, 0].sum() / w[0], 1000 * counts[:, 1].sum() / w[1]

    total, r0, r1 = rates(None)
    techniques = sorted({t for o, c in per_doc for t in (*o, *c)})
    per = {}
    for t in techniques:
        est, a, b = rates(t)
        per[t] = {"original_per_1000": round(a, 3), "copy_per_1000": round(b, 3), "change": est.as_dict()}
    reapp = np.array([_reappeared(d, mode) for d in docs], np.float64)
    return {
        "original_per_1000": round(r0, 3),
        "copy_per_1000": round(r1, 3),
        "change": total.as_dict(),
        "reappear": bootstrap(reapp, ratio()).as_dict(),
        "spans_original": int(sum(sum(o.values()) for o, _ in per_doc)),
        "per_technique": per,
    }


# --- roles --------------------------------------------------------------------------------------------


def _named_russia_minus_ukraine(side: str, orig: Actor, copy: Actor, role: str) -> float:
    """In a swap the original names the actor by its own side, the copy by the other's."""
    d = orig.scores.get(role, 0.0) - copy.scores.get(role, 0.0)
    return d if side == lx.RU else -d


def role_change(docs: Sequence[DocAudit], mode: str, group: str = "country") -> dict[str, Any]:
    follow = np.zeros((len(docs), 2))
    lost = 0
    effect = {r: np.zeros((len(docs), 2)) for r in ROLES}
    absolute = {r: np.zeros((len(docs), 2)) for r in ROLES}
    per_side = {side: {r: np.zeros((len(docs), 2)) for r in ROLES} for side in lx.SIDES}
    text_effect = {r: np.zeros((len(docs), 2)) for r in ROLES}
    for i, d in enumerate(docs):
        copy = d.copies[mode][1].actors
        for side in lx.SIDES:
            a, b = d.original.actors.get((group, side)), copy.get((group, side))
            if a is None and b is None:
                continue
            follow[i, 1] += 1
            if a is None or b is None:
                lost += 1
                continue
            follow[i, 0] += a.role == b.role
            if not (a.scores and b.scores):
                continue
            for r in ROLES:
                delta = a.scores.get(r, 0.0) - b.scores.get(r, 0.0)
                absolute[r][i] += (abs(delta), 1)
                per_side[side][r][i] += (delta, 1)
                if mode == "swap":
                    effect[r][i] += (_named_russia_minus_ukraine(side, a, b, r), 1)
        if mode == "swap":
            ru, ua = (d.original.actors.get((group, s)) for s in lx.SIDES)
            ru_c, ua_c = (copy.get((group, s)) for s in lx.SIDES)
            if ru and ua and ru_c and ua_c and all(x.scores for x in (ru, ua, ru_c, ua_c)):
                for r in ROLES:
                    # Russia's text minus Ukraine's text, under each naming, averaged.
                    te = ((ru.scores[r] - ua_c.scores[r]) + (ru_c.scores[r] - ua.scores[r])) / 2
                    text_effect[r][i] += (te, 1)
    out: dict[str, Any] = {
        "actors": int(follow[:, 1].sum()),
        "follows_text": bootstrap(follow, ratio()).as_dict(),
        "lost": lost,
        "mean_abs_change": {r: bootstrap(absolute[r], ratio()).as_dict() for r in ROLES},
    }
    if mode == "swap":
        out["name_effect"] = {r: bootstrap(effect[r], ratio()).as_dict() for r in ROLES}
        out["text_effect"] = {r: bootstrap(text_effect[r], ratio()).as_dict() for r in ROLES}
    else:
        # Each real name against an invented one, on the same text: P(role | real) - P(role | invented).
        out["name_effect_by_side"] = {
            side: {r: bootstrap(per_side[side][r], ratio()).as_dict() for r in ROLES} for side in lx.SIDES
        }
    return out


# --- narratives ---------------------------------------------------------------------------------------


def narrative_change(docs: Sequence[DocAudit], mode: str) -> dict[str, Any]:
    # columns: side found, stayed, mirrored, vanished, neutral found, kept, mixed found, side appeared
    cols = np.zeros((len(docs), 8))
    for i, d in enumerate(docs):
        before, after = d.original.narratives, d.copies[mode][1].narratives
        expected: set[str] = set()
        for label in before:
            k = nn.kind(label)
            if k == "side":
                m = nn.mirror(label)
                stayed, mirrored = label in after, m is not None and m in after
                cols[i, :4] += (1, stayed, mirrored and not stayed, not (stayed or mirrored))
                if m:
                    expected.add(m)
            elif k == "neutral":
                cols[i, 4:6] += (1, label in after)
            else:
                cols[i, 6] += 1
        cols[i, 7] = sum(1 for label in after - before - expected if nn.kind(label) == "side")
    found = int(cols[:, 0].sum())
    return {
        "side_bound_found": found,
        "stayed": bootstrap(cols[:, [1, 0]], ratio()).as_dict(),
        "mirrored": bootstrap(cols[:, [2, 0]], ratio()).as_dict(),
        "vanished": bootstrap(cols[:, [3, 0]], ratio()).as_dict(),
        "neutral_found": int(cols[:, 4].sum()),
        "neutral_kept": bootstrap(cols[:, [5, 4]], ratio()).as_dict(),
        "mixed_found": int(cols[:, 6].sum()),
        "side_bound_appeared": int(cols[:, 7].sum()),
    }


# --- the audit ----------------------------------------------------------------------------------------


def summarize(docs: Sequence[DocAudit], skipped: int = 0, by_language: bool = True) -> dict[str, Any]:
    """The report; with ``by_language`` the same figures again for each language with enough documents
    (the pooled figures mix languages the model reads very differently)."""
    modes = sorted({m for d in docs for m in d.copies}, key=["swap", "placebo"].index)
    out: dict[str, Any] = {
        "documents": len(docs),
        "skipped_without_names": skipped,
        "languages": dict(Counter(d.language or "?" for d in docs)),
    }
    for mode in modes:
        out[mode] = {
            "techniques": technique_change(docs, mode),
            "roles": {g: role_change(docs, mode, g) for g in GROUPS},
            "narratives": narrative_change(docs, mode),
        }
    if "swap" in out:
        out["targets"] = targets(out["swap"])
    languages = sorted({d.language for d in docs if d.language})
    if by_language and len(languages) > 1:
        out["by_language"] = {
            lang: summarize([d for d in docs if d.language == lang], by_language=False)
            for lang in languages
            if sum(d.language == lang for d in docs) >= MIN_DOCS_PER_LANGUAGE
        }
        if "targets" in out:
            # Pooled figures can hide a language: a target is met only if it is met in every language
            # where it can be measured (a model that finds no spans in a language cannot be measured there).
            for key, row in out["targets"].items():
                per = {lang: x["targets"][key] for lang, x in out["by_language"].items() if "targets" in x}
                row["by_language"] = {lang: t["value"] for lang, t in per.items()}
                row["met"] = row["met"] and all(t["met"] for t in per.values() if t["value"] is not None)
    return out


def targets(swap: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The issue's thresholds on the swap, each with the measured value and whether it is met (an
    undefined value, e.g. no actor found at all, is not met)."""
    t = TARGETS
    rows = {
        "name_effect_antagonist": (swap["roles"]["country"]["name_effect"]["Antagonist"]["value"], "abs"),
        "roles_follow_text": (swap["roles"]["country"]["follows_text"]["value"], "min"),
        "technique_change": (swap["techniques"]["change"]["value"], "abs"),
    }
    out = {}
    for key, (value, how) in rows.items():
        limit = t[key]
        met = value is not None and (abs(value) <= limit if how == "abs" else value >= limit)
        out[key] = {
            "value": value,
            "target": f"|x| <= {limit}" if how == "abs" else f">= {limit}",
            "met": met,
        }
    return out


def run_audit(
    analyze: Callable[[str], Analysis],
    texts: Iterable[tuple[str, str]],
    modes: Sequence[Mode] = ("swap", "placebo"),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    docs, skipped = [], 0
    for doc_id, text in texts:
        d = audit_document(analyze, doc_id, text, modes)
        if d is None:
            skipped += 1
        else:
            docs.append(d)
        if progress:
            progress(doc_id)
    return summarize(docs, skipped)
