"""The HTML view of an analysis: one renderer for the static report and the web app.

``render_html`` writes the self-contained report: one file, no external request of any kind, inline CSS
and one inline script (``static/view.js``), both pinned by hash in a Content-Security-Policy with
``default-src 'none'``. ``view_html`` is the same view as a fragment, which the web app asks the server for
(``GET /api/analyses/{id}/view``) and shows with the same script, served as a file, plus the analysts'
reviews (``facts.Reviews``). Neither the app nor the report builds any of the view in JavaScript: the
script only adds behaviour (details box, filters, entity marks, paragraph jumps).

Every string from the analysis goes through ``html.escape``; the span data travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, so no text can close it.

Layout: the title and a line of facts; any warnings; then the verdict, the article and, beside it on a
wide screen (below it, folded, on a phone), the legend and the findings panels.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources

from unspin.analysis import Analysis
from unspin.render.article import ViewSpans, article_html, legend_html
from unspin.render.claims import claims_html
from unspin.render.facts import STRENGTH_NOTE, Reviews, display_title, undetectable
from unspin.render.palette import MAX_UNDERLINES, technique_css, technique_numbers
from unspin.render.panels import entities_html, esc, narratives_html, num, panel
from unspin.render.pieces import cut_pieces, piece_classes
from unspin.taxonomy import TECHNIQUE_DEFINITIONS, pretty

__all__ = [
    "MAX_UNDERLINES",
    "csp_hash",
    "cut_pieces",
    "json_for_script",
    "piece_classes",
    "render_html",
    "technique_numbers",
    "view_html",
]


def static_file(name: str) -> str:
    """CSS and JS live beside this module as files (readable, lintable); the report inlines them."""
    return (resources.files("unspin.render") / "static" / name).read_text(encoding="utf-8")


BASE_CSS = static_file("report.css")
SCRIPT = static_file("view.js")  # the one script of the view, in the report and in the web app


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline ``<script>``/``<style>`` content."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def json_for_script(data: object) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>``, ``&`` and the JS line separators are \\u-escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _numbers(analysis: Analysis, view: ViewSpans) -> dict[str, int]:
    numbers = technique_numbers(view.spans)
    for t in undetectable(analysis):
        numbers.setdefault(t, len(numbers))
    return numbers


def _data(view: ViewSpans, numbers: dict[str, int]) -> dict[str, object]:
    used = {s.technique for s in view.spans}
    return {
        "maxUnderlines": MAX_UNDERLINES,
        "techniques": {
            t: {"i": numbers[t], "name": pretty(t), "definition": TECHNIQUE_DEFINITIONS.get(t, "")}
            for t in sorted(used, key=numbers.__getitem__)
        },
        "spans": [view.data(i) for i in range(len(view.spans))],
    }


def _about(analysis: Analysis) -> str:
    """Everything else a reader may want to check: frames, source, model, timings, how to read strength."""
    src, model = analysis.source, analysis.model
    rows: list[tuple[str, str]] = []
    if analysis.frames:
        frames = ", ".join(
            f'<span title="{esc(f.definition)}">{esc(f.name)}</span>{num(f.confidence)}'
            for f in analysis.frames
        )
        rows.append(("Frames", frames))
    rows.append(("Source", esc(src.kind + (f" · {src.name}" if src.name else ""))))
    if src.url and src.url != src.name:
        rows.append(("URL", esc(src.url)))  # plain text, never a link: the report must not point anywhere
    rows.append(("Model", esc(f"{model.name} {model.version} · {model.engine} · {model.precision}")))
    if model.languages:
        rows.append(("Trained on", esc(", ".join(model.languages))))
    if (total := analysis.timings_ms.get("total")) is not None:
        rows.append(("Time", f"{total:,.0f} ms"))
    rows.append(("Schema", esc(f"{analysis.schema_version} · unspin {analysis.unspin_version}")))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    note = (
        f'<p class="hint">{esc(STRENGTH_NOTE)} Highlights are a model’s guesses: read them as prompts to look '
        "closer, not as verdicts.</p>"
    )
    return panel("about", "About this analysis", f'<dl class="facts">{body}</dl>{note}', opened=False)


def view_html(analysis: Analysis, reviews: Reviews | None = None, *, auto: bool = False) -> str:
    """The view as a fragment: ``<div class="view">`` holding everything, its span data and details box.

    ``reviews`` (web app): analysts' verdicts to show, and places for their buttons. ``auto``: the script
    starts by itself (the static report); the web app starts it with its own hooks.
    """
    from unspin.render.verdict import header_html, verdict_html, warnings_html

    view = ViewSpans.of(analysis, reviews or Reviews())
    numbers = _numbers(analysis, view)
    side = "".join(
        (
            legend_html(analysis, numbers),
            narratives_html(analysis, reviews),
            entities_html(analysis, reviews),
            claims_html(analysis, reviews),
            _about(analysis),
        )
    )
    return (
        f'<div class="view"{" data-auto" if auto else ""}>'
        '<a class="skip" href="#article">Skip to the article</a>'
        f"{header_html(analysis)}{warnings_html(analysis)}"
        f'<div class="layout">{verdict_html(analysis)}{article_html(analysis, view, numbers)}'
        f'<aside class="side" aria-label="Findings">{side}</aside></div>'
        '<div id="tip" class="tip" role="dialog" aria-label="Technique details" hidden></div>'
        f'<script type="application/json" id="unspin-data">{json_for_script(_data(view, numbers))}</script>'
        "</div>"
    )


def render_html(analysis: Analysis) -> str:
    """The full report as one self-contained HTML document."""
    numbers = technique_numbers(analysis.spans)
    css = BASE_CSS + technique_css(numbers) + "\n"
    # img-src data: only for the blank favicon, which stops the browser asking a server for /favicon.ico.
    csp = (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(SCRIPT)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en" class="nojs">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(display_title(analysis))} · unspin</title>\n"
        f'<style>{css}</style>\n</head>\n<body class="report">\n<main>{view_html(analysis, auto=True)}</main>\n'
        f"<footer>Made by unspin {esc(analysis.unspin_version)} (schema {esc(analysis.schema_version)}). "
        "Highlights are a model’s guesses: read them as prompts to look closer, not as verdicts.</footer>\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
