"""Suggested groupings of post-its, computed locally, in French.

A facilitator sorts 50 to 300 notes into categories; this library suggests
groups of notes that say related things, a short label for each made of its
notes' key lemmas, the notes that fit no group, the existing category that
fits a group, and the near-duplicates worth merging. Nothing leaves the
machine: the lexical method (simplemma lemmas, TF-IDF, average-linkage
clustering) needs no model; the optional semantic method uses a small
multilingual model shipped inside its package. The same notes always give the
same suggestion.

>>> import suggest
>>> s = suggest.suggest_groups([
...     "Besoin de financement", "Financement des projets associatifs",
...     "Trouver des bénévoles", "Fidéliser les bénévoles", "🎉",
... ])
>>> [(g.label, g.members) for g in s.groups], s.unplaced
([('Financement', (0, 1)), ('Bénévole', (2, 3))], (4,))

Scoring a suggestion against a reference grouping::

    truth = ["moyens", "moyens", "bénévolat", "bénévolat", "autre"]
    suggest.pairwise(truth, suggest.labels_of(s, len(truth)))
"""

from .core import (
    EXISTING_THRESHOLDS,
    METHODS,
    MIN_NOTES,
    THRESHOLDS,
    Group,
    Suggestion,
    keywords,
    label_of,
    near_duplicates,
    semantic_available,
    suggest_groups,
    warm_up,
)
from .quality import adjusted_rand, labels_of, pairwise
from .text import content_lemmas, lemma, normalize, words

__all__ = [
    "EXISTING_THRESHOLDS",
    "METHODS",
    "MIN_NOTES",
    "THRESHOLDS",
    "Group",
    "Suggestion",
    "adjusted_rand",
    "content_lemmas",
    "keywords",
    "label_of",
    "labels_of",
    "lemma",
    "near_duplicates",
    "normalize",
    "pairwise",
    "semantic_available",
    "suggest_groups",
    "warm_up",
    "words",
]
