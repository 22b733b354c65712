"""The 23 persuasion techniques of SemEval-2023 Task 3, in the order of the release, with one-line definitions.

Definitions paraphrase the task's annotation guidelines (Piskorski et al., 2023) so that every flag a user
sees says what it means.
"""

from __future__ import annotations

TECHNIQUE_DEFINITIONS: dict[str, str] = {
    "Appeal_to_Authority": "Treats a claim as true because a valued authority, expert or group said it.",
    "Appeal_to_Popularity": "Says a claim is true or right because 'everybody' agrees or does it.",
    "Appeal_to_Values": "Ties an idea to values the audience holds dear (tradition, freedom, faith) instead of arguing it.",
    "Appeal_to_Fear-Prejudice": "Builds support or rejection by stoking fear, anxiety or prejudice about an alternative.",
    "Flag_Waving": "Justifies an idea by appealing to group pride or identity: the nation, the party, 'our people'.",
    "Causal_Oversimplification": "Reduces a complex event to one cause, ignoring the others.",
    "False_Dilemma-No_Choice": "Presents two options (or one) as the only ones when more exist.",
    "Consequential_Oversimplification": "Claims that a first step will inevitably lead to a chain of (usually bad) consequences.",
    "Straw_Man": "Refutes a distorted version of the opponent's position instead of the real one.",
    "Red_Herring": "Diverts attention to an irrelevant topic to avoid the issue being discussed.",
    "Whataboutism": "Deflects criticism by pointing at the opponent's own alleged wrongdoing.",
    "Slogans": "A brief, striking phrase that works as a call to action or an emotional label.",
    "Appeal_to_Time": "Argues that the moment has come to act now, making urgency the argument.",
    "Conversation_Killer": "Words that discourage critical thought and end the discussion ('nothing more to say').",
    "Loaded_Language": "Words or phrases with strong emotional connotations used to sway the reader.",
    "Repetition": "Repeats the same word, phrase or idea so that it sticks with the audience.",
    "Exaggeration-Minimisation": "Makes something seem much larger, better or worse, or much smaller, than it is.",
    "Obfuscation-Vagueness-Confusion": "Uses deliberately unclear words so the reader can read them any way.",
    "Name_Calling-Labeling": "Labels a person or group with an insulting or praising name the audience will fear, hate or love.",
    "Doubt": "Questions the credibility of someone or something without evidence.",
    "Guilt_by_Association": "Attacks an opponent by linking them to a group or person the audience despises.",
    "Appeal_to_Hypocrisy": "Attacks an opponent's reputation by charging them with hypocrisy or inconsistency.",
    "Questioning_the_Reputation": "Attacks the character or morals of a person or group rather than their argument.",
}

TECHNIQUES: tuple[str, ...] = tuple(TECHNIQUE_DEFINITIONS)


def pretty(technique: str) -> str:
    """Display name: 'Name_Calling-Labeling' -> 'Name calling / labeling'."""
    return technique.replace("_", " ").replace("-", " / ").capitalize()
