"""Rules of grouping suggestions on the post-it board (pure Python).

A suggestion is computed on the notes as they were; the facilitator accepts
it later, maybe after a participant edited a note or another console moved
one. Each note of a suggestion carries its *basis*, a short fingerprint of
what the suggestion relied on (text, category, merge); a note whose basis
changed since is *stale* and is left where it is, the rest applies.

>>> b = note_basis("Manque de temps", None, None)
>>> len(b), b == note_basis("Manque de temps", None, None)
(12, True)
>>> b == note_basis("Manque de temps !", None, None), b == note_basis("Manque de temps", 4, None)
(False, False)
>>> stale_reason(b, None)
'deleted'
>>> stale_reason(b, {"text": "Manque de temps", "category_id": None, "merged_into": None})
>>> stale_reason(b, {"text": "Manque de temps", "category_id": 4, "merged_into": None})
'moved'
>>> stale_reason(b, {"text": "Plus de temps", "category_id": None, "merged_into": None})
'edited'
"""

import hashlib

# What the console may send back in one acceptance (a question rarely has
# more; the payload stays under the socket's message limit).
MAX_GROUPS = 60
MAX_NOTES = 1000
# Fewer notes to place than this: too little to group (the library says so too).
MIN_NOTES = 4
# Beyond this, a suggestion is refused (the clustering is quadratic in memory).
MAX_SUGGEST_NOTES = 3000
STALE_REASONS = ("deleted", "edited", "moved", "merged", "other_prompt")


def _digest(raw: str) -> str:
    return hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=3).hexdigest()


def note_basis(text: str, category_id: int | None, merged_into: int | None) -> str:
    """A 12-character fingerprint of what a suggestion relied on for one note:
    6 for its text, 6 for its place (category and merge)."""
    return _digest(text) + _digest(f"{category_id}\x00{merged_into}")


def stale_reason(basis: str, note: dict | None, prompt_id: int | None = None) -> str | None:
    """Why a note cannot follow a suggestion any more (``None``: it still can).

    ``note``: its current ``text``, ``category_id``, ``merged_into`` (and
    ``prompt_id``), or ``None`` when it was deleted.
    """
    if note is None:
        return "deleted"
    if prompt_id is not None and note.get("prompt_id", prompt_id) != prompt_id:
        return "other_prompt"
    now = note_basis(note["text"], note["category_id"], note["merged_into"])
    if now == basis:
        return None
    if now[:6] != basis[:6]:
        return "edited"
    return "merged" if note["merged_into"] is not None else "moved"
