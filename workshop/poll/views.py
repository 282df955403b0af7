"""HTTP routes of the quick poll: the facilitator's exports."""

from flask import Blueprint, Response, current_app, g, request
from flask_babel import gettext

from .. import documents
from ..ateliers.views import facilitator_atelier
from ..web import friendly_error
from . import exports

bp = Blueprint("poll", __name__)

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/a/<code>/console/<secret>/poll/export.<fmt>")
def export(code, secret, fmt):
    """Every poll of the atelier with its results, or one with ``?poll=<id>``."""
    if fmt not in MIMETYPES:
        return friendly_error("poll_export_format", 404)
    raw = request.args.get("poll")
    try:
        poll_id = int(raw) if raw else None
    except ValueError:
        return friendly_error("poll_not_found", 404)
    database = current_app.extensions["workshop_db"]
    with database.session(write=False) as s:
        atelier = facilitator_atelier(s, code, secret)
        g.atelier_locale = atelier.locale
        polls = exports.collect(s, atelier, poll_id)
        code_ = atelier.code
    body = exports.to_csv(polls, gettext) if fmt == "csv" else exports.to_xlsx(polls, gettext)
    label = f"sondage-{poll_id}" if poll_id else "sondages"
    headers = {
        "Cache-Control": "no-store",
        "Content-Disposition": documents.content_disposition(
            documents.export_filename(label, code_, ext=fmt)
        ),
    }
    return Response(body, mimetype=MIMETYPES[fmt], headers=headers)
