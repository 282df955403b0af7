"""Socket.IO events of the live actor map (thin: rules are in the service).

After each change the consoles get ``livemap:state`` (everything, pending
included); when the validated map or the projector settings changed, the
projectors get ``livemap:map`` (validated map, analysis, highlighted chain)
and the phones ``livemap:public`` (validated map); the author of a pending
item gets ``livemap:mine`` on all their devices.
"""

from ..realtime import broadcast, event, register_snapshot_part, room
from . import render, service


def projector_view(s, atelier) -> dict:
    view = service.public_view(s, atelier)
    st = service.get_settings(s, atelier)
    m = service.build_actor_map(s, atelier)
    view["analysis"] = render.analysis(atelier.id, st.version, m, atelier.locale)
    key = None
    if st.highlight_id:
        key = next((a["key"] for a in view["actors"] if a["id"] == st.highlight_id), None)
    view["highlight"] = render.chain_info(m, key)
    return view


def _snapshot_part(s, atelier, identity):
    if identity.role == "facilitator":
        return service.admin_view(s, atelier)
    if identity.role == "projector":
        return projector_view(s, atelier)
    view = service.public_view(s, atelier)
    view["mine"] = service.mine(s, atelier, identity.participant_id)
    return view


register_snapshot_part("livemap", _snapshot_part)


def _broadcast(ctx, *, public: bool, authors=()):
    s, atelier = ctx.session, ctx.atelier
    s.flush()
    ctx.emit("livemap:state", service.admin_view(s, atelier), "facilitator")
    if public:
        ctx.emit("livemap:map", projector_view(s, atelier), "projector")
        ctx.emit("livemap:public", service.public_view(s, atelier), "participant")
    seq = service.get_settings(s, atelier).seq
    for pid in sorted({p for p in authors if p is not None}):
        ctx.emit_to_participant(pid, "livemap:mine", {**service.mine(s, atelier, pid), "seq": seq})


def broadcast_all(database, atelier_id: int) -> None:
    """Send the new state to every surface (after an HTTP import)."""
    from ..models import Atelier

    with database.session() as s:
        atelier = s.get(Atelier, atelier_id)
        admin = service.admin_view(s, atelier)
        proj = projector_view(s, atelier)
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


def _version(ctx) -> int:
    return service.get_settings(ctx.session, ctx.atelier).version


BOTH = ("facilitator", "participant")


@event("livemap:actor:add", roles=BOTH)
def add_actor(ctx, payload):
    """Add an actor (or get the existing one with the same name)."""
    service.next_seq(ctx.session, ctx.atelier)
    before = _version(ctx)
    p = _participant(ctx)
    actor, created = service.create_actor(ctx.session, ctx.atelier, payload, p)
    if created:
        _broadcast(ctx, public=_version(ctx) != before, authors=[actor.submitted_by])
    return {**actor.public_dict(), "created": created}


@event("livemap:contribution:add", roles=BOTH)
def add_contribution(ctx, payload):
    """Add a contribution of an actor to one stage."""
    service.next_seq(ctx.session, ctx.atelier)
    before = _version(ctx)
    row, created = service.add_contribution(ctx.session, ctx.atelier, payload, _participant(ctx))
    if created:
        _broadcast(ctx, public=_version(ctx) != before, authors=[row.submitted_by])
    return {**row.public_dict(), "created": created}


@event("livemap:link:add", roles=BOTH)
def add_link(ctx, payload):
    """Add a link between two actors ("nous travaillons avec…")."""
    service.next_seq(ctx.session, ctx.atelier)
    before = _version(ctx)
    row, created = service.add_link(ctx.session, ctx.atelier, payload, _participant(ctx))
    if created:
        _broadcast(ctx, public=_version(ctx) != before, authors=[row.submitted_by])
    return {**row.public_dict(), "created": created}


def _authors(ctx, done: dict) -> set:
    from .models import LivemapActor, LivemapContribution, LivemapLink

    out = set()
    for key, model in (
        ("actors", LivemapActor),
        ("contributions", LivemapContribution),
        ("links", LivemapLink),
    ):
        for i in done.get(key, []):
            row = ctx.session.get(model, i)
            if row is not None and row.submitted_by:
                out.add(row.submitted_by)
    return out


@event("livemap:validate", roles=("facilitator",))
def validate(ctx, payload):
    """Validate an actor, a contribution or a link (``what``, ``id``), or
    everything pending (``what: "all"``)."""
    service.next_seq(ctx.session, ctx.atelier)
    if set(payload) - {"what", "id"}:
        from ..domain.errors import DomainError

        raise DomainError("invalid_payload")
    if payload.get("what") == "all":
        done = service.validate_all(ctx.session, ctx.atelier)
    else:
        done = service.validate(ctx.session, ctx.atelier, payload.get("what"), payload.get("id"))
    _broadcast(ctx, public=True, authors=_authors(ctx, done))
    return {**done, "version": _version(ctx)}


@event("livemap:actor:update", roles=("facilitator",))
def update_actor(ctx, payload):
    """Edit an actor's name, kind or territory (with the version it was based on)."""
    service.next_seq(ctx.session, ctx.atelier)
    actor = service.update_actor(ctx.session, ctx.atelier, payload)
    _broadcast(ctx, public=actor.status == "validated", authors=[actor.submitted_by])
    return actor.to_dict()


@event("livemap:contribution:update", roles=("facilitator",))
def update_contribution(ctx, payload):
    """Edit a contribution's text or move it to another stage."""
    service.next_seq(ctx.session, ctx.atelier)
    row = service.update_contribution(ctx.session, ctx.atelier, payload)
    _broadcast(ctx, public=row.status == "validated", authors=[row.submitted_by])
    return row.to_dict()


@event("livemap:link:update", roles=("facilitator",))
def update_link(ctx, payload):
    """Change a link's kind."""
    service.next_seq(ctx.session, ctx.atelier)
    row = service.update_link(ctx.session, ctx.atelier, payload)
    _broadcast(ctx, public=row.status == "validated", authors=[row.submitted_by])
    return row.to_dict()


@event("livemap:delete", roles=("facilitator",))
def delete(ctx, payload):
    """Delete an actor, a contribution or a link (``what``, ``id``, ``version``)."""
    service.next_seq(ctx.session, ctx.atelier)
    if set(payload) - {"what", "id", "version"}:
        from ..domain.errors import DomainError

        raise DomainError("invalid_payload")
    done = service.delete(
        ctx.session, ctx.atelier, payload.get("what"), payload.get("id"), payload.get("version")
    )
    _broadcast(ctx, public=True)
    return done


@event("livemap:withdraw", roles=("participant",))
def withdraw(ctx, payload):
    """A participant withdraws their own actor, contribution or link, pending
    or already on the map."""
    service.next_seq(ctx.session, ctx.atelier)
    if set(payload) - {"what", "id"}:
        from ..domain.errors import DomainError

        raise DomainError("invalid_payload")
    pid = ctx.identity.participant_id
    done, on_map = service.withdraw(
        ctx.session, ctx.atelier, pid, payload.get("what"), payload.get("id")
    )
    _broadcast(ctx, public=on_map, authors=[pid])
    return done


@event("livemap:merge", roles=("facilitator",))
def merge(ctx, payload):
    """Merge a duplicate actor (``source_id``) into another (``target_id``)."""
    service.next_seq(ctx.session, ctx.atelier)
    target = service.merge(ctx.session, ctx.atelier, payload)
    _broadcast(ctx, public=True)
    return target.to_dict()


@event("livemap:settings", roles=("facilitator",))
def settings(ctx, payload):
    """Open/close the activity on the phones, choose the projector view,
    highlight an actor (or ``null``)."""
    service.next_seq(ctx.session, ctx.atelier)
    st = service.update_settings(ctx.session, ctx.atelier, payload)
    _broadcast(ctx, public=True)
    return st.to_dict()
