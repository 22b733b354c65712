"""Errors users can act on, each with a stable process exit code (documented in the README).

An error carries what went wrong (``message``) apart from the command-line advice on what to do about it
(``hint``, e.g. "pass --max-bytes 5000 or more"): the CLI prints both (``str(err)``), the web API only the
message, since an API user cannot pass a flag. The subclasses say *which* refusal it was, so that the
server maps errors to HTTP statuses by type (``TooLarge`` → 413), never by reading the message.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3
EXIT_NETWORK = 4


class UnspinError(Exception):
    """Base class: ``str(err)`` is one sentence for stderr; ``exit_code`` is what the CLI returns."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message if message.endswith((".", "?", "!")) else message + "."
        self.hint = hint
        text = f"{message.rstrip('.')}; {hint.rstrip('.')}." if hint else message
        super().__init__(text)


class BadInput(UnspinError):
    """Empty, binary, undecodable or malformed input, or wrong usage."""

    exit_code = EXIT_BAD_INPUT


class Refused(UnspinError):
    """Input refused by a limit or policy: too large, a private address, a scheme we do not fetch."""

    exit_code = EXIT_REFUSED


class TooLarge(Refused):
    """Over a size limit: the text, the raw input, or a download."""


class ForbiddenTarget(Refused):
    """A URL whose host is loopback, private, link-local, multicast or reserved (the SSRF guard)."""


class UnsupportedScheme(Refused):
    """A URL of a scheme unspin never fetches (file:, ftp:, data: ...): only http and https."""


class NetworkError(UnspinError):
    """A URL could not be fetched: DNS failure, timeout, connection refused, HTTP error status."""

    exit_code = EXIT_NETWORK


class ModelError(UnspinError):
    """A model folder that does not hold what this unspin needs: a missing file, a missing or unknown
    setting. Loud on purpose: a silent fallback to defaults would change every finding."""

    exit_code = EXIT_INTERNAL
