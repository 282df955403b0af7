"""Socket.IO events of the co-développement (thin: rules live in the domain).

Broadcasts about one group go to its room ``codev:<group_id>`` (the sockets
of its members), to the consoles and to the projectors; the list of groups
goes to everyone.
"""

from flask_babel import force_locale, gettext
from flask_socketio import join_room

from ..domain import codev as rules
from ..domain.errors import DomainError
from ..extensions import socketio
from ..realtime import (
    IDENTITIES,
    database,
    event,
    now_ms,
    register_connect_hook,
    register_snapshot_part,
)
from . import service
from .models import CodevGroup


def group_room(group_id: int) -> str:
    return f"codev:{group_id}"


# ---------------------------------------------------------------- helpers


def _emit_group(ctx, name: str, data, group_id: int, *, projector: bool = True):
    ctx.emit(name, data, to=group_room(group_id))
    ctx.emit(name, data, "facilitator")
    if projector:
        ctx.emit(name, data, "projector")


def _emit_members(ctx, group_id: int):
    mem = service.members(ctx.session, ctx.atelier, group_id)
    data = {"group_id": group_id, "members": mem, "warning": service.size_warning(mem)}
    _emit_group(ctx, "codev:members", data, group_id)
    return mem


def _emit_group_info(ctx, g: CodevGroup, *, count_change: int | None = None):
    """The group's public state: to everyone, or, when only its member count
    changed by ``count_change``, to consoles and projections (and to the phones
    only when the group becomes full or has room again): 300 phones joining do
    not each cause a broadcast to 300 phones."""
    count = service.member_counts(ctx.session, ctx.atelier).get(g.id, 0)
    data = service.group_dict(g, count)
    if count_change is None:
        ctx.emit("codev:group", data)
        return data
    ctx.emit("codev:group", data, "facilitator")
    ctx.emit("codev:group", data, "projector")
    was_full = count - count_change >= g.max_members
    if was_full != (count >= g.max_members):
        ctx.emit("codev:group", data, "participant")
    return data


def _move_rooms(participant_id: int, old_gid: int | None, new_gid: int | None):
    """Make the participant's sockets (on this process) follow their group."""
    for sid, ident in list(IDENTITIES.items()):
        if ident.role != "participant" or ident.participant_id != participant_id:
            continue
        if old_gid is not None:
            socketio.server.leave_room(sid, group_room(old_gid), namespace="/")
        if new_gid is not None:
            socketio.server.enter_room(sid, group_room(new_gid), namespace="/")


def _send_state(ctx, participant_id: int):
    """The participant's whole codev state, after their group or role changed."""
    from ..realtime import Identity

    ident = Identity(
        role="participant",
        atelier_id=ctx.atelier.id,
        code=ctx.atelier.code,
        locale=ctx.identity.locale,
        participant_id=participant_id,
    )
    ctx.emit_to_participant(
        participant_id, "codev:state", snapshot_part(ctx.session, ctx.atelier, ident)
    )


_TEMPLATE_CACHE: dict = {}


def templates_public(locale: str) -> dict:
    """The templates with their names and instructions in ``locale``."""
    cached = _TEMPLATE_CACHE.get(locale)
    if cached is not None:
        return cached
    out = {}
    with force_locale(locale):
        for key, t in rules.TEMPLATES.items():
            d = t.public_dict()
            d["name"] = gettext(d["name"])
            d["description"] = gettext(d["description"])
            for step in d["steps"]:
                step["name"] = gettext(step["name"])
                step["instruction"] = gettext(step["instruction"])
            out[key] = d
    _TEMPLATE_CACHE[locale] = out
    return out


# ---------------------------------------------------------------- snapshot


def snapshot_part(s, atelier, identity):
    """Groups for everyone; members and writings of the groups the viewer may see."""
    all_groups = service.groups(s, atelier)
    counts = service.member_counts(s, atelier)
    part = {
        "templates": templates_public(identity.locale),
        "colours": rules.COLOURS,
        "limits": rules.TEXT_MAX,
        "advised": [rules.GROUP_MIN_ADVISED, rules.GROUP_MAX_ADVISED],
        "groups": [service.group_dict(g, counts.get(g.id, 0)) for g in all_groups],
        "projected": next((g.id for g in all_groups if g.projected), None),
        "details": {},
    }
    if identity.role == "participant":
        m = service.membership(s, atelier, identity.participant_id)
        part["me"] = {"group_id": m.group_id if m else None, "role": m.role if m else None}
        if m is not None:
            g = next(g for g in all_groups if g.id == m.group_id)
            part["details"][str(g.id)] = service.group_detail(s, atelier, g)
        return part
    names = service._names(s, atelier)
    mem_by_group: dict = {}
    for m in service.members(s, atelier):
        mem_by_group.setdefault(m["group_id"], []).append(m)
    items_by_group: dict = {}
    for i in service.items(s, atelier):
        if identity.role == "projector" and i.kind == "note":
            continue
        items_by_group.setdefault(i.group_id, []).append(service.item_dict(i, names))
    for g in all_groups:
        mem = mem_by_group.get(g.id, [])
        part["details"][str(g.id)] = {
            "group_id": g.id,
            "members": mem,
            "warning": service.size_warning(mem),
            "texts": service.texts_dict(g),
            "items": items_by_group.get(g.id, []),
        }
    return part


def _join_group_room(identity, sid):
    if identity.role != "participant":
        return
    with database().session(write=False) as s:
        from ..models import Atelier

        atelier = s.get(Atelier, identity.atelier_id)
        m = service.membership(s, atelier, identity.participant_id)
        if m is not None:
            join_room(group_room(m.group_id), sid=sid)


register_snapshot_part("codev", snapshot_part)
register_connect_hook(_join_group_room)


# ---------------------------------------------------------------- groups (console)


@event("codev:group:create", roles=("facilitator",))
def create_group(ctx, payload):
    """Create a group: name, room, colour, template, max_members."""
    g = service.create_group(ctx.session, ctx.atelier, payload)
    return _emit_group_info(ctx, g)


@event("codev:group:update", roles=("facilitator",))
def update_group(ctx, payload):
    """Edit a group; template and durations (minutes) only before the start."""
    allowed = {
        "group_id",
        "name",
        "room",
        "colour",
        "template",
        "max_members",
        "closed",
        "durations",
    }
    if set(payload) - allowed:
        raise DomainError("invalid_payload")
    g = service.update_group(ctx.session, ctx.atelier, payload)
    return _emit_group_info(ctx, g)


@event("codev:group:delete", roles=("facilitator",))
def delete_group(ctx, payload):
    """Delete a group and everything written in it."""
    gid = service.get_group(ctx.session, ctx.atelier, payload.get("group_id")).id
    mem = service.members(ctx.session, ctx.atelier, gid)
    g = service.delete_group(ctx.session, ctx.atelier, gid)
    data = {"group_id": g.id}
    ctx.emit("codev:group:deleted", data)
    for m in mem:
        _move_rooms(m["participant_id"], g.id, None)
    return data


@event("codev:projection", roles=("facilitator",))
def set_projection(ctx, payload):
    """What the projector's codev scene shows: one group, or the overview (null)."""
    gid = service.set_projection(ctx.session, ctx.atelier, payload.get("group_id"))
    data = {"group_id": gid}
    ctx.emit("codev:projection", data, "projector")
    ctx.emit("codev:projection", data, "facilitator")
    return data


# ---------------------------------------------------------------- members and roles


@event("codev:join", roles=("facilitator", "participant"))
def join(ctx, payload):
    """A participant joins a group (the facilitator may assign anyone)."""
    pid = ctx.identity.participant_id if not ctx.is_facilitator else payload.get("participant_id")
    before = service.membership(ctx.session, ctx.atelier, pid) if isinstance(pid, int) else None
    joined_before = before.group_id if before else None
    m, left = service.join(ctx.session, ctx.atelier, payload.get("group_id"), pid)
    _move_rooms(m.participant_id, left, m.group_id)
    if m.group_id != joined_before:
        ctx.session.flush()
        _emit_members(ctx, m.group_id)
        _emit_group_info(
            ctx, service.get_group(ctx.session, ctx.atelier, m.group_id), count_change=1
        )
    if left is not None:
        _emit_members(ctx, left)
        _emit_group_info(ctx, service.get_group(ctx.session, ctx.atelier, left), count_change=-1)
    _send_state(ctx, m.participant_id)
    return {"group_id": m.group_id, "participant_id": m.participant_id, "role": m.role}


@event("codev:rooms", roles=("participant",), writes=False)
def rooms(ctx, payload):
    """Put this device in its group's room; returns its whole codev part.

    A phone sends it when ``codev:state`` tells it that its group changed:
    the change may have been made on another process (a facilitator on
    process A assigns a phone connected to process B), where this socket's
    rooms cannot be changed."""
    m = service.membership(ctx.session, ctx.atelier, ctx.identity.participant_id)
    wanted = group_room(m.group_id) if m is not None else None
    for r in list(socketio.server.rooms(ctx.sid, namespace="/")):
        if r.startswith("codev:") and r != wanted:
            socketio.server.leave_room(ctx.sid, r, namespace="/")
    if wanted is not None:
        socketio.server.enter_room(ctx.sid, wanted, namespace="/")
    return snapshot_part(ctx.session, ctx.atelier, ctx.identity)


@event("codev:leave", roles=("facilitator", "participant"))
def leave(ctx, payload):
    """Leave one's group before the start (the facilitator: anyone's)."""
    pid = ctx.identity.participant_id if not ctx.is_facilitator else payload.get("participant_id")
    gid = service.leave(ctx.session, ctx.atelier, pid)
    ctx.session.flush()
    _move_rooms(pid, gid, None)
    _emit_members(ctx, gid)
    _emit_group_info(ctx, service.get_group(ctx.session, ctx.atelier, gid), count_change=-1)
    _send_state(ctx, pid)
    return {"group_id": None, "participant_id": pid}


@event("codev:role", roles=("facilitator", "participant"))
def set_role(ctx, payload):
    """Change a role before the start: one's own, or (animateur, facilitator) a member's."""
    actor = None if ctx.is_facilitator else ctx.identity.participant_id
    target = payload.get("participant_id", actor)
    m = service.set_role(ctx.session, ctx.atelier, target, payload.get("role"), actor_pid=actor)
    ctx.session.flush()
    _emit_members(ctx, m.group_id)
    return {"group_id": m.group_id, "participant_id": m.participant_id, "role": m.role}


# ---------------------------------------------------------------- timer


@event("codev:timer", roles=("facilitator", "participant"))
def timer(ctx, payload):
    """start, pause, resume, extend (minutes 1 or 5), next, prev."""
    actor = None if ctx.is_facilitator else ctx.identity.participant_id
    g, status_before = service.control_timer(
        ctx.session, ctx.atelier, payload, now_ms(), actor_pid=actor
    )
    data = service.timer_dict(g)
    _emit_group(ctx, "codev:timer", data, g.id)
    if g.status != status_before:
        # started or finished: the phones of the other groups see it in the list
        _emit_group_info(ctx, g)
    return data


# ---------------------------------------------------------------- writing


@event("codev:write", roles=("participant",))
def write(ctx, payload):
    """A member writes: subject, contract, action_plan, question, proposal, note, learning."""
    g, kind, stored, created = service.write(
        ctx.session, ctx.atelier, ctx.identity.participant_id, payload
    )
    if kind in rules.GROUP_TEXT_ACTIONS:
        data = {"group_id": g.id, "texts": stored}
        _emit_group(ctx, "codev:text", data, g.id)
        return data
    ctx.session.flush()
    item = service.item_dict(stored, {ctx.identity.participant_id: ctx.identity.name})
    data = {"group_id": g.id, "item": item, "duplicate": not created}
    if created:
        _emit_group(ctx, "codev:item", item, g.id, projector=stored.kind != "note")
    return data


@event("codev:item:delete", roles=("participant",))
def delete_item(ctx, payload):
    """The author deletes their own item (question, proposal, note, learning)."""
    item = service.delete_own_item(ctx.session, ctx.atelier, ctx.identity.participant_id, payload)
    data = {"group_id": item.group_id, "item_id": item.id}
    _emit_group(ctx, "codev:item:gone", data, item.group_id, projector=item.kind != "note")
    return data


@event("codev:erase", roles=("participant",))
def erase(ctx, payload):
    """Erase a text of the group, or a question's answer (its writer's role)."""
    g, kind, item = service.erase(ctx.session, ctx.atelier, ctx.identity.participant_id, payload)
    if item is not None:
        data = service.item_dict(item, service._names(ctx.session, ctx.atelier))
        _emit_group(ctx, "codev:item", data, g.id)
        return {"group_id": g.id, "item": data}
    data = {"group_id": g.id, "texts": service.texts_dict(g)}
    _emit_group(ctx, "codev:text", data, g.id)
    return data


@event("codev:answer", roles=("participant",))
def answer(ctx, payload):
    """The porteur answers a question."""
    g, item = service.answer(ctx.session, ctx.atelier, ctx.identity.participant_id, payload)
    data = service.item_dict(item, service._names(ctx.session, ctx.atelier))
    _emit_group(ctx, "codev:item", data, g.id)
    return {"group_id": g.id, "item": data}


@event("codev:retain", roles=("participant",))
def retain(ctx, payload):
    """The porteur marks a proposal as retained (retained: true/false)."""
    g, item = service.retain(ctx.session, ctx.atelier, ctx.identity.participant_id, payload)
    data = service.item_dict(item, service._names(ctx.session, ctx.atelier))
    _emit_group(ctx, "codev:item", data, g.id)
    return {"group_id": g.id, "item": data}
