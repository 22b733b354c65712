"""Batch analysis of corpora (``unspin batch``): folders, JSONL and CSV in; JSONL and Parquet out.

Modules, one idea each: ``records`` (inputs as a stream of tasks), ``worker`` (a chunk of tasks to output
lines, the encoder's windows packed across the chunk by ``Analyzer.analyze_many``), ``local`` and
``ray_engine`` (who runs the workers), ``output`` (durable appends and resume), ``tables`` (Parquet per
level), ``progress``, ``run`` (the whole run) and ``cli`` (the hook ``unspin.cli`` calls).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unspin.batch.run import BatchOptions, BatchSummary, run_batch

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]


def __getattr__(name: str) -> Any:
    # Lazy: building `unspin`'s parser imports unspin.batch.cli, and must not load the analyzer with it.
    if name in __all__:
        from unspin.batch import run

        return getattr(run, name)
    raise AttributeError(name)
