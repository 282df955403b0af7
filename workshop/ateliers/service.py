"""Atelier operations on the database (no Flask, no Socket.IO).

Every function takes an open SQLAlchemy session; the caller commits.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain import atelier as rules
from ..domain.codes import (
    hash_secret,
    is_valid_code,
    new_join_code,
    new_secret,
    normalise_code,
    secret_matches,
)
from ..domain.errors import DomainError
from ..domain.text import clean_display_name
from ..models import Atelier, Participant


def create_atelier(s: Session, data: dict, *, secret: str | None = None, code: str | None = None):
    """Create an atelier; return ``(atelier, console_secret)``."""
    fields = rules.clean_atelier_fields(data)
    secret = secret or new_secret()
    for _ in range(20):
        candidate = code or new_join_code()
        if s.scalar(select(Atelier.id).where(Atelier.code == candidate)) is None:
            break
        if code:
            raise DomainError("code_taken")
    else:  # pragma: no cover - 20 collisions in a 30-bit space
        raise DomainError("code_exhausted")
    atelier = Atelier(code=candidate, console_secret_hash=hash_secret(secret), **fields)
    s.add(atelier)
    s.flush()
    return atelier, secret


def find_atelier(s: Session, code) -> Atelier | None:
    code = normalise_code(code)
    if not is_valid_code(code):
        return None
    return s.scalar(select(Atelier).where(Atelier.code == code))


def get_atelier(s: Session, code) -> Atelier:
    atelier = find_atelier(s, code)
    if atelier is None:
        raise DomainError("atelier_not_found")
    return atelier


def check_console_secret(atelier: Atelier, secret) -> bool:
    return secret_matches(secret, atelier.console_secret_hash)


def rotate_console_secret(s: Session, atelier: Atelier) -> str:
    secret = new_secret()
    atelier.console_secret_hash = hash_secret(secret)
    return secret


def update_atelier(
    s: Session,
    atelier: Atelier,
    *,
    title: str | None = None,
    date: str | None = None,
    place: str | None = None,
    allow_anonymous: bool | None = None,
    locale: str | None = None,
    note_max_length: int | None = None,
) -> Atelier:
    """Edit the atelier's settings; ``None`` leaves a field unchanged (the
    shapes were checked by the event's declaration)."""
    given = {
        "title": title,
        "date": date,
        "place": place,
        "allow_anonymous": allow_anonymous,
        "locale": locale,
    }
    merged = {**atelier.public_dict(), **{k: v for k, v in given.items() if v is not None}}
    fields = rules.clean_atelier_fields(merged)
    for key, value in fields.items():
        setattr(atelier, key, value)
    if note_max_length is not None:
        atelier.note_max_length = note_max_length
    return atelier


def set_scene(s: Session, atelier: Atelier, scene: str, scenes) -> Atelier:
    """Choose what the projector shows: ``home`` or a capability's scene."""
    if scene not in scenes:
        raise DomainError("invalid_scene")
    atelier.scene = scene
    return atelier


def set_status(s: Session, atelier: Atelier, status) -> Atelier:
    atelier.status = rules.check_transition(atelier.status, status)
    return atelier


def join(s: Session, atelier: Atelier, name) -> tuple[Participant, str]:
    """Add a participant; return it and its device token (shown once)."""
    if not rules.can_join(atelier.status):
        raise DomainError("atelier_closed" if atelier.status == "closed" else "atelier_locked")
    display = clean_display_name(name, allow_anonymous=atelier.allow_anonymous)
    for _ in range(3):
        token = new_secret()
        participant = Participant(
            atelier_id=atelier.id, token_hash=hash_secret(token), display_name=display
        )
        try:
            with s.begin_nested():
                s.add(participant)
            return participant, token
        except IntegrityError:  # pragma: no cover - 256-bit collision
            continue
    raise DomainError("internal")  # pragma: no cover


def authenticate_participant(s: Session, atelier: Atelier, token) -> Participant:
    """The participant a device token belongs to, or ``DomainError('bad_token')``.

    The same error is given for unknown, forged, removed or other-atelier
    tokens, so that nothing is learnt from it.
    """
    if not isinstance(token, str) or not token or len(token) > 200:
        raise DomainError("bad_token")
    p = s.scalar(select(Participant).where(Participant.token_hash == hash_secret(token)))
    if p is None or p.atelier_id != atelier.id or p.removed:
        raise DomainError("bad_token")
    return p


def participants(s: Session, atelier: Atelier) -> list[Participant]:
    return list(
        s.scalars(
            select(Participant)
            .where(Participant.atelier_id == atelier.id, Participant.removed.is_(False))
            .order_by(Participant.id)
        )
    )


def remove_participant(s: Session, atelier: Atelier, participant_id: int) -> Participant:
    p = s.get(Participant, participant_id)
    if p is None or p.atelier_id != atelier.id or p.removed:
        raise DomainError("participant_not_found")
    p.removed = True
    return p


def delete_atelier(s: Session, atelier: Atelier) -> None:
    s.delete(atelier)
