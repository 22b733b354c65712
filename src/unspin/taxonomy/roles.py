"""The entity-framing roles of SemEval-2025 Task 10, subtask 1, with one-line definitions.

A named entity mentioned in a news article is framed in one of three main roles (protagonist, antagonist,
innocent) and, within it, in one or more of 22 fine-grained roles. Labels and their order follow the task's
role taxonomy and are spelled as in the release's ``subtask-1-annotations.txt`` files. The definitions
paraphrase the task's annotation guidelines (Piskorski et al., 2025) in plain words so that every flag a
reader sees says what it means.
"""

from __future__ import annotations

MAIN_ROLE_DEFINITIONS: dict[str, str] = {
    "Protagonist": "Cast in a positive light: a hero, a defender or a force for good.",
    "Antagonist": "Cast in a negative light: a villain, a threat or the cause of harm.",
    "Innocent": "Cast as blameless: a victim of others' actions or of circumstances.",
}

MAIN_ROLES: tuple[str, ...] = ("Protagonist", "Antagonist", "Innocent")

# main role -> {fine role -> definition}, in the taxonomy's order
_FINE: dict[str, dict[str, str]] = {
    "Protagonist": {
        "Guardian": "Protects and defends others, a community or a cause against threats.",
        "Martyr": "Suffers or sacrifices themselves, even their life, for a cause or for others.",
        "Peacemaker": "Works to end a conflict or ease tensions through dialogue and mediation.",
        "Rebel": "Stands up against an oppressive power or an unjust system.",
        "Underdog": "Weaker or at a disadvantage, yet fights on against stronger forces.",
        "Virtuous": "Noble and principled: honest, generous or morally upright.",
    },
    "Antagonist": {
        "Instigator": "Starts or provokes a conflict, stirring up hostility or violence.",
        "Conspirator": "Plots in secret with others to deceive, harm or seize control.",
        "Tyrant": "Rules by oppression: abuses power and crushes dissent.",
        "Foreign Adversary": "A foreign country or actor presented as a hostile threat to the nation or its interests.",
        "Traitor": "Betrays their own country, people or allies.",
        "Spy": "Gathers secret information by stealth for a rival or enemy.",
        "Saboteur": "Deliberately undermines or damages plans, systems or infrastructure.",
        "Corrupt": "Abuses their position for personal gain: bribery, fraud, embezzlement.",
        "Incompetent": "Lacks the skill or judgement for their role, and their failures cause harm.",
        "Terrorist": "Uses violence or intimidation against civilians to reach political ends.",
        "Deceiver": "Lies, manipulates or spreads false information to mislead.",
        "Bigot": "Shows prejudice or hatred against people for who they are (ethnicity, faith, nationality...).",
    },
    "Innocent": {
        "Forgotten": "Suffers while being ignored or neglected by those who should care.",
        "Exploited": "Used or taken advantage of by others for their own gain.",
        "Victim": "Suffers harm from others' actions or from events beyond their control.",
        "Scapegoat": "Unfairly blamed for problems or wrongs they did not cause.",
    },
}

FINE_ROLES: dict[str, str] = {fine: main for main, fines in _FINE.items() for fine in fines}
FINE_ROLE_DEFINITIONS: dict[str, str] = {
    fine: text for fines in _FINE.values() for fine, text in fines.items()
}
FINE_ROLE_ORDER: tuple[str, ...] = tuple(FINE_ROLE_DEFINITIONS)


def fine_roles_of(main: str) -> tuple[str, ...]:
    """The fine roles of a main role, in taxonomy order; () for an unknown main role."""
    return tuple(_FINE.get(main, ()))
