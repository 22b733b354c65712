"""The quality gate: a small, fixed evaluation of the shipped model, kept beside the tests.

``paragraphs.jsonl``: 34 short paragraphs written for the gate (24 with the techniques a reader would mark,
10 of straight news that carry none), never part of any training set. ``claim_pairs.json``: 12 known claims
and 21 sentences that make one of them, contradict one, touch the topic or have nothing to do with any.

``record.json`` holds the shipped model's scores on both; ``tests/test_quality_gate.py`` fails when the
model scores measurably lower (``TOLERANCE``) or a sentence matches a claim it does not make. Retraining
updates the record in the same commit as the model and its card:

    .venv/bin/python -m quality.gate --record      (from tests/; ``make quality-record``)
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RECORD = HERE / "record.json"
# A drop of more than this in technique micro-F1 on the 34 paragraphs fails the gate: one paragraph's
# labels are worth ~0.03, so a change in a single borderline call passes and a broken label map does not.
TOLERANCE = 0.08


@dataclass
class TechniqueScores:
    micro_f1: float
    precision: float
    recall: float
    neutral_flagged: int  # straight-news paragraphs given any technique
    labelled_right: int  # paragraphs whose expected techniques were all found


@dataclass
class ClaimScores:
    matches: int
    correct: int
    false: int  # a match on a sentence that makes no claim of the set, or the wrong claim
    precision: float
    recall: float  # of the "same" sentences, found with their claim


def paragraphs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (HERE / "paragraphs.jsonl").read_text(encoding="utf-8").splitlines()]


def claim_pairs() -> dict[str, Any]:
    return json.loads((HERE / "claim_pairs.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def technique_scores(analyzer: Any) -> tuple[TechniqueScores, dict[str, list[str]]]:
    """Each paragraph analysed on its own; a technique counts when any span of it is found."""
    tp = fp = fn = neutral = right = 0
    found: dict[str, list[str]] = {}
    for row in paragraphs():
        got = {s.technique for s in analyzer.analyze(row["text"]).spans}
        want = set(row["techniques"])
        found[row["id"]] = sorted(got)
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        neutral += int(not want and bool(got))
        right += int(bool(want) and want <= got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return TechniqueScores(round(f1, 4), round(p, 4), round(r, 4), neutral, right), found


def claims_db(path: Path) -> Any:
    """A database holding exactly the gate's claims (no bundled case can stand in for one)."""
    from unspin.claims.records import KnownClaim, upsert_claims
    from unspin.store.db import Database

    db = Database(path)
    records = [
        KnownClaim(title=text, verdict="disinformation", reviewer="quality gate", key=f"gate:{key}")
        for key, text in claim_pairs()["claims"].items()
    ]
    upsert_claims(db.conn(), records)
    return db


def claim_scores(known: Any) -> tuple[ClaimScores, dict[str, list[str]]]:
    """Each sentence through the matcher the analysis uses (retrieval, floor, verifier)."""
    data = claim_pairs()
    key_of = {text: key for key, text in data["claims"].items()}
    rows = data["sentences"]
    results = known.match([r["text"] for r in rows])
    matches = correct = same_found = 0
    found: dict[str, list[str]] = {}
    for row, hits in zip(rows, results, strict=True):
        keys = [key_of.get(m.claim.title, m.claim.title) for m in hits]
        found[row["text"]] = keys
        matches += len(keys)
        correct += sum(k == row["expect"] for k in keys)
        same_found += int(row["expect"] is not None and row["expect"] in keys)
    n_same = sum(r["expect"] is not None for r in rows)
    return (
        ClaimScores(
            matches=matches,
            correct=correct,
            false=matches - correct,
            precision=round(correct / matches, 4) if matches else 1.0,
            recall=round(same_found / n_same, 4),
        ),
        found,
    )


def measure(tmp: Path) -> dict[str, Any]:
    from unspin.analyzer import Analyzer
    from unspin.claims.known import KnownClaims
    from unspin.options import RunOptions

    analyzer = Analyzer(options=RunOptions(precision="f32"), known_claims=None)
    techniques, found = technique_scores(analyzer)
    known = KnownClaims(claims_db(tmp / "gate.db"), options=RunOptions(precision="f32"))
    claims, matched = claim_scores(known)
    return {
        "model": f"{analyzer.config.name} {analyzer.config.version}",
        "techniques": asdict(techniques),
        "claims": asdict(claims),
        "found": found,
        "matched": matched,
    }


def main(argv: list[str]) -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = measure(Path(tmp))
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if "--record" in argv:
        RECORD.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
