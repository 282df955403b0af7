"""Tables of the quick poll: the poll (question, kind, options) and one
ballot per participant."""

import datetime as dt
import json

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..models import utcnow


class Poll(Base):
    __tablename__ = "poll"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    question: Mapped[str] = mapped_column(Text)
    # single | multiple | scale
    kind: Mapped[str] = mapped_column(String(10), default="single")
    # JSON [{"id", "label"}] (choice kinds)
    options: Mapped[str] = mapped_column(Text, default="[]")
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    label_low: Mapped[str | None] = mapped_column(String(40), nullable=True)
    label_high: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # open | closed
    status: Mapped[str] = mapped_column(String(10), default="open")
    results_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    on_screen: Mapped[bool] = mapped_column(Boolean, default=False)
    rev: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def option_list(self) -> list[dict]:
        try:
            return json.loads(self.options or "[]")
        except ValueError:
            return []

    def rules_dict(self) -> dict:
        return {
            "kind": self.kind,
            "status": self.status,
            "options": self.option_list,
            "max_choices": self.max_choices,
            "scale_max": self.scale_max,
        }

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "position": self.position,
            "question": self.question,
            "options": self.option_list,
            "max_choices": self.max_choices,
            "scale_max": self.scale_max,
            "label_low": self.label_low,
            "label_high": self.label_high,
            "status": self.status,
            "results_shown": self.results_shown,
            "on_screen": self.on_screen,
            "rev": self.rev,
        }


class PollBallot(Base):
    __tablename__ = "poll_ballot"
    __table_args__ = (
        UniqueConstraint("poll_id", "participant_id", name="uq_poll_ballot_voter"),
        UniqueConstraint("atelier_id", "client_id", name="uq_poll_ballot_client"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    # The client id of the last write of this ballot (a resend changes nothing).
    client_id: Mapped[str] = mapped_column(String(64))
    # JSON list of option ids (choice kinds)
    choices: Mapped[str] = mapped_column(Text, default="[]")
    value: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def choice_list(self) -> list[int]:
        try:
            return json.loads(self.choices or "[]")
        except ValueError:
            return []

    def own_dict(self) -> dict:
        return {
            "poll_id": self.poll_id,
            "client_id": self.client_id,
            "choices": self.choice_list,
            "value": self.value,
        }
