"""HTTP routes of the déroulé: export file, copy of an atelier, room screens."""

import json

from flask import Blueprint, Response, current_app, g, redirect, render_template, url_for

from .. import documents
from ..ateliers import service as ateliers
from ..ateliers.views import facilitator_atelier, used_capabilities
from ..web import check_csrf, friendly_error, public_base_url
from . import service

bp = Blueprint("deroule", __name__)


def db():
    return current_app.extensions["workshop_db"]


@bp.get("/a/<code>/console/<secret>/deroule.json")
def export(code, secret):
    """The déroulé as a file (documented in docs/deroule-format.md)."""
    with db().session(write=False) as s:
        atelier = facilitator_atelier(s, code, secret)
        doc = service.export_document(s, atelier)
        name = documents.export_filename("deroule", atelier.title, ext="json")
    return Response(
        json.dumps(doc, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={
            "Content-Disposition": documents.content_disposition(name),
            "Cache-Control": "no-store",
        },
    )


@bp.post("/a/<code>/console/<secret>/copy")
def copy(code, secret):
    """A new atelier with the same settings and déroulé, without any
    contribution; redirects to the new atelier's console."""
    with db().session() as s:
        atelier = facilitator_atelier(s, code, secret)  # 403 before anything else
        check_csrf()
        new, new_secret = service.copy_atelier(s, atelier)
        new_code = new.code
    return redirect(url_for("ateliers.console", code=new_code, secret=new_secret, new=1))


@bp.get("/s/<code>/<int:n>")
def room_screen(code, n):
    """The screen of one room: the projection of the n-th group of the
    current (or first) co-développement activity, from a short address."""
    with db().session(write=False) as s:
        atelier = ateliers.find_atelier(s, code)
        if atelier is None:
            return friendly_error("atelier_not_found", 404)
        g.atelier_locale = atelier.locale
        group_id = service.room_group(s, atelier, n)
        if group_id is None:
            return friendly_error("deroule_no_such_room", 404, n=n)
        base = public_base_url()
        return render_template(
            "projection.html",
            atelier=atelier,
            short_join_url=f"{base.split('://', 1)[1]}/j",
            join_url=f"{base}/j/{atelier.code}",
            room_group=group_id,
            loaded_caps=used_capabilities(s, atelier),
        )


# ---------------------------------------------------------------- page helpers


@bp.app_template_global("deroule_types")
def deroule_types():
    from ..domain.deroule import ACTIVITY_TYPES

    return list(ACTIVITY_TYPES.values())


@bp.app_template_global("deroule_console_panels")
def deroule_console_panels():
    """Capabilities whose console panel belongs to an activity (shown with
    the selected activity); the others go to « Compte rendu et données »."""
    return {t.console_panel for t in deroule_types()}


@bp.app_template_global("deroule_modeles")
def deroule_modeles():
    from .modeles import MODELES

    return [(key, label) for key, (label, _doc) in MODELES.items()]


@bp.app_template_global("deroule_type_labels")
def deroule_type_labels():
    from flask_babel import gettext

    return {t.key: gettext(t.label) for t in deroule_types()}
