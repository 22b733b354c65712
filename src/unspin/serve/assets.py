"""The web app's files, served by the app itself: no CDN, no build step, nothing inline.

The page reuses the static report's stylesheet (``unspin/render/static/report.css``: article, legend,
highlights, details box, panels) and its per-technique colour classes (``palette.css``, generated once
from the report's palette), and adds ``app.css``/``app.js`` for the app's own parts. All are separate
files, so the CSP can say ``script-src 'self'; style-src 'self'`` with no hashes and no 'unsafe-inline'.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
APP_FILES = ("index.html", "app.js", "article.js", "panels.js", "app.css", "docs.html", "docs.js")


@cache
def static_file(name: str) -> bytes:
    if name == "report.css":
        return (resources.files("unspin.render") / "static" / "report.css").read_bytes()
    if name == "palette.css":
        return palette_css().encode("utf-8")
    if name not in APP_FILES:
        raise KeyError(name)
    return (resources.files("unspin.serve") / "static" / name).read_bytes()


def palette_css() -> str:
    # The report's own rule generator over the whole taxonomy (numbers = taxonomy order, as /api/meta
    # reports them), plus a grey for labels outside it (another model's).
    from unspin.render.html import _technique_css, technique_numbers

    return _technique_css(technique_numbers([])) + "\n" + _technique_css({"?": 99}).replace("99", "x") + "\n"


def _serve(name: str) -> Response:
    suffix = name[name.rfind(".") :]
    # no-cache: the browser revalidates, so a new unspin version's files are picked up at once.
    return Response(static_file(name), media_type=TYPES[suffix], headers={"Cache-Control": "no-cache"})


def mount(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        return _serve("index.html")

    @app.get("/a/{analysis_id}", include_in_schema=False)
    async def shared(analysis_id: str) -> Response:
        return _serve("index.html")  # the page reads the id from its own address

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return _serve("docs.html")

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        if name not in (*APP_FILES, "report.css", "palette.css") or name.endswith(".html"):
            return JSONResponse({"error": "Not found.", "status": 404}, status_code=404)
        return _serve(name)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)
