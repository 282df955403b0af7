"""Tables of the déroulé: the atelier's activities in order, and its state.

``deroule_activity`` holds each activity (type, title, planned duration,
settings as JSON, ``ref``: what its capability created for it, e.g.
``{"prompt_id": 12}``; ``spent_ms``: the time it has been current so far).
``deroule_state`` is one row per atelier: the current activity, since when
(epoch ms, UTC), the projector overlay (``none``, ``blank``, ``join``) and
``seq``, bumped by every change (it is also the row lock that serialises
them; clients keep the highest ``seq``).
``deroule_modele`` holds the modèles saved by the facilitators of the
instance: a name (unique) and a déroulé file (``document``, checked like an
import), never a contribution or a participant. Every console lists them;
only the atelier that saved one (``atelier_id``; none once that atelier is
deleted) may replace or delete it.
"""

import datetime as dt

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..models import utcnow


class DerouleActivity(Base):
    __tablename__ = "deroule_activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    duration_min: Mapped[int] = mapped_column(Integer, default=10)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    ref: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    spent_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DerouleState(Base):
    __tablename__ = "deroule_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    atelier_id: Mapped[int] = mapped_column(
        ForeignKey("atelier.id", ondelete="CASCADE"), unique=True
    )
    current_id: Mapped[int | None] = mapped_column(
        ForeignKey("deroule_activity.id", ondelete="SET NULL"), nullable=True
    )
    since_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    overlay: Mapped[str] = mapped_column(String(10), default="none")
    seq: Mapped[int] = mapped_column(Integer, default=0)


class DerouleModele(Base):
    __tablename__ = "deroule_modele"
    __table_args__ = (UniqueConstraint("name", name="uq_deroule_modele_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    document: Mapped[dict] = mapped_column(JSON)
    atelier_id: Mapped[int | None] = mapped_column(
        ForeignKey("atelier.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
