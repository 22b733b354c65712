"""Titles for text without one: a headline-like first line, kept in the text (offsets unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.ingest import load_source, source_from_text
from unspin.ingest.titles import first_line_title

BODY = "The minister said on Monday that the talks had failed, and that nobody would be surprised by it."


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (f"Talks fail in Geneva\n\n{BODY}", "Talks fail in Geneva"),
        (f"  Will the talks fail?  \n{BODY}", "Will the talks fail?"),
        (f"2024: the year   talks failed\n{BODY}", "2024: the year talks failed"),
        (f"{BODY}\n{BODY}", None),  # an opening sentence, not a headline
        (f"Talks fail in Geneva.\n{BODY}", None),  # ends like a sentence
        (f"Opinion:\n{BODY}", None),  # one word, a label
        (f"by our correspondent in Kyiv\n{BODY}", None),  # lower case: a byline or a fragment
        ("Talks fail in Geneva", None),  # nothing after it
        ("Talks fail in Geneva again today\nYes.", None),  # the rest is shorter than the "headline"
        (" ".join(["Word"] * 21) + "\n" + BODY * 2, None),  # too long
    ],
)
def test_first_line_title(text: str, title: str | None) -> None:
    assert first_line_title(text) == title


def test_the_title_is_metadata_and_the_text_is_unchanged(tmp_path: Path) -> None:
    text = f"Talks fail in Geneva\n\n{BODY}\n"
    source = source_from_text(text)
    assert source.title == "Talks fail in Geneva" and source.text == text
    assert source_from_text(text, title="Given").title == "Given"  # a given title always wins
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    loaded = load_source(str(path))
    assert loaded.title == "Talks fail in Geneva" and loaded.text == text


def test_an_html_page_keeps_its_own_title(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        f"<!doctype html><html><head><title>Page title</title></head><body><p>Not a title here</p><p>{BODY}</p>"
        "</body></html>",
        encoding="utf-8",
    )
    assert load_source(str(page)).title == "Page title"
