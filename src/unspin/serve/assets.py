"""The web app's files, served by the app itself: no CDN, no build step, nothing inline.

The analysis view is the static report's: its stylesheet and script (``unspin/render/static/report.css``
and ``view.js``) and its per-technique colour classes (``palette.css``, generated once from the report's
palette); ``app.css``/``app.js`` add the app's own parts (the form, history, sharing, analysts' verdicts).
All are separate files, so the CSP can say ``script-src 'self'; style-src 'self'`` with no hashes and no
'unsafe-inline'. Pages answer HEAD as well as GET (link checkers and monitors use it).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
APP_FILES = ("index.html", "app.js", "app.css", "docs.html", "docs.js")
VIEW_FILES = ("report.css", "view.js")  # the view's own files, shared with the static report
PAGE = ["GET", "HEAD"]


@cache
def static_file(name: str) -> bytes:
    if name in VIEW_FILES:
        return (resources.files("unspin.render") / "static" / name).read_bytes()
    if name == "palette.css":
        return palette_css().encode("utf-8")
    if name not in APP_FILES:
        raise KeyError(name)
    return (resources.files("unspin.serve") / "static" / name).read_bytes()


def palette_css() -> str:
    # The report's own rule generator over the whole taxonomy (numbers = taxonomy order, as /api/meta
    # reports them), plus a grey for labels outside it (another model's).
    from unspin.render.palette import technique_css, technique_numbers

    return technique_css(technique_numbers([])) + "\n" + technique_css({"?": 99}).replace("99", "x") + "\n"


def _serve(name: str) -> Response:
    suffix = name[name.rfind(".") :]
    # no-cache: the browser revalidates, so a new unspin version's files are picked up at once.
    return Response(static_file(name), media_type=TYPES[suffix], headers={"Cache-Control": "no-cache"})


def mount(app: FastAPI) -> None:
    @app.api_route("/", methods=PAGE, include_in_schema=False)
    async def index() -> Response:
        return _serve("index.html")

    @app.api_route("/a/{analysis_id}", methods=PAGE, include_in_schema=False)
    async def shared(analysis_id: str) -> Response:
        return _serve("index.html")  # the page reads the id from its own address

    @app.api_route("/docs", methods=PAGE, include_in_schema=False)
    async def docs() -> Response:
        return _serve("docs.html")

    @app.api_route("/static/{name}", methods=PAGE, include_in_schema=False)
    async def static(name: str) -> Response:
        if name not in (*APP_FILES, *VIEW_FILES, "palette.css") or name.endswith(".html"):
            return JSONResponse({"error": "Not found.", "status": 404}, status_code=404)
        return _serve(name)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)
