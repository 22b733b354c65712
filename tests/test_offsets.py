"""Offsets are sacred: for any unicode input, every span in the output slices the input to its text."""

from __future__ import annotations

import copy
import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.errors import BadInput
from unspin.render import render_html, to_json

PIECES = st.one_of(
    st.text(min_size=1, max_size=30),  # any code point hypothesis likes, surrogates excluded
    st.sampled_from(
        ["\n", "\r\n", "\r", "\u2028", "  ", "\t", "e\u0301", "\u05e9\u05dc\u05d5\u05dd", "👩‍👩‍👧", "ﬁ", "İ"]
    ),
    st.sampled_from(["The corrupt regime", " lies!", " Traitors.", " Shameful, disgraceful betrayal"]),
)


@pytest.fixture(scope="module")
def eager(analyzer):  # type: ignore[no-untyped-def]
    """The real model with every threshold at a tenth: spans everywhere, so offsets get exercised."""
    a = copy.copy(analyzer)
    d = analyzer.techniques
    a.heads = {
        **analyzer.heads,
        d.name: dataclasses.replace(
            d, thresholds=d.thresholds * 0.1, span_thresholds=d.span_thresholds * 0.1
        ),
    }
    return a


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, min_size=1, max_size=25).map("".join))
def test_every_output_span_quotes_the_input(eager, text: str) -> None:  # type: ignore[no-untyped-def]
    try:
        result = eager.analyze(text)
    except BadInput:
        assert not text.strip()
        return
    data = json.loads(to_json(result))
    assert data["text"] == text
    for group in ("paragraphs", "sentences", "spans"):
        for item in data[group]:
            assert text[item["start"] : item["end"]] == item["text"]
            assert item["text"] and item["text"] == item["text"].strip()
    for span in data["spans"]:
        par = data["paragraphs"][span["paragraph"]]
        assert par["start"] <= span["start"] < span["end"] <= par["end"]
        assert span["technique"] in par["techniques"]
    render_html(result)  # never raises on what the analyzer produced


def test_eager_fixture_really_produces_spans(eager, analyzer) -> None:  # type: ignore[no-untyped-def]
    result = eager.analyze("The corrupt regime lies! Traitors. Shameful, disgraceful betrayal.")
    assert len(result.spans) > 3
    assert np.allclose(eager.heads["techniques"].thresholds, analyzer.techniques.thresholds * 0.1)
