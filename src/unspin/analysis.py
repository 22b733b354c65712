"""The typed result of an analysis: what the JSON serializes, what the Python API returns.

Every object with ``start``/``end`` also carries the ``text`` it quotes, and ``Analysis`` refuses to exist
if any of them does not slice ``Analysis.text`` to exactly that text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from unspin.document import Document
from unspin.taxonomy import TECHNIQUE_DEFINITIONS, TECHNIQUES, pretty

SCHEMA_VERSION = "1.3.0"
# 1.1: narratives, entities and roles, genre, frames; 1.2: claims; 1.3: language, warnings, strength in words,
# what the model cannot detect, verified claim matches (relation).

Strength = Literal["strong", "moderate", "weak"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextSpan(_Model):
    """A quoted piece of the analyzed text: ``text == Analysis.text[start:end]`` (code-point offsets)."""

    start: int = Field(ge=0, description="Start offset in code points into Analysis.text.")
    end: int = Field(ge=0, description="End offset (exclusive) in code points into Analysis.text.")
    text: str = Field(description="Exactly Analysis.text[start:end].")


class SourceInfo(_Model):
    """Where the text came from and how it was read."""

    kind: Literal["text", "file", "stdin", "html", "url"]
    name: str | None = Field(default=None, description="File path or URL as given by the user.")
    url: str | None = Field(default=None, description="Final URL after redirects, for URL sources.")
    content_type: str | None = None
    encoding: str | None = Field(default=None, description="Detected or declared character encoding.")
    bytes: int | None = Field(default=None, description="Size of the raw input in bytes.")
    extracted: bool = Field(default=False, description="True when the text was extracted from HTML.")


class ModelInfo(_Model):
    name: str
    version: str
    engine: str = Field(description="Inference engine and device, e.g. 'openvino 2026.4 CPU'.")
    precision: str = Field(description="Inference precision actually used, e.g. 'bf16' or 'f32'.")
    languages: list[str] = Field(
        default_factory=list, description="ISO 639-1 codes of the languages the heads were trained on."
    )
    undetectable: list[str] = Field(
        default_factory=list,
        description="Techniques this model cannot detect (no training examples, or switched off because "
        "cross-validation found its flags too often wrong): absent from an analysis does not mean absent "
        "from the text.",
    )


class AnalysisWarning(_Model):
    """Something the analysis cannot know, said plainly: every output renders these."""

    code: str = Field(
        description="Stable code: unsupported_language, short_text, no_known_claims, claims_not_matched, "
        "language_uncertain."
    )
    message: str = Field(description="One or two sentences for the reader.")


class TechniqueSpan(TextSpan):
    """A persuasion technique found at a span. Spans of different techniques may overlap."""

    technique: str = Field(description="SemEval-2023 Task 3 technique name.")
    confidence: float = Field(ge=0.0, le=1.0, description="Mean token probability over the span.")
    paragraph: int = Field(ge=0, description="Index into Analysis.paragraphs.")
    strength: Strength = Field(
        default="moderate",
        description="The confidence relative to this technique's own threshold, in words: probabilities of "
        "different techniques are not comparable, their margins over their thresholds are.",
    )


class Paragraph(TextSpan):
    index: int = Field(ge=0)
    techniques: list[str] = Field(description="Techniques with at least one span in this paragraph.")
    scores: dict[str, float] = Field(
        default_factory=dict,
        description="The paragraph's score per technique (>= 0.05), on the scale its threshold applies to: "
        "the highest token probability, the paragraph layer's probability, or their mean, as the model's "
        "technique head says (its `mix`).",
    )


class TechniqueSummary(_Model):
    technique: str
    name: str = Field(description="Human-readable name.")
    definition: str
    count: int = Field(ge=0, description="Number of spans.")
    paragraphs: int = Field(ge=0, description="Number of paragraphs with at least one span.")
    max_confidence: float = Field(ge=0.0, le=1.0)


class Evidence(TextSpan):
    """A paragraph that supports a narrative, quoted whole."""

    paragraph: int = Field(ge=0, description="Index into Analysis.paragraphs.")
    score: float = Field(ge=0.0, le=1.0, description="How strongly this paragraph alone carries the label.")


class SubnarrativeFinding(_Model):
    label: str = Field(description="Official SemEval-2025 label, e.g. 'URW: Praise of Russia: ...'.")
    name: str = Field(description="The label without its domain and parent.")
    definition: str
    confidence: float = Field(ge=0.0, le=1.0)
    strength: Strength = Field(
        default="moderate", description="Confidence relative to the label's threshold."
    )
    evidence: list[Evidence] = Field(default_factory=list, description="Best supporting paragraphs first.")


class NarrativeFinding(SubnarrativeFinding):
    """A known propaganda narrative the article pushes (SemEval-2025 Task 10 taxonomy)."""

    domain: Literal["URW", "CC"] = Field(description="URW: Ukraine-Russia war; CC: climate change.")
    subnarratives: list[SubnarrativeFinding] = Field(default_factory=list)


class RoleScore(_Model):
    role: str
    confidence: float = Field(ge=0.0, le=1.0)
    definition: str = ""


class EntityMention(TextSpan):
    sentence: int = Field(ge=0, description="Index into Analysis.sentences.")
    role: str | None = Field(default=None, description="Main role at this mention, if framed here.")
    confidence: float = Field(ge=0.0, le=1.0, description="Confidence of that role (or of none).")


class Entity(_Model):
    """A person, organization, country or group, its mentions, and the role the article casts it in."""

    name: str = Field(description="Canonical name: the most complete mention.")
    kind: str = Field(description="PERSON, ORG, GPE (country, city), NORP (nationality, group) or LOC.")
    mentions: list[EntityMention]
    main_role: str | None = Field(
        default=None, description="Protagonist, Antagonist or Innocent; null when no role is clear."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="Confidence of main_role (or of none).")
    role_scores: dict[str, float] = Field(default_factory=dict, description="Probability per main role.")
    fine_roles: list[RoleScore] = Field(default_factory=list)
    uncertain: bool = Field(
        default=False,
        description="True when the main roles are near even: the role is a guess, not a finding.",
    )
    evidence: TextSpan | None = Field(default=None, description="The sentence that carries the role.")


class Genre(_Model):
    label: Literal["opinion", "reporting", "satire"]
    confidence: float = Field(ge=0.0, le=1.0)
    scores: dict[str, float]
    definition: str


class FrameFinding(_Model):
    frame: str = Field(description="SemEval-2023 Task 3 frame, e.g. 'Security_and_defense'.")
    name: str
    confidence: float = Field(ge=0.0, le=1.0)
    definition: str


class ClaimMatch(_Model):
    """A known claim from the known-claims database that a spotted claim resembles."""

    id: int = Field(description="The known claim's id in the database (`unspin claims search` shows it).")
    score: float = Field(
        ge=0.0, le=1.0, description="Meaning similarity of the sentence and the known claim (cosine, >= 0)."
    )
    title: str = Field(description="The known claim, one line.")
    summary: str = ""
    verdict: str = Field(default="", description="As the reviewer put it: 'disinformation', 'False', ...")
    disproof: str = Field(default="", description="The reviewer's explanation, in full.")
    reviewer: str = Field(default="", description="Who checked it, e.g. EUvsDisinfo.")
    date: str | None = Field(default=None, description="ISO date the claim was published (else reviewed).")
    url: str = Field(default="", description="The case or review page.")
    relation: Literal["same", "opposite"] = Field(
        default="same",
        description="same: the sentence repeats the known claim; opposite: it states the contrary, i.e. it "
        "agrees with the fact-check (never shown as repeating the debunked claim).",
    )


class Claim(TextSpan):
    """A check-worthy sentence: an assertion about the world that can be checked."""

    sentence: int = Field(ge=0, description="Index into Analysis.sentences.")
    score: float = Field(ge=0.0, le=1.0, description="Check-worthiness probability.")
    matches: list[ClaimMatch] = Field(default_factory=list, description="Best known claims first.")


class KnownClaimsInfo(_Model):
    """The known-claims database the claims were matched against."""

    claims: int = Field(ge=0, description="Known claims in the database: how many were searched.")
    min_score: float = Field(description="Similarity below which a known claim is not reported as a match.")


class Analysis(_Model):
    """The analysis of one text."""

    schema_version: str = SCHEMA_VERSION
    unspin_version: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    model: ModelInfo
    source: SourceInfo
    title: str | None = None
    text: str = Field(description="The analyzed text; every offset in this document points into it.")
    language: str | None = Field(
        default=None, description="ISO 639-1 code of the text's language as detected; null if undetermined."
    )
    warnings: list[AnalysisWarning] = Field(
        default_factory=list,
        description="What this analysis cannot know (language, length, claims coverage).",
    )
    paragraphs: list[Paragraph]
    sentences: list[TextSpan]
    spans: list[TechniqueSpan] = Field(description="Technique spans, sorted by start, then end.")
    techniques: list[TechniqueSummary] = Field(description="Techniques found, most frequent first.")
    narratives: list[NarrativeFinding] = Field(
        default_factory=list,
        description="Narratives found, most confident first; empty means 'Other' (none of the taxonomy).",
    )
    entities: list[Entity] = Field(
        default_factory=list, description="Named entities, framed ones first, then by mentions."
    )
    genre: Genre | None = None
    frames: list[FrameFinding] = Field(
        default_factory=list, description="Frames found, most confident first."
    )
    claims: list[Claim] = Field(default_factory=list, description="Check-worthy sentences, in text order.")
    known_claims: KnownClaimsInfo | None = Field(
        default=None, description="The database claims were matched against; null when none was used."
    )
    timings_ms: dict[str, float] = Field(
        default_factory=dict, description="Wall time per stage, milliseconds."
    )

    @model_validator(mode="after")
    def _offsets_are_sacred(self) -> Analysis:
        quoted: list[TextSpan] = [*self.paragraphs, *self.sentences, *self.spans]
        for n in self.narratives:
            quoted += n.evidence
            for sub in n.subnarratives:
                quoted += sub.evidence
            for ev in [*n.evidence, *(e for sub in n.subnarratives for e in sub.evidence)]:
                if ev.paragraph >= len(self.paragraphs):
                    raise ValueError(f"evidence paragraph {ev.paragraph} does not exist")
        for e in self.entities:
            quoted += e.mentions
            if e.evidence is not None:
                quoted.append(e.evidence)
        for c in self.claims:
            if c.sentence >= len(self.sentences):
                raise ValueError(f"claim sentence {c.sentence} does not exist")
        quoted += self.claims
        for s in quoted:
            if s.end > len(self.text) or s.start > s.end or self.text[s.start : s.end] != s.text:
                raise ValueError(f"span [{s.start}, {s.end}) does not quote the analyzed text")
        return self


def paragraph_records(
    doc: Document,
    spans: Sequence[TechniqueSpan],
    scores: Mapping[int, Mapping[str, float]] | None = None,
    order: Sequence[str] = TECHNIQUES,
) -> list[Paragraph]:
    """The document's paragraphs, each labelled with the techniques of its spans (in ``order``)."""
    per_par: dict[int, set[str]] = {}
    for s in spans:
        per_par.setdefault(s.paragraph, set()).add(s.technique)
    rank = {t: i for i, t in enumerate(order)}
    return [
        Paragraph(
            index=i,
            start=p.start,
            end=p.end,
            text=doc.span_text(p),
            techniques=sorted(per_par.get(i, set()), key=lambda t: (rank.get(t, len(rank)), t)),
            scores=dict((scores or {}).get(i, {})),
        )
        for i, p in enumerate(doc.paragraphs)
    ]


def technique_summaries(
    spans: Sequence[TechniqueSpan], order: Sequence[str] = TECHNIQUES
) -> list[TechniqueSummary]:
    """Per technique found: count, paragraphs, strongest confidence; most frequent first, ties in ``order``."""
    rank = {t: i for i, t in enumerate(order)}
    counts = Counter(s.technique for s in spans)
    return [
        TechniqueSummary(
            technique=t,
            name=pretty(t),
            definition=TECHNIQUE_DEFINITIONS.get(t, ""),
            count=n,
            paragraphs=len({s.paragraph for s in spans if s.technique == t}),
            max_confidence=max(s.confidence for s in spans if s.technique == t),
        )
        for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), kv[0]))
    ]


def json_schema() -> dict[str, object]:
    """The JSON Schema of the analysis output, generated from these models (shipped as analysis.schema.json)."""
    schema = Analysis.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"urn:unspin:analysis:{SCHEMA_VERSION}"
    return schema


if __name__ == "__main__":
    import json

    print(json.dumps(json_schema(), indent=2))
