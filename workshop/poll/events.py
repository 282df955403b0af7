"""Socket.IO events of the quick poll (thin: the rules are in the service
and ``workshop.domain.poll``).

What each one broadcasts:

* ``poll:view`` : the poll with its results, after commit and at most every
  100 ms per poll (``workshop.liveview``): to the console always with the
  results; to the projector and the phones with the results only once the
  facilitator shows them (no groupthink), otherwise with the number of voters;
* ``poll:gone`` when a poll is deleted;
* ``poll:mine`` (the voter's devices): their ballot.
"""

from flask import current_app

from ..liveview import ViewPublisher
from ..realtime import event, register_snapshot_part, room
from . import service
from .models import Poll


def _snapshot_part(s, atelier, identity):
    return service.snapshot(s, atelier, identity.role, identity.participant_id)


register_snapshot_part("poll", _snapshot_part)


def build_views(s, poll_id):
    from ..models import Atelier

    poll = s.get(Poll, poll_id)
    if poll is None:
        return []
    atelier = s.get(Atelier, poll.atelier_id)
    aid = atelier.id
    public = service.view(s, atelier, poll, "public")
    return [
        ("poll:view", service.view(s, atelier, poll, "facilitator"), [room(aid, "facilitator")]),
        ("poll:view", public, [room(aid, "projector"), room(aid, "participant")]),
    ]


def make_publisher(app) -> ViewPublisher:
    database = app.extensions["workshop_db"]

    def send(items):
        with app.app_context():
            app.extensions["workshop_broadcaster"].submit(items)

    interval = 0 if app.config.get("BROADCAST_WINDOW_MS", 50) == 0 else 0.1
    return ViewPublisher(lambda: database.session(write=False), build_views, send, interval)


def _changed(ctx, poll_id: int) -> None:
    current_app.extensions["poll_publisher"].changed(ctx.session, poll_id)


@event("poll:create")
def poll_create(ctx, args):
    """Facilitator: add a poll. Broadcasts ``poll:view`` (also for each poll
    it takes off screen)."""
    shown = [p.id for p in service.polls(ctx.session, ctx.atelier) if p.on_screen]
    poll = service.create_poll(ctx.session, ctx.atelier, args)
    for other in shown if poll.on_screen else ():
        _changed(ctx, other)
    _changed(ctx, poll.id)
    return poll.to_dict()


@event("poll:update")
def poll_update(ctx, args):
    """Facilitator: question, open/closed, show the results, on screen.
    Broadcasts ``poll:view`` (also for each poll taken off screen)."""
    poll, others = service.update_poll(ctx.session, ctx.atelier, args)
    for other in others:
        _changed(ctx, other.id)
    _changed(ctx, poll.id)
    return poll.to_dict()


@event("poll:delete")
def poll_delete(ctx, args):
    """Facilitator: delete a poll and its ballots. Broadcasts ``poll:gone``."""
    gone = service.delete_poll(ctx.session, ctx.atelier, args.poll_id)
    ctx.emit("poll:gone", {"poll_id": gone}, "all")
    return {"poll_id": gone}


@event("poll:vote")
def poll_vote(ctx, args):
    """Participant: cast or change one's ballot until the poll closes.
    Broadcasts ``poll:mine`` to the voter and ``poll:view`` (a resend: nothing)."""
    data, changed = service.vote(
        ctx.session,
        ctx.atelier,
        args.poll_id,
        args.client_id,
        ctx.participant,
        choices=args.get("choices"),
        value=args.get("value"),
    )
    if changed:
        ctx.emit_to_participant(ctx.participant.id, "poll:mine", data)
        _changed(ctx, data["poll_id"])
    return {**data, "changed": changed}


@event("poll:withdraw")
def poll_withdraw(ctx, args):
    """Participant: withdraw one's ballot while the poll is open.
    Broadcasts ``poll:mine`` (``choices`` empty) and ``poll:view``."""
    removed = service.withdraw(ctx.session, ctx.atelier, args.poll_id, ctx.participant)
    data = {"poll_id": args.poll_id, "client_id": None, "choices": [], "value": None}
    ctx.emit_to_participant(ctx.participant.id, "poll:mine", data)
    _changed(ctx, args.poll_id)
    return {**data, "removed": removed}
