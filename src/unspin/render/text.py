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
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from unspin.analysis import Analysis, Entity, Evidence, NarrativeFinding, SubnarrativeFinding, TechniqueSpan
from unspin.taxonomy import pretty
from unspin.taxonomy.narratives import DOMAIN_NAMES

QUOTE_CHARS = 100  # a quoted span is trimmed to about this many characters
OPENING_CHARS = 60  # first words of a loaded paragraph
EXCERPT_CHARS = 80  # evidence of a narrative or an entity's role
MAX_ENTITIES = 12  # entity rows; the rest are counted in a note
NARROW = 60  # console width below which the entity table folds its kind column into the name
BAR_MAX = 20  # bar cells at full console width
_EIGHTHS = " ▏▎▍▌▋▊▉"  # partial block characters, so short bars still differ
# Bidi embeddings, overrides and isolates: harmless in HTML, but in a terminal they reorder what follows.
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class _TechniqueRow:
    name: str
    count: int
    paragraphs: int


def render_text(analysis: Analysis, console: Console, top: int = 8) -> None:
    """Print the summary: header, techniques with bars, genre and frames, narratives, entities, then the
    ``top`` strongest spans and ``top`` loaded paragraphs."""
    console.print(_header(analysis))
    rows = _technique_rows(analysis)
    if rows:
        console.print(_techniques_table(rows, console.width))
    else:
        console.print(Text("No persuasion techniques found in this text.", style="bold green"))
    gist = _gist(analysis)
    if gist is not None:
        console.print(gist)
    console.print(_narratives(analysis))
    console.print(_entities(analysis, console.width))
    from unspin.render.claims import claims_text  # that module builds on this one

    console.print(claims_text(analysis))
    if analysis.spans:
        console.print(_spans_table(analysis, top))
        console.print(_paragraphs_table(analysis, top))


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
    title = analysis.title or analysis.source.name or analysis.source.url or "Untitled text"
    timings = analysis.timings_ms
    total = timings.get("total", sum(timings.values()))
    facts = [
        plural(len(analysis.text.split()), "word"),
        plural(len(analysis.paragraphs), "paragraph"),
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
    if analysis.techniques:
        rows = [_TechniqueRow(s.name, s.count, s.paragraphs) for s in analysis.techniques]
    else:
        counts = Counter(s.technique for s in analysis.spans)
        paras: dict[str, set[int]] = defaultdict(set)
        for s in analysis.spans:
            paras[s.technique].add(s.paragraph)
        rows = [_TechniqueRow(pretty(t), n, len(paras[t])) for t, n in counts.items()]
    return sorted(rows, key=lambda r: -r.count)  # stable: ties keep the summary's order


def _techniques_table(rows: list[_TechniqueRow], width: int) -> Table:
    # The bar takes what the other columns leave at this width; at 80 columns that is BAR_MAX.
    bar_width = max(3, min(BAR_MAX, width - 56))
    table = _table("Techniques")
    table.add_column("Technique", ratio=1)
    table.add_column("Spans", justify="right", no_wrap=True)
    table.add_column("Paras", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, overflow="crop", min_width=bar_width, style="cyan")
    top = rows[0].count
    for r in rows:
        table.add_row(Text(clean(r.name)), str(r.count), str(r.paragraphs), bar(r.count, top, bar_width))
    return table


def strongest_spans(analysis: Analysis, top: int) -> list[TechniqueSpan]:
    """The ``top`` spans by confidence; ties in reading order."""
    return sorted(analysis.spans, key=lambda s: (-s.confidence, s.start, s.end))[: max(top, 0)]


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
        table.add_row(f"{s.confidence:.0%}", cell)
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


# ---------------------------------------------------------------- article-level findings


def _pct(x: float) -> str:
    return f"{x:.0%}"


def paragraph_refs(evidence: list[Evidence]) -> str:
    """``¶3, ¶7``: the evidence paragraphs, numbered from 1 like the rest of the summary, best first."""
    return ", ".join(f"¶{e.paragraph + 1}" for e in evidence)


def _gist(analysis: Analysis) -> Text | None:
    """``Genre: opinion (93%)`` and ``Frames: Security and defense 91%, ...``, one line each."""
    lines: list[Text] = []
    if analysis.genre is not None:
        line = Text("Genre: ", style="bold")
        line.append(clean(analysis.genre.label))
        line.append(f" ({_pct(analysis.genre.confidence)})", style="dim")
        lines.append(line)
    if analysis.frames:
        line = Text("Frames: ", style="bold")
        for i, f in enumerate(analysis.frames):
            line.append(", " if i else "")
            line.append(clean(f.name))
            line.append(f" {_pct(f.confidence)}", style="dim")
        lines.append(line)
    if not lines:
        return None
    gist = Text("\n").join(lines)
    gist.append("\n")
    return gist


def _narrative_cell(n: SubnarrativeFinding) -> RenderableType:
    """A narrative: name, domain, evidence paragraphs, an excerpt of the best one; a subnarrative: indented
    name and evidence paragraphs."""
    top = isinstance(n, NarrativeFinding)
    cell = Text() if top else Text("↳ ", style="dim")
    cell.append(clean(n.name), style="bold" if top else "")
    if isinstance(n, NarrativeFinding):
        cell.append(f"  {clean(DOMAIN_NAMES.get(n.domain, n.domain))}", style="dim")
    if n.evidence:
        cell.append(f"  {paragraph_refs(n.evidence)}", style="dim")
        if top:
            cell.append("\n")
            cell.append("“" + trim(clean(n.evidence[0].text), EXCERPT_CHARS) + "”", style="italic")
    # Padding keeps a subnarrative's wrapped lines indented too.
    return cell if top else Padding(cell, (0, 0, 0, 2))


def _narratives(analysis: Analysis) -> RenderableType:
    if not analysis.narratives:
        return Text.assemble(("Narratives\n", "bold"), "No known narrative (Other)\n")
    table = _table("Narratives")
    table.show_header = False
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    for n in analysis.narratives:
        table.add_row(_pct(n.confidence), _narrative_cell(n), end_section=not n.subnarratives)
        for i, sub in enumerate(n.subnarratives, 1):
            table.add_row(_pct(sub.confidence), _narrative_cell(sub), end_section=i == len(n.subnarratives))
    return table


def _role_cell(e: Entity) -> Text:
    cell = Text()
    if e.main_role is None:
        cell.append("—", style="dim")
    else:
        cell.append(clean(e.main_role), style="bold")
        cell.append(f" {_pct(e.confidence)}", style="dim")
    for r in e.fine_roles:
        cell.append(" · ", style="dim")
        cell.append(clean(r.role))
        cell.append(f" {_pct(r.confidence)}", style="dim")
    if e.evidence is not None:
        cell.append("\n")
        cell.append("“" + trim(clean(e.evidence.text), EXCERPT_CHARS) + "”", style="italic")
    return cell


def _entities(analysis: Analysis, width: int) -> RenderableType:
    if not analysis.entities:
        return Text.assemble(("Entities\n", "bold"), ("No named entities found.\n", "dim"))
    # Below NARROW columns the kind goes under the name, so that the name and role keep some width.
    narrow = width < NARROW
    table = _table("Entities")
    table.add_column("Entity", ratio=1 if narrow else None)
    if not narrow:
        table.add_column("Kind", no_wrap=True)
    table.add_column("#" if narrow else "Mentions", justify="right", no_wrap=True)
    table.add_column("Role", ratio=2 if narrow else 1)
    shown = analysis.entities[:MAX_ENTITIES]  # framed ones first: the analysis sorts them so
    for e in shown:
        name, kind = Text(clean(e.name)), Text(clean(e.kind), style="dim")
        cells = [Text.assemble(name, "\n", kind)] if narrow else [name, kind]
        table.add_row(*cells, str(len(e.mentions)), _role_cell(e))
    rest = len(analysis.entities) - len(shown)
    if rest:
        table.caption, table.caption_justify = Text(f"+{rest} more\n", style="dim"), "left"
    return table
