"""Renderers of an ``Analysis``: JSON for machines, a rich terminal summary, a self-contained HTML report."""

from __future__ import annotations

from unspin.render.html import render_html
from unspin.render.json import to_json
from unspin.render.text import render_text

__all__ = ["render_html", "render_text", "to_json"]
