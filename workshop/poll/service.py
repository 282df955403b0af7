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

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from ..db import dialect_insert
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


_VOTE_STATEMENTS: dict = {}


def _vote_statements(conn) -> dict:
    """The statements of a ballot, built once per dialect (see :func:`vote`)."""
    found = _VOTE_STATEMENTS.get(conn.dialect.name)
    if found is None:
        poll, ballot = Poll.__table__, PollBallot.__table__
        other = ballot.alias("other")
        found = _VOTE_STATEMENTS[conn.dialect.name] = {
            "lock": (
                update(poll)
                .where(
                    poll.c.id == bindparam("b_poll"), poll.c.atelier_id == bindparam("b_atelier")
                )
                .values(rev=poll.c.rev + 1)
                .returning(
                    poll.c.kind,
                    poll.c.status,
                    poll.c.options,
                    poll.c.max_choices,
                    poll.c.scale_max,
                )
            ),
            "insert": (
                dialect_insert(conn)(ballot).on_conflict_do_nothing().returning(ballot.c.id)
            ),
            "mine": (
                select(ballot.c.client_id, ballot.c.choices, ballot.c.value)
                .where(ballot.c.poll_id == bindparam("b_poll"))
                .where(ballot.c.participant_id == bindparam("b_pid"))
            ),
            "change": (
                update(ballot)
                .where(ballot.c.poll_id == bindparam("b_poll"))
                .where(ballot.c.participant_id == bindparam("b_pid"))
                .where(
                    ~select(other.c.id)
                    .where(other.c.atelier_id == bindparam("b_atelier"))
                    .where(other.c.client_id == bindparam("b_cid"))
                    .exists()
                )
                .values(
                    client_id=bindparam("b_cid"),
                    choices=bindparam("b_choices"),
                    value=bindparam("b_value"),
                    updated_at=bindparam("b_now"),
                )
            ),
        }
    return found


def _own(poll_id: int, row) -> dict:
    try:
        choices = json.loads(row.choices or "[]")
    except ValueError:
        choices = []
    return {"poll_id": poll_id, "client_id": row.client_id, "choices": choices, "value": row.value}


def vote(
    s: Session, atelier: Atelier, poll_id: int, client_id: str, participant: Participant, **ballot
) -> tuple[dict, bool]:
    """Cast or change one's ballot: ``(ballot as its voter sees it, changed)``.

    A resend (same ``client_id`` as the ballot's last write) changes
    nothing, even once the poll is closed.

    Every phone votes at about the same time, so a first ballot costs two
    statements (built once): the ``UPDATE`` of the poll's revision, which
    locks its row until commit (the ballots of one poll pass one at a time
    on PostgreSQL) and returns the poll; then the ballot's ``INSERT … ON
    CONFLICT DO NOTHING``. Only when no row comes back (one already has a
    ballot, or the client id is another ballot's) is one's ballot read, in
    a statement begun after the lock was taken (so it sees the ballot of a
    writer it waited for), and changed in place unless another ballot has
    that client id.
    """
    if not isinstance(poll_id, int) or isinstance(poll_id, bool):
        raise DomainError("poll_not_found", field="poll_id")
    conn = s.connection()
    stmts = _vote_statements(conn)
    params = {"b_poll": poll_id, "b_atelier": atelier.id, "b_pid": participant.id}
    row = conn.execute(stmts["lock"], params).first()
    if row is None:
        raise DomainError("poll_not_found", field="poll_id")
    try:
        options = json.loads(row.options or "[]")
    except ValueError:
        options = []
    poll = {
        "kind": row.kind,
        "status": row.status,
        "options": options,
        "max_choices": row.max_choices,
        "scale_max": row.scale_max,
    }
    try:
        clean = rules.check_ballot(poll, **ballot)
    except DomainError:
        mine = conn.execute(stmts["mine"], params).first()
        if mine is not None and mine.client_id == client_id:
            return _own(poll_id, mine), False  # a resend, answered whatever changed since
        raise
    choices = json.dumps(clean["choices"])
    now = utcnow()
    done = conn.execute(
        stmts["insert"],
        {
            "atelier_id": atelier.id,
            "poll_id": poll_id,
            "participant_id": participant.id,
            "client_id": client_id,
            "choices": choices,
            "value": clean["value"],
            "created_at": now,
            "updated_at": now,
        },
    ).first()
    if done is None:
        mine = conn.execute(stmts["mine"], params).first()
        if mine is not None and mine.client_id == client_id:
            return _own(poll_id, mine), False
        params.update(b_cid=client_id, b_choices=choices, b_value=clean["value"], b_now=now)
        if mine is None or conn.execute(stmts["change"], params).rowcount != 1:
            raise DomainError("invalid_client_id", field="client_id")  # another ballot's
    own = {"poll_id": poll_id, "client_id": client_id, "choices": clean["choices"]}
    return {**own, "value": clean["value"]}, True


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
