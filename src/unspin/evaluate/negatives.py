"""``unspin evaluate narratives-negatives``: texts that push none of the narratives should get none.

``data/narrative_negatives.jsonl`` holds short excerpts of real public pages, each with its URL and why it
pushes none of the SemEval-2025 narratives: wire reports on the war (English and Russian), editorials
and fact-checks that condemn the invasion or refute the Kremlin's claims (naming a narrative in order to
reject it is not pushing it), climate-science reporting, and off-topic wire reports. The target: at most
1 in 10 gets any narrative or subnarrative at confidence >= 0.5. Nothing was tuned on these texts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspin.analysis import Analysis

NEGATIVES_FILE = Path(__file__).with_name("data") / "narrative_negatives.jsonl"
MIN_CONFIDENCE = 0.5
TARGET_SHARE = 0.10


@dataclass(frozen=True)
class Negative:
    id: str
    url: str
    language: str
    domain: str  # URW, CC or none (off-topic)
    kind: str  # news, editorial, factcheck
    why: str
    text: str


def load_negatives(path: Path = NEGATIVES_FILE) -> list[Negative]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(Negative(**json.loads(line)))
    return out


def flagged(analysis: Analysis, min_confidence: float = MIN_CONFIDENCE) -> list[tuple[str, float]]:
    """Narratives and subnarratives the analysis reports at ``min_confidence`` or more."""
    found = [(n.label, n.confidence) for n in analysis.narratives]
    found += [(s.label, s.confidence) for n in analysis.narratives for s in n.subnarratives]
    return sorted(((lab, c) for lab, c in found if c >= min_confidence), key=lambda x: -x[1])


def evaluate_negatives(analyze: Callable[[str], Analysis], items: list[Negative]) -> dict[str, Any]:
    rows = []
    groups: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        hits = flagged(analyze(item.text))
        rows.append(
            {
                "id": item.id,
                "kind": item.kind,
                "language": item.language,
                "domain": item.domain,
                "narratives": [{"label": lab, "confidence": round(c, 3)} for lab, c in hits],
            }
        )
        for key in (f"kind:{item.kind}", f"language:{item.language}", f"domain:{item.domain}"):
            groups[key].append(bool(hits))
    n_flagged = sum(bool(r["narratives"]) for r in rows)
    share = n_flagged / max(1, len(rows))
    return {
        "texts": len(rows),
        "flagged": n_flagged,
        "share_flagged": round(share, 4),
        "min_confidence": MIN_CONFIDENCE,
        "target": f"<= {TARGET_SHARE}",
        "met": share <= TARGET_SHARE,
        "by_group": {k: {"texts": len(v), "flagged": sum(v)} for k, v in sorted(groups.items())},
        "documents": rows,
    }


def run_negatives(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from unspin.analyzer import Analyzer

    analyzer = Analyzer()
    report = evaluate_negatives(analyzer.analyze, load_negatives())
    report["model_version"] = analyzer.config.version
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return 0
    console = Console()
    console.print(
        f"[bold]Texts that push no narrative[/]: {report['flagged']} of {report['texts']} get one at "
        f">= {MIN_CONFIDENCE} ({report['share_flagged']:.0%}; target <= {TARGET_SHARE:.0%}: "
        + ("[green]met[/])" if report["met"] else "[red]missed[/])")
    )
    table = Table("text", "kind", "narratives at >= 0.5")
    for r in report["documents"]:
        table.add_row(
            r["id"],
            r["kind"],
            "; ".join(f"{n['label']} {n['confidence']:.2f}" for n in r["narratives"]) or "–",
        )
    console.print(table)
    return 0
