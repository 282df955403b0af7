"""Grouping notes by similarity: average-linkage clustering, cut twice.

Two groups join while the mean cosine distance between their notes stays
under ``threshold``; with ``size``, the tree is also cut into about one
cluster per ``size`` notes, and the finer of the two cuts wins (a cut by
size alone would join notes that share nothing). Notes left alone are the
notes that fit no group. SciPy does the clustering; the result is made
deterministic by numbering clusters in the order of their first note.

>>> import numpy as np
>>> v = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.1, 0.99], [0.7, 0.7]])
>>> v = v / np.linalg.norm(v, axis=1, keepdims=True)
>>> clusters(v, threshold=0.2)
[[0, 1], [2, 3], [4]]
>>> clusters(v, threshold=0.9)
[[0, 1, 2, 3, 4]]
>>> clusters(v, threshold=0.9, size=2.5)
[[0, 1, 4], [2, 3]]
"""

import numpy as np


def distances(vectors: np.ndarray) -> np.ndarray:
    """Cosine distances between unit rows (a zero row is at distance 1 from all)."""
    sim = np.clip(vectors @ vectors.T, -1.0, 1.0)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    return (dist + dist.T) / 2  # exact symmetry for squareform


def clusters(vectors: np.ndarray, threshold: float, size: float | None = None) -> list[list[int]]:
    """The clusters of the rows (lists of row indices), in order of first row.

    ``threshold``: the largest mean cosine distance within a cluster;
    ``size``: at most ``round(n / size)`` clusters are merged away to (at
    least 1), whichever cut is finer.
    """
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage  # loaded on first use
    from scipy.spatial.distance import squareform

    condensed = squareform(distances(vectors), checks=False)
    tree = linkage(condensed, method="average")
    labels = fcluster(tree, t=threshold, criterion="distance")
    if size:
        by_size = fcluster(tree, t=max(1, round(n / size)), criterion="maxclust")
        both: dict[tuple, int] = {}
        labels = [
            both.setdefault((int(a), int(b)), len(both))
            for a, b in zip(labels, by_size, strict=True)
        ]
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def attach_lone(vectors: np.ndarray, found: list[list[int]], least: float) -> list[list[int]]:
    """Each cluster of one row, in order, joins the cluster of two rows or more
    it is closest to (mean cosine with its rows as they are then, at least
    ``least``); the others stay as they are.

    >>> v = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.6, 0.8]])
    >>> attach_lone(v, [[0, 1], [2], [3]], 0.1)
    [[0, 1, 3], [2]]
    """
    big = [list(c) for c in found if len(c) > 1]
    if not big:
        return found
    sims = vectors @ vectors.T
    alone = []
    for c in found:
        if len(c) > 1:
            continue
        i = c[0]
        means = [float(sims[i, g].mean()) for g in big]
        best = int(np.argmax(means))
        if means[best] >= least:
            big[best].append(i)
        else:
            alone.append([i])
    return sorted((sorted(g) for g in big + alone), key=lambda g: g[0])
