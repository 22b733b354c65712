"""The API routes of analysts' feedback: a verdict per flag, or a missed span (see ``feedback.py``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from unspin.render.facts import span_key
from unspin.serve.models import FeedbackItem, FeedbackOut
from unspin.serve.problems import responses
from unspin.store import analyses as store
from unspin.store.db import utc_now


def feedback_routes(conn: Callable[[], Any]) -> APIRouter:
    router = APIRouter(tags=["feedback"])

    def missing() -> JSONResponse:
        return JSONResponse({"error": "No analysis with that id.", "status": 404}, status_code=404)

    @router.put(
        "/api/analyses/{analysis_id}/feedback",
        response_model=FeedbackOut,
        responses=responses(404, 413, 415, 422),
    )
    async def put_feedback(analysis_id: str, item: FeedbackItem) -> Any:
        def write() -> FeedbackOut | JSONResponse | None:
            row = store.get(conn(), analysis_id)
            if row is None:
                return None
            key = item.key
            if item.target == "span":
                if item.technique is None or item.start is None or item.end is None:
                    return _bad("A span verdict needs technique, start and end.")
                if item.end > len(json.loads(row.json)["text"]):
                    return _bad("The span ends after the end of the text.")
                key = ("missed:" if item.verdict == "missed" else "") + span_key(
                    item.technique, item.start, item.end
                )
            assert key is not None
            record = store.Feedback(
                item.target, key, item.verdict, item.technique, item.start, item.end, item.note, utc_now()
            )
            store.put_feedback(conn(), row.seq, record)
            return FeedbackOut(**{**record.__dict__})

        result = await asyncio.to_thread(write)
        return missing() if result is None else result

    @router.delete(
        "/api/analyses/{analysis_id}/feedback",
        status_code=204,
        response_model=None,
        responses=responses(404, 422),
    )
    async def delete_feedback(analysis_id: str, target: str, key: str) -> Response:
        def remove() -> bool | None:
            row = store.get(conn(), analysis_id)
            return None if row is None else store.remove_feedback(conn(), row.seq, target, key)

        done = await asyncio.to_thread(remove)
        if done is None:
            return missing()
        if not done:
            return JSONResponse({"error": "No such feedback.", "status": 404}, status_code=404)
        return Response(status_code=204)

    return router


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": 422}, status_code=422)
