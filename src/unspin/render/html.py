"""Self-contained HTML report: the article with every technique span highlighted.

One file, no external request of any kind: inline CSS and one inline script, both pinned by hash in a
Content-Security-Policy with ``default-src 'none'``. Every string from the analysis (article text, title,
source, technique names) goes through ``html.escape``; the span data travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, so no text can close it.

Overlapping spans: each paragraph is cut at every span boundary into pieces, and every piece lists all
spans covering it. A piece takes the background colour of its shortest covering span (the most specific
claim) and shows up to ``MAX_UNDERLINES`` further techniques as stacked coloured underlines; the details
box (hover, click, or focus + Enter) lists every covering span. Colours come from per-technique classes
(``b``/``l<level>-``/``k`` + the technique's number), never from style attributes, so the CSP needs no
'unsafe-inline'.

Entity mentions: the paragraph is also cut at every mention boundary, and each run of pieces inside the
mentions of the same entities is wrapped in ``<mark class="ent" data-entity="<indices>">`` (indices into
``Analysis.entities``). A mention may thus hold technique pieces and a technique span may cross a mention,
but the elements still nest; the text reads back exactly. The findings panels live in ``panels.py``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import groupby, pairwise

from unspin.analysis import Analysis, Paragraph, TechniqueSpan
from unspin.render.panels import findings_html, gist_html, paragraph_id
from unspin.taxonomy import TECHNIQUE_DEFINITIONS, TECHNIQUES, pretty

MAX_UNDERLINES = 3  # more would run into the next line; the details box still lists every span

# One colour per technique. The Okabe-Ito colours (designed to stay apart under the common colour-vision
# deficiencies) go to the techniques most frequent in SemEval-2023 Task 3; Paul Tol's muted/vibrant/light
# colours fill the rest. 23 colours cannot all be told apart by everyone, so colour is never the only cue:
# the details box and the margin badges name the technique.
PALETTE: dict[str, str] = {
    "Appeal_to_Authority": "#44AA99",
    "Appeal_to_Popularity": "#EE3377",
    "Appeal_to_Values": "#DDCC77",
    "Appeal_to_Fear-Prejudice": "#D55E00",
    "Flag_Waving": "#0072B2",
    "Causal_Oversimplification": "#999933",
    "False_Dilemma-No_Choice": "#117733",
    "Consequential_Oversimplification": "#AA4499",
    "Straw_Man": "#EE8866",
    "Red_Herring": "#CC3311",
    "Whataboutism": "#77AADD",
    "Slogans": "#332288",
    "Appeal_to_Time": "#BBCC33",
    "Conversation_Killer": "#777777",
    "Loaded_Language": "#E69F00",
    "Repetition": "#CC79A7",
    "Exaggeration-Minimisation": "#F0E442",
    "Obfuscation-Vagueness-Confusion": "#8C564B",
    "Name_Calling-Labeling": "#56B4E9",
    "Doubt": "#009E73",
    "Guilt_by_Association": "#FFAABB",
    "Appeal_to_Hypocrisy": "#004488",
    "Questioning_the_Reputation": "#882255",
}
_UNKNOWN_COLOURS = ("#5A5A5A", "#A0A0A0")  # labels outside the taxonomy (another model), alternating greys
_TINT = "55"  # background alpha (1/3): dark text stays readable on every colour


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text ``[start, end)`` covered by the same spans; ``spans`` are indices, first = shortest."""

    start: int
    end: int
    spans: tuple[int, ...]


# ---------------------------------------------------------------- pieces


def _priority(span: TechniqueSpan, index: int, numbers: dict[str, int]) -> tuple[int, float, int, int]:
    # Shortest first: a short span inside a long one is the more specific claim and would vanish under it.
    return (span.end - span.start, -span.confidence, numbers.get(span.technique, len(numbers)), index)


def cut_pieces(
    start: int,
    end: int,
    spans: Sequence[TechniqueSpan],
    numbers: dict[str, int] | None = None,
    cuts: Iterable[int] = (),
) -> list[Piece]:
    """Cut ``[start, end)`` at every boundary of the ``spans`` overlapping it, and at the extra ``cuts``.

    Returns consecutive pieces that tile ``[start, end)`` exactly; each carries the indices (into ``spans``)
    of all spans covering it, in priority order. Empty spans cover nothing.
    """
    numbers = technique_numbers(spans) if numbers is None else numbers
    inside = [
        (i, max(s.start, start), min(s.end, end))
        for i, s in enumerate(spans)
        if max(s.start, start) < min(s.end, end)
    ]
    inside.sort(key=lambda c: _priority(spans[c[0]], c[0], numbers))
    extra = (c for c in cuts if start < c < end)
    bounds = sorted({start, end, *(c[1] for c in inside), *(c[2] for c in inside), *extra})
    return [Piece(a, b, tuple(i for i, s, e in inside if s <= a and b <= e)) for a, b in pairwise(bounds)]


def technique_numbers(spans: Iterable[TechniqueSpan]) -> dict[str, int]:
    """Technique -> number used in CSS classes: taxonomy order, then unknown labels in order of appearance."""
    numbers = {t: i for i, t in enumerate(TECHNIQUES)}
    for s in spans:
        numbers.setdefault(s.technique, len(numbers))
    return numbers


def piece_classes(techniques: Sequence[int]) -> str:
    """Classes for a piece covered by ``techniques`` (priority order); mirrored by ``_SCRIPT``'s restyle."""
    classes = ["pc"]
    seen: set[int] = set()
    for t in techniques:
        if t in seen:
            continue
        if not seen:
            classes.append(f"b{t}")
        elif len(seen) <= MAX_UNDERLINES:
            classes.append(f"l{len(seen)}-{t}")
        seen.add(t)
    return " ".join(classes)


# ---------------------------------------------------------------- static assets


def _static(name: str) -> str:
    """CSS and JS live beside this module as files (readable, lintable); they are inlined into the report."""
    return (resources.files("unspin.render") / "static" / name).read_text(encoding="utf-8")


_BASE_CSS = _static("report.css")

# Reads the span data, builds the details box with textContent only (no innerHTML: span text is data),
# and re-derives piece classes when a technique is hidden, with the same rule as ``piece_classes``.
_SCRIPT = _static("report.js")


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline ``<script>``/``<style>`` content."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _colour(technique: str, number: int) -> str:
    return PALETTE.get(technique) or _UNKNOWN_COLOURS[number % 2]


def _technique_css(numbers: dict[str, int]) -> str:
    """Per-technique classes: ``k`` swatch/badge, ``b`` piece background, ``l<n>-`` n-th stacked underline."""
    rules = []
    for technique, n in numbers.items():
        c = _colour(technique, n)
        rules.append(f".k{n}{{background:{c};border-color:{c}}}.badge.k{n}{{background:{c}{_TINT}}}")
        rules.append(f"mark.b{n}{{background:{c}{_TINT}}}")
        # The n-th underline is a 3px band n*3px below the text; earlier bands paint over later ones.
        rules.extend(f".l{lv}-{n}{{--u{lv}:0 {3 * lv}px 0 0 {c}}}" for lv in range(1, MAX_UNDERLINES + 1))
    return "\n".join(rules)


# ---------------------------------------------------------------- sections


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def json_for_script(data: object) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>``, ``&`` and the JS line separators are \\u-escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _data(analysis: Analysis, numbers: dict[str, int]) -> dict[str, object]:
    used = {s.technique for s in analysis.spans}
    return {
        "maxUnderlines": MAX_UNDERLINES,
        "techniques": {
            t: {"i": numbers[t], "name": pretty(t), "definition": TECHNIQUE_DEFINITIONS.get(t, "")}
            for t in sorted(used, key=numbers.__getitem__)
        },
        "spans": [
            {"t": s.technique, "c": round(s.confidence, 4), "x": s.text, "p": s.paragraph}
            for s in analysis.spans
        ],
    }


def _display_title(analysis: Analysis) -> str:
    return analysis.title or analysis.source.name or analysis.source.url or "Untitled text"


def _header(analysis: Analysis) -> str:
    src, model = analysis.source, analysis.model
    facts: list[tuple[str, str]] = [("Source", src.kind + (f" · {src.name}" if src.name else ""))]
    if src.url and src.url != src.name:
        facts.append(("URL", src.url))  # plain text, never a link: the report must not point anywhere
    facts.append(("Model", f"{model.name} {model.version} · {model.engine} · {model.precision}"))
    counts = (
        plural(len(analysis.text.split()), "word"),
        plural(len(analysis.paragraphs), "paragraph"),
        plural(len(analysis.spans), "span"),
    )
    facts.append(("Text", " · ".join(counts)))
    facts.append(("Analyzed", analysis.created_at.strftime("%Y-%m-%d %H:%M %Z").strip()))
    items = "".join(f"<div><dt>{_esc(k)}</dt><dd>{_esc(v)}</dd></div>" for k, v in facts)
    return (
        '<header><p class="brand">unspin report</p>'
        f"<h1>{_esc(_display_title(analysis))}</h1>"
        f'<dl class="meta">{items}</dl>{gist_html(analysis)}</header>'
    )


def _legend_rows(analysis: Analysis) -> list[tuple[str, str, str, int, int]]:
    """``(technique, name, definition, spans, paragraphs)``: the summary, plus any technique it left out."""
    counts = Counter(s.technique for s in analysis.spans)
    # A summary row without a span (a hand-edited or foreign JSON) has nothing to colour or filter.
    rows = [
        (s.technique, s.name, s.definition, s.count, s.paragraphs) for s in analysis.techniques if s.technique in counts
    ]
    listed = {r[0] for r in rows}
    paras: dict[str, set[int]] = defaultdict(set)
    for s in analysis.spans:
        paras[s.technique].add(s.paragraph)
    for t, n in counts.items():
        if t not in listed:
            rows.append((t, pretty(t), TECHNIQUE_DEFINITIONS.get(t, ""), n, len(paras[t])))
    return rows


def _legend(analysis: Analysis, numbers: dict[str, int]) -> str:
    rows = _legend_rows(analysis)
    parts = ['<aside class="legend" aria-label="Techniques">']
    if rows:
        parts.append(
            "<h2>Techniques found</h2>"
            '<p class="hint js-only">Hover, tap or focus a highlight (Enter) for details. '
            "Untick a technique to hide it.</p><ul>"
        )
        for technique, name, definition, count, n_paras in rows:
            n = numbers[technique]
            parts.append(
                f'<li><label title="{_esc(definition)}">'
                f'<input type="checkbox" checked data-t="{_esc(technique)}">'
                f'<span class="sw k{n}"></span><span class="ln">{_esc(name)}</span>'
                f'<span class="ct" title="{plural(count, "span")} in {n_paras} ¶">{count}</span>'
                f'<span class="def">{_esc(definition)}</span></label></li>'
            )
        parts.append("</ul>")
    else:
        parts.append('<h2>Techniques</h2><p class="none">No persuasion techniques found in this text.</p>')
    missing = [t for t in TECHNIQUES if t not in {r[0] for r in rows}]
    if missing:
        parts.append(f"<details><summary>Not found ({len(missing)})</summary><ul>")
        parts.extend(
            f'<li><span class="sw k{numbers[t]}"></span><span>{_esc(pretty(t))}'
            f'<span class="def">{_esc(TECHNIQUE_DEFINITIONS[t])}</span></span></li>'
            for t in missing
        )
        parts.append("</ul></details>")
    parts.append("</aside>")
    return "".join(parts)


def _piece_html(analysis: Analysis, piece: Piece, numbers: dict[str, int]) -> str:
    text = _esc(analysis.text[piece.start : piece.end])
    if not piece.spans:
        return text
    techniques = [analysis.spans[i].technique for i in piece.spans]
    return (
        f'<mark class="{piece_classes([numbers[t] for t in techniques])}" '
        f'data-s="{" ".join(map(str, piece.spans))}" data-t="{_esc(" ".join(techniques))}" '
        f'tabindex="0">{text}</mark>'
    )


def _times(n: int) -> str:
    return f" ×{n}" if n > 1 else ""


def _badges(spans: Sequence[TechniqueSpan], numbers: dict[str, int], paragraph: int) -> str:
    counts = Counter(s.technique for s in spans)
    if not counts:
        return ""
    items = "".join(
        f'<li class="badge k{numbers[t]}" data-t="{_esc(t)}">{_esc(pretty(t))}{_times(n)}</li>'
        for t, n in sorted(counts.items(), key=lambda c: (-c[1], numbers[c[0]]))
    )
    return f'<ul class="badges" aria-label="Techniques in paragraph {paragraph + 1}">{items}</ul>'


def mention_ranges(analysis: Analysis) -> list[tuple[int, int, int]]:
    """``(start, end, entity index)`` of every non-empty entity mention."""
    return [
        (m.start, m.end, i) for i, e in enumerate(analysis.entities) for m in e.mentions if m.start < m.end
    ]


def _paragraph_body(
    analysis: Analysis, p: Paragraph, numbers: dict[str, int], mentions: Sequence[tuple[int, int, int]]
) -> str:
    """The paragraph's pieces, with each run inside the same entities' mentions wrapped in ``mark.ent``."""
    inside = [(max(s, p.start), min(e, p.end), i) for s, e, i in mentions if max(s, p.start) < min(e, p.end)]
    pieces = cut_pieces(p.start, p.end, analysis.spans, numbers, (c for s, e, _ in inside for c in (s, e)))

    def entities(piece: Piece) -> str:
        return " ".join(map(str, sorted({i for s, e, i in inside if s <= piece.start and piece.end <= e})))

    parts = []
    for key, run in groupby(pieces, key=entities):
        body = "".join(_piece_html(analysis, piece, numbers) for piece in run)
        parts.append(f'<mark class="ent" data-entity="{key}">{body}</mark>' if key else body)
    return "".join(parts)


def _article(analysis: Analysis, numbers: dict[str, int]) -> str:
    by_paragraph: dict[int, list[TechniqueSpan]] = defaultdict(list)
    for s in analysis.spans:
        by_paragraph[s.paragraph].append(s)
    mentions = mention_ranges(analysis)
    parts = ['<article id="article">']
    for p in analysis.paragraphs:
        body = _paragraph_body(analysis, p, numbers, mentions)
        number = p.index + 1  # people count paragraphs from 1
        parts.append(
            f'<div class="para" id="{paragraph_id(p.index)}"><div class="margin"><span class="pn">¶ {number}</span>'
            f"{_badges(by_paragraph.get(p.index, []), numbers, p.index)}</div>"
            f'<p class="ptext" data-i="{p.index}">{body}</p></div>'
        )
    if not analysis.paragraphs:
        parts.append('<p class="none">(The text is empty.)</p>')
    parts.append("</article>")
    return "".join(parts)


def _footer(analysis: Analysis) -> str:
    return (
        f"<footer>Made by unspin {_esc(analysis.unspin_version)} (schema {_esc(analysis.schema_version)}). "
        "Highlights are a model's guesses: read them as prompts to look closer, not as verdicts.</footer>"
    )


def render_html(analysis: Analysis) -> str:
    """The full report as one self-contained HTML document."""
    numbers = technique_numbers(analysis.spans)
    data = json_for_script(_data(analysis, numbers))
    css = _BASE_CSS + _technique_css(numbers) + "\n"
    csp = (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(_SCRIPT)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en" class="nojs">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'  # stops the browser asking a server for /favicon.ico
        f"<title>{_esc(_display_title(analysis))} · unspin</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        f"{_header(analysis)}\n{findings_html(analysis)}\n<main>\n{_legend(analysis, numbers)}\n{_article(analysis, numbers)}\n</main>\n"
        f"{_footer(analysis)}\n"
        '<div id="tip" class="tip" role="tooltip" hidden></div>\n'
        f'<script type="application/json" id="unspin-data">{data}</script>\n'
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )
