"""Notes as vectors: TF-IDF on lemmas and on their letters, or sentence embeddings.

Each note becomes a unit vector; the cosine of two notes is their dot
product. The lexical vectors use two kinds of terms: the content lemmas
(``coordination``) and, with a smaller weight, their first letters
(``coord``, as much), so that ``coordination`` and ``coordonner`` or
``connaissance`` and ``connaître`` still meet. Terms are weighted by their
rarity among the notes (inverse document frequency): a word every note shares
says little about which notes belong together.

``lexical`` joins those lemma vectors with a second TF-IDF, on the letter
sequences of 3 to 5 characters of each lemma (`` réu``, ``union``…), which
catches shared roots beyond the first letters (« bénévole » and
« bénévolat », « rénover » and « rénovation »), each half of the cosine.

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
import zlib

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


CHAR_SIZES = (3, 5)
CHAR_SHARE = 0.5


def char_terms(lemmas: list[str], sizes: tuple[int, int] = CHAR_SIZES) -> dict[str, float]:
    """The letter sequences of each lemma, its edges marked by a space.

    >>> sorted(char_terms(["local"], (4, 5)))
    [' loc', ' loca', 'cal ', 'loca', 'local', 'ocal', 'ocal ']
    """
    lo, hi = sizes
    out: dict[str, float] = {}
    for lem in lemmas:
        s = f" {lem} "
        for k in range(lo, hi + 1):
            for i in range(len(s) - k + 1):
                out[s[i : i + k]] = 1.0
    return out


CHAR_DIMS = 8192


def weighted_tfidf(weighted: list[dict[str, float]], dims: int | None = None) -> np.ndarray:
    """Unit TF-IDF rows from each note's weighted terms; past ``dims``
    distinct terms, they are folded into that many columns by a stable hash
    (CRC-32), which bounds the memory for thousands of notes (two terms then
    sometimes share a column; under it every term has its own)."""
    vocab: dict[str, int] = {}
    if dims and len({t for w in weighted for t in w}) > dims:
        weighted = [_fold(w, dims) for w in weighted]
    for w in weighted:
        for t in w:
            vocab.setdefault(t, len(vocab))
    n = len(weighted)
    m = np.zeros((n, max(len(vocab), 1)), dtype=np.float64)
    df = np.zeros(m.shape[1])
    for i, w in enumerate(weighted):
        for t, weight in w.items():
            m[i, vocab[t]] = weight
            df[vocab[t]] += 1
    if n:
        m *= np.log((1 + n) / (1 + df)) + 1
    return unit_rows(m)


def _fold(terms: dict[str, float], dims: int) -> dict[int, float]:
    out: dict[int, float] = {}
    for t, weight in terms.items():
        k = zlib.crc32(t.encode("utf-8")) % dims
        out[k] = max(out.get(k, 0.0), weight)
    return out


def lexical(
    docs: list[list[str]], share: float = CHAR_SHARE, words: np.ndarray | None = None
) -> np.ndarray:
    """Unit rows joining the lemma TF-IDF and the letter TF-IDF (``share`` of the cosine).

    >>> m = lexical([["bénévole"], ["bénévolat"], ["local"]])
    >>> float(round((m @ m.T)[0, 1], 2)), float((m @ m.T)[0, 2])
    (0.45, 0.0)
    """
    if words is None:  # the lemma rows, when the caller has them already
        words = tfidf(docs)[0]
    chars = weighted_tfidf([char_terms(d) for d in docs], CHAR_DIMS)
    return join(words, chars, 1 - share)


def join(a: np.ndarray, b: np.ndarray, weight: float) -> np.ndarray:
    """Unit rows whose cosine is ``weight`` × the cosine of ``a`` + the rest × that of ``b``
    (for rows of ``a`` and ``b`` that are unit or zero)."""
    return unit_rows(np.hstack([np.sqrt(weight) * a, np.sqrt(1 - weight) * b]))


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
