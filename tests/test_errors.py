"""Typed errors: the CLI's sentence keeps its advice, the API's drops it, and HTTP statuses follow the type."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.errors import (
    EXIT_BAD_INPUT,
    EXIT_NETWORK,
    EXIT_REFUSED,
    BadInput,
    ForbiddenTarget,
    NetworkError,
    Refused,
    TooLarge,
    UnspinError,
    UnsupportedScheme,
)
from unspin.ingest import load_source, source_from_text
from unspin.ingest.addresses import _vet
from unspin.serve.problems import status_for


def test_message_and_hint_are_kept_apart() -> None:
    err = TooLarge("The text is 9 bytes (UTF-8), over the limit of 5 bytes", "pass --max-bytes 9 or more")
    assert str(err) == "The text is 9 bytes (UTF-8), over the limit of 5 bytes; pass --max-bytes 9 or more."
    assert err.message == "The text is 9 bytes (UTF-8), over the limit of 5 bytes."
    plain = BadInput("Nothing to analyze: the text is empty.")
    assert str(plain) == plain.message == "Nothing to analyze: the text is empty."


def test_exit_codes_are_stable_for_the_subclasses() -> None:
    assert (
        TooLarge("x").exit_code
        == ForbiddenTarget("x").exit_code
        == UnsupportedScheme("x").exit_code
        == EXIT_REFUSED
    )
    assert isinstance(TooLarge("x"), Refused) and isinstance(ForbiddenTarget("x"), Refused)
    assert BadInput("x").exit_code == EXIT_BAD_INPUT and NetworkError("x").exit_code == EXIT_NETWORK


@pytest.mark.parametrize(
    ("err", "status"),
    [
        # The message says nothing of limits, yet the type decides: no searching the text.
        (TooLarge("Refusing it"), 413),
        (ForbiddenTarget("the limit of private addresses"), 403),
        (UnsupportedScheme("larger than life"), 403),
        (Refused("some other policy"), 403),
        (NetworkError("timed out"), 502),
        (BadInput("empty"), 400),
        (UnspinError("a bug"), 500),
    ],
)
def test_http_status_follows_the_type(err: UnspinError, status: int) -> None:
    assert status_for(err) == status


def test_ingest_raises_the_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(TooLarge) as big:
        source_from_text("x" * 20, max_bytes=10)
    assert "--max-bytes 20" in str(big.value) and "--" not in big.value.message
    with pytest.raises(UnsupportedScheme):
        load_source("ftp://example.org/a.txt")
    with pytest.raises(ForbiddenTarget) as private:
        _vet("http://127.0.0.1/", allow_private=False, deadline=1e12)
    assert "--allow-private" in str(private.value) and "--allow-private" not in private.value.message


def test_a_folder_suggests_batch(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as err:
        load_source(str(tmp_path))
    assert "is a folder" in str(err.value) and "unspin batch" in str(err.value)
