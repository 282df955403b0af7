"""Socket.IO events of the co-développement (thin: rules live in the domain).

Broadcasts about one group go to its room ``codev:<group_id>`` (the sockets
of its members), to the consoles and to the projectors; the list of groups
goes to everyone.
"""

from flask_babel import force_locale, gettext
from flask_socketio import join_room

from ..domain import codev as rules
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
    data = service.members_view(ctx.session, ctx.atelier, group_id)
    _emit_group(ctx, "codev:members", data, group_id)
    return data["members"]


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
    """Groups for everyone; members and writings of the groups the viewer may
    see (built by :func:`service.codev_view`), with the templates in the
    viewer's language."""
    view = service.codev_view(s, atelier, identity.role, identity.participant_id)
    return {"templates": templates_public(identity.locale), **view}


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


@event("codev:group:create")
def create_group(ctx, args):
    """Create a group: name, room, colour, template, max_members. Sender: a
    console; broadcasts ``codev:group`` to everyone."""
    g = service.create_group(ctx.session, ctx.atelier, **args)
    return _emit_group_info(ctx, g)


@event("codev:group:update")
def update_group(ctx, args):
    """Edit a group; template and durations (minutes) only before the start.
    Sender: a console; broadcasts ``codev:group`` to everyone."""
    g = service.update_group(ctx.session, ctx.atelier, **args)
    return _emit_group_info(ctx, g)


@event("codev:group:delete")
def delete_group(ctx, args):
    """Delete a group and everything written in it. Sender: a console;
    broadcasts ``codev:group:deleted`` to everyone."""
    gid = service.get_group(ctx.session, ctx.atelier, args.group_id).id
    mem = service.members(ctx.session, ctx.atelier, gid)
    g = service.delete_group(ctx.session, ctx.atelier, gid)
    data = {"group_id": g.id}
    ctx.emit("codev:group:deleted", data)
    for m in mem:
        _move_rooms(m["participant_id"], g.id, None)
    return data


@event("codev:projection")
def set_projection(ctx, args):
    """What the projector's codev scene shows: one group, or the overview
    (null). Sender: a console; broadcasts ``codev:projection`` to the
    projectors and consoles."""
    gid = service.set_projection(ctx.session, ctx.atelier, args.group_id)
    data = {"group_id": gid}
    ctx.emit("codev:projection", data, "projector")
    ctx.emit("codev:projection", data, "facilitator")
    return data


# ---------------------------------------------------------------- members and roles


def _target(ctx, args):
    """Whom a member command is about: oneself, or (a console) ``participant_id``."""
    return args.participant_id if ctx.is_facilitator else ctx.identity.participant_id


@event("codev:join")
def join(ctx, args):
    """A participant joins a group (the facilitator may assign anyone).
    Sender: a phone or a console; broadcasts ``codev:members`` (group,
    consoles, projectors), ``codev:group`` (consoles and projectors; phones
    when the group becomes full or has room again) and ``codev:state`` to the
    person's devices."""
    pid = _target(ctx, args)
    before = service.membership(ctx.session, ctx.atelier, pid)
    joined_before = before.group_id if before else None
    m, left = service.join(ctx.session, ctx.atelier, args.group_id, pid)
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


@event("codev:rooms")
def rooms(ctx, args):
    """Put this device in its group's room; returns its whole codev part.
    Sender: a phone; broadcasts nothing.

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


@event("codev:leave")
def leave(ctx, args):
    """Leave one's group before the start (the facilitator: anyone's).
    Sender: a phone or a console; broadcasts ``codev:members``,
    ``codev:group`` and ``codev:state``."""
    pid = _target(ctx, args)
    gid = service.leave(ctx.session, ctx.atelier, pid)
    ctx.session.flush()
    _move_rooms(pid, gid, None)
    _emit_members(ctx, gid)
    _emit_group_info(ctx, service.get_group(ctx.session, ctx.atelier, gid), count_change=-1)
    _send_state(ctx, pid)
    return {"group_id": None, "participant_id": pid}


@event("codev:role")
def set_role(ctx, args):
    """Change a role before the start: one's own, or (animateur, facilitator)
    a member's. Sender: a phone or a console; broadcasts ``codev:members``."""
    actor = None if ctx.is_facilitator else ctx.identity.participant_id
    target = args.participant_id if "participant_id" in args else actor
    m = service.set_role(ctx.session, ctx.atelier, target, args.role, actor_pid=actor)
    ctx.session.flush()
    _emit_members(ctx, m.group_id)
    return {"group_id": m.group_id, "participant_id": m.participant_id, "role": m.role}


# ---------------------------------------------------------------- timer


@event("codev:timer")
def timer(ctx, args):
    """start, pause, resume, extend (minutes 1 or 5), next, prev. Sender: the
    group's animateur or a console; broadcasts ``codev:timer`` (group,
    consoles, projectors) and ``codev:group`` to everyone when the session
    starts or ends."""
    actor = None if ctx.is_facilitator else ctx.identity.participant_id
    g, status_before = service.control_timer(
        ctx.session, ctx.atelier, now_ms(), actor_pid=actor, **args
    )
    data = service.timer_dict(g)
    _emit_group(ctx, "codev:timer", data, g.id)
    if g.status != status_before:
        # started or finished: the phones of the other groups see it in the list
        _emit_group_info(ctx, g)
    return data


# ---------------------------------------------------------------- writing


@event("codev:write")
def write(ctx, args):
    """A member writes: subject, contract, action_plan, question, proposal,
    note, learning (exactly once per ``client_id``). Sender: a phone;
    broadcasts ``codev:text`` or ``codev:item`` (group, consoles; projectors
    except for notes)."""
    g, kind, stored, created = service.write(
        ctx.session, ctx.atelier, ctx.identity.participant_id, **args
    )
    if kind in rules.GROUP_TEXT_ACTIONS:
        data = {"group_id": g.id, "texts": stored}
        if created:
            _emit_group(ctx, "codev:text", data, g.id)
        return {**data, "duplicate": not created}
    ctx.session.flush()
    item = service.item_dict(stored, {ctx.identity.participant_id: ctx.identity.name})
    data = {"group_id": g.id, "item": item, "duplicate": not created}
    if created:
        _emit_group(ctx, "codev:item", item, g.id, projector=stored.kind != "note")
    return data


@event("codev:item:delete")
def delete_item(ctx, args):
    """The author deletes their own item (question, proposal, note, learning).
    Sender: a phone; broadcasts ``codev:item:gone``."""
    item = service.delete_own_item(
        ctx.session, ctx.atelier, ctx.identity.participant_id, args.item_id
    )
    data = {"group_id": item.group_id, "item_id": item.id}
    _emit_group(ctx, "codev:item:gone", data, item.group_id, projector=item.kind != "note")
    return data


@event("codev:erase")
def erase(ctx, args):
    """Erase a text of the group, or a question's answer (its writer's role).
    Sender: a phone; broadcasts ``codev:text`` or ``codev:item``."""
    g, kind, item = service.erase(ctx.session, ctx.atelier, ctx.identity.participant_id, **args)
    if item is not None:
        data = service.item_dict(item, service._names(ctx.session, ctx.atelier))
        _emit_group(ctx, "codev:item", data, g.id)
        return {"group_id": g.id, "item": data}
    data = {"group_id": g.id, "texts": service.texts_dict(g)}
    _emit_group(ctx, "codev:text", data, g.id)
    return data


@event("codev:answer")
def answer(ctx, args):
    """The porteur answers a question. Sender: a phone; broadcasts ``codev:item``."""
    g, item = service.answer(ctx.session, ctx.atelier, ctx.identity.participant_id, **args)
    data = service.item_dict(item, service._names(ctx.session, ctx.atelier))
    _emit_group(ctx, "codev:item", data, g.id)
    return {"group_id": g.id, "item": data}


@event("codev:retain")
def retain(ctx, args):
    """The porteur marks a proposal as retained (retained: true/false).
    Sender: a phone; broadcasts ``codev:item``."""
    g, item = service.retain(ctx.session, ctx.atelier, ctx.identity.participant_id, **args)
    data = service.item_dict(item, service._names(ctx.session, ctx.atelier))
    _emit_group(ctx, "codev:item", data, g.id)
    return {"group_id": g.id, "item": data}
