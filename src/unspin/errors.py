"""Errors users can act on, each with a stable process exit code (documented in the README)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3
EXIT_NETWORK = 4


class UnspinError(Exception):
    """Base class: ``str(err)`` is one sentence for stderr; ``exit_code`` is what the CLI returns."""

    exit_code = EXIT_INTERNAL


class BadInput(UnspinError):
    """Empty, binary, undecodable or malformed input, or wrong usage."""

    exit_code = EXIT_BAD_INPUT


class Refused(UnspinError):
    """Input refused by a limit or policy: too large, a private address, a scheme we do not fetch."""

    exit_code = EXIT_REFUSED


class NetworkError(UnspinError):
    """A URL could not be fetched: DNS failure, timeout, connection refused, HTTP error status."""

    exit_code = EXIT_NETWORK


class ModelError(UnspinError):
    """A model folder that does not hold what this unspin needs: a missing file, a missing or unknown
    setting. Loud on purpose: a silent fallback to defaults would change every finding."""

    exit_code = EXIT_INTERNAL
