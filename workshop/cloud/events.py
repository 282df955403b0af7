"""Socket.IO events of the word cloud (thin: the rules are in the service
and ``workshop.domain.cloud``).

What each one broadcasts:

* ``cloud:activity`` (everyone): a cloud's settings and state, on each change;
  ``cloud:gone`` when it is deleted;
* ``cloud:view`` (console: every word with its spellings; projector: the
  layout when the words are public), sent after commit and at most every
  100 ms per cloud (``workshop.liveview``): 1,000 answers within two seconds
  make about twenty views, not 1,000;
* ``cloud:mine`` (the author's devices): their answers to that cloud.
"""

from flask import current_app

from ..liveview import ViewPublisher
from ..realtime import event, register_snapshot_part, room
from . import service
from .models import CloudActivity, answer_own


def _snapshot_part(s, atelier, identity):
    return service.snapshot(s, atelier, identity.role, identity.participant_id)


register_snapshot_part("cloud", _snapshot_part)


def build_views(s, activity_id):
    """What the publisher sends for one cloud: the console's and the projector's views."""
    from ..models import Atelier

    activity = s.get(CloudActivity, activity_id)
    if activity is None:
        return []
    atelier = s.get(Atelier, activity.atelier_id)
    aid = atelier.id
    return [
        (
            "cloud:view",
            service.view(s, atelier, activity, "facilitator"),
            [room(aid, "facilitator")],
        ),
        ("cloud:view", service.view(s, atelier, activity, "public"), [room(aid, "projector")]),
    ]


def make_publisher(app) -> ViewPublisher:
    database = app.extensions["workshop_db"]

    def send(items):
        with app.app_context():
            app.extensions["workshop_broadcaster"].submit(items)

    interval = 0 if app.config.get("BROADCAST_WINDOW_MS", 50) == 0 else 0.1
    return ViewPublisher(lambda: database.session(write=False), build_views, send, interval)


def _changed(ctx, activity_id: int) -> None:
    current_app.extensions["cloud_publisher"].changed(ctx.session, activity_id)


def _participant(ctx):
    return ctx.participant if ctx.identity.role == "participant" else None


def _emit_activity(ctx, activity):
    ctx.emit("cloud:activity", activity.to_dict(), "all")
    _changed(ctx, activity.id)


def _emit_mine(ctx, participant_id, activity_id):
    if participant_id is None:
        return
    answers = service.own_answers(ctx.session, ctx.atelier, participant_id, activity_id)
    ctx.emit_to_participant(
        participant_id, "cloud:mine", {"activity_id": activity_id, "answers": answers}
    )


# ---------------------------------------------------------------- the facilitator's


@event("cloud:create")
def cloud_create(ctx, args):
    """Facilitator: add a cloud. Broadcasts ``cloud:activity`` and its views
    (also for each cloud it takes off screen)."""
    shown = [a for a in service.activities(ctx.session, ctx.atelier) if a.on_screen]
    activity = service.create_activity(ctx.session, ctx.atelier, args)
    for other in shown if activity.on_screen else ():
        _emit_activity(ctx, other)
    _emit_activity(ctx, activity)
    return activity.to_dict()


@event("cloud:update")
def cloud_update(ctx, args):
    """Facilitator: settings, open/closed, reveal, on screen, counts.
    Broadcasts ``cloud:activity`` (and for each cloud taken off screen) and the views."""
    activity, others = service.update_activity(ctx.session, ctx.atelier, args)
    for other in others:
        _emit_activity(ctx, other)
    _emit_activity(ctx, activity)
    return activity.to_dict()


@event("cloud:delete")
def cloud_delete(ctx, args):
    """Facilitator: delete a cloud and its answers. Broadcasts ``cloud:gone``."""
    gone = service.delete_activity(ctx.session, ctx.atelier, args.activity_id)
    ctx.emit("cloud:gone", {"activity_id": gone}, "all")
    return {"activity_id": gone}


@event("cloud:word:hide")
def word_hide(ctx, args):
    """Facilitator: hide a word (all its answers) or show it again. Broadcasts the views."""
    activity = service.hide_word(ctx.session, ctx.atelier, args.activity_id, args.key, args.hidden)
    _changed(ctx, activity.id)
    return {"activity_id": activity.id, "key": args.key, "hidden": args.hidden}


@event("cloud:word:merge")
def word_merge(ctx, args):
    """Facilitator: count a word's answers for another (``into`` null: separate).
    Broadcasts the views."""
    activity = service.merge_word(ctx.session, ctx.atelier, args.activity_id, args.key, args.into)
    _changed(ctx, activity.id)
    return {"activity_id": activity.id, "key": args.key, "into": args.into}


@event("cloud:word:rename")
def word_rename(ctx, args):
    """Facilitator: the displayed form of a word (``label`` null: the most
    frequent spelling again). Broadcasts the views."""
    activity = service.rename_word(ctx.session, ctx.atelier, args.activity_id, args.key, args.label)
    _changed(ctx, activity.id)
    return {"activity_id": activity.id, "key": args.key, "label": args.label}


# ---------------------------------------------------------------- the participants'


@event("cloud:answer")
def answer_create(ctx, args):
    """Participant: send an answer (exactly once per ``client_id``).
    Broadcasts ``cloud:mine`` to the author and the views (a resend: nothing)."""
    participant = _participant(ctx)
    row, created, mine = service.add_answer(
        ctx.session, ctx.atelier, args.activity_id, args.client_id, args.text, participant
    )
    if created:
        if mine is not None:  # the author's answers, known without reading them again
            ctx.emit_to_participant(
                row.participant_id, "cloud:mine", {"activity_id": row.activity_id, "answers": mine}
            )
        _changed(ctx, row.activity_id)
    return {**answer_own(row), "created": created}


@event("cloud:answer:update")
def answer_update(ctx, args):
    """Participant: change one's answer while the cloud is open.
    Broadcasts ``cloud:mine`` to the author and the views."""
    answer = service.update_answer(
        ctx.session, ctx.atelier, args.answer_id, args.text, _participant(ctx)
    )
    _emit_mine(ctx, answer.participant_id, answer.activity_id)
    _changed(ctx, answer.activity_id)
    return answer_own(answer)


@event("cloud:answer:delete")
def answer_delete(ctx, args):
    """Participant: withdraw one's answer while the cloud is open (facilitator:
    any answer). Broadcasts ``cloud:mine`` to the author and the views."""
    answer = service.delete_answer(ctx.session, ctx.atelier, args.answer_id, _participant(ctx))
    _emit_mine(ctx, answer.participant_id, answer.activity_id)
    _changed(ctx, answer.activity_id)
    return {"answer_id": answer.id, "activity_id": answer.activity_id}
