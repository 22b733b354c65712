"""The neutrality audit from the command line: which texts (the SemEval-2025 war texts, or the analyst's
own files), and the report as a rich table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from unspin.data import semeval2025 as s25
from unspin.data.semeval2023 import read_text
from unspin.errors import BadInput

LANGUAGES = ("EN", "RU")


def war_texts(split: str = "heldout", root: Path | None = None) -> list[tuple[str, str]]:
    """The war (URW) documents of SemEval-2025 in English and Russian (``root``: the release folder, or
    one language folder of it). ``heldout`` keeps the documents the
    article heads never trained on (English: the project's held-out split; Russian: the same seeded split
    applied to the Russian ids)."""
    out: list[tuple[str, str]] = []
    if root is not None and (root / "raw-documents").is_dir():
        folders = [root]  # one language folder of the release
    else:
        folders = [(root / lang) if root else s25.lang_dir(lang) for lang in LANGUAGES]
    for folder in folders:
        files = sorted((folder / "raw-documents").glob("*.txt"))
        war = [p for p in files if "_UA_" in p.name or "-URW-" in p.name]
        if split != "all":
            ids = {p.name: p for p in war}
            train, held = s25.split_ids(list(ids))  # the domain as the ids spell it ("_UA_", "-URW-")
            war = [ids[i] for i in (held if split == "heldout" else train)]
        out += [(p.name, read_text(p)) for p in war]
    if not out:
        raise BadInput(
            "No SemEval-2025 war documents found: pass your own files, or --data with the release folder."
        )
    return out


def file_texts(paths: list[Path]) -> list[tuple[str, str]]:
    """Files as given, folders as their *.txt files (sorted)."""
    out: list[tuple[str, str]] = []
    for p in paths:
        files = sorted(p.glob("*.txt")) if p.is_dir() else [p]
        if p.is_dir() and not files:
            raise BadInput(f"No .txt files in {p}")
        out += [(str(f), read_text(f)) for f in files]
    return out


def run_neutrality(args: argparse.Namespace) -> int:
    from rich.console import Console

    from unspin.analyzer import Analyzer
    from unspin.evaluate.neutrality import run_audit

    docs: list[Path] = list(getattr(args, "docs", None) or [])
    texts = file_texts(docs) if docs else war_texts(args.split, args.data)
    analyzer = Analyzer()
    err = Console(stderr=True)
    done = [0]

    def progress(doc_id: str) -> None:
        done[0] += 1
        if not args.json:
            err.print(f"[dim]{done[0]}/{len(texts)} {doc_id}[/]", end="\r")

    report = run_audit(analyzer.analyze, texts, progress=progress)
    report["corpus"] = "files" if docs else f"semeval2025 EN+RU war texts, split {args.split}"
    report["model_version"] = analyzer.config.version
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return 0
    render(report, Console())
    return 0


def fmt(e: dict[str, Any], pct: bool = False, signed: bool = False) -> str:
    v, lo, hi = e["value"], e["low"], e["high"]
    if v is None or lo is None or hi is None:
        return "–" if v is None else (f"{v:+.1%}" if pct else f"{v:.3f}")
    if pct:
        return f"{v:+.1%} [{lo:+.1%}, {hi:+.1%}]"
    spec = "+.3f" if signed else ".3f"
    return f"{v:{spec}} [{lo:{spec}}, {hi:{spec}}]"


def render(report: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    console.print(
        f"[bold]Neutrality audit[/]: {report['documents']} documents "
        f"({', '.join(f'{k} {v}' for k, v in report['languages'].items())}), {report.get('corpus', '')}; "
        f"{report['skipped_without_names']} without either side's names skipped. 95% bootstrap intervals over documents."
    )
    modes = [m for m in ("swap", "placebo") if m in report]
    t = Table("techniques", *modes, title="Technique spans: the copy against the original")
    t.add_row(
        "spans per 1,000 words",
        *(
            f"{report[m]['techniques']['original_per_1000']:.2f} → "
            f"{report[m]['techniques']['copy_per_1000']:.2f}"
            for m in modes
        ),
    )
    t.add_row("change", *(fmt(report[m]["techniques"]["change"], pct=True) for m in modes))
    t.add_row("spans that reappear", *(fmt(report[m]["techniques"]["reappear"]) for m in modes))
    per = report[modes[0]]["techniques"]["per_technique"] if modes else {}
    big = sorted(per, key=lambda k: -per[k]["original_per_1000"])[:8]
    for tech in big:
        t.add_row(
            f"  {tech}",
            *(
                fmt(
                    report[m]["techniques"]["per_technique"].get(
                        tech, {"change": {"value": None, "low": None, "high": None}}
                    )["change"],
                    pct=True,
                )
                for m in modes
            ),
        )
    console.print(t)
    r = Table("roles", *modes, title="Roles: who plays which part (countries; leaders below)")
    for group in ("country", "leader"):
        rows = [report[m]["roles"][group] for m in modes]
        r.add_row(f"[bold]{group}[/]: actors", *(str(x["actors"]) for x in rows))
        r.add_row("  role follows the text", *(fmt(x["follows_text"]) + f" (lost {x['lost']})" for x in rows))
        for role in ("Antagonist", "Protagonist", "Innocent"):
            cells = []
            for m, x in zip(modes, rows, strict=True):
                if m == "swap":
                    cells.append(
                        f"name {fmt(x['name_effect'][role], signed=True)} · text "
                        f"{fmt(x['text_effect'][role], signed=True)}"
                    )
                else:
                    cells.append(
                        " · ".join(
                            f"{side} {fmt(x['name_effect_by_side'][side][role], signed=True)}"
                            for side in ("russia", "ukraine")
                        )
                    )
            r.add_row(f"  P({role}) effect", *cells)
        r.add_row("  mean |ΔP(Antagonist)|", *(fmt(x["mean_abs_change"]["Antagonist"]) for x in rows))
    console.print(r)
    console.print(
        "[dim]swap: name effect = P(role | named Russia) − P(role | same actor named Ukraine); text effect = "
        "Russia's text − Ukraine's text under the same names. placebo: P(role | real name) − P(role | invented name).[/]"
    )
    n = Table("narratives", *modes, title="Narratives about one side: mirror or vanish, never stay")
    rows = [report[m]["narratives"] for m in modes]
    n.add_row("side-bound labels in the original", *(str(x["side_bound_found"]) for x in rows))
    for key in ("stayed", "mirrored", "vanished"):
        n.add_row(f"  {key}", *(fmt(x[key]) for x in rows))
    n.add_row("side-bound labels new in the copy", *(str(x["side_bound_appeared"]) for x in rows))
    n.add_row("neutral labels kept", *(fmt(x["neutral_kept"]) + f" of {x['neutral_found']}" for x in rows))
    console.print(n)
    if report.get("by_language"):
        lg = Table(
            "language (swap)",
            "documents",
            "technique change",
            "roles follow text",
            "name effect P(Antagonist)",
            "side-bound narratives stayed",
            title="By language",
        )
        for lang, x in report["by_language"].items():
            sw = x["swap"]
            lg.add_row(
                lang,
                str(x["documents"]),
                fmt(sw["techniques"]["change"], pct=True),
                fmt(sw["roles"]["country"]["follows_text"]),
                fmt(sw["roles"]["country"]["name_effect"]["Antagonist"], signed=True),
                fmt(sw["narratives"]["stayed"]),
            )
        console.print(lg)
    if "targets" in report:
        tg = Table("target (swap)", "value", "by language", "threshold", "met", title="The issue's targets")
        for k, v in report["targets"].items():
            value = "–" if v["value"] is None else f"{v['value']:+.3f}"
            langs = ", ".join(
                f"{lang} {'–' if x is None else f'{x:+.3f}'}" for lang, x in v.get("by_language", {}).items()
            )
            tg.add_row(k, value, langs, v["target"], "[green]yes[/]" if v["met"] else "[red]no[/]")
        console.print(tg)
