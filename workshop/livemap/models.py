"""Tables of the live actor map: settings, actors, contributions, links,
project sheets.

Each actor, contribution and link has a ``status`` (``pending`` until the
facilitator validates it, then ``validated``; actors may also end ``merged``
or ``deleted``) and a ``version`` bumped on every change, so that an edit
based on an older version is refused instead of silently overwriting.
"""

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
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..models import utcnow


def _atelier_fk():
    return mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)


def _participant_fk():
    return mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True, default=None
    )


class LivemapSettings(Base):
    """One row per atelier: activity open, projector view, highlight, version."""

    __tablename__ = "livemap_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), unique=True
    )
    open: Mapped[bool] = mapped_column(Boolean, default=False)
    # stage | network | table | analysis
    view: Mapped[str] = mapped_column(String(10), default="stage")
    highlight_id: Mapped[int | None] = mapped_column(
        ForeignKey("livemap_actor.id", ondelete="SET NULL"), nullable=True, default=None
    )
    # Bumped on every change of the validated map (cache key of the drawings).
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped (under a row lock) at the start of every write: orders the
    # broadcast states, so that clients can drop one that arrives late.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str | None] = mapped_column(String(120), nullable=True, default=None)

    def to_dict(self) -> dict:
        return {
            "open": self.open,
            "view": self.view,
            "highlight": self.highlight_id,
            "version": self.version,
            "seq": self.seq,
            "source": self.source,
        }


class LivemapActor(Base):
    __tablename__ = "livemap_actor"
    __table_args__ = (
        UniqueConstraint("atelier_id", "client_id", name="uq_livemap_actor_client"),
        UniqueConstraint("atelier_id", "key", name="uq_livemap_actor_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = _atelier_fk()
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40), default="")
    territory: Mapped[str] = mapped_column(String(120), default="")
    # Other columns of an imported map (description, contact…), as JSON.
    extra: Mapped[str] = mapped_column(Text, default="{}")
    # pending | validated | merged | deleted
    status: Mapped[str] = mapped_column(String(10), default="pending")
    merged_into: Mapped[int | None] = mapped_column(
        ForeignKey("livemap_actor.id", ondelete="SET NULL"), nullable=True, default=None
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_by: Mapped[int | None] = _participant_fk()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def extra_dict(self) -> dict:
        try:
            value = json.loads(self.extra or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "territory": self.territory,
            "status": self.status,
            "merged_into": self.merged_into,
            "version": self.version,
            "submitted_by": self.submitted_by,
        }

    def public_dict(self) -> dict:
        return {
            "id": self.id,
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "territory": self.territory,
            "status": self.status,
        }


class LivemapContribution(Base):
    __tablename__ = "livemap_contribution"
    __table_args__ = (
        UniqueConstraint("atelier_id", "client_id", name="uq_livemap_contribution_client"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = _atelier_fk()
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("livemap_actor.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    stage: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text, default="")
    # pending | validated
    status: Mapped[str] = mapped_column(String(10), default="pending")
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_by: Mapped[int | None] = _participant_fk()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "actor_id": self.actor_id,
            "stage": self.stage,
            "text": self.text,
            "status": self.status,
            "version": self.version,
            "submitted_by": self.submitted_by,
        }

    def public_dict(self) -> dict:
        return {
            "id": self.id,
            "actor_id": self.actor_id,
            "stage": self.stage,
            "text": self.text,
            "status": self.status,
        }


class LivemapLink(Base):
    __tablename__ = "livemap_link"
    __table_args__ = (UniqueConstraint("atelier_id", "client_id", name="uq_livemap_link_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = _atelier_fk()
    source_id: Mapped[int] = mapped_column(
        ForeignKey("livemap_actor.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("livemap_actor.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    kind: Mapped[str] = mapped_column(String(40), default="partenaire")
    evidence: Mapped[str] = mapped_column(Text, default="")
    # pending | validated
    status: Mapped[str] = mapped_column(String(10), default="pending")
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_by: Mapped[int | None] = _participant_fk()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "target_id": self.target_id,
            "kind": self.kind,
            "status": self.status,
            "version": self.version,
            "submitted_by": self.submitted_by,
        }

    def public_dict(self) -> dict:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "target_id": self.target_id,
            "kind": self.kind,
            "status": self.status,
        }


class LivemapProject(Base):
    """A project sheet ("fiche projet") imported with a map."""

    __tablename__ = "livemap_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = _atelier_fk()
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("livemap_actor.id", ondelete="SET NULL"), nullable=True, default=None
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    obstacles: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "actor_id": self.actor_id,
            "title": self.title,
            "description": self.description,
            "results": self.results,
            "obstacles": self.obstacles,
            "needs": self.needs,
        }
