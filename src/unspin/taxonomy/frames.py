"""The genres and frames of SemEval-2023 Task 3 (subtasks 1 and 2), with one-line definitions.

Subtask 1 gives every article one genre (opinion, reporting, satire); subtask 2 gives it any number of the
14 generic frames of the Media Frames Corpus (Card et al., 2015, after Boydstun et al.'s codebook), listed
here in that corpus's order and spelled as in the release's ``train-labels-subtask-2.txt``. The
definitions paraphrase the task's annotation guidelines (Piskorski et al., 2023) and the frame codebook in
plain words so that every label a reader sees says what it means.
"""

from __future__ import annotations

GENRE_DEFINITIONS: dict[str, str] = {
    "opinion": "Argues the author's views and judgements, aiming to persuade the reader.",
    "reporting": "Informs about facts and events, aiming to be objective.",
    "satire": "Imitates the news to mock or criticize, through irony, humour or exaggeration.",
}

GENRES: tuple[str, ...] = tuple(GENRE_DEFINITIONS)

FRAME_DEFINITIONS: dict[str, str] = {
    "Economic": "Costs, benefits, money: the financial side of the issue for people, firms or the state.",
    "Capacity_and_resources": "Whether there are enough (or too few) physical, human or financial resources to deal with it.",
    "Morality": "Right and wrong: ethical or religious duties, honour, what should be done on principle.",
    "Fairness_and_equality": "Whether rights, burdens and resources are shared out fairly and people treated equally.",
    "Legality_Constitutionality_and_jurisprudence": "Laws, rights and court rulings: what is legal or constitutional, and who has the authority.",
    "Policy_prescription_and_evaluation": "Particular policies to address the issue, and whether they work or would work.",
    "Crime_and_punishment": "Breaking the law, its enforcement, and the punishment of offenders.",
    "Security_and_defense": "Threats to the safety of people, a community or the nation, and how to defend against them.",
    "Health_and_safety": "Health care, disease, injury and public safety.",
    "Quality_of_life": "Effects on people's everyday lives: well-being, wealth, mobility, opportunities.",
    "Cultural_identity": "The traditions, customs and values of a group or nation at stake.",
    "Public_opinion": "What the public thinks: attitudes, polls, protests and popular reactions.",
    "Political": "Politics itself: parties, politicians' manoeuvres, elections, votes, lobbying.",
    "External_regulation_and_reputation": "A country's relations with other countries, international agreements and its reputation abroad.",
}

FRAMES: tuple[str, ...] = tuple(FRAME_DEFINITIONS)

_FRAME_NAMES: dict[str, str] = {
    "Legality_Constitutionality_and_jurisprudence": "Legality, constitutionality and jurisprudence",
}


def frame_name(frame: str) -> str:
    """Display name: 'Capacity_and_resources' -> 'Capacity and resources',
    'Legality_Constitutionality_and_jurisprudence' -> 'Legality, constitutionality and jurisprudence'."""
    return _FRAME_NAMES.get(frame) or frame.replace("_", " ").capitalize()
