"""An analyze request's text, URL or HTML -> the ``Source`` to analyze, with the CLI's checks and limits.

URLs go through ``unspin.ingest``'s fetcher unchanged: http(s) only, every address the host resolves to
checked (no loopback, private, link-local or reserved targets, also after redirects), bounded size and
time. These calls block (network, HTML parsing), so the app runs them on a worker thread.
"""

from __future__ import annotations

from unspin.analysis import SourceInfo
from unspin.errors import BadInput, UnsupportedScheme
from unspin.ingest import Source, load_source, source_from_text
from unspin.ingest.html import extract_html
from unspin.serve.config import Settings
from unspin.serve.models import AnalyzeRequest


def source_for(request: AnalyzeRequest, settings: Settings) -> Source:
    limit = settings.run.max_bytes
    if request.text is not None:
        return source_from_text(request.text, title=request.title, max_bytes=limit)
    if request.url is not None:
        url = request.url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise UnsupportedScheme("Only http and https URLs can be analyzed.")
        return load_source(
            url,
            title=request.title,
            max_bytes=limit,
            allow_private=settings.allow_private_urls,
            timeout=settings.fetch_timeout_s,
        )
    html = request.html or ""
    if not html.strip():
        raise BadInput("Nothing to analyze: the HTML is empty.")
    text, page_title = extract_html(html)
    if not text.strip():
        raise BadInput("No article text could be extracted from the HTML: the page has no visible text.")
    checked = source_from_text(text, title=request.title or page_title, max_bytes=limit)
    info = SourceInfo(kind="html", bytes=len(html.encode("utf-8", "replace")), extracted=True)
    return Source(text=checked.text, title=checked.title, info=info)
