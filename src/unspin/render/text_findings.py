"""The article-level sections of the terminal summary: warnings, genre and frames, narratives, entities
and their roles, claims and the known false claims they repeat.

As in ``text.py``, article text only ever goes into ``rich.text.Text`` after ``clean``; strength is said
in words, the known-claims coverage always said (``facts``).
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from unspin.analysis import Analysis, ClaimMatch, Entity, NarrativeFinding, SubnarrativeFinding
from unspin.render.facts import (
    NO_CLAIMS_LOADED,
    claim_order,
    contradicts,
    known_claims_note,
    repeats,
    role_words,
    says_claims_unchecked,
)
from unspin.render.text import _table, clean, paragraph_refs, trim
from unspin.taxonomy.narratives import DOMAIN_NAMES

EXCERPT_CHARS = 80  # evidence of a narrative or an entity's role
MAX_ENTITIES = 12  # entity rows; the rest are counted in a note
NARROW = 60  # console width below which the entity table folds its kind column into the name
DISPROOF_CHARS = 160
CLAIM_CHARS = 110
MAX_CLAIMS = 10


def _pct(x: float) -> str:
    return f"{x:.0%}"


def warnings_text(analysis: Analysis) -> Text | None:
    """The analysis's warnings, and a missing known-claims database, one "!" line each."""
    lines = [clean(w.message) for w in analysis.warnings]
    if says_claims_unchecked(analysis):
        lines.append(f"Claims were not checked against known debunks: {NO_CLAIMS_LOADED}.")
    if not lines:
        return None
    out = Text()
    for line in lines:
        out.append("! ", style="bold yellow")
        out.append(line + "\n", style="yellow")
    return out


def gist(analysis: Analysis) -> Text | None:
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
    out = Text("\n").join(lines)
    out.append("\n")
    return out


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


def narratives(analysis: Analysis) -> RenderableType:
    if not analysis.narratives:
        return Text.assemble(("Narratives\n", "bold"), "No known narrative (Other)\n")
    table = _table("Narratives")
    table.show_header = False
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    for n in analysis.narratives:
        table.add_row(n.strength, _narrative_cell(n), end_section=not n.subnarratives)
        for i, sub in enumerate(n.subnarratives, 1):
            table.add_row(sub.strength, _narrative_cell(sub), end_section=i == len(n.subnarratives))
    return table


def _role_cell(e: Entity) -> Text:
    cell = Text()
    if e.main_role is None:
        cell.append("—", style="dim")
    else:
        cell.append(clean(role_words(e)), style="yellow" if e.uncertain else "bold")
        cell.append(f" {_pct(e.confidence)}", style="dim")
    for r in e.fine_roles:
        cell.append(" · ", style="dim")
        cell.append(clean(r.role))
        cell.append(f" {_pct(r.confidence)}", style="dim")
    if e.evidence is not None:
        cell.append("\n")
        cell.append("“" + trim(clean(e.evidence.text), EXCERPT_CHARS) + "”", style="italic")
    return cell


def entities(analysis: Analysis, width: int) -> RenderableType:
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


def _match_text(m: ClaimMatch) -> Text:
    if m.relation == "opposite":
        line = Text("  ↳ agrees with the fact-check: says the contrary of ", style="green")
    else:
        line = Text("  ↳ matches ", style="dim")
    line.append(f"({m.score:.2f}) ", style="dim")
    line.append("“" + trim(clean(m.title), CLAIM_CHARS) + "”")
    meta = " · ".join(x for x in (clean(m.reviewer), m.date or "", clean(m.verdict)) if x)
    if meta:
        line.append(f"  {meta}", style="dim")
    if m.disproof:
        line.append("\n     " + trim(clean(m.disproof), DISPROOF_CHARS), style="italic")
    if m.url:
        line.append("\n     " + clean(m.url), style="dim")
    return line


def claims(analysis: Analysis) -> RenderableType:
    """Check-worthy sentences: those repeating a known false claim first, then by check-worthiness."""
    note = known_claims_note(analysis)
    if not analysis.claims:
        return Text.assemble(("Claims\n", "bold"), (f"No check-worthy claims spotted ({note}).\n", "dim"))
    table = Table(title="Claims", title_justify="left", title_style="bold", show_header=False, expand=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    ordered = claim_order(analysis.claims)
    shown = ([c for c in ordered if c.matches] or ordered)[:MAX_CLAIMS]
    for c in shown:
        cell = Text("“" + trim(clean(c.text), CLAIM_CHARS) + "”")
        for m in [*repeats(c), *contradicts(c)]:
            cell.append("\n")
            cell.append(_match_text(m))
        table.add_row(_pct(c.score), cell, end_section=True)
    rest = len(analysis.claims) - len(shown)
    caption = f"Check-worthiness; {note}" + (f"; +{rest} more check-worthy sentences" if rest else "")
    table.caption, table.caption_justify = Text(caption, style="dim"), "left"
    return table
