"""Socket.IO events of the foundation: connect, snapshot, presence, control."""

import logging

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, join_room

from ..domain.errors import DomainError
from ..extensions import socketio
from ..i18n import N_
from ..messages import error_payload, register_messages
from ..realtime import (
    CONNECT_HOOKS,
    IDENTITIES,
    Identity,
    broadcast,
    build_snapshot,
    database,
    event,
    now_ms,
    participant_room,
    register_snapshot_part,
    room,
    socket_limiter,
)
from . import service

log = logging.getLogger("workshop.ateliers")

SCENES = {"home"}  # capabilities add theirs


def presence():
    return current_app.extensions["workshop_presence"]


def _refuse(code: str, locale: str = "fr"):
    """Refuse the connection: the client's ``connect_error`` gets
    ``{"message": <phrase>, "data": {"error": <code>, "message": <phrase>}}``
    (python-socketio puts the first argument in ``message`` and the second in
    ``data``; one argument alone would become ``str()`` of it)."""
    body = error_payload(code, locale)
    raise ConnectionRefusedError(
        body["message"], {"error": body["error"], "message": body["message"]}
    )


def _authenticate(auth) -> Identity:
    if not isinstance(auth, dict):
        _refuse("invalid_payload")
    role = auth.get("role")
    if role not in ("facilitator", "participant", "projector"):
        _refuse("bad_role")
    with database().session(write=False) as s:
        atelier = service.find_atelier(s, auth.get("code"))
        if atelier is None:
            _refuse("atelier_not_found")
        identity = Identity(
            role=role, atelier_id=atelier.id, code=atelier.code, locale=atelier.locale
        )
        if role == "facilitator":
            if not service.check_console_secret(atelier, auth.get("secret")):
                _refuse("bad_secret", atelier.locale)
            identity.secret_hash = atelier.console_secret_hash
        elif role == "participant":
            try:
                p = service.authenticate_participant(s, atelier, auth.get("token"))
            except DomainError as err:
                _refuse(err.code, atelier.locale)
            identity.participant_id = p.id
            identity.name = p.display_name
        return identity


@socketio.on("connect")
def on_connect(auth=None):
    identity = _authenticate(auth)
    sid = request.sid
    IDENTITIES[sid] = identity
    aid = identity.atelier_id
    join_room(room(aid, "all"))
    join_room(room(aid, identity.role))
    came_online = False
    if identity.role == "participant":
        join_room(participant_room(identity.participant_id))
        came_online = presence().add(aid, identity.participant_id)
    for hook in CONNECT_HOOKS:
        hook(identity, sid)
    with database().session(write=False) as s:
        atelier = service.find_atelier(s, identity.code)
        snapshot = build_snapshot(s, atelier, identity)
    # This socket is local: no need to go through the message queue.
    socketio.emit("snapshot", snapshot, to=sid, ignore_queue=True)
    if came_online:
        _broadcast_presence(aid, identity.participant_id, True)


@socketio.on("disconnect")
def on_disconnect(*_args):
    identity = IDENTITIES.pop(request.sid, None)
    socket_limiter.forget(request.sid)
    if (
        identity
        and identity.role == "participant"
        and presence().remove(identity.atelier_id, identity.participant_id)
    ):
        _broadcast_presence(identity.atelier_id, identity.participant_id, False)


@socketio.on("*")
def on_unknown_event(event_name, *args):
    """Any event nobody handles gets an error ack (never silence); it counts
    against the socket's rate limit like any other event."""
    identity = IDENTITIES.get(request.sid)
    locale = identity.locale if identity else None
    return error_payload("unknown_event", locale)


def _presence_messages(atelier_id: int, participant_id: int, online: bool) -> list:
    count = presence().count(atelier_id)
    return [
        ("presence", {"count": count}, (room(atelier_id, "projector"),)),
        (
            "presence",
            {"count": count, "participant_id": participant_id, "online": online},
            (room(atelier_id, "facilitator"),),
        ),
    ]


def _broadcast_presence(atelier_id: int, participant_id: int, online: bool):
    broadcast(atelier_id, _presence_messages(atelier_id, participant_id, online))


def participant_joined(atelier_id: int, participant: dict):
    """Tell the consoles that someone joined (called after the commit)."""
    broadcast(atelier_id, [("participant:joined", participant, (room(atelier_id, "facilitator"),))])


# ---------------------------------------------------------------- snapshot parts


def _presence_part(s, atelier, identity):
    if identity.role == "participant":
        return None
    return {"count": presence().count(atelier.id)}


def _participants_part(s, atelier, identity):
    if identity.role != "facilitator":
        return None
    online = presence().online(atelier.id)
    return [{**p.public_dict(), "online": p.id in online} for p in service.participants(s, atelier)]


register_snapshot_part("presence", _presence_part)
register_snapshot_part("participants", _participants_part)


# ---------------------------------------------------------------- events


@event("sync")
def sync(ctx, args):
    """The full snapshot again, as an ack (the client may ask at any time).
    Sender: any client; broadcasts nothing."""
    return build_snapshot(ctx.session, ctx.atelier, ctx.identity)


@event("clock")
def clock(ctx, args):
    """The server's clock in ms, for the clients' offset (timers). Sender:
    any client; broadcasts nothing."""
    return {"server_time": now_ms()}


@event("atelier:status")
def set_status(ctx, args):
    """Open, lock (no new joins) or close the atelier. Sender: a console;
    broadcasts ``atelier`` to everyone."""
    atelier = service.set_status(ctx.session, ctx.atelier, args.status)
    data = atelier.public_dict()
    ctx.emit("atelier", data)
    return data


@event("atelier:update")
def update(ctx, args):
    """Edit title, date, place, anonymity, language, note length. Sender: a
    console; broadcasts ``atelier`` to everyone."""
    atelier = service.update_atelier(ctx.session, ctx.atelier, **args)
    data = atelier.public_dict()
    ctx.emit("atelier", data)
    return data


@event("atelier:scene")
def set_scene(ctx, args):
    """Choose what the projector shows. Sender: a console; broadcasts
    ``atelier`` to everyone."""
    atelier = service.set_scene(ctx.session, ctx.atelier, args.scene, SCENES)
    data = atelier.public_dict()
    ctx.emit("atelier", data)
    return data


@event("participant:remove")
def remove_participant(ctx, args):
    """Remove a participant: their device token stops working at once.
    Sender: a console; sends ``participant:removed`` to the consoles and
    ``removed`` to the participant's devices."""
    p = service.remove_participant(ctx.session, ctx.atelier, args.participant_id)
    data = p.public_dict()
    ctx.emit("participant:removed", data, "facilitator")
    ctx.emit_to_participant(
        p.id, "removed", {"message": error_payload("bad_token", ctx.identity.locale)["message"]}
    )
    _disconnect_participant_sockets(ctx, p.id)
    return data


def _disconnect_participant_sockets(ctx, participant_id: int):
    for sid, ident in list(IDENTITIES.items()):
        if ident.participant_id == participant_id:
            IDENTITIES.pop(sid, None)
            if presence().remove(ident.atelier_id, participant_id):
                # queued with the removal: sent after its commit
                for name, data, (target,) in _presence_messages(
                    ident.atelier_id, participant_id, False
                ):
                    ctx.emit(name, data, to=target)


register_messages(
    {
        "console_revoked": N_(
            "Le lien de cette console a été changé : il ne fonctionne plus. Demandez le "
            "nouveau lien à la personne qui l’a changé."
        )
    }
)


@event("atelier:rotate_secret")
def rotate_secret(ctx, args):
    """Replace the console secret: the old link stops working at once.

    Returns the new links. The other open consoles get ``console:revoked`` and
    any further command of theirs is refused (``bad_secret``).
    """
    from .views import links_for

    secret = service.rotate_console_secret(ctx.session, ctx.atelier)
    new_hash = ctx.atelier.console_secret_hash
    ctx.identity.secret_hash = new_hash
    ctx.emit(
        "console:revoked",
        {
            "by": ctx.sid,
            "message": error_payload("console_revoked", ctx.identity.locale)["message"],
        },
        "facilitator",
    )
    for sid, ident in list(IDENTITIES.items()):  # this process's other consoles
        if (
            sid != ctx.sid
            and ident.role == "facilitator"
            and ident.atelier_id == ctx.identity.atelier_id
        ):
            ident.secret_hash = new_hash + "-revoked"
    return {"secret": secret, "console_url": links_for(ctx.atelier, secret)["console_url"]}
