"""``unspin evaluate semeval2023``: the runtime model (not the training checkpoint) on a labelled split."""

from __future__ import annotations

import argparse
import json
import sys

from unspin.data import semeval2023 as sd
from unspin.data import semeval2025 as s25
from unspin.errors import BadInput
from unspin.evaluate.semeval2023 import runtime_predict, score


def run_evaluate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from unspin.analyzer import Analyzer

    if args.task == "checkworthy":
        from unspin.evaluate.checkworthy import run_evaluate_checkworthy

        return run_evaluate_checkworthy(args.json)
    if args.task == "claims":
        from unspin.evaluate.claims import run_evaluate_claims

        return run_evaluate_claims(args.json)
    if args.task == "neutrality":
        from unspin.evaluate.neutrality_report import run_neutrality

        return run_neutrality(args)
    if args.task == "narratives-negatives":
        from unspin.evaluate.negatives import run_negatives

        return run_negatives(args)
    if args.task == "entities":
        from unspin.evaluate.entities_gold import run_entities

        return run_entities(args)
    if args.task != "semeval2023":
        return run_articles(args)

    data = args.data or sd.language_dir(args.lang)
    if not (data / "train-articles-subtask-3").is_dir():
        raise BadInput(f"No SemEval-2023 articles under {data}: pass --data LANG_DIR of the release.")
    articles = sd.load_articles(data)
    train, held = sd.split(articles)
    chosen = {"heldout": held, "train": train, "all": articles}[args.split]
    analyzer = Analyzer()
    head = analyzer.techniques
    metrics = score(chosen, runtime_predict(analyzer), list(head.labels), None if args.tune else head)
    metrics["split"] = args.split
    metrics["language"] = args.lang if args.data is None else sd.folder_language(data)
    metrics["model_version"] = analyzer.config.version
    if args.json:
        sys.stdout.write(json.dumps(metrics, indent=2) + "\n")
        return 0
    console = Console()
    console.print(
        f"[bold]SemEval-2023 Task 3 (techniques), {metrics['language']}, split {args.split}[/]: {metrics['n_articles']} articles, "
        f"{metrics['n_paragraphs']} paragraphs, model {analyzer.config.name} {analyzer.config.version}"
    )
    console.print(
        f"paragraph micro-F1 [bold]{metrics['paragraph_micro_f1']:.3f}[/] "
        f"(P {metrics['paragraph_micro_precision']:.3f} R {metrics['paragraph_micro_recall']:.3f}) · "
        f"macro-F1 {metrics['paragraph_macro_f1']:.3f} · span F1 {metrics['span_f1']:.3f} "
        f"(P {metrics['span_precision']:.3f} R {metrics['span_recall']:.3f})"
    )
    table = Table("technique", "support", "P", "R", "F1", "threshold")
    for t, m in sorted(metrics["per_technique"].items(), key=lambda kv: -kv[1]["support"]):
        table.add_row(
            t,
            str(m["support"]),
            f"{m['precision']:.2f}",
            f"{m['recall']:.2f}",
            f"{m['f1']:.2f}",
            f"{metrics['thresholds'][t]:.3f}",
        )
    console.print(table)
    return 0


def run_articles(args: argparse.Namespace) -> int:
    """``semeval2025`` (narratives, roles, entity detection) and ``semeval2023-genre|frames``."""
    from rich.console import Console

    from unspin.analyzer import Analyzer
    from unspin.evaluate.articles import evaluate_semeval2023_articles, evaluate_semeval2025

    analyzer = Analyzer()
    if args.task == "semeval2025":
        metrics = evaluate_semeval2025(analyzer, args.split, args.data or s25.lang_dir(args.lang.upper()))
    else:
        data = args.data or sd.language_dir(args.lang)
        metrics = evaluate_semeval2023_articles(analyzer, args.task, args.split, data)
    metrics["language"] = args.lang if args.data is None else str(args.data.name)
    metrics["model_version"] = analyzer.config.version
    if args.json:
        sys.stdout.write(json.dumps(metrics, indent=2) + "\n")
        return 0
    console = Console()
    head = f"[bold]{args.task}[/], {metrics['language']}, split {args.split}, model {analyzer.config.name} {analyzer.config.version}"
    console.print(head)
    if args.task == "semeval2025":
        n, r, d = metrics["narratives"], metrics["roles"], metrics["entity_detection_recall"]
        console.print(
            f"narratives ({n['documents']:.0f} documents, {n['documents_real']:.0f} with a real narrative): "
            f"samples-F1 coarse [bold]{n['coarse_f1']:.3f}[/] fine [bold]{n['fine_f1']:.3f}[/] · "
            f"real-narrative documents coarse {n['coarse_f1_real']:.3f} fine {n['fine_f1_real']:.3f}"
        )
        console.print(
            f"roles on {r['mentions']:.0f} gold mentions: main-role accuracy [bold]{r['main_role_accuracy']:.3f}[/] "
            f"(majority {r['majority_main_role_accuracy']:.3f}) · fine-role exact match "
            f"[bold]{r['fine_role_exact_match']:.3f}[/]"
        )
        console.print(f"entity detection recall: exact {d['exact']:.3f} · overlapping {d['overlap']:.3f}")
    elif args.task == "semeval2023-genre":
        console.print(
            f"{metrics['articles']} articles: macro-F1 [bold]{metrics['macro_f1']:.3f}[/] · "
            f"accuracy {metrics['accuracy']:.3f} · "
            + ", ".join(f"{g} {v['predicted']}/{v['gold']}" for g, v in metrics["per_genre"].items())
            + " (predicted/gold)"
        )
    else:
        console.print(f"{metrics['articles']} articles: frames micro-F1 [bold]{metrics['micro_f1']:.3f}[/]")
    return 0
