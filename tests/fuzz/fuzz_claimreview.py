"""Fuzz target: schema.org ClaimReview JSON (object, array, @graph, DataFeed, JSON Lines), as imported."""

from __future__ import annotations

import json
import sys

import fuzz_runner

with fuzz_runner.instrumented(__name__ == "__main__"):
    from claims_common import import_twice

    from unspin.errors import UnspinError

NAME = "claimreview"
EXPECTED: tuple[type[BaseException], ...] = (UnspinError,)
FORMATS = ("auto", "claimreview")

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://fc.example/review/1",
    "claimReviewed": "5G towers spread the virus",
    "datePublished": "2020-04-03",
    "author": {"@type": "Organization", "name": "Example Check"},
    "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5},
    "itemReviewed": {
        "@type": "Claim",
        "datePublished": "2020-04-01",
        "author": {"@type": "Person", "name": "A blogger"},
        "appearance": [{"@type": "CreativeWork", "url": "https://blog.example/5g"}],
    },
    "inLanguage": {"@type": "Language", "name": "English", "alternateName": "en"},
    "reviewBody": "No virus travels by radio.",
}
FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [{"@type": "DataFeedItem", "item": [REVIEW, {**REVIEW, "claimReviewed": "Second"}]}],
}

SEEDS = [
    b"\x00" + json.dumps(REVIEW, indent=2).encode(),
    b"\x01" + json.dumps([REVIEW, "not an object", {**REVIEW, "claimReviewed": ""}]).encode(),
    b"\x00" + json.dumps(FEED).encode(),
    b"\x00" + json.dumps({"@graph": [{"@type": "WebPage"}, REVIEW]}).encode(),
    b"\x01" + json.dumps(REVIEW).encode() + b"\n{broken\n" + json.dumps(REVIEW).encode() + b"\n",
    b"\x00" + b"[" * 40 + b"]" * 40,
]


def check(data: bytes) -> None:
    if not data:
        return
    import_twice(data[1:], FORMATS[data[0] % len(FORMATS)], ".json")


if __name__ == "__main__":
    fuzz_runner.main(NAME, check, SEEDS, EXPECTED, max_len=8192)
    sys.exit(0)
