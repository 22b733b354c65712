from __future__ import annotations

import json
from importlib import resources

import jsonschema

from unspin.analysis import Analysis, json_schema


def shipped_schema() -> dict[str, object]:
    return json.loads((resources.files("unspin") / "assets" / "analysis.schema.json").read_text())


def test_shipped_schema_matches_the_models() -> None:
    # If this fails: `make schema`, and bump SCHEMA_VERSION when the change is not backwards compatible.
    assert shipped_schema() == json_schema()


def test_demo_output_validates_and_round_trips(demo_analysis: Analysis) -> None:
    from unspin.render import to_json

    data = json.loads(to_json(demo_analysis))
    jsonschema.validate(data, shipped_schema())
    again = Analysis.model_validate(data)
    assert again.spans == demo_analysis.spans
    for group in ("paragraphs", "sentences", "spans"):
        for item in data[group]:
            assert data["text"][item["start"] : item["end"]] == item["text"]


def test_a_span_that_misquotes_the_text_is_rejected(demo_analysis: Analysis) -> None:
    data = json.loads(demo_analysis.model_dump_json())
    data["sentences"][0]["end"] += 1
    try:
        Analysis.model_validate(data)
    except ValueError:
        return
    raise AssertionError("an analysis with a wrong offset was accepted")
