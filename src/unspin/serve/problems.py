"""Errors as the API answers them: JSON ``{error, status}``, the status chosen by the error's type.

``responses(...)`` documents, per operation, only the errors that operation can answer, each with what
it means, so that /docs does not list every status on every endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse

from unspin.errors import BadInput, NetworkError, Refused, TooLarge, UnspinError
from unspin.serve.models import Problem

# Most specific first: a TooLarge is also a Refused.
STATUS_BY_ERROR: tuple[tuple[type[UnspinError], int], ...] = (
    (TooLarge, 413),
    (Refused, 403),  # ForbiddenTarget, UnsupportedScheme, and any other policy refusal
    (NetworkError, 502),
    (BadInput, 400),
)

MEANING: dict[int, str] = {
    400: "Bad input: empty, binary or undecodable text, or no article in the page",
    401: "A token is required: Authorization: Bearer <token>",
    403: "Refused URL: not http(s), or a loopback, private or reserved address",
    404: "No such analysis (or nothing to search)",
    413: "Over the request body or text size limit",
    415: "The body is not JSON",
    422: "The request does not match its schema",
    429: "Rate-limited: too many requests from this client",
    502: "The URL could not be fetched",
    503: "Busy: retry after Retry-After seconds",
}
ALWAYS = (401, 429)  # the token and the rate limit guard every /api/ call


def status_for(err: UnspinError) -> int:
    """The HTTP status of an error, by its type."""
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(err, kind)), 500)


def problem(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for an operation: these errors (and 401, 429), each with its meaning."""
    return {code: {"model": Problem, "description": MEANING[code]} for code in sorted({*codes, *ALWAYS})}
