"""Grouping suggestions on the board: read the notes, compute, accept, undo.

The suggestion itself is the ``suggest`` library (no Flask, no database);
this module gives it a question's notes and turns its answer into ids, and
applies what the facilitator accepted. Computing writes nothing: the board
only changes when a group is accepted. Accepting is checked note by note
against the basis each note had when it was suggested
(:mod:`workshop.domain.board_suggest`): stale notes are left alone, the rest
applies, and the acceptance returns what undoing it needs.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

import suggest

from ..domain import board_suggest as srules
from ..domain.errors import DomainError
from ..models import Atelier
from . import service
from .models import BoardCategory, BoardNote


@dataclass
class Input:
    """What the suggestion is computed on (plain values: safe to hand to a thread)."""

    prompt_id: int
    note_ids: list[int]
    texts: list[str]
    bases: list[str]
    existing: dict[int, list[str]]  # category id -> its title then its notes' texts
    titles: dict[int, str]


def gather(s: Session, atelier: Atelier, prompt_id) -> Input:
    """The question's notes to place (visible, not merged, uncategorised) and its categories."""
    prompt = service.get_prompt(s, atelier, prompt_id)
    rows = s.execute(
        select(BoardNote.id, BoardNote.text, BoardNote.category_id, BoardNote.merged_into)
        .where(BoardNote.prompt_id == prompt.id, BoardNote.status == "visible")
        .order_by(BoardNote.id)
    ).all()
    cats = service.categories(s, atelier, prompt.id)
    existing = {c.id: [c.title] for c in cats}
    data = Input(prompt.id, [], [], [], existing, {c.id: c.title for c in cats})
    for note_id, text, category_id, merged_into in rows:
        if merged_into is not None:
            continue
        if category_id is None:
            data.note_ids.append(note_id)
            data.texts.append(text)
            data.bases.append(srules.note_basis(text, None, None))
        elif category_id in existing:
            existing[category_id].append(text)
    return data


def warm_up() -> None:
    """Load the suggestion's dictionaries and SciPy (at server start, in a thread)."""
    import logging

    try:
        seconds = suggest.warm_up("fr")
    except Exception:  # never stop the server for it: the first suggestion loads them
        logging.getLogger(__name__).exception("suggestion warm-up failed")
        return
    logging.getLogger(__name__).info("suggestions ready in %.2f s", seconds)
    # What it loaded (SciPy's modules, the lemma tables) stays for the
    # server's life: out of every later garbage collection, as what the
    # server loaded at start (cli._tune_gc).
    import gc

    gc.freeze()


def compute(data: Input, lang: str = "fr") -> dict:
    """Run the library on ``data`` (CPU only: the caller runs it off the event loop)."""
    if len(data.texts) > srules.MAX_SUGGEST_NOTES:
        return {"notice": "too_many", "groups": [], "unplaced": [], "duplicates": []}
    # Category keys are ids (never read as text): the title goes first in its texts.
    result = suggest.suggest_groups(data.texts, existing=data.existing, lang=lang)
    ids = data.note_ids

    def note(i):
        return {"id": ids[i], "text": data.texts[i], "basis": data.bases[i]}

    return {
        "prompt_id": data.prompt_id,
        "method": result.method,
        "notice": result.notice,
        "groups": [
            {
                "label": g.label,
                "keywords": list(g.keywords),
                "category_id": g.existing,
                "category_title": data.titles.get(g.existing),
                "notes": [note(i) for i in g.members],
            }
            for g in result.groups
        ],
        "unplaced": [note(i) for i in result.unplaced],
        "duplicates": [{"kept": note(k), "duplicate": note(d)} for k, d in result.duplicates],
        "count": len(ids),
    }


def accept(s: Session, atelier: Atelier, prompt_id, groups: list[dict]) -> dict:
    """Apply accepted groups; stale notes and groups are refused one by one.

    Each group: ``title``, ``category_id`` (an existing category, or ``None``
    to create one) and ``notes`` (``[{"id", "basis"}]``). Returns the
    accepted groups, the refused parts with their reason, and ``undo``.
    """
    prompt = service.get_prompt(s, atelier, prompt_id)
    accepted, stale, refused = [], [], []
    undo_notes, created = [], []
    claimed: set[int] = set()
    for group in groups:
        fresh = []
        for item in group["notes"]:
            note_id = item["id"]
            if note_id in claimed:
                continue  # the same note twice: the first group keeps it
            note = s.get(BoardNote, note_id)
            current = None
            if note is not None and note.atelier_id == atelier.id:
                current = {
                    "text": note.text,
                    "category_id": note.category_id,
                    "merged_into": note.merged_into,
                    "prompt_id": note.prompt_id,
                }
            reason = srules.stale_reason(item["basis"], current, prompt.id)
            if reason is None:
                fresh.append(note)
                claimed.add(note_id)
            else:
                stale.append({"id": note_id, "reason": reason})
        if not fresh:
            refused.append({"title": group["title"], "reason": "no_note_left"})
            continue
        try:
            if group.get("category_id") is not None:
                cat = service.get_category(s, atelier, group["category_id"])
                if cat.prompt_id != prompt.id:
                    raise DomainError("category_not_found")
                is_new = False
            else:
                cat = service.create_category(s, atelier, prompt.id, group["title"])
                created.append(cat.id)
                is_new = True
        except DomainError as err:
            claimed.difference_update(n.id for n in fresh)
            refused.append({"title": group["title"], "reason": err.code})
            continue
        for note in fresh:
            service.move_note(s, atelier, note.id, cat.id)
            undo_notes.append(
                {"id": note.id, "basis": srules.note_basis(note.text, cat.id, note.merged_into)}
            )
        accepted.append(
            {
                "title": cat.title,
                "category_id": cat.id,
                "created": is_new,
                "note_ids": [n.id for n in fresh],
            }
        )
    s.flush()
    return {
        "prompt_id": prompt.id,
        "accepted": accepted,
        "stale": stale,
        "refused": refused,
        "moved": [n for a in accepted for n in a["note_ids"]],
        "undo": {"prompt_id": prompt.id, "categories": created, "notes": undo_notes},
    }


def undo(s: Session, atelier: Atelier, prompt_id, categories: list[int], notes: list[dict]):
    """Undo an acceptance: its notes go back to « uncategorised » and the
    categories it created are deleted when nothing else went into them since.
    A note changed since the acceptance stays where it is (reported stale)."""
    prompt = service.get_prompt(s, atelier, prompt_id)
    moved, stale = [], []
    for item in notes:
        note = s.get(BoardNote, item["id"])
        current = None
        if note is not None and note.atelier_id == atelier.id:
            current = {
                "text": note.text,
                "category_id": note.category_id,
                "merged_into": note.merged_into,
                "prompt_id": note.prompt_id,
            }
        reason = srules.stale_reason(item["basis"], current, prompt.id)
        if reason is None:
            service.move_note(s, atelier, note.id, None)
            moved.append(note.id)
        else:
            stale.append({"id": item["id"], "reason": reason})
    s.flush()
    deleted, kept = [], []
    for cat_id in categories:
        cat = s.get(BoardCategory, cat_id)  # ids checked by the event's declaration
        if cat is None or cat.atelier_id != atelier.id or cat.prompt_id != prompt.id:
            continue
        left = s.scalar(select(BoardNote.id).where(BoardNote.category_id == cat.id).limit(1))
        if left is None:
            s.delete(cat)
            deleted.append(cat.id)
        else:
            kept.append(cat.id)
    s.flush()
    return {
        "prompt_id": prompt.id,
        "moved": moved,
        "stale": stale,
        "deleted_categories": deleted,
        "kept_categories": kept,
    }
