"""The word cloud as an activity type of the déroulé (« Nuage de mots »).

``prepare`` creates the activity's cloud (closed until the activity starts)
or updates its question and settings; ``enter`` opens it and puts it alone
on screen. Registered from the capability's ``setup``.
"""

from ..domain import cloud as rules
from ..domain.contracts import Bool, Choice, Int, Str
from ..domain.deroule import ActivityType, register_activity_type
from ..i18n import N_
from .models import CloudActivity


def _cloud(ctx) -> CloudActivity | None:
    cid = (ctx.activity.ref or {}).get("activity_id")
    if not isinstance(cid, int):
        return None
    cloud = ctx.session.get(CloudActivity, cid)
    if cloud is None or cloud.atelier_id != ctx.atelier.id:
        return None
    return cloud


def _settings(ctx) -> dict:
    s = dict(ctx.activity.settings or {})
    fields = {
        "question": s.get("question") or ctx.activity.title,
        "max_answers": s.get("max_answers", rules.DEFAULT_ANSWERS),
        "max_words": s.get("max_words", rules.DEFAULT_MAX_WORDS),
        "max_chars": s.get("max_chars", rules.DEFAULT_MAX_CHARS),
        "mode": s.get("mode", "live"),
        "anonymous": bool(s.get("anonymous", True)) and ctx.atelier.allow_anonymous,
    }
    return rules.check_settings(fields, allow_anonymous=ctx.atelier.allow_anonymous)


def _broadcast(ctx, clouds) -> None:
    if ctx.events is not None:
        from .events import _emit_activity

        for cloud in clouds:
            _emit_activity(ctx.events, cloud)


def prepare(ctx):
    """Create the cloud (closed until the activity starts) or update it."""
    from . import service

    fields = _settings(ctx)
    cloud = _cloud(ctx)
    if cloud is None:
        cloud = service.create_activity(ctx.session, ctx.atelier, fields)
        cloud.status = "closed"
    else:
        service.bump(ctx.session, cloud)
        for key, value in fields.items():
            setattr(cloud, key, value)
    ctx.session.flush()
    _broadcast(ctx, [cloud])
    return {"activity_id": cloud.id}


def enter(ctx):
    """The cloud opens for answers and is the one on screen."""
    from . import service

    cloud = _cloud(ctx)
    if cloud is None:
        ctx.activity.ref = prepare(ctx)
        cloud = _cloud(ctx)
    service.bump(ctx.session, cloud)
    cloud.status = "open"
    cloud.on_screen = True
    others = service._only_on_screen(ctx.session, ctx.atelier, cloud)
    ctx.session.flush()
    _broadcast(ctx, [*others, cloud])


def describe(ctx):
    cloud = _cloud(ctx)
    if cloud is None:
        return {"open": False}
    return {"open": cloud.status == "open", "activity_id": cloud.id}


def register() -> None:
    register_activity_type(
        ActivityType(
            key="cloud",
            label=N_("Nuage de mots"),
            fields={
                "question": Str(rules.QUESTION_MAX_LENGTH, default=""),
                "max_answers": Int(1, rules.MAX_ANSWERS, default=rules.DEFAULT_ANSWERS),
                "max_words": Int(1, rules.MAX_WORDS_LIMIT, default=rules.DEFAULT_MAX_WORDS),
                "max_chars": Int(
                    rules.MIN_CHARS_LIMIT, rules.MAX_CHARS_LIMIT, default=rules.DEFAULT_MAX_CHARS
                ),
                "mode": Choice(rules.MODES, default="live"),
                "anonymous": Bool(default=True),
            },
            phone_panel="cloud",
            scene="cloud",
            console_panel="cloud",
            main_control=".cloud-input",
            duration_min=5,
            prepare=prepare,
            enter=enter,
            describe=describe,
        ),
        replace=True,
    )
