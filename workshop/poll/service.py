"""Operations of the quick poll on the database (a session is passed in; no Flask).

One ballot per participant and poll (unique ``(poll_id, participant_id)``),
changed in place until the poll closes. Every change starts by raising the
poll's ``rev`` with one ``UPDATE`` (a row lock on PostgreSQL), which the
results views carry.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..db import insert_once
from ..domain import poll as rules
from ..domain.errors import DomainError
from ..models import Atelier, Participant, utcnow
from .models import Poll, PollBallot


def polls(s: Session, atelier: Atelier) -> list[Poll]:
    return list(
        s.scalars(
            select(Poll).where(Poll.atelier_id == atelier.id).order_by(Poll.position, Poll.id)
        )
    )


def get_poll(s: Session, atelier: Atelier, poll_id) -> Poll:
    poll = s.get(Poll, poll_id) if isinstance(poll_id, int) else None
    if poll is None or poll.atelier_id != atelier.id:
        raise DomainError("poll_not_found", field="poll_id")
    return poll


def bump(s: Session, poll: Poll) -> int:
    rev = s.execute(
        update(Poll).where(Poll.id == poll.id).values(rev=Poll.rev + 1).returning(Poll.rev)
    ).scalar_one()
    s.expire(poll, ["rev"])
    return rev


def _apply(poll: Poll, fields: dict) -> None:
    for key, value in fields.items():
        if key == "options":
            value = json.dumps(value, ensure_ascii=False)
        setattr(poll, key, value)


def _only_on_screen(s: Session, atelier: Atelier, poll: Poll) -> list[Poll]:
    others = list(
        s.scalars(
            select(Poll).where(
                Poll.atelier_id == atelier.id, Poll.id != poll.id, Poll.on_screen.is_(True)
            )
        )
    )
    for other in others:
        other.on_screen = False
        bump(s, other)
    return others


def create_poll(s: Session, atelier: Atelier, data: dict) -> Poll:
    count = s.scalar(select(func.count()).where(Poll.atelier_id == atelier.id))
    if count >= rules.MAX_POLLS:
        raise DomainError("poll_too_many", max=rules.MAX_POLLS)
    fields = rules.check_poll(data)
    poll = Poll(
        atelier_id=atelier.id,
        position=count,
        status="open",
        results_shown=False,
        on_screen=False,
        scale_max=5,
        max_choices=1,
        rev=1,
    )
    _apply(poll, fields)
    s.add(poll)
    s.flush()
    if poll.on_screen:
        _only_on_screen(s, atelier, poll)
    return poll


def has_ballots(s: Session, poll: Poll) -> bool:
    return s.scalar(select(PollBallot.id).where(PollBallot.poll_id == poll.id).limit(1)) is not None


def update_poll(s: Session, atelier: Atelier, data: dict) -> tuple[Poll, list]:
    poll = get_poll(s, atelier, data.get("poll_id"))
    changes = {k: v for k, v in data.items() if k != "poll_id"}
    current = {**poll.rules_dict(), "options": poll.option_list}
    fields = rules.check_poll(changes, current=current, has_ballots=has_ballots(s, poll))
    bump(s, poll)
    _apply(poll, fields)
    others = _only_on_screen(s, atelier, poll) if fields.get("on_screen") else []
    s.flush()
    return poll, others


def delete_poll(s: Session, atelier: Atelier, poll_id) -> int:
    poll = get_poll(s, atelier, poll_id)
    s.delete(poll)
    s.flush()
    return poll.id


def _ballot(s: Session, poll_id: int, participant_id: int) -> PollBallot | None:
    return s.scalar(
        select(PollBallot).where(
            PollBallot.poll_id == poll_id, PollBallot.participant_id == participant_id
        )
    )


def vote(
    s: Session, atelier: Atelier, poll_id: int, client_id: str, participant: Participant, **ballot
) -> tuple[PollBallot, bool]:
    """Cast or change one's ballot: ``(ballot, changed)``.

    A resend (same ``client_id`` as the ballot's last write) changes
    nothing, even once the poll is closed.
    """
    poll = get_poll(s, atelier, poll_id)
    mine = _ballot(s, poll.id, participant.id)
    if mine is not None and mine.client_id == client_id:
        return mine, False
    clean = rules.check_ballot(poll.rules_dict(), **ballot)
    bump(s, poll)
    if _client_id_taken(s, atelier, client_id):  # another ballot's client id
        raise DomainError("invalid_client_id", field="client_id")
    choices = json.dumps(clean["choices"])
    if mine is None:
        now = utcnow()
        row = insert_once(
            s,
            PollBallot.__table__,
            ("poll_id", "participant_id"),
            {
                "atelier_id": atelier.id,
                "poll_id": poll.id,
                "participant_id": participant.id,
                "client_id": client_id,
                "choices": choices,
                "value": clean["value"],
                "created_at": now,
                "updated_at": now,
            },
        )
        mine = _ballot(s, poll.id, participant.id)
        if row is None and mine is None:
            raise DomainError("invalid_client_id", field="client_id")
        if row is not None:
            return mine, True
    mine.client_id, mine.choices, mine.value = client_id, choices, clean["value"]
    s.flush()
    return mine, True


def _client_id_taken(s: Session, atelier: Atelier, client_id: str) -> bool:
    return (
        s.scalar(
            select(PollBallot.id).where(
                PollBallot.atelier_id == atelier.id, PollBallot.client_id == client_id
            )
        )
        is not None
    )


def withdraw(s: Session, atelier: Atelier, poll_id: int, participant: Participant) -> bool:
    """Remove one's ballot while the poll is open; False if there was none."""
    poll = get_poll(s, atelier, poll_id)
    if poll.status != "open":
        raise DomainError("poll_closed")
    bump(s, poll)
    done = s.execute(
        delete(PollBallot).where(
            PollBallot.poll_id == poll.id, PollBallot.participant_id == participant.id
        )
    )
    return bool(done.rowcount)


def own_ballots(s: Session, atelier: Atelier, participant_id: int) -> list[dict]:
    return [
        b.own_dict()
        for b in s.scalars(
            select(PollBallot)
            .where(PollBallot.atelier_id == atelier.id, PollBallot.participant_id == participant_id)
            .order_by(PollBallot.id)
        )
    ]


def ballots(s: Session, poll: Poll) -> list[dict]:
    rows = s.execute(
        select(PollBallot.choices, PollBallot.value).where(PollBallot.poll_id == poll.id)
    ).all()
    return [{"choices": json.loads(c or "[]"), "value": v} for c, v in rows]


_CACHE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def view(s: Session, atelier: Atelier, poll: Poll, audience: str) -> dict:
    """The poll with its results as ``audience`` may see them: the
    facilitator always, the others once the results are shown."""
    cacheable = not s.info.get("liveview_keys")
    key = (atelier.code, poll.id, poll.created_at, poll.rev, audience)
    if cacheable:
        with _LOCK:
            found = _CACHE.get(key)
        if found is not None:
            return found
    out = {"poll": poll.to_dict(), "rev": poll.rev}
    res = rules.results(poll.rules_dict(), ballots(s, poll))
    out["voters"] = res["voters"]
    if audience == "facilitator" or poll.results_shown:
        out["results"] = res
    if cacheable:
        with _LOCK:
            _CACHE[key] = out
            while len(_CACHE) > 256:
                _CACHE.popitem(last=False)
    return out


def snapshot(s: Session, atelier: Atelier, role: str, participant_id: int | None) -> dict:
    items = polls(s, atelier)
    audience = "facilitator" if role == "facilitator" else "public"
    out = {"views": [view(s, atelier, p, audience) for p in items]}
    if participant_id is not None:
        out["mine"] = own_ballots(s, atelier, participant_id)
    return out
