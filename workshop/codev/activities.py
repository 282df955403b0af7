"""The co-développement activity type: one or several parallel groups.

Registered from the codev capability's ``setup``. Its settings list the
groups (name, room, colour) and the method; ``prepare`` creates the groups
(or renames them while they have not started), ``ref`` keeps their ids.
"""

from ..domain import codev as codev_rules
from ..domain.contracts import Choice, List, Object, Str
from ..domain.deroule import ActivityType, register_activity_type
from ..i18n import N_
from .models import CodevGroup

MAX_GROUPS = 12


def _groups(ctx) -> list[CodevGroup]:
    ids = (ctx.activity.ref or {}).get("group_ids") or []
    found = []
    for gid in ids:
        g = ctx.session.get(CodevGroup, gid) if isinstance(gid, int) else None
        if g is not None and g.atelier_id == ctx.atelier.id:
            found.append(g)
    return found


def prepare_codev(ctx):
    """One group per entry of ``settings.groups``, in order; an existing group
    keeps its members and, once started, its name and method."""
    from . import service

    settings = ctx.activity.settings or {}
    wanted = list(settings.get("groups") or [])
    template = settings.get("template") or codev_rules.DEFAULT_TEMPLATE
    existing = _groups(ctx)
    ids = []
    for n, spec in enumerate(wanted):
        fields = codev_rules.clean_group_fields(
            {
                "name": spec.get("name"),
                "room": spec.get("room") or None,
                "colour": spec.get("colour") or "bleu",
                "template": template,
            }
        )
        if n < len(existing):
            g = existing[n]
            if g.status == "setup":
                if g.template != fields["template"]:
                    g.durations_ms = codev_rules.get_template(
                        fields["template"]
                    ).default_durations_ms()
                g.name, g.room, g.colour, g.template = (
                    fields["name"],
                    fields["room"],
                    fields["colour"],
                    fields["template"],
                )
        else:
            g = service.create_group(ctx.session, ctx.atelier, **fields)
        ids.append(g.id)
    ctx.session.flush()
    if ctx.events is not None:
        from .events import _emit_group_info

        for gid in ids:
            _emit_group_info(ctx.events, ctx.session.get(CodevGroup, gid))
    return {"group_ids": ids}


def enter_codev(ctx):
    """The main projector shows the overview of the activity's groups (each
    room's screen shows its own group from its short address); an activity
    of a single group shows that group itself (step, timer, items) rather
    than an overview of one tile."""
    from . import service

    if not _groups(ctx) and (ctx.activity.settings or {}).get("groups"):
        ctx.activity.ref = prepare_codev(ctx)
    mine = _groups(ctx)
    target = mine[0].id if len(mine) == 1 else None
    was = [g.id for g in service.groups(ctx.session, ctx.atelier) if g.projected]
    service.set_projection(ctx.session, ctx.atelier, target)
    if was != ([target] if target else []) and ctx.events is not None:
        data = {"group_id": target}
        ctx.events.emit("codev:projection", data, "projector")
        ctx.events.emit("codev:projection", data, "facilitator")


def describe_codev(ctx):
    groups = _groups(ctx)
    return {
        "open": True,
        "groups": [
            {"id": g.id, "name": g.name, "room": g.room or "", "colour": g.colour, "n": n}
            for n, g in enumerate(groups, start=1)
        ],
    }


def register() -> None:
    register_activity_type(
        ActivityType(
            key="codev",
            label=N_("Co-développement (groupes)"),
            fields={
                "template": Choice(
                    tuple(codev_rules.TEMPLATES), default=codev_rules.DEFAULT_TEMPLATE
                ),
                "groups": List(
                    Object(
                        {
                            "name": Str(codev_rules.NAME_MAX, required=True),
                            "room": Str(codev_rules.ROOM_MAX, default=""),
                            "colour": Choice(tuple(codev_rules.COLOURS), default="bleu"),
                        }
                    ),
                    max_items=MAX_GROUPS,
                    default=(),
                ),
            },
            phone_panel="codev",
            scene="codev",
            console_panel="codev",
            main_control="#codev-group-list button, #codev-role-buttons button, #codev-live",
            duration_min=90,
            prepare=prepare_codev,
            enter=enter_codev,
            describe=describe_codev,
        ),
        replace=True,
    )
