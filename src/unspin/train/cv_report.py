"""Cross-validation figures: build/cv/summary.json and the recipe table build/cv/recipe.md.

Every figure is nested (``cv_score.nested``): the fold it is reported on took no part in choosing its
thresholds, paragraph mix or epoch. "grid" rows fix an (epoch, mix) and still tune thresholds on the other
folds; "headline" rows also choose (epoch, mix) on the other folds. The shipped (epoch, mix) is the grid
cell with the best mean micro-F1; its thresholds are tuned later on all out-of-fold predictions pooled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from unspin.data import semeval2023 as sd
from unspin.train import cv_score
from unspin.train.common import log

KEYS = ("paragraph_micro_f1", "paragraph_macro_f1", "span_f1")


def _agg(per_fold: list[dict[str, Any]]) -> dict[str, Any]:
    """mean ± sd over folds of the headline keys, for "all" and each language."""
    out: dict[str, Any] = {}
    for lang in per_fold[0]:
        if all(lang in s for s in per_fold):
            out[lang] = {k: cv_score.mean_sd([s[lang][k] for s in per_fold]) for k in KEYS}
            out[lang]["articles"] = int(sum(s[lang]["articles"] for s in per_fold))
    return out


def _techniques(per_fold: list[dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for t in cv_score.LABELS:
        rows = [s["all"]["per_technique"][t] for s in per_fold]
        out[t] = {
            "f1": cv_score.mean_sd([r["f1"] for r in rows]),
            "support": int(sum(r["support"] for r in rows)),
            "predicted": int(sum(r["predicted"] for r in rows)),
        }
    return out


def summarize(nested: dict[str, Any]) -> dict[str, Any]:
    folds = nested["folds"]
    headline = [folds[f]["scores"] for f in folds]
    grid_names = list(next(iter(folds.values()))["grid"])
    grid = {name: _agg([folds[f]["grid"][name]["scores"] for f in folds]) for name in grid_names}
    best = max(grid_names, key=lambda n: grid[n]["all"]["paragraph_micro_f1"]["mean"])
    epoch, mix = best.split("/")
    return {
        "headline": _agg(headline),
        "per_technique": _techniques(headline),
        "chosen_per_fold": {str(f): folds[f]["chosen"] for f in folds},
        "grid": grid,
        "shipped": {
            "epoch": int(epoch.removeprefix("epoch")),
            "mix": mix,
            "cv_paragraph_micro_f1": grid[best]["all"]["paragraph_micro_f1"],
        },
        "per_fold_headline": {str(f): {k: folds[f]["scores"]["all"][k] for k in KEYS} for f in folds},
    }


def compare_en(summary: dict[str, Any], base: str, other: str) -> dict[str, Any] | None:
    """English micro-F1 of two runs on the same folds: paired per-fold difference and the decision."""
    runs = summary["runs"]
    if base not in runs or other not in runs:
        return None
    a = [runs[base]["per_fold_en"][f] for f in sorted(runs[base]["per_fold_en"])]
    b = [runs[other]["per_fold_en"][f] for f in sorted(runs[other]["per_fold_en"])]
    if len(a) != len(b):
        return None
    diff = [y - x for x, y in zip(a, b, strict=True)]
    d = cv_score.mean_sd(diff)
    keep = d["mean"] >= -max(d["sd"], 0.01)
    return {
        base: cv_score.mean_sd(a),
        other: cv_score.mean_sd(b),
        "paired_difference": d,
        "rule": f"keep one encoder ({other}) if its mean paired English difference >= -max(sd, 0.01)",
        "keep_one_encoder": bool(keep),
    }


def write(
    out: Path, runs: dict[str, tuple[list[sd.Article], dict[str, int]]], compare: tuple[str, str] | None
) -> None:
    from unspin.train.cv import load_run  # cv imports this module

    summary: dict[str, Any] = {
        "protocol": (
            "k=3 article-level folds stratified by language (seed 20230301); per fold and epoch the held-out "
            "fold is decoded by the runtime decoder; thresholds, paragraph mix and epoch are chosen on the other "
            "folds' out-of-fold predictions only (nested); mean and sample sd over the 3 folds"
        ),
        "runs": {},
    }
    for name, (articles, folds) in runs.items():
        run = load_run(name, articles, folds, out)
        if not run or not all(run[f] for f in run):
            continue
        nested = cv_score.nested(run)
        s = summarize(nested)
        s["epochs"] = sorted(next(iter(run.values())))
        s["per_fold_en"] = {
            str(f): nested["folds"][f]["scores"]["en"]["paragraph_micro_f1"]
            for f in nested["folds"]
            if "en" in nested["folds"][f]["scores"]
        }
        langs = sorted({a.lang for a in articles})
        if len(langs) > 1 and "en" in langs:
            # The same model judged on English with thresholds tuned on English alone (MiniLM's protocol).
            en_only = cv_score.nested(run, tune_langs=("en",))
            s["en_tuned_on_en"] = _agg([en_only["folds"][f]["scores"] for f in en_only["folds"]]).get("en")
        summary["runs"][name] = s
        (out / name / "nested.json").write_text(json.dumps(nested, default=_np) + "\n")
    if compare:
        summary["comparison_en"] = compare_en(summary, *compare)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=_np) + "\n")
    (out / "recipe.md").write_text(recipe(summary))
    log("summary", out=str(out / "summary.json"), runs=list(summary["runs"]))


def _np(x: Any) -> Any:
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    raise TypeError(type(x))


def _ms(d: dict[str, float] | None) -> str:
    return f"{d['mean']:.3f} ± {d['sd']:.3f}" if d else "—"


def recipe(summary: dict[str, Any]) -> str:
    lines = [
        "# Technique model: cross-validated recipe",
        "",
        summary["protocol"] + ".",
        "",
        "| encoder | training data | epoch | paragraph mix | micro-F1 all | micro-F1 en | micro-F1 ru | macro-F1 all | span F1 all |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, run in summary["runs"].items():
        langs = [lang for lang in run["headline"] if lang != "all"]
        data = "English" if langs == ["en"] else f"{len(langs)} languages"
        rows = [("chosen per fold (nested)", "nested", run["headline"])]
        rows += [(n.split("/")[0].removeprefix("epoch"), n.split("/")[1], g) for n, g in run["grid"].items()]
        for epoch, mix, g in rows:
            lines.append(
                f"| {name} | {data} | {epoch} | {mix} | {_ms(g['all']['paragraph_micro_f1'])} | "
                f"{_ms(g.get('en', {}).get('paragraph_micro_f1'))} | {_ms(g.get('ru', {}).get('paragraph_micro_f1'))} | "
                f"{_ms(g['all']['paragraph_macro_f1'])} | {_ms(g['all']['span_f1'])} |"
            )
    for name, run in summary["runs"].items():
        lines += [
            "",
            f"## {name}: per language (nested headline)",
            "",
            "| language | articles | micro-F1 | macro-F1 | span F1 |",
            "|---|---|---|---|---|",
        ]
        for lang, g in run["headline"].items():
            lines.append(
                f"| {lang} | {g['articles']} | {_ms(g['paragraph_micro_f1'])} | {_ms(g['paragraph_macro_f1'])} | {_ms(g['span_f1'])} |"
            )
        lines += [
            "",
            f"## {name}: per technique (nested headline, all languages)",
            "",
            "| technique | F1 | gold paragraphs | predicted |",
            "|---|---|---|---|",
        ]
        for t, g in sorted(run["per_technique"].items(), key=lambda kv: -kv[1]["support"]):
            lines.append(f"| {t} | {_ms(g['f1'])} | {g['support']} | {g['predicted']} |")
        lines += ["", f"Shipped: epoch {run['shipped']['epoch']}, mix `{run['shipped']['mix']}`."]
    cmp = summary.get("comparison_en")
    if cmp:
        lines += ["", "## English: one encoder or two", "", json.dumps(cmp, indent=2, default=_np)]
    return "\n".join(lines) + "\n"
