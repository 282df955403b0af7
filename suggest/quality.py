"""How close a grouping is to a reference one (the facilitator's categories).

Both groupings are given as one label per note; a note that a suggestion
leaves unplaced counts as a group of its own (give it a unique label, as
``labels_of`` does).

>>> truth = ["a", "a", "a", "b", "b", "c"]
>>> found = [0, 0, 1, 1, 1, 2]
>>> p = pairwise(truth, found)
>>> p["precision"], p["recall"]
(0.5, 0.5)
>>> round(adjusted_rand(truth, found), 3)
0.318
>>> adjusted_rand(truth, truth), pairwise(truth, truth)["f1"]
(1.0, 1.0)
"""

from collections import Counter
from math import comb


def labels_of(suggestion, n: int) -> list[int]:
    """One label per note from a ``Suggestion``: its group, or its own label if unplaced."""
    labels = list(range(n, 2 * n))  # unplaced: a label nobody else has
    for k, group in enumerate(suggestion.groups):
        for i in group.members:
            labels[i] = k
    return labels


def _pairs(labels) -> int:
    return sum(comb(c, 2) for c in Counter(labels).values())


def pairwise(truth, found) -> dict[str, float]:
    """Precision and recall of « these two notes are in the same group »."""
    both = _pairs(list(zip(truth, found, strict=True)))
    said, real = _pairs(found), _pairs(truth)
    precision = both / said if said else 0.0
    recall = both / real if real else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs_found": said}


def adjusted_rand(truth, found) -> float:
    """The adjusted Rand index (Hubert and Arabie): 1 identical, about 0 by chance."""
    n = len(truth)
    both = _pairs(list(zip(truth, found, strict=True)))
    a, b = _pairs(truth), _pairs(found)
    total = comb(n, 2)
    if total == 0:
        return 1.0
    expected = a * b / total
    top = (a + b) / 2
    if top == expected:
        return 1.0
    return (both - expected) / (top - expected)
