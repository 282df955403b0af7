"""The quick poll as an activity type of the déroulé (« Sondage »).

``prepare`` creates the activity's poll (closed until the activity starts)
or updates it (its kind, answers and scale only while nobody has voted);
``enter`` opens it and puts it alone on screen, results hidden until the
facilitator shows them. Registered from the capability's ``setup``.
"""

from ..domain import poll as rules
from ..domain.contracts import Choice, Int, List, Str
from ..domain.deroule import ActivityType, register_activity_type
from ..i18n import N_
from .models import Poll


def _poll(ctx) -> Poll | None:
    pid = (ctx.activity.ref or {}).get("poll_id")
    if not isinstance(pid, int):
        return None
    poll = ctx.session.get(Poll, pid)
    if poll is None or poll.atelier_id != ctx.atelier.id:
        return None
    return poll


def _definition(ctx) -> dict:
    s = dict(ctx.activity.settings or {})
    data = {"question": s.get("question") or ctx.activity.title, "kind": s.get("kind", "single")}
    if data["kind"] == "scale":
        data["scale_max"] = s.get("scale_max", 5)
        data["label_low"] = s.get("label_low") or None
        data["label_high"] = s.get("label_high") or None
    else:
        data["options"] = list(s.get("options") or ["Oui", "Non"])
        if data["kind"] == "multiple":
            data["max_choices"] = min(s.get("max_choices", 2), len(data["options"]))
    return data


def _broadcast(ctx, polls) -> None:
    if ctx.events is not None:
        from .events import _changed

        for poll in polls:
            _changed(ctx.events, poll.id)


def prepare(ctx):
    """Create the poll (closed until the activity starts) or update it."""
    from . import service

    data = _definition(ctx)
    poll = _poll(ctx)
    if poll is None:
        poll = service.create_poll(ctx.session, ctx.atelier, data)
        poll.status = "closed"
    else:
        voted = service.has_ballots(ctx.session, poll)
        if voted:
            data = {"question": data["question"]}
        current = {**poll.rules_dict(), "options": poll.option_list}
        fields = rules.check_poll(data, current=current, has_ballots=voted)
        service.bump(ctx.session, poll)
        service._apply(poll, fields)
    ctx.session.flush()
    _broadcast(ctx, [poll])
    return {"poll_id": poll.id}


def enter(ctx):
    """The poll opens for ballots and is the one on screen."""
    from . import service

    poll = _poll(ctx)
    if poll is None:
        ctx.activity.ref = prepare(ctx)
        poll = _poll(ctx)
    service.bump(ctx.session, poll)
    poll.status = "open"
    poll.on_screen = True
    others = service._only_on_screen(ctx.session, ctx.atelier, poll)
    ctx.session.flush()
    _broadcast(ctx, [*others, poll])


def describe(ctx):
    poll = _poll(ctx)
    if poll is None:
        return {"open": False}
    return {"open": poll.status == "open", "poll_id": poll.id}


def register() -> None:
    register_activity_type(
        ActivityType(
            key="poll",
            label=N_("Sondage"),
            fields={
                "question": Str(rules.QUESTION_MAX_LENGTH, default=""),
                "kind": Choice(rules.KINDS, default="single"),
                "options": List(
                    Str(rules.OPTION_MAX_LENGTH), max_items=rules.MAX_OPTIONS, default=[]
                ),
                "max_choices": Int(1, rules.MAX_OPTIONS, default=2),
                "scale_max": Choice(rules.SCALES, default=5),
                "label_low": Str(rules.LABEL_MAX_LENGTH, default=""),
                "label_high": Str(rules.LABEL_MAX_LENGTH, default=""),
            },
            phone_panel="poll",
            scene="poll",
            console_panel="poll",
            main_control=".poll-option input",
            duration_min=5,
            prepare=prepare,
            enter=enter,
            describe=describe,
        ),
        replace=True,
    )
