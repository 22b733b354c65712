"""Typed request and response bodies of the REST API: they validate input and document it at /docs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from unspin.analysis import Analysis


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnalyzeRequest(_Body):
    """Exactly one of ``text``, ``url`` or ``html``."""

    text: str | None = Field(default=None, description="Plain text to analyze, exactly as given.")
    url: str | None = Field(
        default=None, description="An http(s) URL: fetched (SSRF-guarded), article extracted."
    )
    html: str | None = Field(default=None, description="An HTML page: its main article text is extracted.")
    title: str | None = Field(default=None, max_length=500, description="Title (metadata, not analyzed).")
    store: bool = Field(
        default=True,
        description="Store the result and answer repeats from the store. false: always run the model, "
        "store nothing (the response then has no id).",
    )

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        given = [k for k in ("text", "url", "html") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, url or html")
        return self


class FeedbackItem(_Body):
    """An analyst's verdict on one flag, or a span the model missed.

    ``key`` names the flag: for a span ``technique:start:end``, for a narrative its label, for an entity
    its name, for a claim ``start:end``. A missed span needs ``technique``, ``start`` and ``end``.
    """

    target: Literal["span", "narrative", "entity", "claim"]
    verdict: Literal["confirmed", "wrong", "missed"]
    key: str | None = Field(default=None, max_length=500)
    technique: str | None = Field(default=None, max_length=100)
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _complete(self) -> FeedbackItem:
        if self.verdict == "missed" and (
            self.target != "span" or self.technique is None or self.start is None or self.end is None
        ):
            raise ValueError("a missed span needs target 'span', technique, start and end")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("end must be greater than start")
        if self.key is None and self.target != "span":
            raise ValueError("key is required for narratives, entities and claims")
        return self


class FeedbackOut(_Body):
    target: str
    key: str
    verdict: str
    technique: str | None
    start: int | None
    end: int | None
    note: str
    created_at: str


class AnalysisRecord(_Body):
    """A stored analysis: ``analysis`` is the CLI's JSON (schema in assets/analysis.schema.json)."""

    id: str | None = Field(description="Stable id: GET /api/analyses/{id}; the page's link is /a/{id}.")
    cached: bool = Field(description="True when served from the store without running the model.")
    created_at: str | None = None
    analysis: Analysis = Field(description="Exactly what `unspin analyze --format json` writes.")
    feedback: list[FeedbackOut] = Field(default_factory=list)


class AnalysisSummary(_Body):
    """One row of the history: enough to tell analyses apart and to see which were reviewed."""

    id: str
    title: str = Field(description="The title; without one, the text's first words.")
    source: str
    created_at: str = Field(description="ISO 8601, UTC.")
    spans: int = Field(description="Technique spans.")
    words: int = 0
    techniques: int = Field(default=0, description="Distinct techniques found.")
    narratives: int = 0
    claims_matched: int = Field(default=0, description="Sentences that repeat a known false claim.")
    genre: str | None = None
    reviewed: int = Field(default=0, description="Analysts' verdicts recorded (0: nobody reviewed it).")
    model_version: str


class AnalysisPage(_Body):
    items: list[AnalysisSummary]
    total: int = Field(description="Analyses matching the query, in all pages.")
    limit: int
    offset: int


class ClaimSearchHit(_Body):
    """A known claim found by a search (an analysis's matches are ``unspin.analysis.ClaimMatch``)."""

    id: int
    title: str
    summary: str
    disproof: str
    verdict: str
    source: str
    date: str | None
    url: str
    similarity: float | None = Field(
        description="Meaning similarity to the query (cosine, as analyses show it); null without the model."
    )


class TechniqueInfo(_Body):
    technique: str
    name: str
    definition: str
    number: int = Field(description="Colour number: CSS classes k<n>, b<n>, l<level>-<n>.")


class Meta(_Body):
    version: str
    model: str
    token_required: bool
    claims: bool = Field(description="Whether the known-claims database has claims to search.")
    techniques: list[TechniqueInfo]


class Health(_Body):
    status: Literal["ok"]
    version: str


class Problem(_Body):
    """Every error: a sentence a person can act on, and the HTTP status."""

    error: str
    status: int
