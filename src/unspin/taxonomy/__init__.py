"""Label taxonomies of the shared tasks unspin learns from, each label with a one-line definition.

- :mod:`unspin.taxonomy.techniques`: the 23 persuasion techniques of SemEval-2023 Task 3, subtask 3
  (re-exported here: ``from unspin.taxonomy import TECHNIQUES, TECHNIQUE_DEFINITIONS, pretty``);
- :mod:`unspin.taxonomy.frames`: the genres and frames of SemEval-2023 Task 3, subtasks 1 and 2;
- :mod:`unspin.taxonomy.narratives`: the narratives and subnarratives of SemEval-2025 Task 10, subtask 2;
- :mod:`unspin.taxonomy.roles`: the entity-framing roles of SemEval-2025 Task 10, subtask 1.

Label spellings are those of the releases; definitions are paraphrases of the tasks' annotation
guidelines, written to be shown to a reader next to each flag.
"""

from __future__ import annotations

from unspin.taxonomy.techniques import TECHNIQUE_DEFINITIONS, TECHNIQUES, pretty

__all__ = ["TECHNIQUES", "TECHNIQUE_DEFINITIONS", "pretty"]
