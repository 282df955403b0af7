"""Tables of the co-développement: groups, their members, what is written.

Timer state is stored as absolute UTC epoch milliseconds (``deadline_ms``) so
that a restarted server resumes every group with the right time left.
"""

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..models import utcnow


class CodevGroup(Base):
    __tablename__ = "codev_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    room: Mapped[str | None] = mapped_column(String(60), nullable=True)
    colour: Mapped[str] = mapped_column(String(16), default="bleu")
    template: Mapped[str] = mapped_column(String(20), default="cinq_etapes")
    # Duration of each step, in ms (adjustable before the start).
    durations_ms: Mapped[list] = mapped_column(JSON)
    max_members: Mapped[int] = mapped_column(Integer, default=12)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Shown alone on the projector (at most one per atelier; none: overview).
    projected: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="setup")
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    deadline_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    remaining_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    step_duration_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Bumped on every timer change: clients ignore an older state.
    timer_version: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)
    contract: Mapped[str | None] = mapped_column(Text, nullable=True)
    action_plan: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CodevMember(Base):
    __tablename__ = "codev_member"
    __table_args__ = (UniqueConstraint("atelier_id", "participant_id", name="uq_codev_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("codev_group.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="contributeur")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CodevItem(Base):
    """A question (with the porteur's answer), a proposal, a note, a learning."""

    __tablename__ = "codev_item"
    __table_args__ = (UniqueConstraint("atelier_id", "client_id", name="uq_codev_item_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("codev_group.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    retained: Mapped[bool] = mapped_column(Boolean, default=False)
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CodevTextWrite(Base):
    """One write of a group text (subject, contract, action plan), by its
    client id: a text is stored in its group's row, so this table is what
    makes its writes exactly-once. A resend of an older write, arriving after
    a newer one (a phone's outbox replayed on a poor network), must not put
    the older text back. No text is kept here, only who wrote which kind."""

    __tablename__ = "codev_text_write"
    __table_args__ = (UniqueConstraint("atelier_id", "client_id", name="uq_codev_text_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("codev_group.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[str] = mapped_column(String(64))
