from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "khabarovsk-opinion.txt"


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    from unspin import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_analysis(analyzer, demo_text):  # type: ignore[no-untyped-def]
    return analyzer.analyze(demo_text)
