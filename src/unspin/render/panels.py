"""The article-level findings of the HTML report: genre and frames, narratives, entities and their roles.

Like the rest of the report, every string from the analysis goes through ``esc``, and the only links point
inside the report: ``#p<n>`` (``paragraph_id``), the ids of the article's paragraphs. An entity's row has a
button with ``data-entity="<index into Analysis.entities>"``; the article wraps that entity's mentions in
``<mark class="ent" data-entity="...">`` and the report's script highlights them when the button is pressed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from unspin.analysis import Analysis, Entity, Evidence, NarrativeFinding, Paragraph, SubnarrativeFinding
from unspin.taxonomy.narratives import DOMAIN_NAMES, OTHER_DEFINITION
from unspin.taxonomy.roles import MAIN_ROLE_DEFINITIONS

MAX_ENTITY_ROWS = 12  # more go into a collapsed "N more" table
KIND_NAMES: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Country, city or state",
    "NORP": "Nationality, religious or political group",
    "LOC": "Place",
}
_ENTITY_COLUMNS = ("Entity", "Kind", "Mentions", "Role", "Fine roles", "Evidence")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def pct(x: float) -> str:
    return f"{x:.0%}"


def paragraph_id(index: int) -> str:
    """The id of paragraph ``index`` (0-based) in the article: ``p1`` for the first, as people count."""
    return f"p{index + 1}"


def paragraph_at(paragraphs: Sequence[Paragraph], offset: int) -> int | None:
    """Index of the paragraph holding ``offset``, or None when it falls between paragraphs."""
    return next((p.index for p in paragraphs if p.start <= offset < p.end), None)


def _paragraph_ref(analysis: Analysis, index: int, title: str = "") -> str:
    """``¶N`` linking to the paragraph, or plain text when the analysis has no such paragraph."""
    label = f"¶{index + 1}"
    if not 0 <= index < len(analysis.paragraphs):
        return label
    tip = f' title="{esc(title)}"' if title else ""
    return f'<a href="#{paragraph_id(index)}"{tip}>{label}</a>'


# ---------------------------------------------------------------- genre and frames


def gist_html(analysis: Analysis) -> str:
    """Genre and frames as a line of the header's facts; "" when the analysis has neither."""
    items = []
    if (g := analysis.genre) is not None:
        items.append(
            f'<div><dt>Genre</dt><dd><span title="{esc(g.definition)}">{esc(g.label)}</span> '
            f'<span class="conf">{pct(g.confidence)}</span></dd></div>'
        )
    if analysis.frames:
        frames = ", ".join(
            f'<span title="{esc(f.definition)}">{esc(f.name)} <span class="conf">{pct(f.confidence)}</span></span>'
            for f in analysis.frames
        )
        items.append(f"<div><dt>Frames</dt><dd>{frames}</dd></div>")
    return f'<dl class="meta gist">{"".join(items)}</dl>' if items else ""


# ---------------------------------------------------------------- narratives


def _evidence(analysis: Analysis, evidence: Sequence[Evidence]) -> str:
    if not evidence:
        return ""
    links = ", ".join(
        _paragraph_ref(analysis, e.paragraph, f"Evidence strength {pct(e.score)}") for e in evidence
    )
    return f'<p class="ev">Evidence: {links}</p>'


def _narrative_item(analysis: Analysis, n: SubnarrativeFinding) -> str:
    if isinstance(n, NarrativeFinding):
        head = (
            f'<strong class="nn" title="{esc(n.label)}">{esc(n.name)}</strong> '
            f'<span class="dom">{esc(DOMAIN_NAMES.get(n.domain, n.domain))}</span>'
        )
        subs = "".join(_narrative_item(analysis, s) for s in n.subnarratives)
        tail = f'<ul class="subs" aria-label="Subnarratives">{subs}</ul>' if subs else ""
    else:
        head, tail = f'<span class="nn" title="{esc(n.label)}">{esc(n.name)}</span>', ""
    definition = f'<p class="def">{esc(n.definition)}</p>' if n.definition else ""
    return (
        f'<li><div class="nh">{head} <span class="conf">{pct(n.confidence)}</span></div>'
        f"{definition}{_evidence(analysis, n.evidence)}{tail}</li>"
    )


def narratives_html(analysis: Analysis) -> str:
    """Each narrative with its definition, confidence, evidence paragraphs and subnarratives."""
    if analysis.narratives:
        items = "".join(_narrative_item(analysis, n) for n in analysis.narratives)
        body = f'<ol class="narr">{items}</ol>'
    else:
        body = f'<p class="none"><strong>No known narrative (Other).</strong> {esc(OTHER_DEFINITION)}</p>'
    return (
        '<section class="panel" id="narratives" aria-labelledby="narratives-h">'
        f'<h2 id="narratives-h">Narratives</h2>{body}</section>'
    )


# ---------------------------------------------------------------- entities


def _role(e: Entity) -> str:
    if e.main_role is None:
        return '<span class="none" title="No clear role: the article does not frame it">—</span>'
    known = e.main_role in MAIN_ROLE_DEFINITIONS  # colour classes only for the taxonomy's roles
    cls = f"role role-{e.main_role.lower()}" if known else "role"
    definition = MAIN_ROLE_DEFINITIONS.get(e.main_role, "")
    return (
        f'<span class="{cls}" title="{esc(definition)}">{esc(e.main_role)}</span> '
        f'<span class="conf">{pct(e.confidence)}</span>'
    )


def _entity_row(analysis: Analysis, index: int, e: Entity) -> str:
    kind = f'<span title="{esc(KIND_NAMES.get(e.kind, e.kind))}">{esc(e.kind)}</span>'
    fine = ", ".join(
        f'<span class="fr" title="{esc(r.definition)}">{esc(r.role)} <span class="conf">{pct(r.confidence)}</span></span>'
        for r in e.fine_roles
    )
    evidence = ""
    if e.evidence is not None:
        where = paragraph_at(analysis.paragraphs, e.evidence.start)
        ref = "" if where is None else " " + _paragraph_ref(analysis, where)
        evidence = f"<q>{esc(e.evidence.text)}</q>{ref}"
    cells = (kind, str(len(e.mentions)), _role(e), fine, evidence)
    tds = "".join(f'<td data-label="{c}">{v}</td>' for c, v in zip(_ENTITY_COLUMNS[1:], cells, strict=True))
    framed = "framed" if e.main_role is not None else "unframed"
    return (
        f'<tr class="{framed}"><th scope="row"><button type="button" class="ent-btn" '
        f'data-entity="{index}" aria-pressed="false">{esc(e.name)}</button></th>{tds}</tr>'
    )


def _entity_table(analysis: Analysis, indices: range) -> str:
    head = "".join(f'<th scope="col">{c}</th>' for c in _ENTITY_COLUMNS)
    rows = "".join(_entity_row(analysis, i, analysis.entities[i]) for i in indices)
    return f'<table class="ents"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def entities_html(analysis: Analysis) -> str:
    """The entity table, framed entities first (the analysis sorts them so); beyond ``MAX_ENTITY_ROWS``
    the rest sit in a collapsed second table."""
    n = len(analysis.entities)
    parts = [
        '<section class="panel" id="entities" aria-labelledby="entities-h"><h2 id="entities-h">Entities</h2>'
    ]
    if n:
        parts.append(
            '<p class="hint js-only">Press an entity to highlight its mentions in the article.</p>'
            '<p class="hint js-only" id="ent-status" role="status"></p>'
        )
        parts.append(_entity_table(analysis, range(min(n, MAX_ENTITY_ROWS))))
        if n > MAX_ENTITY_ROWS:
            parts.append(
                f'<details class="more"><summary>{n - MAX_ENTITY_ROWS} more</summary>'
                f"{_entity_table(analysis, range(MAX_ENTITY_ROWS, n))}</details>"
            )
    else:
        parts.append('<p class="none">No named entities found.</p>')
    parts.append("</section>")
    return "".join(parts)


def findings_html(analysis: Analysis) -> str:
    from unspin.render.claims import claims_html  # that module builds on this one

    return f'<div class="findings">{narratives_html(analysis)}{entities_html(analysis)}{claims_html(analysis)}</div>'
