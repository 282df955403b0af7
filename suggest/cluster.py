"""Grouping notes by similarity: average-linkage clustering cut at a distance.

Two groups join while the mean cosine distance between their notes stays
under ``threshold``; notes left alone are the notes that fit no group.
SciPy does the clustering; the result is made deterministic by numbering
clusters in the order of their first note.

>>> import numpy as np
>>> v = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.1, 0.99], [0.7, 0.7]])
>>> v = v / np.linalg.norm(v, axis=1, keepdims=True)
>>> clusters(v, threshold=0.2)
[[0, 1], [2, 3], [4]]
>>> clusters(v, threshold=0.9)
[[0, 1, 2, 3, 4]]
"""

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform


def distances(vectors: np.ndarray) -> np.ndarray:
    """Cosine distances between unit rows (a zero row is at distance 1 from all)."""
    sim = np.clip(vectors @ vectors.T, -1.0, 1.0)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    return (dist + dist.T) / 2  # exact symmetry for squareform


def clusters(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """The clusters of the rows (lists of row indices), in order of first row."""
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    condensed = squareform(distances(vectors), checks=False)
    labels = fcluster(linkage(condensed, method="average"), t=threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])
