"""The findings panels of the HTML view: narratives, entities and their roles (claims: ``claims.py``).

Every string from the analysis goes through ``esc``, and the only links point inside the view: ``#p<n>``
(``paragraph_id``), the ids of the article's paragraphs. An entity's row has a button with
``data-entity="<index into Analysis.entities>"``; the article wraps that entity's mentions in
``<mark class="ent" data-entity="...">`` and the view's script marks them when the button is pressed.

Strength is said in words (``st``); the model's number sits beside it in a ``num`` element that the
"show numbers" switch reveals. In the web app (``reviews`` given) each finding carries an empty
``<div class="fb">`` naming what an analyst's verdict would be about; the app's script puts the buttons in.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from unspin.analysis import Analysis, Entity, Evidence, NarrativeFinding, Paragraph, SubnarrativeFinding
from unspin.render.facts import Reviews, role_words
from unspin.taxonomy.narratives import DOMAIN_NAMES, OTHER_DEFINITION
from unspin.taxonomy.roles import MAIN_ROLE_DEFINITIONS

MAX_ENTITY_ROWS = 8  # more go into a collapsed "N more" list
KIND_NAMES: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Country, city or state",
    "NORP": "Nationality, religious or political group",
    "LOC": "Place",
}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def prose(text: str) -> str:
    """Our own wording for HTML: escaped, with `backticks` as <code> (never used on analysis text)."""
    parts = esc(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def pct(x: float) -> str:
    return f"{x:.0%}"


def num(x: float, what: str = "model probability") -> str:
    """The number behind a word, shown on demand ("show numbers")."""
    return f'<span class="num" title="{esc(what)}">{pct(x)}</span>'


def strength(word: str, confidence: float) -> str:
    return f'<span class="st st-{esc(word)}">{esc(word)}</span>{num(confidence)}'


def paragraph_id(index: int) -> str:
    """The id of paragraph ``index`` (0-based) in the article: ``p1`` for the first, as people count."""
    return f"p{index + 1}"


def paragraph_at(paragraphs: Sequence[Paragraph], offset: int) -> int | None:
    """Index of the paragraph holding ``offset``, or None when it falls between paragraphs."""
    return next((p.index for p in paragraphs if p.start <= offset < p.end), None)


def paragraph_ref(analysis: Analysis, index: int, title: str = "") -> str:
    """``¶N`` linking to the paragraph, or plain text when the analysis has no such paragraph."""
    label = f"¶{index + 1}"
    if not 0 <= index < len(analysis.paragraphs):
        return label
    tip = f' title="{esc(title)}"' if title else ""
    return f'<a class="pref" href="#{paragraph_id(index)}"{tip}>{label}</a>'


def review_hook(reviews: Reviews | None, target: str, key: str, question: str) -> str:
    """Where the web app puts an analyst's verdict buttons; "" in the static report."""
    if reviews is None:
        return ""
    verdict = reviews.of(target, key) or ""
    return (
        f'<div class="fb" data-target="{esc(target)}" data-key="{esc(key)}" data-q="{esc(question)}" '
        f'data-verdict="{esc(verdict)}"></div>'
    )


def reviewed(reviews: Reviews | None, target: str, key: str) -> str:
    """`` rv-wrong`` / `` rv-confirmed``: the class that shows an analyst's verdict on a finding."""
    verdict = reviews.of(target, key) if reviews is not None else None
    return f" rv-{verdict}" if verdict in ("wrong", "confirmed") else ""


def panel(section_id: str, title: str, body: str, *, opened: bool = True) -> str:
    """A findings panel: a ``<details>``, open by default (the script folds open ones on a phone)."""
    return (
        f'<details class="panel fold" id="{section_id}"{" open" if opened else ""}>'
        f"<summary><h2>{esc(title)}</h2></summary>{body}</details>"
    )


# ---------------------------------------------------------------- narratives


def _evidence(analysis: Analysis, evidence: Sequence[Evidence]) -> str:
    if not evidence:
        return ""
    links = ", ".join(
        paragraph_ref(analysis, e.paragraph, f"Evidence strength {pct(e.score)}") for e in evidence
    )
    return f'<p class="ev">Evidence: {links}</p>'


def _narrative_item(analysis: Analysis, n: SubnarrativeFinding, reviews: Reviews | None) -> str:
    if isinstance(n, NarrativeFinding):
        head = (
            f'<strong class="nn" title="{esc(n.label)}">{esc(n.name)}</strong> '
            f'<span class="dom">{esc(DOMAIN_NAMES.get(n.domain, n.domain))}</span>'
        )
        subs = "".join(_narrative_item(analysis, s, reviews) for s in n.subnarratives)
        tail = f'<ul class="subs" aria-label="Subnarratives">{subs}</ul>' if subs else ""
    else:
        head, tail = f'<span class="nn" title="{esc(n.label)}">{esc(n.name)}</span>', ""
    definition = f'<p class="def">{esc(n.definition)}</p>' if n.definition else ""
    hook = review_hook(reviews, "narrative", n.label, "Does the article push this narrative?")
    return (
        f'<li class="finding{reviewed(reviews, "narrative", n.label)}"><div class="nh">{head} '
        f"{strength(n.strength, n.confidence)}</div>{definition}{_evidence(analysis, n.evidence)}{hook}{tail}</li>"
    )


def narratives_html(analysis: Analysis, reviews: Reviews | None = None) -> str:
    """Each narrative with its definition, strength, evidence paragraphs and subnarratives."""
    if analysis.narratives:
        items = "".join(_narrative_item(analysis, n, reviews) for n in analysis.narratives)
        body = f'<ol class="narr">{items}</ol>'
    else:
        body = f'<p class="none"><strong>No known narrative (Other).</strong> {esc(OTHER_DEFINITION)}</p>'
    return panel("narratives", "Narratives", body)


# ---------------------------------------------------------------- entities


def _role(e: Entity) -> str:
    if e.main_role is None:
        return '<span class="none" title="The article does not clearly cast it">no clear role</span>'
    known = e.main_role in MAIN_ROLE_DEFINITIONS  # colour classes only for the taxonomy's roles
    cls = f"role role-{e.main_role.lower()}" if known else "role"
    definition = MAIN_ROLE_DEFINITIONS.get(e.main_role, "")
    words = esc(role_words(e))
    if e.uncertain:
        cls += " uncertain"
        definition = f"Near-even between roles: a guess, not a finding. {definition}"
    return f'<span class="{cls}" title="{esc(definition)}">{words}</span>{num(e.confidence)}'


def _entity_item(analysis: Analysis, index: int, e: Entity, reviews: Reviews | None) -> str:
    kind = f'<span class="dom" title="{esc(KIND_NAMES.get(e.kind, e.kind))}">{esc(e.kind)}</span>'
    mentions = f'<span class="hint">{len(e.mentions)} mention{"s" if len(e.mentions) != 1 else ""}</span>'
    fine = ", ".join(
        f'<span class="fr" title="{esc(r.definition)}">{esc(r.role)}{num(r.confidence)}</span>'
        for r in e.fine_roles
    )
    evidence = ""
    if e.evidence is not None:
        where = paragraph_at(analysis.paragraphs, e.evidence.start)
        ref = "" if where is None else " " + paragraph_ref(analysis, where)
        evidence = f'<p class="ev"><q>{esc(e.evidence.text)}</q>{ref}</p>'
    hook = review_hook(reviews, "entity", e.name, "Is this role right?") if e.main_role else ""
    framed = "framed" if e.main_role is not None else "unframed"
    return (
        f'<li class="finding {framed}{reviewed(reviews, "entity", e.name)}"><div class="nh">'
        f'<button type="button" class="ent-btn" data-entity="{index}" aria-pressed="false">{esc(e.name)}</button>'
        f'{kind}{mentions}</div><p class="ev">{_role(e)}{" · " + fine if fine else ""}</p>{evidence}{hook}</li>'
    )


def entities_html(analysis: Analysis, reviews: Reviews | None = None) -> str:
    """The entities, framed ones first (the analysis sorts them so); beyond ``MAX_ENTITY_ROWS`` the rest
    sit in a collapsed list."""
    n = len(analysis.entities)
    if not n:
        return panel("entities", "Entities and roles", '<p class="none">No named entities found.</p>')
    shown = min(n, max(MAX_ENTITY_ROWS, sum(1 for e in analysis.entities if e.main_role)))
    items = [_entity_item(analysis, i, e, reviews) for i, e in enumerate(analysis.entities)]
    body = (
        '<p class="hint js-only">Press an entity to mark its mentions in the article.</p>'
        '<p class="hint js-only ent-status" role="status"></p>'
        f'<ul class="narr ents">{"".join(items[:shown])}</ul>'
    )
    if n > shown:
        body += (
            f'<details class="more"><summary>{n - shown} more, no role</summary>'
            f'<ul class="narr ents">{"".join(items[shown:])}</ul></details>'
        )
    return panel("entities", "Entities and roles", body)
