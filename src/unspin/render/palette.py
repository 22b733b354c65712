"""Technique colours and the CSS classes that carry them, shared by the report and the web app.

Colours come from per-technique classes (``k``/``b``/``l<level>-`` + the technique's number), never from
style attributes, so the Content-Security-Policy needs no 'unsafe-inline'. The web app serves the same rules
for the whole taxonomy as ``/static/palette.css``.
"""

from __future__ import annotations

from collections.abc import Iterable

from unspin.analysis import TechniqueSpan
from unspin.taxonomy import TECHNIQUES

MAX_UNDERLINES = 3  # more would run into the next line; the details box still lists every span

# One colour per technique. The Okabe-Ito colours (designed to stay apart under the common colour-vision
# deficiencies) go to the techniques most frequent in SemEval-2023 Task 3; Paul Tol's muted/vibrant/light
# colours fill the rest. 23 colours cannot all be told apart by everyone, so colour is never the only cue:
# the details box and the paragraph badges name the technique.
PALETTE: dict[str, str] = {
    "Appeal_to_Authority": "#44AA99",
    "Appeal_to_Popularity": "#EE3377",
    "Appeal_to_Values": "#DDCC77",
    "Appeal_to_Fear-Prejudice": "#D55E00",
    "Flag_Waving": "#0072B2",
    "Causal_Oversimplification": "#999933",
    "False_Dilemma-No_Choice": "#117733",
    "Consequential_Oversimplification": "#AA4499",
    "Straw_Man": "#EE8866",
    "Red_Herring": "#CC3311",
    "Whataboutism": "#77AADD",
    "Slogans": "#332288",
    "Appeal_to_Time": "#BBCC33",
    "Conversation_Killer": "#777777",
    "Loaded_Language": "#E69F00",
    "Repetition": "#CC79A7",
    "Exaggeration-Minimisation": "#F0E442",
    "Obfuscation-Vagueness-Confusion": "#8C564B",
    "Name_Calling-Labeling": "#56B4E9",
    "Doubt": "#009E73",
    "Guilt_by_Association": "#FFAABB",
    "Appeal_to_Hypocrisy": "#004488",
    "Questioning_the_Reputation": "#882255",
}
_UNKNOWN_COLOURS = ("#5A5A5A", "#A0A0A0")  # labels outside the taxonomy (another model), alternating greys
_TINT = "55"  # background alpha (1/3): dark text stays readable on every colour


def technique_numbers(spans: Iterable[TechniqueSpan]) -> dict[str, int]:
    """Technique -> number used in CSS classes: taxonomy order, then unknown labels in order of appearance."""
    numbers = {t: i for i, t in enumerate(TECHNIQUES)}
    for s in spans:
        numbers.setdefault(s.technique, len(numbers))
    return numbers


def colour(technique: str, number: int) -> str:
    return PALETTE.get(technique) or _UNKNOWN_COLOURS[number % 2]


def technique_css(numbers: dict[str, int]) -> str:
    """Per-technique classes: ``k`` swatch/badge, ``b`` piece background, ``l<n>-`` n-th stacked underline."""
    rules = []
    for technique, n in numbers.items():
        c = colour(technique, n)
        rules.append(f".k{n}{{background:{c};border-color:{c}}}.badge.k{n}{{background:{c}{_TINT}}}")
        rules.append(f"mark.b{n}{{background:{c}{_TINT}}}")
        # The n-th underline is a 3px band n*3px below the text; earlier bands paint over later ones.
        rules.extend(f".l{lv}-{n}{{--u{lv}:0 {3 * lv}px 0 0 {c}}}" for lv in range(1, MAX_UNDERLINES + 1))
    return "\n".join(rules)
