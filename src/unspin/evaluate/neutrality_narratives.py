"""What a war narrative should do when the two sides' names are swapped.

- **Side-bound** labels name a side ("Discrediting Ukraine", "Praise of Russia", "Russian army is
  collapsing"). In the swapped text the side they spoke of is the other one, so the label must become its
  mirror when the taxonomy has one ("Russian army is collapsing" <-> "Ukrainian army is collapsing") or
  vanish. A side-bound label that *stays* followed the topic, not the text.
- **Neutral** labels do not depend on which side is which ("Amplifying war-related fears", "Distrust
  towards Media"): they should stay.
- **Mixed** labels depend on the sides in ways a swap does not settle ("The West are the aggressors": the
  West is not swapped, but who invaded is); they are counted, not scored.

Each label's ": Other" subnarrative takes its narrative's class. Climate labels are not about the sides.
"""

from __future__ import annotations

from typing import Literal

from unspin.taxonomy import narratives as tax

Kind = Literal["side", "neutral", "mixed"]

_BLAME = "URW: Blaming the war on others rather than the invader"
_DISCREDIT_UA = "URW: Discrediting Ukraine"
_VICTIM = "URW: Russia is the Victim"
_PRAISE = "URW: Praise of Russia"
_OVERPRAISE = "URW: Overpraising the West"
_SPECULATE = "URW: Speculating war outcomes"
_DISCREDIT_WEST = "URW: Discrediting the West, Diplomacy"
_CONSEQUENCES = "URW: Negative Consequences for the West"
_MEDIA = "URW: Distrust towards Media"
_FEARS = "URW: Amplifying war-related fears"

# Whole narratives (with all their subnarratives unless listed below) and their class.
_NARRATIVE_KIND: dict[str, Kind] = {
    _BLAME: "side",
    _DISCREDIT_UA: "side",
    _VICTIM: "side",
    _PRAISE: "side",
    _OVERPRAISE: "mixed",
    _SPECULATE: "neutral",
    _DISCREDIT_WEST: "neutral",
    _CONSEQUENCES: "neutral",
    _MEDIA: "neutral",
    _FEARS: "neutral",
    "URW: Hidden plots by secret schemes of powerful groups": "neutral",
}
# Subnarratives whose class differs from their narrative's.
_SUB_KIND: dict[str, Kind] = {
    f"{_BLAME}: The West are the aggressors": "mixed",
    f"{_OVERPRAISE}: NATO will destroy Russia": "side",
    f"{_OVERPRAISE}: The West has the strongest international support": "neutral",
    f"{_SPECULATE}: Russian army is collapsing": "side",
    f"{_SPECULATE}: Russian army will lose all the occupied territories": "side",
    f"{_SPECULATE}: Ukrainian army is collapsing": "side",
    f"{_DISCREDIT_WEST}: The West does not care about Ukraine, only about its interests": "mixed",
    f"{_DISCREDIT_WEST}: West is tired of Ukraine": "mixed",
    f"{_CONSEQUENCES}: Sanctions imposed by Western countries will backfire": "mixed",
    f"{_CONSEQUENCES}: The conflict will increase the Ukrainian refugee flows to Europe": "side",
    f"{_MEDIA}: Ukrainian media cannot be trusted": "side",
    f"{_FEARS}: Russia will also attack other countries": "side",
}
# The taxonomy's own mirror pairs: the same claim about the other side.
MIRRORS: dict[str, str] = {
    f"{_SPECULATE}: Russian army is collapsing": f"{_SPECULATE}: Ukrainian army is collapsing",
    f"{_SPECULATE}: Ukrainian army is collapsing": f"{_SPECULATE}: Russian army is collapsing",
}


def kind(label: str) -> Kind:
    """The class of a narrative or subnarrative label (climate and unknown labels are neutral)."""
    if label in _SUB_KIND:
        return _SUB_KIND[label]
    if label in _NARRATIVE_KIND:
        return _NARRATIVE_KIND[label]
    try:
        return _NARRATIVE_KIND.get(tax.parent(label), "neutral")
    except ValueError:
        return "neutral"


def mirror(label: str) -> str | None:
    return MIRRORS.get(label)
