"""Socket.IO events of the déroulé (thin: rules are in the service).

Every change broadcasts ``deroule:state`` (the whole déroulé, one view for
every surface) to the atelier's room ``all``; a change of current activity
also sends ``atelier`` (its ``scene`` follows the activity) and whatever the
activity's ``enter`` hook queued (the board's new state, the map opened…).
"""

from ..realtime import event, register_snapshot_part
from . import service
from .modeles import modele


def _snapshot_part(s, atelier, identity):
    view = service.view(s, atelier)
    if identity.role == "facilitator":
        view["types"] = service.types_view()
        view["modeles"] = service.modeles_view(s, atelier)
    return view


register_snapshot_part("deroule", _snapshot_part)


def emit_state(ctx, *, atelier_changed: bool = False) -> dict:
    s = ctx.session
    s.flush()
    data = service.view(s, ctx.atelier)
    if atelier_changed:
        ctx.emit("atelier", ctx.atelier.public_dict())
    ctx.emit("deroule:state", data)
    return data


@event("deroule:activity:create")
def create(ctx, args):
    """Facilitator. Add an activity; broadcasts ``deroule:state``."""
    act = service.create_activity(
        ctx.session,
        ctx.atelier,
        args.type,
        title=args.get("title"),
        duration_min=args.get("duration_min"),
        settings=args.get("settings"),
        after_id=args.get("after_id"),
        events=ctx,
    )
    emit_state(ctx)
    return {"id": act.id}


@event("deroule:activity:update")
def update(ctx, args):
    """Facilitator. Edit an activity; broadcasts ``deroule:state``."""
    act = service.update_activity(
        ctx.session,
        ctx.atelier,
        args.activity_id,
        title=args.get("title"),
        duration_min=args.get("duration_min"),
        settings=args.get("settings"),
        events=ctx,
    )
    emit_state(ctx)
    return {"id": act.id}


@event("deroule:activity:delete")
def delete(ctx, args):
    """Facilitator. Delete an activity (not the current one); broadcasts ``deroule:state``."""
    gone = service.delete_activity(ctx.session, ctx.atelier, args.activity_id)
    emit_state(ctx)
    return {"id": gone}


@event("deroule:activity:duplicate")
def duplicate(ctx, args):
    """Facilitator. Copy an activity right after it; broadcasts ``deroule:state``."""
    act = service.duplicate_activity(ctx.session, ctx.atelier, args.activity_id, events=ctx)
    emit_state(ctx)
    return {"id": act.id}


@event("deroule:reorder")
def reorder(ctx, args):
    """Facilitator. New order (every id once); broadcasts ``deroule:state``."""
    service.reorder(ctx.session, ctx.atelier, args.ids)
    emit_state(ctx)
    return {"ids": list(args.ids)}


def _go(ctx, **kw):
    act = service.go(ctx.session, ctx.atelier, events=ctx, **kw)
    data = emit_state(ctx, atelier_changed=True)
    return {"current_id": act.id, "seq": data["seq"]}


@event("deroule:next")
def next_activity(ctx, args):
    """Facilitator. Suivant; broadcasts ``atelier``, ``deroule:state`` and the
    new activity's own changes."""
    return _go(ctx, delta=1)


@event("deroule:prev")
def prev_activity(ctx, args):
    """Facilitator. Précédent; broadcasts like ``deroule:next``."""
    return _go(ctx, delta=-1)


@event("deroule:goto")
def goto(ctx, args):
    """Facilitator. Go to one activity; broadcasts like ``deroule:next``."""
    return _go(ctx, target_id=args.activity_id)


@event("deroule:overlay")
def overlay(ctx, args):
    """Facilitator. Blank the projector, show the join screen, or neither;
    broadcasts ``deroule:state``."""
    service.set_overlay(ctx.session, ctx.atelier, args.overlay)
    data = emit_state(ctx)
    return {"overlay": data["overlay"], "seq": data["seq"]}


@event("deroule:import")
def import_document(ctx, args):
    """Facilitator. Add the activities of a déroulé file; broadcasts ``deroule:state``."""
    created = service.import_document(
        ctx.session, ctx.atelier, args.document, replace=args.replace, events=ctx
    )
    emit_state(ctx)
    return {"created": len(created)}


@event("deroule:template:apply")
def apply_template(ctx, args):
    """Facilitator. Add a shipped modèle's activities; broadcasts ``deroule:state``."""
    created = service.import_document(
        ctx.session, ctx.atelier, modele(args.template), replace=args.replace, events=ctx
    )
    emit_state(ctx)
    return {"created": len(created)}


# ---------------------------------------------------------------- saved modèles


def _emit_modeles(ctx) -> list[dict]:
    ctx.session.flush()
    data = service.modeles_view(ctx.session, ctx.atelier)
    ctx.emit("deroule:modeles", {"modeles": data}, "facilitator")
    return data


@event("deroule:modele:save")
def save_modele(ctx, args):
    """Facilitator. Save this déroulé as a modèle of the instance; broadcasts
    ``deroule:modeles`` to the atelier's facilitators."""
    row, created = service.save_modele(ctx.session, ctx.atelier, args.name)
    return {"id": row.id, "created": created, "modeles": _emit_modeles(ctx)}


@event("deroule:modele:import")
def import_modele(ctx, args):
    """Facilitator. Bring a modèle kept in the browser to the server (once);
    broadcasts ``deroule:modeles`` to the atelier's facilitators."""
    row, created = service.import_modele(ctx.session, ctx.atelier, args.name, args.document)
    return {"id": row.id, "created": created, "modeles": _emit_modeles(ctx)}


@event("deroule:modele:delete")
def delete_modele(ctx, args):
    """Facilitator. Delete a saved modèle; broadcasts ``deroule:modeles`` to
    the atelier's facilitators."""
    gone = service.delete_modele(ctx.session, ctx.atelier, args.modele_id)
    return {"id": gone, "modeles": _emit_modeles(ctx)}


@event("deroule:modele:apply")
def apply_modele(ctx, args):
    """Facilitator. Add a saved modèle's activities; broadcasts ``deroule:state``."""
    row = service.get_modele(ctx.session, args.modele_id)
    created = service.import_document(
        ctx.session, ctx.atelier, row.document, replace=args.replace, events=ctx
    )
    emit_state(ctx)
    return {"created": len(created)}
