"""Tables of the post-it board: prompts, categories, notes, votes."""

import datetime as dt
import json

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    event,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base, dialect_insert, store_once
from ..models import utcnow

_EPOCH = dt.datetime(1970, 1, 1)
_MS = dt.timedelta(milliseconds=1)


def _ms(value: dt.datetime | None) -> int | None:
    """A stored (naive UTC) time in milliseconds since the epoch.

    >>> _ms(dt.datetime(1970, 1, 1, 0, 0, 1, 999_999))
    1999
    """
    if value is None:
        return None
    return (value - _EPOCH) // _MS


class _PromptRules:
    """What a note's rules read of its prompt, for :class:`BoardPrompt` and
    :class:`PromptColumns` alike."""

    __slots__ = ()

    @property
    def colour_list(self) -> list[str]:
        try:
            return json.loads(self.colours or "[]")
        except ValueError:
            return []

    def rules_dict(self) -> dict:
        return {
            "status": self.status,
            "visibility": self.visibility,
            "revealed": self.revealed,
            "approval": self.approval,
            "vote_status": self.vote_status,
            "vote_dots": self.vote_dots,
        }


class BoardPrompt(_PromptRules, Base):
    __tablename__ = "board_prompt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    # open | closed | archived
    status: Mapped[str] = mapped_column(String(10), default="open")
    # live | reveal
    visibility: Mapped[str] = mapped_column(String(10), default="live")
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    approval: Mapped[bool] = mapped_column(Boolean, default=False)
    # Shown on the projector's board scene.
    on_screen: Mapped[bool] = mapped_column(Boolean, default=True)
    # JSON list of palette names; empty: the default colour only.
    colours: Mapped[str] = mapped_column(Text, default="[]")
    # none | open | closed
    vote_status: Mapped[str] = mapped_column(String(10), default="none")
    vote_dots: Mapped[int] = mapped_column(Integer, default=3)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "position": self.position,
            "text": self.text,
            "status": self.status,
            "visibility": self.visibility,
            "revealed": self.revealed,
            "approval": self.approval,
            "on_screen": self.on_screen,
            "colours": self.colour_list,
            "vote_status": self.vote_status,
            "vote_dots": self.vote_dots,
        }


class PromptColumns(_PromptRules):
    """A prompt's columns, read without the ORM (:func:`prompt_columns`):
    for the path every note takes, where the prompt is only read."""

    __slots__ = ("_row",)

    def __init__(self, row) -> None:
        self._row = row

    def __getattr__(self, name: str):
        return getattr(self._row, name)


_PROMPT_COLUMNS = select(*BoardPrompt.__table__.columns).where(
    BoardPrompt.__table__.c.id == bindparam("id")
)


def prompt_columns(session: Session, prompt_id: int) -> PromptColumns | None:
    """The prompt ``prompt_id`` (any atelier's: callers check), read as
    :class:`PromptColumns`, or None. One statement, built once: less than
    half the cost of loading the mapped object (measured: docs/PERFORMANCE.md)."""
    row = session.execute(_PROMPT_COLUMNS, {"id": prompt_id}).first()
    return PromptColumns(row) if row is not None else None


class BoardCategory(Base):
    __tablename__ = "board_category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[int] = mapped_column(
        ForeignKey("board_prompt.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "prompt_id": self.prompt_id,
            "position": self.position,
            "title": self.title,
        }


class BoardNote(Base):
    __tablename__ = "board_note"
    __table_args__ = (UniqueConstraint("atelier_id", "client_id", name="uq_board_note_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[int] = mapped_column(
        ForeignKey("board_prompt.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_category.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # None: written by the facilitator (or the participant was deleted).
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True, index=True
    )
    by_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    colour: Mapped[str] = mapped_column(String(20), default="jaune")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Author name kept at writing time (None when anonymous).
    author_name: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # visible | hidden | pending
    status: Mapped[str] = mapped_column(String(10), default="visible")
    merged_into: Mapped[int | None] = mapped_column(
        ForeignKey("board_note.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    def rules_dict(self) -> dict:
        return note_rules(self)

    def public_dict(self, merged_count: int = 0) -> dict:
        """What the projector and the other participants see."""
        return note_public(self, merged_count)

    def own_dict(self, merged_count: int = 0) -> dict:
        """What the author sees of their own note."""
        return note_own(self, merged_count)

    def full_dict(self, merged_count: int = 0) -> dict:
        """What the facilitator sees."""
        return note_full(self, merged_count)


# The views of a note, from a ``BoardNote`` or from a row of its columns (the
# board snapshot reads rows: building thousands of ORM objects cost 5 times
# more than the view itself).


def note_rules(n) -> dict:
    return {"status": n.status, "merged_into": n.merged_into, "participant_id": n.participant_id}


def note_public(n, merged_count: int = 0) -> dict:
    return {
        "id": n.id,
        "prompt_id": n.prompt_id,
        "category_id": n.category_id,
        "text": n.text,
        "colour": n.colour,
        "author": None if n.anonymous else n.author_name,
        "by_facilitator": n.by_facilitator,
        "merged_count": merged_count,
        "created_at": _ms(n.created_at),
    }


def note_own(n, merged_count: int = 0) -> dict:
    return {
        **note_public(n, merged_count),
        "client_id": n.client_id,
        "status": n.status,
        "anonymous": n.anonymous,
        "merged_into": n.merged_into,
        "mine": True,
    }


def note_full(n, merged_count: int = 0) -> dict:
    return {
        **note_own(n, merged_count),
        "participant_id": n.participant_id,
        "author_name": n.author_name,
        "mine": n.by_facilitator,
    }


# Every column of a note, as ORM columns (the statement autoflushes like any
# ORM query, so a note written in this session is seen).
NOTE_COLUMNS = tuple(getattr(BoardNote, c.key) for c in BoardNote.__table__.columns)


class BoardVote(Base):
    __tablename__ = "board_vote"
    __table_args__ = (UniqueConstraint("note_id", "participant_id", name="uq_board_vote"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[int] = mapped_column(
        ForeignKey("board_prompt.id", ondelete="CASCADE"), index=True
    )
    note_id: Mapped[int] = mapped_column(ForeignKey("board_note.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    dots: Mapped[int] = mapped_column(Integer, default=0)


class BoardRevision(Base):
    """A counter per atelier, raised in the same transaction as every change
    to its board: the key of the snapshot cache (``service.board_snapshot``),
    valid across processes since it lives in the database."""

    __tablename__ = "board_revision"

    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), primary_key=True
    )
    rev: Mapped[int] = mapped_column(Integer, default=0)


# Set in ``Session.info`` once a session has changed a board: such a session
# must not fill the snapshot cache (what it sees may still be rolled back).
BOARD_WRITTEN = "workshop_board_written"


def _changed_ateliers(session: Session) -> set[int]:
    tables = (BoardPrompt, BoardCategory, BoardNote, BoardVote)
    found = set()
    for group in (session.new, session.dirty, session.deleted):
        for obj in group:
            if isinstance(obj, tables) and obj.atelier_id is not None:
                found.add(obj.atelier_id)
    return found


_REVISION_STATEMENTS: dict = {}


def note_author(participant_id: int | None) -> dict:
    """The columns that say who sent a note (for :func:`workshop.db.find_once`)."""
    return {"participant_id": participant_id, "by_facilitator": participant_id is None}


def store_note_once(session: Session, values: dict):
    """Store a note exactly once by its ``(atelier_id, client_id)``:
    ``(row, created)``, the row read like a ``BoardNote``.

    One statement (:func:`workshop.db.store_once`): this runs for every
    note sent. The board's revision is raised in the same transaction, as
    :func:`_raise_board_revision` does for ORM changes.
    """
    row, created = store_once(
        session, BoardNote.__table__, values, note_author(values["participant_id"])
    )
    if created:
        _board_changed(session, [values["atelier_id"]])
    return row, created


def _board_changed(session: Session, atelier_ids) -> None:
    """Mark the session as having written a board, and raise each atelier's
    revision in its transaction."""
    session.info[BOARD_WRITTEN] = True
    conn = session.connection()
    for atelier_id in atelier_ids:
        _upsert_revision(conn, atelier_id)


def _upsert_revision(conn, atelier_id: int) -> None:
    """Raise a revision (insert it at 1 the first time). The statement is
    built once per dialect, SQLite or PostgreSQL, so that its compiled form
    is reused: this runs for every note sent."""
    dialect = conn.dialect.name
    upsert = _REVISION_STATEMENTS.get(dialect)
    if upsert is None:
        table = BoardRevision.__table__
        upsert = (
            dialect_insert(conn)(table)
            .values(atelier_id=bindparam("aid"), rev=1)
            .on_conflict_do_update(
                index_elements=[table.c.atelier_id], set_={"rev": table.c.rev + 1}
            )
        )
        _REVISION_STATEMENTS[dialect] = upsert
    conn.execute(upsert, {"aid": atelier_id})


@event.listens_for(Session, "after_flush")
def _raise_board_revision(session: Session, _flush_context) -> None:
    """Every flush that touches a board raises its atelier's revision, in the
    same transaction: committed together, or rolled back together."""
    changed = _changed_ateliers(session)
    if changed:
        _board_changed(session, sorted(changed))
