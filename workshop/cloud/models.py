"""Tables of the word cloud: the activity (question and settings), the
participants' answers, and the facilitator's moderation of each word."""

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..models import utcnow


class CloudActivity(Base):
    __tablename__ = "cloud_activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    question: Mapped[str] = mapped_column(Text)
    max_answers: Mapped[int] = mapped_column(Integer, default=3)
    max_words: Mapped[int] = mapped_column(Integer, default=3)
    max_chars: Mapped[int] = mapped_column(Integer, default=40)
    # live | reveal
    mode: Mapped[str] = mapped_column(String(10), default="live")
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    # open | closed
    status: Mapped[str] = mapped_column(String(10), default="open")
    on_screen: Mapped[bool] = mapped_column(Boolean, default=False)
    show_counts: Mapped[bool] = mapped_column(Boolean, default=False)
    # Raised in the same transaction as every change of the cloud: views
    # carry it, clients keep the highest (broadcasts may cross).
    rev: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def rules_dict(self) -> dict:
        return {"mode": self.mode, "revealed": self.revealed, "status": self.status}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": "cloud",
            "position": self.position,
            "question": self.question,
            "max_answers": self.max_answers,
            "max_words": self.max_words,
            "max_chars": self.max_chars,
            "mode": self.mode,
            "revealed": self.revealed,
            "anonymous": self.anonymous,
            "status": self.status,
            "on_screen": self.on_screen,
            "show_counts": self.show_counts,
            "rev": self.rev,
        }


class CloudAnswer(Base):
    __tablename__ = "cloud_answer"
    __table_args__ = (UniqueConstraint("atelier_id", "client_id", name="uq_cloud_answer_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("cloud_activity.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True, index=True
    )
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(200))
    # domain.cloud.group_key(text): the word this answer counts for.
    key: Mapped[str] = mapped_column(String(120))
    # Kept at writing time when the cloud is named (None when anonymous).
    author_name: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


def answer_own(a) -> dict:
    """What the author sees of their answer (an ORM row or a result row)."""
    return {
        "id": a.id,
        "activity_id": a.activity_id,
        "client_id": a.client_id,
        "text": a.text,
        "key": a.key,
    }


class CloudWord(Base):
    """The facilitator's moderation of one word (by its group key)."""

    __tablename__ = "cloud_word"
    __table_args__ = (UniqueConstraint("activity_id", "key", name="uq_cloud_word_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("cloud_activity.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(120))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # The key of the word this one's answers count for.
    merged_into: Mapped[str | None] = mapped_column(String(120), nullable=True)
    # Displayed form chosen by the facilitator (None: the most frequent spelling).
    label: Mapped[str | None] = mapped_column(String(80), nullable=True)

    def rules_dict(self) -> dict:
        return {"hidden": self.hidden, "merged_into": self.merged_into, "label": self.label}
