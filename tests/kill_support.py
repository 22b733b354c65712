"""Shared by the kill tests: where `make reliability` collects their reports."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any


def save_report(name: str, report: Any) -> None:
    """Write a kill test's report (a dataclass) as ``<name>.json`` under ``$UNSPIN_RELIABILITY_OUT``, if set."""
    out = os.environ.get("UNSPIN_RELIABILITY_OUT")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / f"{name}.json").write_text(json.dumps(asdict(report)))
