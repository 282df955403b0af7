"""Tables of the foundation: ateliers and their participants.

Each capability keeps its own tables in its own module (``workshop.board``,
``workshop.codev``, ``workshop.livemap``); every row hangs off an atelier with
``ON DELETE CASCADE`` so that deleting an atelier deletes everything of it.
"""

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Atelier(Base):
    __tablename__ = "atelier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(120))
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    place: Mapped[str | None] = mapped_column(String(120), nullable=True)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    status: Mapped[str] = mapped_column(String(10), default="open")
    console_secret_hash: Mapped[str] = mapped_column(String(64))
    note_max_length: Mapped[int] = mapped_column(Integer, default=280)
    # What the projector shows: "home" (join screen) or a capability's scene.
    scene: Mapped[str] = mapped_column(String(20), default="home")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    def public_dict(self) -> dict:
        """What every surface may see of the atelier."""
        return {
            "id": self.id,
            "code": self.code,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "place": self.place,
            "allow_anonymous": self.allow_anonymous,
            "locale": self.locale,
            "status": self.status,
            "note_max_length": self.note_max_length,
            "scene": self.scene,
        }


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(40), nullable=True)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def public_dict(self) -> dict:
        return {"id": self.id, "name": self.display_name, "removed": self.removed}
