"""Terminal summary of an analysis, drawn with rich.

Every piece of article text goes into a ``rich.text.Text`` (never through markup parsing), so ``[bold]`` in
an article prints literally, and control characters are replaced first so that an article cannot send
escape sequences to the user's terminal.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from unspin.analysis import Analysis, Evidence, TechniqueSpan
from unspin.render.facts import (
    STRENGTH_NOTE,
    display_title,
    strength_order,
    technique_strengths,
    undetectable,
)
from unspin.taxonomy import pretty

QUOTE_CHARS = 100  # a quoted span is trimmed to about this many characters
OPENING_CHARS = 60  # first words of a loaded paragraph
BAR_MAX = 20  # bar cells at full console width
_EIGHTHS = " ▏▎▍▌▋▊▉"  # partial block characters, so short bars still differ
# Bidi embeddings, overrides and isolates: harmless in HTML, but in a terminal they reorder what follows.
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class _TechniqueRow:
    name: str
    count: int
    paragraphs: int
    strength: str


def render_text(analysis: Analysis, console: Console, top: int = 8) -> None:
    """Print the summary: header and warnings, techniques with bars, genre and frames, narratives,
    entities, claims, then the ``top`` strongest spans and ``top`` loaded paragraphs."""
    from unspin.render import text_findings as findings  # that module builds on this one

    console.print(_header(analysis))
    warnings = findings.warnings_text(analysis)
    if warnings is not None:
        console.print(warnings)
    rows = _technique_rows(analysis)
    if rows:
        console.print(_techniques_table(rows, console.width))
    else:
        console.print(Text("No persuasion techniques found in this text.", style="bold green"))
    cannot = undetectable(analysis)
    if cannot:
        line = Text("Cannot detect reliably (absent ≠ not there): ", style="dim")
        line.append(", ".join(pretty(t) for t in cannot))
        console.print(line, "")
    gist = findings.gist(analysis)
    if gist is not None:
        console.print(gist)
    console.print(findings.narratives(analysis))
    console.print(findings.entities(analysis, console.width))
    console.print(findings.claims(analysis))
    if analysis.spans:
        console.print(_spans_table(analysis, top))
        console.print(_paragraphs_table(analysis, top))
    console.print(Text(STRENGTH_NOTE + " `--format json` has the numbers.", style="dim"))


# ---------------------------------------------------------------- text helpers


def clean(text: str) -> str:
    """One display line: control and bidi characters become spaces, white space runs collapse."""
    chars = (" " if unicodedata.category(c) == "Cc" or c in _BIDI else c for c in text)
    return " ".join("".join(chars).split())


def trim(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    space = cut.rfind(" ")
    if space >= len(cut) * 3 // 4:  # back off to a word boundary only when it costs little
        cut = cut[:space]
    return cut.rstrip() + "…"


def bar(value: int, maximum: int, width: int) -> str:
    """A horizontal bar of ``width`` cells for ``value / maximum``, with eighth-cell resolution."""
    if maximum <= 0 or width <= 0:
        return ""
    eighths = round(value / maximum * width * 8)
    full, rest = divmod(max(eighths, 1), 8)  # a count of 1 still gets a visible sliver
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _duration(ms: float) -> str:
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


# ---------------------------------------------------------------- sections


def _header(analysis: Analysis) -> Text:
    title = display_title(analysis)
    timings = analysis.timings_ms
    total = timings.get("total", sum(timings.values()))
    facts = [
        plural(len(analysis.text.split()), "word"),
        plural(len(analysis.paragraphs), "paragraph"),
        *([f"language {analysis.language}"] if analysis.language else []),
        f"model {analysis.model.name} {analysis.model.version}",
    ]
    if timings:
        facts.append(_duration(total))
    header = Text(clean(title), style="bold")
    header.append("\n")
    header.append(clean(" · ".join(facts)), style="dim")
    header.append("\n")
    return header


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)


def _technique_rows(analysis: Analysis) -> list[_TechniqueRow]:
    """Techniques by count; from the summary, or from the spans when a caller left the summary empty."""
    strengths = technique_strengths(analysis.spans)
    if analysis.techniques:
        rows = [
            _TechniqueRow(s.name, s.count, s.paragraphs, strengths.get(s.technique, "—"))
            for s in analysis.techniques
        ]
    else:
        counts = Counter(s.technique for s in analysis.spans)
        paras: dict[str, set[int]] = defaultdict(set)
        for s in analysis.spans:
            paras[s.technique].add(s.paragraph)
        rows = [_TechniqueRow(pretty(t), n, len(paras[t]), strengths[t]) for t, n in counts.items()]
    return sorted(rows, key=lambda r: -r.count)  # stable: ties keep the summary's order


def bar_cells(width: int) -> int:
    """The bar takes what the other columns leave at this console width; from 88 columns, BAR_MAX."""
    return max(3, min(BAR_MAX, width - 68))


def _techniques_table(rows: list[_TechniqueRow], width: int) -> Table:
    bar_width = bar_cells(width)
    table = _table("Techniques")
    table.add_column("Technique", ratio=1)
    table.add_column("Spans", justify="right", no_wrap=True)
    table.add_column("Paras", justify="right", no_wrap=True)
    table.add_column("Strongest", no_wrap=True)
    table.add_column("", no_wrap=True, overflow="crop", min_width=bar_width, style="cyan")
    top = rows[0].count
    for r in rows:
        table.add_row(
            Text(clean(r.name)), str(r.count), str(r.paragraphs), r.strength, bar(r.count, top, bar_width)
        )
    return table


def strongest_spans(analysis: Analysis, top: int) -> list[TechniqueSpan]:
    """The ``top`` spans by strength, then confidence; ties in reading order."""
    return strength_order(analysis.spans)[: max(top, 0)]


def _spans_table(analysis: Analysis, top: int) -> Table:
    # Two lines per span (technique and paragraph, then the quote) so quotes keep the full width.
    table = _table("Strongest spans")
    table.show_header, table.leading = False, 1
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    for s in strongest_spans(analysis, top):
        cell = Text()  # styles per part: a base style would also paint the cell padding
        cell.append(pretty(s.technique), style="bold")
        cell.append(f"  ¶ {s.paragraph + 1}\n", style="dim")
        cell.append("“" + trim(clean(s.text), QUOTE_CHARS) + "”", style="italic")
        table.add_row(s.strength, cell)
    return table


def loaded_paragraphs(analysis: Analysis, top: int) -> list[tuple[int, int]]:
    """``(paragraph index, distinct techniques)`` of the ``top`` paragraphs with the most distinct techniques.

    Counted from the spans, the same data the rest of the summary quotes; ties go to more spans, then
    to the earlier paragraph.
    """
    techniques: dict[int, set[str]] = defaultdict(set)
    spans: Counter[int] = Counter()
    for s in analysis.spans:
        techniques[s.paragraph].add(s.technique)
        spans[s.paragraph] += 1
    ranked = sorted(techniques, key=lambda p: (-len(techniques[p]), -spans[p], p))
    return [(p, len(techniques[p])) for p in ranked[: max(top, 0)]]


def _paragraphs_table(analysis: Analysis, top: int) -> Table:
    table = _table("Most loaded paragraphs")
    table.add_column("¶", justify="right", no_wrap=True)
    table.add_column("Techniques", justify="right", no_wrap=True)
    table.add_column("Opening", ratio=1)
    for index, distinct in loaded_paragraphs(analysis, top):
        opening = analysis.paragraphs[index].text if index < len(analysis.paragraphs) else ""
        table.add_row(str(index + 1), str(distinct), Text(trim(clean(opening), OPENING_CHARS), style="dim"))
    return table


def paragraph_refs(evidence: list[Evidence]) -> str:
    """``¶3, ¶7``: the evidence paragraphs, numbered from 1 like the rest of the summary, best first."""
    return ", ".join(f"¶{e.paragraph + 1}" for e in evidence)
