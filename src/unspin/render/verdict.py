"""The top of the HTML view: the title and facts, the warnings, and the verdict a reader sees first.

The verdict says in a few lines what is wrong with the article, each item linking to the paragraph that
carries it: the genre, the strongest techniques with their most telling words, the leading narratives,
the known false claims the article repeats (or that none were searched), in words, not probabilities.
Warnings (unsupported language, short text, no known claims ...) sit above it, in a box nobody can miss.
"""

from __future__ import annotations

from unspin.analysis import Analysis, TechniqueSpan
from unspin.render.facts import (
    NO_CLAIMS_LOADED,
    debunk_summary,
    display_title,
    in_context,
    known_claims_searched,
    repeats,
    says_claims_unchecked,
    telling_spans,
)
from unspin.render.palette import technique_numbers
from unspin.render.panels import esc, num, paragraph_at, paragraph_ref, prose, strength
from unspin.render.text import trim
from unspin.taxonomy import pretty

TOP_TECHNIQUES = 3
TOP_NARRATIVES = 2
QUOTE_CHARS = 70
CONTEXT_CHARS = 30


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def header_html(analysis: Analysis) -> str:
    """The title, under one line of facts: source, size, language, model, date."""
    src, model = analysis.source, analysis.model
    facts = [src.kind + (f" · {src.url}" if src.url and src.url != src.name else "")]
    facts.append(
        f"{plural(len(analysis.text.split()), 'word')} · {plural(len(analysis.paragraphs), 'paragraph')}"
    )
    if analysis.language:
        facts.append(f"language: {analysis.language}")
    facts.append(f"model {model.name} {model.version}")
    facts.append("analyzed " + analysis.created_at.strftime("%Y-%m-%d %H:%M %Z").strip())
    return (
        f'<header class="top"><p class="brand">unspin · {" · ".join(esc(f) for f in facts)}</p>'
        f"<h1>{esc(display_title(analysis))}</h1></header>"
    )


def warnings_html(analysis: Analysis) -> str:
    """Every warning of the analysis, and a missing known-claims database, in one box."""
    items = [f'<li data-code="{esc(w.code)}">{esc(w.message)}</li>' for w in analysis.warnings]
    if says_claims_unchecked(analysis):
        items.append(
            '<li data-code="no_known_claims">Claims were not checked against known debunks: '
            f"{prose(NO_CLAIMS_LOADED)}.</li>"
        )
    if not items:
        return ""
    return f'<div class="warnings" role="note" aria-label="Warnings"><ul>{"".join(items)}</ul></div>'


def _techniques(analysis: Analysis) -> str:
    if not analysis.spans:
        return "<dd>No persuasion technique found.</dd>"
    flagged = len({s.paragraph for s in analysis.spans})
    kinds = len({s.technique for s in analysis.spans})
    numbers = technique_numbers(analysis.spans)
    items = "".join(
        f'<li><span class="sw k{numbers[s.technique]}"></span> <strong>{esc(pretty(s.technique))}</strong> '
        f"{strength(s.strength, s.confidence)} {_quote(analysis, s)} {paragraph_ref(analysis, s.paragraph)}</li>"
        for s in telling_spans(analysis, TOP_TECHNIQUES)
    )
    more = kinds - min(kinds, TOP_TECHNIQUES)
    tail = f'<li class="hint">+{more} more in the legend</li>' if more else ""
    return (
        f"<dd>{plural(len(analysis.spans), 'span')} of {plural(kinds, 'technique')} in {flagged} of "
        f'{plural(len(analysis.paragraphs), "paragraph")}; the strongest:<ul class="v-list">{items}{tail}</ul></dd>'
    )


def _quote(analysis: Analysis, span: TechniqueSpan) -> str:
    """The span in a few words of context, the flagged words in bold."""
    before, inside, after = in_context(analysis, span, CONTEXT_CHARS)
    short = trim(" ".join(inside.split()), QUOTE_CHARS)
    if short != " ".join(inside.split()):
        before, inside, after = "", short, ""  # a long span speaks for itself
    return f"<q>{esc(before)}<strong>{esc(inside)}</strong>{esc(after)}</q>"


def _narratives(analysis: Analysis) -> str:
    if not analysis.narratives:
        return "<dd>None of the known narratives (Other).</dd>"
    items = []
    for n in analysis.narratives[:TOP_NARRATIVES]:
        where = f" {paragraph_ref(analysis, n.evidence[0].paragraph)}" if n.evidence else ""
        subs = ", ".join(esc(s.name) for s in n.subnarratives[:2])
        items.append(
            f'<li><a class="jump" href="#narratives">{esc(n.name)}</a> {strength(n.strength, n.confidence)}'
            f"{f' <span class=hint>({subs})</span>' if subs else ''}{where}</li>"
        )
    more = len(analysis.narratives) - TOP_NARRATIVES
    if more > 0:
        items.append(f'<li class="hint">+{more} more</li>')
    return f'<dd><ul class="v-list">{"".join(items)}</ul></dd>'


def _debunks(analysis: Analysis) -> str:
    line = prose(debunk_summary(analysis))
    if known_claims_searched(analysis) == 0:
        return f'<dd class="v-warn">{line}</dd>'
    items = []
    for c in analysis.claims:
        for m in repeats(c)[:1]:
            par = paragraph_at(analysis.paragraphs, c.start)
            where = f" {paragraph_ref(analysis, par)}" if par is not None else ""
            items.append(
                f"<li>“{esc(trim(m.title, QUOTE_CHARS))}”{num(m.score, 'meaning similarity')}{where}</li>"
            )
    listed = f'<ul class="v-list">{"".join(items[:3])}</ul>' if items else ""
    return f'<dd><a class="jump" href="#claims">{line}</a>{listed}</dd>'


def verdict_html(analysis: Analysis) -> str:
    genre = ""
    if (g := analysis.genre) is not None:
        genre = (
            f'<dt>Genre</dt><dd><strong title="{esc(g.definition)}">{esc(g.label)}</strong>'
            f"{num(g.confidence)}</dd>"
        )
    return (
        '<section class="verdict" aria-labelledby="verdict-h"><h2 id="verdict-h">What the model found</h2><dl>'
        f"{genre}<dt>Techniques</dt>{_techniques(analysis)}<dt>Narratives</dt>{_narratives(analysis)}"
        f"<dt>Known false claims</dt>{_debunks(analysis)}</dl>"
        '<p class="hint">Strength is relative to each label’s own threshold. '
        '<label class="js-free"><input type="checkbox" class="show-num"> show the numbers</label></p></section>'
    )
