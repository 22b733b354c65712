"""unspin: show the spin in a news article.

>>> from unspin import Analyzer
>>> result = Analyzer().analyze(text)   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from unspin.version import __version__

__all__ = ["Analysis", "Analyzer", "__version__"]

if TYPE_CHECKING:
    from unspin.analysis import Analysis
    from unspin.analyzer import Analyzer


def __getattr__(name: str) -> Any:
    # Lazy: `unspin --help` and `import unspin` must not pay for OpenVINO.
    if name == "Analyzer":
        from unspin.analyzer import Analyzer

        return Analyzer
    if name == "Analysis":
        from unspin.analysis import Analysis

        return Analysis
    raise AttributeError(name)
