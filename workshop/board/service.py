"""Post-it board operations on the database (no Flask, no Socket.IO).

Every function takes an open SQLAlchemy session and the atelier the caller is
connected to; ids sent by clients are always checked against that atelier.
The caller commits.
"""

import json
import threading
from collections import Counter, OrderedDict

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..concurrency import cooperative
from ..db import find_once
from ..domain import board as rules
from ..domain.contracts import UNCHANGED
from ..domain.errors import DomainError
from ..models import Atelier, Participant, utcnow
from ..wire import Prepared
from .models import (
    BOARD_WRITTEN,
    NOTE_COLUMNS,
    BoardCategory,
    BoardNote,
    BoardPrompt,
    BoardRevision,
    BoardVote,
    PromptColumns,
    note_author,
    note_full,
    note_own,
    note_public,
    note_rules,
    store_note_once,
)

# ---------------------------------------------------------------- prompts


def prompts(s: Session, atelier: Atelier) -> list[BoardPrompt]:
    return list(
        s.scalars(
            select(BoardPrompt)
            .where(BoardPrompt.atelier_id == atelier.id)
            .order_by(BoardPrompt.position, BoardPrompt.id)
        )
    )


def get_prompt(s: Session, atelier: Atelier, prompt_id: int) -> BoardPrompt:
    prompt = s.get(BoardPrompt, prompt_id)
    if prompt is None or prompt.atelier_id != atelier.id:
        raise DomainError("prompt_not_found")
    return prompt


def create_prompt(
    s: Session,
    atelier: Atelier,
    *,
    text: str,
    colours: list[str] | None = None,
    visibility: str = "live",
    approval: bool = False,
    status: str = "open",
    on_screen: bool = True,
) -> BoardPrompt:
    count = s.scalar(select(func.count(BoardPrompt.id)).where(BoardPrompt.atelier_id == atelier.id))
    if count >= rules.MAX_PROMPTS:
        raise DomainError("too_many_prompts", max=rules.MAX_PROMPTS)
    last = s.scalar(
        select(func.max(BoardPrompt.position)).where(BoardPrompt.atelier_id == atelier.id)
    )
    prompt = BoardPrompt(
        atelier_id=atelier.id,
        position=(last + 1) if last is not None else 0,
        text=rules.clean_prompt_text(text),
        colours=json.dumps(rules.clean_colours(colours)),
        visibility=rules.check_choice(visibility, rules.VISIBILITIES, "invalid_visibility"),
        approval=rules.check_bool(approval),
        status=rules.check_choice(status, rules.PROMPT_STATUSES, "invalid_prompt_status"),
        on_screen=rules.check_bool(on_screen),
        revealed=False,
        vote_status="none",
        vote_dots=3,
    )
    s.add(prompt)
    s.flush()
    return prompt


# Fields whose change alters who may see which notes.
VISIBILITY_FIELDS = {"status", "visibility", "revealed"}


def update_prompt(
    s: Session,
    atelier: Atelier,
    prompt_id: int,
    *,
    text=UNCHANGED,
    colours=UNCHANGED,
    visibility=UNCHANGED,
    approval=UNCHANGED,
    status=UNCHANGED,
    on_screen=UNCHANGED,
    revealed=UNCHANGED,
    position=UNCHANGED,
    exclusive: bool | None = None,
) -> tuple[BoardPrompt, set, list]:
    """Edit a prompt; return it, the changed fields and other prompts closed
    along (``exclusive``: open this one alone). A field left ``UNCHANGED``
    is not touched."""
    prompt = get_prompt(s, atelier, prompt_id)
    changed = set()

    def put(field, value):
        if getattr(prompt, field) != value:
            setattr(prompt, field, value)
            changed.add(field)

    if text is not UNCHANGED:
        put("text", rules.clean_prompt_text(text))
    if colours is not UNCHANGED:
        put("colours", json.dumps(rules.clean_colours(colours)))
    if visibility is not UNCHANGED:
        put("visibility", rules.check_choice(visibility, rules.VISIBILITIES, "invalid_visibility"))
    for field, value in (("approval", approval), ("on_screen", on_screen), ("revealed", revealed)):
        if value is not UNCHANGED:
            put(field, rules.check_bool(value))
    if position is not UNCHANGED:
        put("position", rules.check_int(position, low=0, high=10_000))
    if status is not UNCHANGED:
        put("status", rules.check_choice(status, rules.PROMPT_STATUSES, "invalid_prompt_status"))
    others = []
    if exclusive:
        if prompt.status != "open":
            raise DomainError("invalid_payload")
        for other in prompts(s, atelier):
            if other.id != prompt.id and other.status == "open":
                other.status = "closed"
                others.append(other)
        if others:
            changed.add("status")
    return prompt, changed, others


# ---------------------------------------------------------------- categories


def categories(s: Session, atelier: Atelier, prompt_id: int | None = None) -> list[BoardCategory]:
    q = select(BoardCategory).where(BoardCategory.atelier_id == atelier.id)
    if prompt_id is not None:
        q = q.where(BoardCategory.prompt_id == prompt_id)
    return list(
        s.scalars(q.order_by(BoardCategory.prompt_id, BoardCategory.position, BoardCategory.id))
    )


def get_category(s: Session, atelier: Atelier, category_id: int) -> BoardCategory:
    cat = s.get(BoardCategory, category_id)
    if cat is None or cat.atelier_id != atelier.id:
        raise DomainError("category_not_found")
    return cat


def create_category(s: Session, atelier: Atelier, prompt_id: int, title: str) -> BoardCategory:
    prompt = get_prompt(s, atelier, prompt_id)
    title = rules.clean_category_title(title)
    existing = categories(s, atelier, prompt.id)
    if len(existing) >= rules.MAX_CATEGORIES:
        raise DomainError("too_many_categories", max=rules.MAX_CATEGORIES)
    cat = BoardCategory(
        atelier_id=atelier.id,
        prompt_id=prompt.id,
        position=(max(c.position for c in existing) + 1) if existing else 0,
        title=title,
    )
    s.add(cat)
    s.flush()
    return cat


def rename_category(s: Session, atelier: Atelier, category_id: int, title: str) -> BoardCategory:
    cat = get_category(s, atelier, category_id)
    cat.title = rules.clean_category_title(title)
    return cat


def delete_category(s: Session, atelier: Atelier, category_id: int) -> tuple[int, list[BoardNote]]:
    """Delete a category; its notes go back to "uncategorised"."""
    cat = get_category(s, atelier, category_id)
    notes = list(s.scalars(select(BoardNote).where(BoardNote.category_id == cat.id)))
    for note in notes:
        note.category_id = None
    prompt_id = cat.prompt_id
    s.delete(cat)
    s.flush()
    return prompt_id, notes


def reorder_categories(s: Session, atelier: Atelier, prompt_id: int, order: list[int]) -> int:
    """Put the prompt's categories in ``order`` (every id of them, once)."""
    prompt = get_prompt(s, atelier, prompt_id)
    cats = {c.id: c for c in categories(s, atelier, prompt.id)}
    if len(order) != len(cats) or set(order) != set(cats):
        raise DomainError("invalid_order")
    for pos, cid in enumerate(order):
        cats[cid].position = pos
    return prompt.id


# ---------------------------------------------------------------- notes


def notes(s: Session, atelier: Atelier) -> list[BoardNote]:
    return list(
        s.scalars(
            select(BoardNote).where(BoardNote.atelier_id == atelier.id).order_by(BoardNote.id)
        )
    )


_NOTE_ROWS = (
    select(*NOTE_COLUMNS)
    .where(BoardNote.atelier_id == bindparam("atelier_id"))
    .order_by(BoardNote.id)
)


def note_rows(s: Session, atelier: Atelier) -> list:
    """Every note of the atelier as rows (attributes named like a
    ``BoardNote``'s, read by ``note_public`` and the other views), in order."""
    return s.execute(_NOTE_ROWS, {"atelier_id": atelier.id}).all()


def get_note(s: Session, atelier: Atelier, note_id: int) -> BoardNote:
    note = s.get(BoardNote, note_id)
    if note is None or note.atelier_id != atelier.id:
        raise DomainError("note_not_found")
    return note


def merged_count(s: Session, note: BoardNote) -> int:
    return s.scalar(select(func.count(BoardNote.id)).where(BoardNote.merged_into == note.id)) or 0


def create_note(
    s: Session,
    atelier: Atelier,
    participant: Participant | None,
    *,
    client_id: str,
    prompt_id: int,
    text: str,
    colour: str | None = None,
    anonymous: bool = False,
    prompt: BoardPrompt | PromptColumns | None = None,
):
    """Store a note once: ``(note, created)``. A repeat of the same
    ``client_id`` returns the note already stored (``created`` False).

    ``note`` is a row of the note's columns (read like a ``BoardNote``, by
    ``note_public`` and the other views): a note is written for every phone's
    every idea, and the ORM's unit of work cost more than the rest.
    ``prompt``: the prompt if the caller holds it already (one query less).

    A resend is found by the insert itself (one statement less for every
    note); only when a check refuses it is the stored note looked up, so
    that a resend of a note stored before the prompt closed still gets it.
    """
    try:
        values = _new_note_values(
            s, atelier, participant, client_id, prompt_id, text, colour, anonymous, prompt
        )
    except DomainError:
        author = note_author(participant.id if participant is not None else None)
        existing = find_once(s, BoardNote.__table__, atelier.id, client_id, author)
        if existing is not None:
            return existing, False
        raise
    return store_note_once(s, values)


def _new_note_values(
    s, atelier, participant, client_id, prompt_id, text, colour, anonymous, prompt
):
    """The columns of a new note, once every rule of the prompt allows it."""
    if prompt is None or prompt.id != prompt_id or prompt.atelier_id != atelier.id:
        prompt = get_prompt(s, atelier, prompt_id)
    by_facilitator = participant is None
    if not by_facilitator:
        rules.check_can_post(prompt.rules_dict())
    elif prompt.status == "archived":
        raise DomainError("prompt_closed")
    text = rules.clean_note_text(text, atelier.note_max_length)
    colour = rules.choose_colour(colour, prompt.colour_list)
    name = participant.display_name if participant is not None else None
    if anonymous and not atelier.allow_anonymous:
        raise DomainError("anonymous_not_allowed")
    if name is None and participant is not None:
        anonymous = True
    return {
        "atelier_id": atelier.id,
        "prompt_id": prompt.id,
        "category_id": None,
        "participant_id": participant.id if participant is not None else None,
        "by_facilitator": by_facilitator,
        "client_id": client_id,
        "text": text,
        "colour": colour,
        "anonymous": bool(anonymous),
        "author_name": None if anonymous else name,
        "status": rules.initial_status(prompt.rules_dict(), by_facilitator=by_facilitator),
        "merged_into": None,
    }


def _check_author(note: BoardNote, participant: Participant | None) -> None:
    """Participants may change their own notes, while the prompt is open."""
    if participant is None:
        return
    if note.participant_id != participant.id:
        raise DomainError("not_your_note")


def update_note(
    s: Session,
    atelier: Atelier,
    participant: Participant | None,
    note_id: int,
    *,
    text=UNCHANGED,
    colour=UNCHANGED,
    anonymous=UNCHANGED,
) -> BoardNote:
    """Edit a note (a field left ``UNCHANGED`` is not touched)."""
    note = get_note(s, atelier, note_id)
    _check_author(note, participant)
    prompt = s.get(BoardPrompt, note.prompt_id)
    if participant is not None:
        rules.check_can_post(prompt.rules_dict())
    changed = False
    if text is not UNCHANGED:
        text = rules.clean_note_text(text, atelier.note_max_length)
        changed = changed or text != note.text
        note.text = text
    if colour is not UNCHANGED:
        colour = rules.choose_colour(colour, prompt.colour_list)
        changed = changed or colour != note.colour
        note.colour = colour
    if anonymous is not UNCHANGED:
        if anonymous and not atelier.allow_anonymous:
            raise DomainError("anonymous_not_allowed")
        if participant is not None and participant.display_name is None:
            anonymous = True
        note.anonymous = anonymous
        note.author_name = None if anonymous else participant.display_name if participant else None
    if changed and participant is not None and prompt.approval and note.status == "visible":
        # An edited note goes back to the moderation queue.
        note.status = "pending"
    note.updated_at = utcnow()
    return note


def delete_note(
    s: Session, atelier: Atelier, participant: Participant | None, note_id: int
) -> tuple[dict, list[BoardNote]]:
    """Delete a note; return its last state (rules dict) and the notes that
    were merged into it (they come back on their own)."""
    note = get_note(s, atelier, note_id)
    _check_author(note, participant)
    prompt = s.get(BoardPrompt, note.prompt_id)
    if participant is not None:
        rules.check_can_post(prompt.rules_dict())
    freed = list(s.scalars(select(BoardNote).where(BoardNote.merged_into == note.id)))
    for other in freed:
        other.merged_into = None
    info = {**note.rules_dict(), "id": note.id, "prompt_id": note.prompt_id}
    s.delete(note)
    s.flush()
    return info, freed


def moderate_note(s: Session, atelier: Atelier, note_id: int, action: str) -> BoardNote:
    note = get_note(s, atelier, note_id)
    note.status = rules.moderate(note.status, action)
    return note


def move_note(s: Session, atelier: Atelier, note_id: int, category_id: int | None) -> BoardNote:
    """Put a note in a category (``None``: uncategorised)."""
    note = get_note(s, atelier, note_id)
    if category_id is None:
        note.category_id = None
    else:
        cat = get_category(s, atelier, category_id)
        if cat.prompt_id != note.prompt_id:
            raise DomainError("category_not_found")
        note.category_id = cat.id
    # Duplicates merged into it follow it.
    for other in s.scalars(select(BoardNote).where(BoardNote.merged_into == note.id)):
        other.category_id = note.category_id
    return note


def merge_note(
    s: Session, atelier: Atelier, note_id: int, into_id: int | None
) -> tuple[BoardNote, BoardNote | None]:
    """Merge a duplicate into another note of the same prompt (``into_id``),
    or take it back out (``into_id`` None). Votes on the duplicate move to the
    note it is merged into."""
    note = get_note(s, atelier, note_id)
    if into_id is None:
        target = s.get(BoardNote, note.merged_into) if note.merged_into else None
        note.merged_into = None
        return note, target
    target = get_note(s, atelier, into_id)
    if target.id == note.id or target.prompt_id != note.prompt_id:
        raise DomainError("merge_invalid")
    while target.merged_into is not None:
        target = s.get(BoardNote, target.merged_into)
        if target.id == note.id:
            raise DomainError("merge_invalid")
    # Notes already merged into this one move along to the new target.
    for other in s.scalars(select(BoardNote).where(BoardNote.merged_into == note.id)):
        other.merged_into = target.id
        other.category_id = target.category_id
    note.merged_into = target.id
    note.category_id = target.category_id
    for vote in list(s.scalars(select(BoardVote).where(BoardVote.note_id == note.id))):
        into = s.scalar(
            select(BoardVote).where(
                BoardVote.note_id == target.id, BoardVote.participant_id == vote.participant_id
            )
        )
        if into is None:
            vote.note_id = target.id
        else:
            into.dots += vote.dots
            s.delete(vote)
    s.flush()
    return note, target


# ---------------------------------------------------------------- votes


def open_vote(s: Session, atelier: Atelier, prompt_id: int, dots: int | None = None) -> BoardPrompt:
    """Open a dot vote with ``dots`` per participant (``None``: as before)."""
    prompt = get_prompt(s, atelier, prompt_id)
    if prompt.status == "archived":
        raise DomainError("prompt_closed")
    if dots is not None:
        dots = rules.check_int(
            dots, low=1, high=rules.MAX_DOTS, code="invalid_dots", max=rules.MAX_DOTS
        )
        prompt.vote_dots = dots
    prompt.vote_status = "open"
    return prompt


def close_vote(s: Session, atelier: Atelier, prompt_id: int) -> BoardPrompt:
    prompt = get_prompt(s, atelier, prompt_id)
    if prompt.vote_status != "open":
        raise DomainError("vote_not_open")
    prompt.vote_status = "closed"
    return prompt


def cast_vote(
    s: Session, atelier: Atelier, participant: Participant, note_id: int, dots: int
) -> BoardNote:
    """Set how many of their dots a participant puts on a note (0 takes them back)."""
    note = get_note(s, atelier, note_id)
    prompt = s.get(BoardPrompt, note.prompt_id)
    if not rules.note_is_public(note.rules_dict(), prompt.rules_dict()):
        raise DomainError("note_not_found")
    spent = s.scalar(
        select(func.coalesce(func.sum(BoardVote.dots), 0)).where(
            BoardVote.prompt_id == prompt.id,
            BoardVote.participant_id == participant.id,
            BoardVote.note_id != note.id,
        )
    )
    dots = rules.check_vote(prompt.rules_dict(), spent_elsewhere=spent, dots=dots)
    vote = s.scalar(
        select(BoardVote).where(
            BoardVote.note_id == note.id, BoardVote.participant_id == participant.id
        )
    )
    if vote is None:
        if dots:
            s.add(
                BoardVote(
                    atelier_id=atelier.id,
                    prompt_id=prompt.id,
                    note_id=note.id,
                    participant_id=participant.id,
                    dots=dots,
                )
            )
    elif dots:
        vote.dots = dots
    else:
        s.delete(vote)
    s.flush()
    return note


def totals(s: Session, atelier: Atelier, prompt_id: int | None = None) -> dict[int, int]:
    """Dots per note (note id -> total)."""
    q = (
        select(BoardVote.note_id, func.sum(BoardVote.dots))
        .where(BoardVote.atelier_id == atelier.id)
        .group_by(BoardVote.note_id)
    )
    if prompt_id is not None:
        q = q.where(BoardVote.prompt_id == prompt_id)
    return {nid: int(total) for nid, total in s.execute(q) if total}


def my_votes(s: Session, atelier: Atelier, participant_id: int, prompt_id=None) -> dict:
    """A participant's dots: ``{prompt_id: {note_id: dots}}`` (JSON keys as strings)."""
    q = select(BoardVote).where(
        BoardVote.atelier_id == atelier.id, BoardVote.participant_id == participant_id
    )
    if prompt_id is not None:
        q = q.where(BoardVote.prompt_id == prompt_id)
    out: dict = {}
    for v in s.scalars(q):
        out.setdefault(str(v.prompt_id), {})[str(v.note_id)] = v.dots
    return out


# ---------------------------------------------------------------- views


def prompt_view(prompt: BoardPrompt, vote_totals: dict, note_ids: set, *, full: bool) -> dict:
    data = prompt.to_dict()
    show = full or prompt.vote_status == "closed"
    if show and prompt.vote_status != "none":
        data["results"] = rules.rank_results(
            {nid: v for nid, v in vote_totals.items() if nid in note_ids}
        )
    return data


def board_view(s: Session, atelier: Atelier, role: str, participant_id: int | None = None) -> dict:
    """The board as one viewer may see it (the connect snapshot part).

    ``role`` "facilitator": everything. "projector" or "participant": public
    notes of non-archived prompts; with ``participant_id``, also "mine" (own
    notes, whatever their state) and "my_votes".
    """
    all_prompts = prompts(s, atelier)
    full = role == "facilitator"
    shown = [p for p in all_prompts if full or p.status != "archived"]
    by_id = {p.id: p for p in shown}
    all_notes = note_rows(s, atelier)
    counts = Counter(n.merged_into for n in all_notes if n.merged_into is not None)
    vote_totals = totals(s, atelier)
    # The rows are all read: while thousands of views are built from them,
    # the other connections get their turn.
    if full:
        note_list = [note_full(n, counts[n.id]) for n in cooperative(all_notes)]
    else:
        prompt_rules = {pid: p.rules_dict() for pid, p in by_id.items()}
        note_list = [
            note_public(n, counts[n.id])
            for n in cooperative(all_notes)
            if n.prompt_id in by_id
            and rules.note_is_public(note_rules(n), prompt_rules[n.prompt_id])
        ]
    ids_by_prompt: dict = {}
    for n in all_notes:
        ids_by_prompt.setdefault(n.prompt_id, set()).add(n.id)
    view = {
        "prompts": [
            prompt_view(p, vote_totals, ids_by_prompt.get(p.id, set()), full=full) for p in shown
        ],
        "categories": [c.to_dict() for c in categories(s, atelier) if c.prompt_id in by_id],
        "notes": note_list,
        "palette": rules.PALETTE,
    }
    if participant_id is not None:
        view["mine"] = [
            note_own(n, counts[n.id])
            for n in all_notes
            if n.participant_id == participant_id and n.prompt_id in by_id
        ]
        view["my_votes"] = my_votes(s, atelier, participant_id)
    return view


def own_notes(s: Session, atelier: Atelier, participant_id: int, prompt_ids: set) -> list:
    """A participant's own notes (``own_dict``) on the given prompts."""
    mine = [
        n
        for n in s.scalars(
            select(BoardNote)
            .where(BoardNote.atelier_id == atelier.id, BoardNote.participant_id == participant_id)
            .order_by(BoardNote.id)
        )
        if n.prompt_id in prompt_ids
    ]
    counts: dict = {}
    if mine:
        counts = dict(
            s.execute(
                select(BoardNote.merged_into, func.count(BoardNote.id))
                .where(BoardNote.merged_into.in_([n.id for n in mine]))
                .group_by(BoardNote.merged_into)
            ).all()
        )
    return [n.own_dict(counts.get(n.id, 0)) for n in mine]


class ViewCache:
    """The last board views built for each atelier, keyed by its revision.

    A snapshot is what every connecting socket asks for; without a cache a
    reconnection wave rebuilds the same board (every note through the ORM)
    once per phone. The revision (``BoardRevision``) is raised in the same
    transaction as any board change, on any process, so a view stored under
    revision *r* is the board of revision *r* or newer, never older.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key, rev: int):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != rev:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key, rev: int, view: dict) -> None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > rev:
                return  # a newer board is already there
            self._entries[key] = (rev, view)  # view: anything (a CachedView)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


VIEW_CACHE = ViewCache()


def revision(s: Session, atelier: Atelier) -> int:
    """The atelier's board revision (0 before its first change)."""
    rev = s.scalar(select(BoardRevision.rev).where(BoardRevision.atelier_id == atelier.id))
    return rev or 0


class CachedView:
    """One audience's board view, and its JSON text once asked for."""

    __slots__ = ("view", "_prepared")

    def __init__(self, view: dict):
        self.view = view
        self._prepared = None

    @property
    def prepared(self) -> Prepared:
        if self._prepared is None:  # two threads may both encode: same text
            self._prepared = Prepared.of(self.view)
        return self._prepared


def _cached_base(s: Session, atelier: Atelier, role: str) -> CachedView | None:
    """The shared part of an audience's view, or None if this session has
    itself changed a board (what it sees may still be rolled back)."""
    rev = revision(s, atelier)  # first: the view read after it is as new or newer
    if s.info.get(BOARD_WRITTEN) or s.new or s.dirty or s.deleted:
        return None
    full = role == "facilitator"
    # The code too: a deleted atelier's id may be given again (SQLite).
    key = (atelier.id, atelier.code, full)
    entry = VIEW_CACHE.get(key, rev)
    if entry is None:
        entry = CachedView(board_view(s, atelier, role))
        VIEW_CACHE.put(key, rev, entry)
    return entry


def _own_part(s: Session, atelier: Atelier, participant_id: int, base: dict) -> dict:
    prompt_ids = {p["id"] for p in base["prompts"]}
    return {
        "mine": own_notes(s, atelier, participant_id, prompt_ids),
        "my_votes": my_votes(s, atelier, participant_id),
    }


def board_snapshot(
    s: Session, atelier: Atelier, role: str, participant_id: int | None = None
) -> Prepared | dict:
    """:func:`board_view` for a snapshot, shared between viewers of the same
    atelier and audience as long as the board has not changed: the shared
    part is encoded once per board revision, not once per connecting phone.
    A session that has itself changed a board builds its own view (a dict).
    """
    entry = _cached_base(s, atelier, role)
    if entry is None:
        return board_view(s, atelier, role, participant_id)
    if participant_id is None:
        return entry.prepared
    return entry.prepared.extended(**_own_part(s, atelier, participant_id, entry.view))


def public_note(s: Session, note: BoardNote) -> dict:
    return note.public_dict(merged_count(s, note))
