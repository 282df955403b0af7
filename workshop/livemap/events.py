"""Socket.IO events of the live actor map (thin: rules are in the service).

After each change the consoles get ``livemap:state`` (everything, pending
included); when the validated map or the projector settings changed, the
projectors get ``livemap:map`` (validated map, analysis, highlighted chain)
and the phones ``livemap:public`` (validated map); the author of a pending
item gets ``livemap:mine`` on all their devices.
"""

from ..realtime import broadcast, event, register_snapshot_part, room
from . import service


def projector_view(s, atelier) -> dict:
    """(Kept for the callers of this module: the view is the service's.)"""
    return service.projector_view(s, atelier)


def _snapshot_part(s, atelier, identity):
    if identity.role == "facilitator":
        return service.admin_view(s, atelier)
    if identity.role == "projector":
        return service.projector_view(s, atelier)
    return service.participant_view(s, atelier, identity.participant_id)


register_snapshot_part("livemap", _snapshot_part)


def _broadcast(ctx, *, public: bool, authors=()):
    s, atelier = ctx.session, ctx.atelier
    s.flush()
    ctx.emit("livemap:state", service.admin_view(s, atelier), "facilitator")
    if public:
        ctx.emit("livemap:map", service.projector_view(s, atelier), "projector")
        ctx.emit("livemap:public", service.public_view(s, atelier), "participant")
    for pid in sorted({p for p in authors if p is not None}):
        ctx.emit_to_participant(pid, "livemap:mine", service.mine_view(s, atelier, pid))


def broadcast_all(database, atelier_id: int) -> None:
    """Send the new state to every surface (after an HTTP import)."""
    from ..models import Atelier

    with database.session() as s:
        atelier = s.get(Atelier, atelier_id)
        admin = service.admin_view(s, atelier)
        proj = service.projector_view(s, atelier)
        public = service.public_view(s, atelier)
    broadcast(
        atelier_id,
        [
            ("livemap:state", admin, (room(atelier_id, "facilitator"),)),
            ("livemap:map", proj, (room(atelier_id, "projector"),)),
            ("livemap:public", public, (room(atelier_id, "participant"),)),
        ],
    )


def _participant(ctx):
    return ctx.participant if ctx.identity.role == "participant" else None


def _changed(ctx) -> bool:
    return service.map_changed(ctx.session, ctx.atelier)


@event("livemap:actor:add")
def add_actor(ctx, args):
    """Add an actor (or get the existing one with the same name), exactly
    once per ``client_id``. Sender: a phone or a console; broadcasts
    ``livemap:state`` to the consoles, ``livemap:mine`` to the author, and
    the map to the others if the validated map changed."""
    actor, created = service.create_actor(ctx.session, ctx.atelier, _participant(ctx), **args)
    if created:
        _broadcast(ctx, public=_changed(ctx), authors=[actor.submitted_by])
    return {**actor.public_dict(), "created": created}


@event("livemap:contribution:add")
def add_contribution(ctx, args):
    """Add a contribution of an actor to one stage. Sender: a phone or a
    console; broadcasts like ``livemap:actor:add``."""
    row, created = service.add_contribution(ctx.session, ctx.atelier, _participant(ctx), **args)
    if created:
        _broadcast(ctx, public=_changed(ctx), authors=[row.submitted_by])
    return {**row.public_dict(), "created": created}


@event("livemap:link:add")
def add_link(ctx, args):
    """Add a link between two actors ("nous travaillons avec…"). Sender: a
    phone or a console; broadcasts like ``livemap:actor:add``."""
    row, created = service.add_link(ctx.session, ctx.atelier, _participant(ctx), **args)
    if created:
        _broadcast(ctx, public=_changed(ctx), authors=[row.submitted_by])
    return {**row.public_dict(), "created": created}


@event("livemap:validate")
def validate(ctx, args):
    """Validate an actor, a contribution or a link (``what``, ``id``), or
    everything pending (``what: "all"``). Sender: a console; broadcasts the
    state, the map, and ``livemap:mine`` to the authors concerned."""
    done = service.validate(ctx.session, ctx.atelier, args.what, args.id)
    _broadcast(ctx, public=True, authors=service.authors_of(ctx.session, done))
    return {**done, "version": service.get_settings(ctx.session, ctx.atelier).version}


@event("livemap:actor:update")
def update_actor(ctx, args):
    """Edit an actor's name, kind or territory (with the version it was based
    on). Sender: a console; broadcasts the state (and the map if validated)."""
    actor = service.update_actor(ctx.session, ctx.atelier, **args)
    _broadcast(ctx, public=actor.status == "validated", authors=[actor.submitted_by])
    return actor.to_dict()


@event("livemap:contribution:update")
def update_contribution(ctx, args):
    """Edit a contribution's text or move it to another stage. Sender: a
    console; broadcasts the state (and the map if validated)."""
    row = service.update_contribution(ctx.session, ctx.atelier, **args)
    _broadcast(ctx, public=row.status == "validated", authors=[row.submitted_by])
    return row.to_dict()


@event("livemap:link:update")
def update_link(ctx, args):
    """Change a link's kind. Sender: a console; broadcasts the state (and
    the map if validated)."""
    row = service.update_link(ctx.session, ctx.atelier, **args)
    _broadcast(ctx, public=row.status == "validated", authors=[row.submitted_by])
    return row.to_dict()


@event("livemap:delete")
def delete(ctx, args):
    """Delete an actor, a contribution or a link (``what``, ``id``,
    ``version``). Sender: a console; broadcasts the state and the map."""
    done = service.delete(ctx.session, ctx.atelier, args.what, args.id, args.version)
    _broadcast(ctx, public=True)
    return done


@event("livemap:withdraw")
def withdraw(ctx, args):
    """A participant withdraws their own actor, contribution or link, pending
    or already on the map. Sender: a phone; broadcasts the state, and the
    map if the submission was on it."""
    pid = ctx.identity.participant_id
    done, on_map = service.withdraw(ctx.session, ctx.atelier, pid, args.what, args.id)
    _broadcast(ctx, public=on_map, authors=[pid])
    return done


@event("livemap:merge")
def merge(ctx, args):
    """Merge a duplicate actor (``source_id``) into another (``target_id``).
    Sender: a console; broadcasts the state and the map."""
    target = service.merge(ctx.session, ctx.atelier, **args)
    _broadcast(ctx, public=True)
    return target.to_dict()


@event("livemap:settings")
def settings(ctx, args):
    """Open/close the activity on the phones, choose the projector view,
    highlight an actor (or ``null``). Sender: a console; broadcasts the
    state and the map."""
    st = service.update_settings(ctx.session, ctx.atelier, **args)
    _broadcast(ctx, public=True)
    return st.to_dict()
