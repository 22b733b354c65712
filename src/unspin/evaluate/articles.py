"""Scoring the article heads of the runtime model: SemEval-2025 narratives and roles, SemEval-2023 genre and
frames, through the same ``Pass`` the exporters use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from unspin.analyzer import Analyzer
from unspin.data import semeval2023 as sd
from unspin.data import semeval2025 as s25
from unspin.errors import BadInput
from unspin.evaluate import semeval2025 as ev
from unspin.export.official import Pass
from unspin.taxonomy.frames import GENRES


def pick(split: str, train: list[Any], held: list[Any]) -> list[Any]:
    return {"heldout": held, "train": train, "all": sorted([*train, *held], key=str)}[split]


def evaluate_semeval2025(analyzer: Analyzer, split: str, data: Path | None = None) -> dict[str, Any]:
    root = data or s25.lang_dir()
    if not (root / "raw-documents").is_dir():
        raise BadInput(f"No SemEval-2025 documents under {root}: pass --data LANG_DIR of the release.")
    docs = s25.load_docs(root)
    train, held = s25.split(docs)
    chosen: list[s25.Doc] = {"heldout": held, "train": train, "all": docs}[split]
    pred_c, pred_f, gold_c, gold_f = [], [], [], []
    pred_main, gold_main, pred_fine, gold_fine = [], [], [], []
    exact = overlap = 0
    for d in chosen:
        p = Pass.run(analyzer, d.text)
        if d.narratives:
            c, f = p.narratives()
            pred_c.append(set(c))
            pred_f.append(set(f))
            gold_c.append(set(d.narratives))
            gold_f.append(set(d.subnarratives))
        if d.mentions:
            for (main, fines), m in zip(
                p.roles([(m.start, m.end) for m in d.mentions]), d.mentions, strict=True
            ):
                pred_main.append(main)
                pred_fine.append(set(fines))
                gold_main.append(m.main_role)
                gold_fine.append(set(m.fine_roles))
            found = p.mentions()
            for m in d.mentions:
                exact += any(f.start == m.start and f.end == m.end for f in found)
                overlap += any(f.start < m.end and f.end > m.start for f in found)
    n = max(1, len(gold_main))
    return {
        "split": split,
        "narratives": ev.narrative_scores(pred_c, pred_f, gold_c, gold_f),
        "roles": {
            **ev.role_scores(pred_main, gold_main, pred_fine, gold_fine),
            "majority_main_role_accuracy": sum(g == "Antagonist" for g in gold_main) / n,
        },
        "entity_detection_recall": {"exact": exact / n, "overlap": overlap / n, "mentions": len(gold_main)},
    }


def evaluate_semeval2023_articles(
    analyzer: Analyzer, task: str, split: str, data: Path | None = None
) -> dict[str, Any]:
    root = data or sd.default_data_dir() / "semeval2023-task3" / "en"
    texts = sd.load_frame_articles(root)
    if not texts:
        raise BadInput(
            f"No SemEval-2023 subtask 1 articles under {root}: pass --data LANG_DIR of the release."
        )
    train, held = sd.split_ids(list(texts))
    ids = pick(split, train, held)
    if task == "semeval2023-genre":
        gold = sd.load_genres(root)
        ids = [i for i in ids if i in gold]
        pred = [Pass.run(analyzer, texts[i]).genre() for i in ids]
        g = [gold[i] for i in ids]
        return {
            "split": split,
            "articles": len(ids),
            "macro_f1": ev.macro_f1(pred, g, GENRES),
            "accuracy": sum(a == b for a, b in zip(pred, g, strict=True)) / max(1, len(ids)),
            "per_genre": {x: {"gold": g.count(x), "predicted": pred.count(x)} for x in GENRES},
        }
    frames = sd.load_frames(root)
    ids = [i for i in ids if i in frames]
    predf = [set(Pass.run(analyzer, texts[i]).frames()) for i in ids]
    return {
        "split": split,
        "articles": len(ids),
        "micro_f1": ev.micro_f1(predf, [set(frames[i]) for i in ids]),
    }
