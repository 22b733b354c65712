"""The FastAPI app: REST API under /api, the single-page web app, health and OpenAPI docs.

``create_app(settings, analyzer)`` builds one app (tests pass a shared analyzer); ``app_from_env`` is the
factory uvicorn calls in each worker process, which loads the model once for that worker.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from unspin.errors import UnspinError
from unspin.serve import assets
from unspin.serve.config import Settings
from unspin.serve.engine import AnalysisPool, Outcome, Overloaded
from unspin.serve.feedback_api import feedback_routes
from unspin.serve.inputs import source_for
from unspin.serve.models import (
    AnalysisPage,
    AnalysisRecord,
    AnalysisSummary,
    AnalyzeRequest,
    ClaimSearchHit,
    Health,
    Meta,
    TechniqueInfo,
)
from unspin.serve.problems import problem, responses, status_for
from unspin.serve.security import Guard
from unspin.serve.views import summarize, view_routes
from unspin.store import analyses as store
from unspin.store.db import Database
from unspin.version import __version__

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer

MAX_FETCHES = 4  # URL fetches and HTML extractions at once, per worker


def record_json(outcome: Outcome, feedback: list[store.Feedback] | None = None) -> Response:
    """The response body assembled around the stored JSON text: no parse and re-serialize of ~50 kB."""
    stored = outcome.stored
    head = {
        "id": stored.id if stored else None,
        "cached": outcome.cached,
        "created_at": stored.created_at if stored else None,
        "feedback": [_feedback_dict(f) for f in feedback or []],
    }
    prefix = json.dumps(head, ensure_ascii=False)[:-1]
    body = f'{prefix}, "analysis": {outcome.analysis_json}}}'
    return Response(body.encode("utf-8"), media_type="application/json")


def _feedback_dict(f: store.Feedback) -> dict[str, Any]:
    return {
        "target": f.target, "key": f.key, "verdict": f.verdict, "technique": f.technique,
        "start": f.start, "end": f.end, "note": f.note, "created_at": f.created_at,
    }  # fmt: skip


def create_app(settings: Settings, analyzer: Analyzer | None = None) -> Guard:
    """The app behind its security middleware (``Guard``); ``.app`` is the FastAPI app itself."""
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        model = analyzer
        database = Database(settings.run.db)
        database.conn()  # create and migrate up front, so a bad --db fails at start
        if model is None:
            from unspin.analyzer import Analyzer
            from unspin.claims.known import KnownClaims

            # Spotted claims are matched against the same database the analyses are stored in.
            known = KnownClaims.for_options(settings.run.with_(db=database.path))
            if known is not None:
                # Opens the database and embeds claims imported since the last run, before any request.
                await asyncio.to_thread(known.size)
            model = Analyzer(options=settings.run, known_claims=known)  # once per worker process
        state["db"] = database
        state["pool"] = AnalysisPool(model, database, settings.max_queue, settings.max_wait_s)
        try:
            yield
        finally:
            state["pool"].close()  # finishes the analysis in flight, so its commit is not cut short
            database.close()

    app = FastAPI(
        title="unspin",
        version=__version__,
        description="Analyze news articles for persuasion techniques, narratives, entity roles and "
        "known debunked claims. Every analysis is stored; errors are JSON `{error, status}`.",
        docs_url=None,  # FastAPI's Swagger page loads from a CDN; /docs is served from our own files
        redoc_url=None,
        lifespan=lifespan,
    )

    fetches = asyncio.Semaphore(MAX_FETCHES)

    def pool() -> AnalysisPool:
        return state["pool"]  # type: ignore[no-any-return]

    def conn() -> sqlite3.Connection:
        return state["db"].conn()  # type: ignore[no-any-return]

    @app.exception_handler(UnspinError)
    async def unspin_error(request: Request, err: UnspinError) -> JSONResponse:
        # err.message leaves out the command-line hint ("pass --max-bytes ..."): an API user cannot take it.
        return problem(status_for(err), err.message)

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, err: Overloaded) -> JSONResponse:
        return problem(503, str(err), {"Retry-After": str(err.retry_after)})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
        return problem(422, f"{where}: {message}" if where else message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSONResponse:
        return problem(err.status_code, str(err.detail), err.headers)

    @app.exception_handler(Exception)
    async def internal(request: Request, err: Exception) -> JSONResponse:
        return problem(500, f"Internal error: {err.__class__.__name__}.")

    @app.get("/healthz", response_model=Health, tags=["service"])
    async def healthz() -> Health:
        return Health(status="ok", version=__version__)

    @app.get("/api/meta", response_model=Meta, tags=["service"], responses=responses())
    async def meta() -> Meta:
        from unspin.render.palette import technique_numbers
        from unspin.taxonomy import TECHNIQUE_DEFINITIONS, TECHNIQUES, pretty

        numbers = technique_numbers([])
        has_claims = await asyncio.to_thread(_has_claims, conn)
        return Meta(
            version=__version__, model=pool().model_version, token_required=settings.token is not None,
            claims=has_claims,
            techniques=[TechniqueInfo(technique=t, name=pretty(t), definition=TECHNIQUE_DEFINITIONS.get(t, ""),
                                      number=numbers[t]) for t in TECHNIQUES],
        )  # fmt: skip

    @app.post(
        "/api/analyze",
        response_model=AnalysisRecord,
        tags=["analyses"],
        responses=responses(400, 403, 413, 415, 422, 502, 503),
        summary="Analyze text, a URL or HTML; stored and deduplicated by input and model version",
    )
    async def analyze(body: AnalyzeRequest) -> Response:
        if body.text is not None:
            source = source_for(body, settings)  # checks only: no need for a thread
        else:
            # Fetching and HTML extraction block; a few at a time, so slow sites cannot take every thread.
            if fetches.locked():
                raise Overloaded(retry_after=2)
            async with fetches:
                source = await asyncio.to_thread(source_for, body, settings)
        outcome = await pool().run(source, keep=body.store)
        feedback = []
        if outcome.cached and outcome.stored is not None:
            seq = outcome.stored.seq
            feedback = await asyncio.to_thread(lambda: store.feedback_for(conn(), seq))
        return record_json(outcome, feedback)

    @app.get("/api/analyses", response_model=AnalysisPage, tags=["analyses"], responses=responses(422))
    async def list_analyses(
        q: Annotated[str | None, Query(max_length=500, description="Words in the title or text")] = None,
        limit: Annotated[int, Query(ge=1, le=store.MAX_PAGE)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> AnalysisPage:
        def load() -> tuple[list[AnalysisSummary], int]:
            rows, total = store.page(conn(), q, limit, offset)
            return [summarize(conn(), r) for r in rows], total

        items, total = await asyncio.to_thread(load)
        return AnalysisPage(items=items, total=total, limit=limit, offset=offset)

    @app.get(
        "/api/analyses/{analysis_id}",
        response_model=AnalysisRecord,
        tags=["analyses"],
        responses=responses(404),
    )
    async def get_analysis(analysis_id: str) -> Response:
        def load() -> tuple[store.StoredAnalysis | None, list[store.Feedback]]:
            row = store.get(conn(), analysis_id)
            if row is not None:
                row = pool().refresh(row)  # re-matched if the known claims changed since
            return row, (store.feedback_for(conn(), row.seq) if row else [])

        row, feedback = await asyncio.to_thread(load)
        if row is None:
            return problem(404, "No analysis with that id.")
        return record_json(Outcome(row, row.json, cached=True), feedback)

    @app.delete("/api/analyses/{analysis_id}", status_code=204, tags=["analyses"], responses=responses(404))
    async def delete_analysis(analysis_id: str) -> Response:
        if not await asyncio.to_thread(lambda: store.delete(conn(), analysis_id)):
            return problem(404, "No analysis with that id.")
        return Response(status_code=204)

    @app.get(
        "/api/claims/search",
        response_model=list[ClaimSearchHit],
        tags=["claims"],
        responses=responses(400, 404, 422),
    )
    async def claims_search(
        q: Annotated[str, Query(min_length=1, max_length=2000)],
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> Any:
        from unspin.claims.search import search, similarities
        from unspin.store.fts import fts_query

        if fts_query(q) is None:
            return problem(400, "The query has no words to search for.")
        if not await asyncio.to_thread(_has_claims, conn):
            return problem(404, "The known-claims database is empty: run `unspin claims import --bundled`.")
        found = [c for c, _ in await asyncio.to_thread(lambda: search(conn(), q, limit))]
        known = pool().analyzer.known_claims
        sims: list[float | None] = [None] * len(found)
        if known is not None:
            sims = await asyncio.to_thread(lambda: similarities(conn(), known.encoder(), q, found))
        return [
            ClaimSearchHit(id=c.id or 0, title=c.title, summary=c.summary, disproof=c.disproof, verdict=c.verdict,
                           source=c.source, date=c.date, url=c.url, similarity=sim)
            for c, sim in zip(found, sims, strict=True)
        ]  # fmt: skip

    app.include_router(feedback_routes(conn))
    app.include_router(view_routes(conn, lambda row: pool().refresh(row)))
    assets.mount(app)
    return Guard(
        app,
        token=settings.token,
        max_body=settings.max_body_bytes,
        rate=settings.rate_per_s,
        burst=settings.rate_burst,
        hosts=settings.hosts(),
    )


def _has_claims(conn: Callable[[], sqlite3.Connection]) -> bool:
    return bool(conn().execute("SELECT EXISTS (SELECT 1 FROM claims)").fetchone()[0])


def app_from_env() -> Guard:
    """uvicorn's factory in each worker: settings from the environment (see config.SETTINGS_ENV)."""
    return create_app(Settings.from_env())
