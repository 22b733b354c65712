"""The analysis as JSON: the pydantic model is the schema, so serialization is a one-liner on purpose."""

from __future__ import annotations

from unspin.analysis import Analysis


def to_json(analysis: Analysis, indent: int | None = 2) -> str:
    """Serialize ``analysis``; ``Analysis.model_validate_json`` reads it back unchanged."""
    return analysis.model_dump_json(indent=indent)
