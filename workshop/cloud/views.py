"""HTTP routes of the word cloud: the facilitator's exports."""

from flask import Blueprint, Response, current_app, g, request
from flask_babel import gettext

from .. import documents
from ..ateliers.views import facilitator_atelier
from ..concurrency import run_blocking
from ..i18n import texts
from ..web import friendly_error
from . import exports

bp = Blueprint("cloud", __name__)

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
}


@bp.get("/a/<code>/console/<secret>/cloud/export.<fmt>")
def export(code, secret, fmt):
    """Every cloud of the atelier (CSV, XLSX), or one with ``?activity=<id>``;
    PNG: the image of one cloud (the first without ``?activity``)."""
    if fmt not in MIMETYPES:
        return friendly_error("cloud_export_format", 404)
    raw = request.args.get("activity")
    try:
        activity_id = int(raw) if raw else None
    except ValueError:
        return friendly_error("cloud_not_found", 404)
    database = current_app.extensions["workshop_db"]
    with database.session(write=False) as s:
        atelier = facilitator_atelier(s, code, secret)
        g.atelier_locale = atelier.locale
        clouds = exports.collect(s, atelier, activity_id)
        code_ = atelier.code
    label = f"nuage-{activity_id}" if activity_id else "nuages"
    if fmt == "csv":
        body = exports.to_csv(clouds, gettext)
    elif fmt == "xlsx":
        body = exports.to_xlsx(clouds, gettext)
    else:
        if not clouds:
            return friendly_error("cloud_not_found", 404)
        lay = clouds[0]["layout"]
        body = run_blocking(
            exports.to_png, lay, others_label=exports.others_text(lay, texts(g.atelier_locale))
        )
        label = f"nuage-{clouds[0]['id']}"
    headers = {
        "Cache-Control": "no-store",
        "Content-Disposition": documents.content_disposition(
            documents.export_filename(label, code_, ext=fmt)
        ),
    }
    return Response(body, mimetype=MIMETYPES[fmt], headers=headers)
