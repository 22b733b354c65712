"""schema.org ClaimReview: a single object, an array, an ``@graph``, a ``DataFeed`` (``dataFeedElement[]
.item``) as fact-checkers publish them, or JSON Lines of any of these.

To report a bad element on the line where it starts, the containers along those paths are walked by
hand (``_Walker``) and everything else is parsed by the standard decoder.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from unspin.claims.normalize import (
    is_http_url,
    language_name,
    one_line,
    paragraphs,
    parse_iso_date,
    split_list,
    text_key,
    unique,
    url_key,
)
from unspin.claims.records import KnownClaim, Provenance
from unspin.errors import BadInput

Row = tuple[int, KnownClaim | str]
FORMAT = "claimreview"

# Keys whose values hold further objects of interest (and are walked for their positions).
_CONTAINERS = frozenset({"@graph", "dataFeedElement", "item", "itemListElement"})
_MAX_DEPTH = 16  # containers nested deeper than any real feed: parse the rest without positions
_WS = re.compile(r"[ \t\n\r]*")
_SCHEMA_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)")


class _Walker:
    """Parse JSON like ``json.loads`` and collect ``(offset, value)`` for every object reached through
    containers (the top level, arrays, ``@graph``, ``dataFeedElement``, ``item``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()
        self.found: list[tuple[int, Any]] = []

    def _skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def _expect(self, pos: int, what: str) -> json.JSONDecodeError:
        return json.JSONDecodeError(f"Expecting {what}", self.text, pos)

    def value(self, pos: int, depth: int = 0) -> tuple[Any, int]:
        char = self.text[pos : pos + 1]
        if depth < _MAX_DEPTH and char == "{":
            return self._object(pos, depth)
        if depth < _MAX_DEPTH and char == "[":
            return self._array(pos, depth)
        return self.decoder.raw_decode(self.text, pos)

    def _object(self, start: int, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        pos = self._skip(start + 1)
        if self.text.startswith("}", pos):
            self.found.append((start, out))
            return out, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise self._expect(pos, "property name enclosed in double quotes")
            key, pos = self.decoder.raw_decode(self.text, pos)
            pos = self._skip(pos)
            if not self.text.startswith(":", pos):
                raise self._expect(pos, "':' delimiter")
            pos = self._skip(pos + 1)
            if key in _CONTAINERS:
                out[key], pos = self.value(pos, depth + 1)
            else:
                out[key], pos = self.decoder.raw_decode(self.text, pos)
            pos = self._skip(pos)
            if self.text.startswith(",", pos):
                pos = self._skip(pos + 1)
            elif self.text.startswith("}", pos):
                self.found.append((start, out))
                return out, pos + 1
            else:
                raise self._expect(pos, "',' delimiter")

    def _array(self, start: int, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        pos = self._skip(start + 1)
        if self.text.startswith("]", pos):
            return out, pos + 1
        while True:
            item, end = self.value(pos, depth + 1)
            if not isinstance(item, dict):
                self.found.append((pos, item))  # reported: an array of claims holds only objects
            out.append(item)
            pos = self._skip(end)
            if self.text.startswith(",", pos):
                pos = self._skip(pos + 1)
            elif self.text.startswith("]", pos):
                return out, pos + 1
            else:
                raise self._expect(pos, "',' delimiter")

    def document(self) -> None:
        """Parse the whole text as one JSON value; raises json.JSONDecodeError."""
        pos = self._skip(0)
        _, end = self.value(pos)
        end = self._skip(end)
        if end != len(self.text):
            raise json.JSONDecodeError("Extra data", self.text, end)


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {_SCHEMA_PREFIX.sub("", n) for n in names if isinstance(n, str)}


def _is_claim_review(obj: dict[str, Any]) -> bool:
    types = _types(obj)
    return "ClaimReview" in types or (not types and "claimReviewed" in obj)


def _text(value: Any) -> str:
    """The text of a schema.org value: a string, a Thing's name, a language-tagged ``@value``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or "")
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t.strip()), "")
    return ""


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), None)
    return value if isinstance(value, dict) else {}


def _verdict(review: dict[str, Any]) -> str:
    rating = _first(review.get("reviewRating"))
    name = one_line(_text(rating.get("alternateName")) or _text(rating.get("name")))
    if name:
        return name
    value, best = _text(rating.get("ratingValue")), _text(rating.get("bestRating"))
    return f"{value}/{best}" if value and best else value


def _languages(*values: Any) -> tuple[str, ...]:
    names: list[str] = []
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            text = _text(item) or (_text(item.get("alternateName")) if isinstance(item, dict) else "")
            names.extend(language_name(t) for t in split_list(text, ",;"))
    return unique(names)


def _appearance_url(item: dict[str, Any]) -> str:
    for key in ("firstAppearance", "appearance", "sameAs", "url"):
        value = item.get(key)
        for candidate in value if isinstance(value, list) else [value]:
            url = candidate.get("url") if isinstance(candidate, dict) else candidate
            if isinstance(url, str) and is_http_url(url):
                return url.strip()
    return ""


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return unique(_text(v) for v in value)
    return split_list(_text(value), ",")


def claim_from_review(review: dict[str, Any], source: str, line: int) -> KnownClaim:
    """One ClaimReview object as a KnownClaim; raises ValueError saying what is missing or wrong."""
    claim = one_line(_text(review.get("claimReviewed")))
    if not claim:
        raise ValueError("ClaimReview without claimReviewed")
    url = _text(review.get("url")).strip()
    if url and not is_http_url(url):
        raise ValueError(f"bad url {url[:80]!r}: expected http(s)://…")
    item = _first(review.get("itemReviewed"))
    # The day the claim was made says more about it than the day it was checked; fall back to the latter.
    raw_date = _text(item.get("datePublished")) or _text(review.get("datePublished"))
    day = parse_iso_date(raw_date) if raw_date.strip() else None
    claimant = one_line(_text(item.get("author")))
    headline = one_line(
        _text(review.get("description")) or _text(review.get("headline")) or _text(review.get("name"))
    )
    return KnownClaim(
        title=claim,
        summary=headline if headline != claim else "",
        verdict=_verdict(review),
        disproof=paragraphs(_text(review.get("reviewBody"))),
        source=claimant,
        source_url=_appearance_url(item),
        reviewer=one_line(_text(review.get("author")) or _text(review.get("publisher"))),
        date=day,
        url=url,
        languages=_languages(review.get("inLanguage"), item.get("inLanguage")),
        keywords=_keywords(review.get("keywords")),
        provenance=(Provenance(source, FORMAT, line),),
        # A review page often checks several claims: the URL plus the claim identify one.
        key=url_key(url, claim) if url else text_key(claim, day, claimant),
    )


def _rows_from(found: list[tuple[int, Any]], line_of: Callable[[int], int], source: str) -> Iterator[Row]:
    for offset, value in sorted(found, key=lambda f: f[0]):
        line = line_of(offset)
        if not isinstance(value, dict):
            yield line, f"expected a ClaimReview object, found {type(value).__name__}"
        elif _is_claim_review(value):
            try:
                yield line, claim_from_review(value, source, line)
            except ValueError as err:
                yield line, str(err)
        # Other objects (the DataFeed, its items, an Organization in an @graph) carry no claim.


def read_claimreview(text: str, source: str) -> Iterator[Row]:
    """Rows of a ClaimReview JSON (or JSON Lines) file. Raises BadInput for JSON that cannot be parsed
    (one syntax error makes the rest of a JSON document unreadable) or holds no ClaimReview at all."""
    rows: list[Row]
    if _looks_like_json_lines(text):
        rows = list(_json_lines(text, source))
    else:
        walker = _Walker(text)
        try:
            walker.document()
            breaks = [m.start() for m in re.finditer("\n", text)]
            rows = list(_rows_from(walker.found, lambda off: bisect.bisect_left(breaks, off) + 1, source))
        except json.JSONDecodeError as err:
            if err.msg != "Extra data" or text.lstrip()[:1] != "{":
                raise BadInput(
                    f"{source}:{err.lineno}: not valid JSON ({err.msg}); nothing was imported."
                ) from err
            rows = list(_json_lines(text, source))  # several documents: JSON Lines after all
        except RecursionError as err:
            raise BadInput(f"{source}: JSON nested too deeply to be a claims file.") from err
    if not rows:
        raise BadInput(f'{source} holds no ClaimReview objects ("@type": "ClaimReview").')
    return iter(rows)


def _looks_like_json_lines(text: str) -> bool:
    """One object per line, judged on the first five lines: each starts an object and most close one
    (a broken line may not). A pretty-printed or nested document does not look like that."""
    lines = [line.strip() for line in text.split("\n", 50)[:50] if line.strip()][:5]
    closed = sum(1 for line in lines if line.endswith("}"))
    return len(lines) > 1 and all(line.startswith("{") for line in lines) and 2 * closed >= len(lines)


def _json_lines(text: str, source: str) -> Iterator[Row]:
    """One JSON value per line: a syntax error spoils only its own line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        walker = _Walker(line)
        try:
            walker.document()
        except json.JSONDecodeError as err:
            yield number, f"not valid JSON ({err.msg})"
            continue
        except RecursionError:
            yield number, "JSON nested too deeply"
            continue
        yield from _rows_from(walker.found, _constant(number), source)


def _constant(line: int) -> Callable[[int], int]:
    def line_of(_offset: int) -> int:
        return line

    return line_of
