"""Choose the technique model by honest cross-validation, then train and export the final model.

Usage (``make train`` runs it in the background; every stage resumes where it stopped):
    nohup nice -n 5 python -m unspin.train.cv --out build/cv > build/cv/log.txt 2>&1 &
    python -m unspin.train.cv --stages smoke               # a tiny end-to-end run, < 1 minute

Stages, in order (``--stages`` picks some):
  smoke   a tiny random BERT on six articles: the whole code path, end to end (build/cv/smoke/)
  minilm  all-MiniLM-L6-v2, English articles only: the baseline (build/cv/minilm-l6/)
  e5      multilingual-e5-small (pruned vocabulary), all six languages (build/cv/e5-small/)
  final   e5 retrained on every article for the epochs CV chose, thresholds and paragraph mix tuned on
          all out-of-fold predictions pooled, exported to build/model-e5/

Folds: k=3, article level, stratified by language (each language's sorted ids shuffled with SEED, dealt
round-robin), so MiniLM's English folds are the English part of e5's folds. Each fold trains on the
other folds for ``--epochs`` epochs and writes, after every epoch, a checkpoint and the out-of-fold
predictions (``oof``). ``cv_score`` makes every choice on them (nested for the reported figures);
``cv_report`` writes build/cv/summary.json and build/cv/recipe.md after every stage.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import torch

from unspin.data import semeval2023 as sd
from unspin.train import cv_report, cv_score, encoders, oof, tagger_fit
from unspin.train.common import log

SEED = 20230301
K_FOLDS = 3
STAGES = ("smoke", "minilm", "e5", "final")


def assign_folds(articles: list[sd.Article], k: int = K_FOLDS, seed: int = SEED) -> dict[str, int]:
    """Article key -> fold, stratified by language; stable for a given seed and article set."""
    out: dict[str, int] = {}
    for lang in sorted({a.lang for a in articles}):
        keys = sorted(a.key for a in articles if a.lang == lang)
        random.Random(f"{seed}/{lang}").shuffle(keys)
        out.update({key: i % k for i, key in enumerate(keys)})
    return out


def run_cv(
    name: str,
    spec: encoders.EncoderSpec,
    articles: list[sd.Article],
    folds: dict[str, int],
    out: Path,
    cfg: tagger_fit.FitConfig,
) -> None:
    """Train and dump every fold; folds and epochs already on disk are skipped."""
    todo = [
        f
        for f in sorted(set(folds.values()))
        if not all((out / name / f"fold{f}" / f"epoch{e}.npz").exists() for e in range(1, cfg.epochs + 1))
    ]
    if not todo:
        log("skip", run=name, reason="every fold and epoch on disk")
        return
    run = tagger_fit.prepare(spec, articles, cfg, out / name)
    for f in todo:
        fold_dir = out / name / f"fold{f}"
        train = [a.key for a in articles if folds[a.key] != f]
        held = [a for a in articles if folds[a.key] == f]

        def dump_path(epoch: int, fold_dir: Path = fold_dir) -> Path:
            return fold_dir / f"epoch{epoch}.npz"

        def on_epoch(
            epoch: int, model: Any, held: list[sd.Article] = held, fold_dir: Path = fold_dir, f: int = f
        ) -> None:
            t0 = time.time()
            torch.save(tagger_fit.trainable_state(model), fold_dir / f"epoch{epoch}.pt")
            oof.dump(
                lambda art: tagger_fit.predict(model, run, art),
                model.export_paragraph_head(),
                held,
                dump_path(epoch, fold_dir),
            )
            log(
                "oof",
                run=name,
                fold=f,
                epoch=epoch,
                articles=len(held),
                minutes=round((time.time() - t0) / 60, 1),
            )

        log("fold", run=name, fold=f, train=len(train), held=len(held))
        tagger_fit.fit(run, train, fold_dir, cfg, on_epoch, lambda e, d=dump_path: d(e).exists())


def load_run(name: str, articles: list[sd.Article], folds: dict[str, int], out: Path) -> dict[int, Any]:
    """``{fold: {epoch: [Cached]}}`` from the dumps on disk (epochs with a dump in every fold)."""
    by_key = {a.key: a for a in articles}
    result: dict[int, Any] = {}
    for f in sorted(set(folds.values())):
        fold_dir = out / name / f"fold{f}"
        result[f] = {}
        for path in sorted(fold_dir.glob("epoch*.npz")):
            if ".tmp" in path.name:
                continue
            records = oof.load(path)
            arts = [by_key[k] for k in records if k in by_key]
            result[f][int(path.stem.removeprefix("epoch"))] = cv_score.cache(arts, records)
    common = set.intersection(*(set(v) for v in result.values())) if result else set()
    return {f: {e: v for e, v in eps.items() if e in common} for f, eps in result.items()}


def final(
    name: str,
    spec: encoders.EncoderSpec,
    articles: list[sd.Article],
    folds: dict[str, int],
    out: Path,
    cfg: tagger_fit.FitConfig,
    export_dir: Path,
    weights: str,
) -> None:
    """Retrain on every article for the epochs CV chose (same schedule), tune the decoder on all
    out-of-fold predictions pooled, write a self-contained checkpoint folder, export it."""
    summary = json.loads((out / "summary.json").read_text())
    choice = summary["runs"][name]["shipped"]
    epoch, mix = int(choice["epoch"]), choice["mix"]
    run = load_run(name, articles, folds, out)
    pooled = [c for f in run for c in run[f][epoch]]
    decoder = cv_score.tune(pooled, cv_score.clause_labels(articles), (mix,))
    final_dir = out / f"final-{name}"
    if not (final_dir / "model.pt").exists():
        data = tagger_fit.prepare(spec, articles, cfg, out / name)
        model = tagger_fit.fit(data, [a.key for a in articles], final_dir, replace(cfg, stop_after=epoch))
        model.encoder.config.save_pretrained(str(final_dir / "encoder"))
        shutil.copy(spec.tokenizer, final_dir / "tokenizer.json")
        torch.save(model.state_dict(), final_dir / "model.pt.tmp")
        (final_dir / "model.pt.tmp").rename(final_dir / "model.pt")
    metrics = {
        "mix": mix,
        "epoch": epoch,
        "thresholds": dict(zip(cv_score.LABELS, decoder.thresholds.tolist(), strict=True)),
        "span_thresholds": dict(zip(cv_score.LABELS, decoder.span_thresholds.tolist(), strict=True)),
        "cv": choice,
        "config": {
            "encoder": spec.name,
            "languages": sorted({a.lang for a in articles}),
            "train_articles": len(articles),
            "max_len": 256,
            "train_stride": cfg.stride,
            "infer_stride": 192,
            **{k: v for k, v in asdict(cfg).items() if k not in ("stop_after", "stride")},
            "stop_after": epoch,
        },
    }
    (final_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    from unspin.train import export

    export.main(["--checkpoint", str(final_dir), "--out", str(export_dir), "--weights", weights])
    log("final", run=name, epoch=epoch, mix=mix, out=str(export_dir))


def smoke_articles() -> list[sd.Article]:
    """Three English and three Russian articles, cut to their first 12 lines (small and fast)."""
    arts = sd.load_articles(lang="en")[:3] + sd.load_articles(lang="ru")[:3]
    out = []
    for a in arts:
        cut = sum(len(line) + 1 for line in a.text.split("\n")[:12])
        spans = [s for s in a.spans if s.end <= cut]
        labels = {n: t for n, t in a.paragraph_labels.items() if n <= 12}
        out.append(sd.Article(a.id, a.text[:cut], spans, labels, a.lang))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("build/cv"))
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--e5", type=Path, default=Path("build/e5-pruned"), help="converted, pruned e5 folder")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--train-layers", type=int, default=2, help="top encoder layers that train (see cached)")
    ap.add_argument("--export", type=Path, default=Path("build/model-e5"))
    ap.add_argument("--weights", default="int8-int4emb", help="export weights (see train.export)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        ap.error(f"unknown stages {sorted(unknown)}; choose from {STAGES}")
    args.out.mkdir(parents=True, exist_ok=True)
    cfg = tagger_fit.FitConfig(epochs=args.epochs, train_layers=args.train_layers)

    if "smoke" in stages:
        smoke_out = args.out / "smoke"
        arts = smoke_articles()
        folds = assign_folds(arts)
        small = tagger_fit.FitConfig(epochs=2, train_layers=1, batch=4, max_steps=2, head_lr=1e-2)
        run_cv("tiny", encoders.tiny(), arts, folds, smoke_out, small)
        cv_report.write(smoke_out, {"tiny": (arts, folds)}, compare=None)
        final("tiny", encoders.tiny(), arts, folds, smoke_out, small, smoke_out / "model", args.weights)
        log("smoke", ok=True, out=str(smoke_out))
        if stages == ["smoke"]:
            return 0

    everything = sd.load_all()
    folds = assign_folds(everything)
    english = [a for a in everything if a.lang == "en"]
    runs: dict[str, Any] = {}
    if "minilm" in stages or (args.out / "minilm-l6").exists():
        runs["minilm-l6"] = (english, folds)
    if "e5" in stages or (args.out / "e5-small").exists():
        runs["e5-small"] = (everything, folds)
    if "minilm" in stages:
        run_cv("minilm-l6", encoders.minilm(), english, folds, args.out, cfg)
        cv_report.write(args.out, runs, compare=("minilm-l6", "e5-small"))
    if "e5" in stages:
        run_cv("e5-small", encoders.e5(args.e5), everything, folds, args.out, cfg)
        cv_report.write(args.out, runs, compare=("minilm-l6", "e5-small"))
    if "final" in stages:
        final("e5-small", encoders.e5(args.e5), everything, folds, args.out, cfg, args.export, args.weights)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
