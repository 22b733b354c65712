"""Where the browser tests find Debian's chromium, and what happens when it is missing: a skip on a
developer's machine, a failure in CI (``.ci/run`` sets ``UNSPIN_REQUIRE_BROWSER=1`` after installing it),
so the JavaScript the report and the web app run can never go untested there unnoticed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("UNSPIN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("UNSPIN_REQUIRE_BROWSER") == "1"


def chromium_or_skip() -> str:
    """The chromium binary; skips the test without one, fails it where CI requires the browser."""
    if not Path(CHROMIUM).exists():
        message = f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
        if REQUIRED:
            pytest.fail(message + " and UNSPIN_REQUIRE_BROWSER=1")
        pytest.skip(message)
    return CHROMIUM
