"""The article of the HTML view, every technique span highlighted, and the legend that filters them.

Every string from the analysis goes through ``esc``. Each piece of a paragraph (``pieces.cut_pieces``) is
a ``<mark class="pc …" data-s="<span indices>" data-k="<technique numbers>">`` when spans cover it, else a
``<span>``; both carry ``data-o``, the piece's offset in ``Analysis.text``, so the web app can turn a
selection back into offsets. Entity mentions wrap runs of pieces in ``<mark class="ent" data-entity>``: a
mention may hold technique pieces and a span may cross a mention, but the elements still nest and the
text reads back exactly.

Analysts' reviews (web app only): a piece whose every span was marked wrong is struck through (``wrong``);
spans they added as missed are highlighted too (``missed``), after the model's spans in ``data-s``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from unspin.analysis import Analysis, Paragraph, TechniqueSpan
from unspin.render.facts import Reviews, not_found, span_key, technique_strengths, undetectable
from unspin.render.panels import esc, paragraph_at, paragraph_id
from unspin.render.pieces import Piece, cut_pieces, layers, mention_ranges, piece_classes
from unspin.taxonomy import TECHNIQUE_DEFINITIONS, pretty


@dataclass(frozen=True)
class ViewSpans:
    """The spans the article shows: the model's, then the analysts' missed ones; and their verdicts."""

    spans: list[TechniqueSpan]
    model: int  # spans[:model] are the model's
    wrong: frozenset[int]  # indices marked wrong by an analyst

    @classmethod
    def of(cls, analysis: Analysis, reviews: Reviews) -> ViewSpans:
        spans = list(analysis.spans)
        for technique, start, end in reviews.missed:
            if 0 <= start < end <= len(analysis.text):
                par = paragraph_at(analysis.paragraphs, start)
                spans.append(
                    TechniqueSpan(
                        technique=technique, start=start, end=end, text=analysis.text[start:end],
                        confidence=0.0, paragraph=0 if par is None else par,
                    )
                )  # fmt: skip
        wrong = frozenset(
            i
            for i, s in enumerate(analysis.spans)
            if reviews.of("span", span_key(s.technique, s.start, s.end)) == "wrong"
        )
        return cls(spans, len(analysis.spans), wrong)

    def data(self, index: int) -> dict[str, object]:
        """The span as the view's script reads it (JSON)."""
        s = self.spans[index]
        out: dict[str, object] = {"t": s.technique, "x": s.text, "p": s.paragraph, "a": s.start, "b": s.end}
        if index < self.model:
            out.update(c=round(s.confidence, 4), s=s.strength)
        else:
            out["m"] = 1
        if index in self.wrong:
            out["w"] = 1
        return out


# ---------------------------------------------------------------- article


def _piece_html(analysis: Analysis, view: ViewSpans, piece: Piece, numbers: dict[str, int]) -> str:
    text = esc(analysis.text[piece.start : piece.end])
    if not piece.spans:
        return f'<span data-o="{piece.start}">{text}</span>'
    techniques = [numbers[view.spans[i].technique] for i in piece.spans]
    classes = piece_classes(techniques)
    if all(i in view.wrong for i in piece.spans):
        classes += " wrong"
    elif any(i >= view.model for i in piece.spans):
        classes += " missed"
    return (
        f'<mark class="{classes}" data-s="{" ".join(map(str, piece.spans))}" '
        f'data-k="{" ".join(map(str, layers(techniques)))}" data-o="{piece.start}" tabindex="0">{text}</mark>'
    )


def _badges(spans: Sequence[TechniqueSpan], numbers: dict[str, int], paragraph: int) -> str:
    counts = Counter(s.technique for s in spans)
    if not counts:
        return ""
    items = "".join(
        f'<li class="badge k{numbers[t]}" data-t="{esc(t)}">{esc(pretty(t))}{f" ×{n}" if n > 1 else ""}</li>'
        for t, n in sorted(counts.items(), key=lambda c: (-c[1], numbers[c[0]]))
    )
    return f'<ul class="badges" aria-label="Techniques in paragraph {paragraph + 1}">{items}</ul>'


def _paragraph_body(
    analysis: Analysis,
    view: ViewSpans,
    p: Paragraph,
    numbers: dict[str, int],
    mentions: Sequence[tuple[int, int, int]],
) -> str:
    """The paragraph's pieces, with each run inside the same entities' mentions wrapped in ``mark.ent``."""
    inside = [(max(s, p.start), min(e, p.end), i) for s, e, i in mentions if max(s, p.start) < min(e, p.end)]
    pieces = cut_pieces(p.start, p.end, view.spans, numbers, (c for s, e, _ in inside for c in (s, e)))

    def entities(piece: Piece) -> str:
        return " ".join(map(str, sorted({i for s, e, i in inside if s <= piece.start and piece.end <= e})))

    parts = []
    for key, run in groupby(pieces, key=entities):
        body = "".join(_piece_html(analysis, view, piece, numbers) for piece in run)
        parts.append(f'<mark class="ent" data-entity="{key}">{body}</mark>' if key else body)
    return "".join(parts)


def article_html(analysis: Analysis, view: ViewSpans, numbers: dict[str, int]) -> str:
    by_paragraph: dict[int, list[TechniqueSpan]] = defaultdict(list)
    for s in view.spans:
        for p in analysis.paragraphs:  # a missed span may cross paragraphs: a badge in each
            if max(s.start, p.start) < min(s.end, p.end) or (s.paragraph == p.index and s.start == s.end):
                by_paragraph[p.index].append(s)
    mentions = mention_ranges(analysis)
    parts = ['<article id="article" tabindex="-1" aria-label="The article, techniques highlighted">']
    for p in analysis.paragraphs:
        spans = by_paragraph.get(p.index, [])
        number = p.index + 1  # people count paragraphs from 1
        parts.append(
            f'<div class="para{" flagged" if spans else ""}" id="{paragraph_id(p.index)}">'
            f'<span class="pn">¶ {number}</span>'
            f'<p class="ptext" data-i="{p.index}">{_paragraph_body(analysis, view, p, numbers, mentions)}</p>'
            f"{_badges(spans, numbers, p.index)}</div>"
        )
    if not analysis.paragraphs:
        parts.append('<p class="none">(The text is empty.)</p>')
    parts.append("</article>")
    return "".join(parts)


# ---------------------------------------------------------------- legend


def _legend_rows(analysis: Analysis) -> list[tuple[str, str, str, int, int]]:
    """``(technique, name, definition, spans, paragraphs)``: the summary, plus any technique it left out."""
    counts = Counter(s.technique for s in analysis.spans)
    # A summary row without a span (a hand-edited or foreign JSON) has nothing to colour or filter.
    rows = [
        (s.technique, s.name, s.definition, s.count, s.paragraphs)
        for s in analysis.techniques
        if s.technique in counts
    ]
    listed = {r[0] for r in rows}
    paras: dict[str, set[int]] = defaultdict(set)
    for s in analysis.spans:
        paras[s.technique].add(s.paragraph)
    for t, n in counts.items():
        if t not in listed:
            rows.append((t, pretty(t), TECHNIQUE_DEFINITIONS.get(t, ""), n, len(paras[t])))
    return rows


def _technique_list(title: str, techniques: Sequence[str], numbers: dict[str, int], note: str = "") -> str:
    if not techniques:
        return ""
    items = "".join(
        f'<li><span class="sw k{numbers[t]}"></span><span>{esc(pretty(t))}'
        f'<span class="def">{esc(TECHNIQUE_DEFINITIONS.get(t, ""))}</span></span></li>'
        for t in techniques
    )
    hint = f'<p class="hint">{esc(note)}</p>' if note else ""
    return f"<details><summary>{esc(title)} ({len(techniques)})</summary>{hint}<ul>{items}</ul></details>"


def legend_html(analysis: Analysis, numbers: dict[str, int]) -> str:
    rows = _legend_rows(analysis)
    strengths = technique_strengths(analysis.spans)
    parts = ['<section class="legend panel" aria-labelledby="legend-h">']
    if rows:
        parts.append(
            '<h2 id="legend-h">Techniques found</h2>'
            '<p class="hint js-only">Hover, tap or focus a highlight (Enter) for details. '
            "Untick a technique to hide it; “only” shows just that one.</p><ul>"
        )
        for technique, name, definition, count, n_paras in rows:
            n = numbers[technique]
            strength = strengths.get(technique, "weak")
            parts.append(
                f'<li><label title="{esc(definition)}">'
                f'<input type="checkbox" checked data-t="{esc(technique)}">'
                f'<span class="sw k{n}"></span><span class="ln">{esc(name)}</span>'
                f'<span class="ct" title="{count} span{"s" if count != 1 else ""} in {n_paras} ¶">{count}</span>'
                f'<span class="def"><span class="st st-{strength}">{strength}</span> {esc(definition)}</span></label>'
                f'<button type="button" class="only js-only" data-only="{esc(technique)}" '
                f'aria-label="Show only {esc(name)}">only</button></li>'
            )
        parts.append("</ul>")
    else:
        parts.append(
            '<h2 id="legend-h">Techniques</h2><p class="none">No persuasion techniques found in this text.</p>'
        )
    parts.append(_technique_list("Not found", not_found(analysis), numbers))
    parts.append(
        _technique_list(
            "This model cannot detect",
            undetectable(analysis),
            numbers,
            "It had too few examples of these, or flagged them too unreliably to show: their absence here says "
            "nothing about the text.",
        )
    )
    parts.append("</section>")
    return "".join(parts)
