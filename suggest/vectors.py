"""Notes as vectors: TF-IDF on lemmas, or sentence embeddings.

Each note becomes a unit vector; the cosine of two notes is their dot
product. The lexical vectors use two kinds of terms: the content lemmas
(``coordination``) and, with a smaller weight, their first letters
(``coord``, as much), so that ``coordination`` and ``coordonner`` or
``connaissance`` and ``connaître`` still meet. Terms are weighted by their
rarity among the notes (inverse document frequency): a word every note shares
says little about which notes belong together.

>>> import numpy as np
>>> m, vocab = tfidf([["temps", "réunion"], ["temps"], ["local"]])
>>> m.shape[0], sorted(vocab)[:3]
(3, ['p:local', 'p:réuni', 'p:temps'])
>>> bool(np.allclose(np.linalg.norm(m, axis=1), 1.0))
True
>>> float(round((m @ m.T)[0, 1], 2)), float((m @ m.T)[0, 2])
(0.61, 0.0)
"""

import math

import numpy as np

PREFIX = 5
PREFIX_WEIGHT = 1.0


def terms(lemmas: list[str], prefix: int = PREFIX, prefix_weight: float = PREFIX_WEIGHT):
    """The weighted terms of one note: each lemma, and its first ``prefix`` letters."""
    out: dict[str, float] = {}
    for lem in lemmas:
        out["w:" + lem] = 1.0
        if prefix and prefix_weight:
            out.setdefault("p:" + lem[:prefix], prefix_weight)
    return out


def tfidf(
    docs: list[list[str]], prefix: int = PREFIX, prefix_weight: float = PREFIX_WEIGHT
) -> tuple[np.ndarray, dict[str, int]]:
    """Unit TF-IDF rows for notes given as lists of lemmas (a note with no term: zeros).

    The idf is ``log((1 + n) / (1 + df)) + 1`` (the smoothed form of most
    libraries); presence counts, not repetitions, since notes are short.
    """
    weighted = [terms(d, prefix, prefix_weight) for d in docs]
    vocab: dict[str, int] = {}
    for w in weighted:
        for t in w:
            vocab.setdefault(t, len(vocab))
    n = len(docs)
    m = np.zeros((n, max(len(vocab), 1)), dtype=np.float64)
    df = np.zeros(m.shape[1])
    for i, w in enumerate(weighted):
        for t, weight in w.items():
            m[i, vocab[t]] = weight
            df[vocab[t]] += 1
    idf = np.log((1 + n) / (1 + df)) + 1 if n else df
    m *= idf
    return unit_rows(m), vocab


def unit_rows(m: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def idf_of(vocab: dict[str, int], docs: list[list[str]]) -> dict[str, float]:
    """The idf of each lemma, as ``tfidf`` computes it (used to rank label words)."""
    n = len(docs)
    df: dict[str, int] = {}
    for d in docs:
        for lem in set(d):
            df[lem] = df.get(lem, 0) + 1
    return {lem: math.log((1 + n) / (1 + c)) + 1 for lem, c in df.items()}
