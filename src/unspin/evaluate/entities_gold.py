"""``unspin evaluate entities``: are the listed entities the ones a person would list?

- **Precision** on 20 hand-checked articles (10 English, 10 Russian; ``data/entities_gold.txt`` says how
  they were made): a listed entity is right when its name is an alias of a gold entity that no earlier
  listed entity took and none of its mentions names a different gold entity. Fragments ("the Far",
  "Union"), pronouns, datelines and unmerged aliases ("US" beside "United States") are errors.
- **Recall** of the SemEval-2025 entity-framing mentions (subtask 1): a gold mention is found when a
  mention of a listed entity overlaps it (and, stricter, has exactly its offsets). English: the held-out
  documents; Russian: all documents (no head was trained on Russian).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspin.analysis import Analysis
from unspin.data import semeval2025 as s25
from unspin.data.semeval2023 import read_text
from unspin.errors import BadInput
from unspin.evaluate.negatives import load_negatives

GOLD_FILE = Path(__file__).with_name("data") / "entities_gold.txt"
DEMO_FILE = Path(__file__).resolve().parents[3] / "examples" / "khabarovsk-opinion.txt"
TARGET_PRECISION = 0.90
TARGET_RECALL = 0.90
_HEADER = re.compile(r"^# (demo|semeval2025/\S+|negatives/\S+) [a-z]{2}$")


@dataclass(frozen=True)
class GoldEntity:
    kind: str
    name: str
    aliases: frozenset[str]  # matching keys


@dataclass(frozen=True)
class GoldDoc:
    source: str
    language: str
    entities: tuple[GoldEntity, ...]


@dataclass(frozen=True)
class Listed:
    """An entity as the analysis lists it: its name and its mentions' offsets."""

    name: str
    mentions: tuple[tuple[int, int], ...]


def key(name: str) -> str:
    """Matching key: case, quotes, dots, a leading "the", a possessive and spacing do not matter."""
    k = " ".join(name.replace("’", "'").replace("#", "").split()).casefold()
    k = re.sub(r"^the\s+", "", k)
    k = re.sub(r"'s?$", "", k)
    return k.replace(".", "").strip()


def load_gold(path: Path = GOLD_FILE) -> list[GoldDoc]:
    docs: list[GoldDoc] = []
    source = language = ""
    ents: list[GoldEntity] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if _HEADER.match(line):
            if source:
                docs.append(GoldDoc(source, language, tuple(ents)))
            _, source, language = line.split()
            ents = []
        elif line and not line.startswith("#"):
            kind, name, aliases = (x.strip() for x in line.split("|"))
            keys = frozenset(key(a) for a in [name, *aliases.split(";")] if a.strip())
            ents.append(GoldEntity(kind, name, keys))
    if source:
        docs.append(GoldDoc(source, language, tuple(ents)))
    return docs


def gold_text(source: str) -> str:
    if source == "demo":
        return DEMO_FILE.read_text(encoding="utf-8")
    kind, _, rest = source.partition("/")
    if kind == "negatives":
        return next(n.text for n in load_negatives() if n.id == rest)
    if kind == "semeval2025":
        lang, _, name = rest.partition("/")
        path = s25.lang_dir(lang) / "raw-documents" / name
        if not path.exists():
            raise BadInput(f"{path} not found: the SemEval-2025 release is needed for this evaluation.")
        return read_text(path)
    raise ValueError(f"unknown gold source {source!r}")


def judge(doc: GoldDoc, text: str, listed: Sequence[Listed]) -> list[tuple[str, bool, str]]:
    """(name, right?, why) for each listed entity, in list order."""
    by_key: dict[str, int] = {}
    for i, g in enumerate(doc.entities):
        for k in g.aliases:
            by_key.setdefault(k, i)
    taken: set[int] = set()
    out = []
    for e in listed:
        gi = by_key.get(key(e.name))
        others = {by_key[k] for s, t in e.mentions if (k := key(text[s:t])) in by_key} - {gi}
        if gi is None:
            out.append((e.name, False, "not an entity of the article"))
        elif gi in taken:
            out.append((e.name, False, f"unmerged alias of {doc.entities[gi].name}"))
        elif others:
            out.append((e.name, False, "merges " + ", ".join(doc.entities[j].name for j in sorted(others))))
        else:
            out.append((e.name, True, doc.entities[gi].name))
        if gi is not None:
            taken.add(gi)
    return out


def precision(judged: Iterable[tuple[str, Sequence[tuple[str, bool, str]]]]) -> dict[str, Any]:
    per_lang: dict[str, list[bool]] = {}
    errors = []
    for lang, rows in judged:
        for name, ok, why in rows:
            per_lang.setdefault(lang, []).append(ok)
            if not ok:
                errors.append({"language": lang, "name": name, "why": why})
    flat = [x for v in per_lang.values() for x in v]
    return {
        "listed": len(flat),
        "precision": round(sum(flat) / max(1, len(flat)), 4),
        "by_language": {
            k: {"listed": len(v), "precision": round(sum(v) / max(1, len(v)), 4)} for k, v in per_lang.items()
        },
        "errors": errors,
    }


def recall_docs() -> list[tuple[str, s25.Doc]]:
    """Documents with entity-framing mentions: English held-out, Russian all."""
    out: list[tuple[str, s25.Doc]] = []
    for lang in ("EN", "RU"):
        root = s25.lang_dir(lang)
        if not (root / "raw-documents").is_dir():
            continue
        docs = s25.load_docs(root)
        chosen = s25.split(docs)[1] if lang == "EN" else docs
        out += [(lang.lower(), d) for d in chosen if d.mentions]
    return out


def recall(found: Iterable[tuple[str, s25.Doc, Sequence[Listed]]]) -> dict[str, Any]:
    stats: dict[str, list[int]] = {}
    for lang, doc, listed in found:
        spans = [m for e in listed for m in e.mentions]
        s = stats.setdefault(lang, [0, 0, 0])
        for m in doc.mentions:
            s[0] += 1
            s[1] += any(a < m.end and m.start < b for a, b in spans)
            s[2] += any(a == m.start and b == m.end for a, b in spans)
    n = sum(v[0] for v in stats.values())
    return {
        "mentions": n,
        "overlap": round(sum(v[1] for v in stats.values()) / max(1, n), 4),
        "exact": round(sum(v[2] for v in stats.values()) / max(1, n), 4),
        "by_language": {
            k: {
                "mentions": v[0],
                "overlap": round(v[1] / max(1, v[0]), 4),
                "exact": round(v[2] / max(1, v[0]), 4),
            }
            for k, v in stats.items()
        },
    }


def listed_of(analysis: Analysis) -> list[Listed]:
    return [Listed(e.name, tuple((m.start, m.end) for m in e.mentions)) for e in analysis.entities]


def evaluate_entities(list_entities: Callable[[str], list[Listed]]) -> dict[str, Any]:
    judged = []
    for doc in load_gold():
        text = gold_text(doc.source)
        judged.append((doc.language, judge(doc, text, list_entities(text))))
    prec = precision(judged)
    rec = recall((lang, d, list_entities(d.text)) for lang, d in recall_docs())
    return {
        "precision": prec,
        "recall": rec,
        "targets": {
            "precision": {
                "value": prec["precision"],
                "target": f">= {TARGET_PRECISION}",
                "met": prec["precision"] >= TARGET_PRECISION,
            },
            "recall": {
                "value": rec["overlap"],
                "target": f">= {TARGET_RECALL}",
                "met": rec["overlap"] >= TARGET_RECALL,
            },
        },
    }


def run_entities(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from unspin.analyzer import Analyzer

    analyzer = Analyzer()
    report = evaluate_entities(lambda text: listed_of(analyzer.analyze(text)))
    report["model_version"] = analyzer.config.version
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return 0
    console = Console()
    p, r = report["precision"], report["recall"]
    console.print(
        f"[bold]Entities[/]: precision of listed entities [bold]{p['precision']:.3f}[/] on {p['listed']} listed "
        f"(target {TARGET_PRECISION}) · recall of SemEval-2025 mentions [bold]{r['overlap']:.3f}[/] overlapping, "
        f"{r['exact']:.3f} exact, of {r['mentions']} (target {TARGET_RECALL})"
    )
    table = Table("language", "listed", "precision", "gold mentions", "recall (overlap)", "recall (exact)")
    for lang in sorted(set(p["by_language"]) | set(r["by_language"])):
        a, b = p["by_language"].get(lang, {}), r["by_language"].get(lang, {})
        table.add_row(
            lang,
            str(a.get("listed", "–")),
            f"{a.get('precision', 0):.3f}",
            str(b.get("mentions", "–")),
            f"{b.get('overlap', 0):.3f}",
            f"{b.get('exact', 0):.3f}",
        )
    console.print(table)
    errs = Table("language", "listed entity", "why wrong", title="Errors (first 40)")
    for e in p["errors"][:40]:
        errs.add_row(e["language"], e["name"], e["why"])
    console.print(errs)
    return 0
