"""The analysis view for the web app, rendered by the same code as the static report, and history rows.

``GET /api/analyses/{id}/view`` answers the HTML fragment of ``unspin.render.html.view_html`` with the
analysts' reviews of that analysis: the page inserts it and starts the shared view script on it, so the
report and the app have one renderer. Like every ``/api/`` call it needs the token when one is set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from unspin.analysis import Analysis
from unspin.render.facts import Reviews, display_title, repeats
from unspin.render.html import view_html
from unspin.serve.models import AnalysisSummary
from unspin.serve.problems import problem, responses
from unspin.store import analyses as store


def reviews_of(feedback: Sequence[store.Feedback]) -> Reviews:
    verdicts = {(f.target, f.key): f.verdict for f in feedback if f.verdict != "missed"}
    missed = [
        (f.technique, f.start, f.end)
        for f in feedback
        if f.verdict == "missed" and f.technique and f.start is not None and f.end is not None
    ]
    return Reviews(verdicts, missed)


def summarize(conn: Any, row: store.StoredAnalysis) -> AnalysisSummary:
    """A history row: title (or first words), counts, genre, and how many verdicts analysts gave."""
    full = store.get(conn, row.id)  # store.page leaves the JSON out; counts need it
    analysis = _parse(full.json) if full is not None else None
    reviewed = len(store.feedback_for(conn, row.seq))
    if analysis is None:
        return AnalysisSummary(
            id=row.id, title=row.title or "Untitled text", source=row.source, created_at=row.created_at,
            spans=row.spans, reviewed=reviewed, model_version=row.model_version,
        )  # fmt: skip
    return AnalysisSummary(
        id=row.id,
        title=row.title or display_title(analysis),
        source=row.source,
        created_at=row.created_at,
        spans=row.spans,
        words=len(analysis.text.split()),
        techniques=len({s.technique for s in analysis.spans}),
        narratives=len(analysis.narratives),
        claims_matched=sum(1 for c in analysis.claims if repeats(c)),
        genre=analysis.genre.label if analysis.genre else None,
        reviewed=reviewed,
        model_version=row.model_version,
    )


def _parse(stored: str) -> Analysis | None:
    """The stored analysis, or None when it does not validate (written by another version, or by hand)."""
    try:
        return Analysis.model_validate_json(stored)
    except ValidationError:
        return None


def view_routes(
    conn: Callable[[], Any], refresh: Callable[[store.StoredAnalysis], store.StoredAnalysis] = lambda row: row
) -> APIRouter:
    router = APIRouter(tags=["analyses"])

    @router.get(
        "/api/analyses/{analysis_id}/view",
        response_class=HTMLResponse,
        responses=responses(404),
        summary="The analysis as an HTML fragment: the static report's view, with the analysts' reviews",
    )
    async def view(analysis_id: str) -> Response:
        def render() -> str | int:
            row = store.get(conn(), analysis_id)
            if row is None:
                return 404
            analysis = _parse(refresh(row).json)
            if analysis is None:
                return 500
            return view_html(analysis, reviews_of(store.feedback_for(conn(), row.seq)))

        fragment = await asyncio.to_thread(render)
        if fragment == 404:
            return problem(404, "No analysis with that id.")
        if not isinstance(fragment, str):
            return problem(
                500, "The stored analysis does not match this version's schema: it cannot be shown."
            )
        return HTMLResponse(fragment)  # every /api/ answer is no-store (security.Guard)

    return router


__all__ = ["reviews_of", "summarize", "view_routes"]
