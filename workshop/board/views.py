"""HTTP routes of the board: the facilitator's exports."""

from flask import Blueprint, Response, current_app, g, render_template, request
from flask_babel import gettext

from .. import documents
from ..ateliers.views import facilitator_atelier
from ..web import friendly_error
from . import exports

bp = Blueprint("board", __name__)

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


@bp.get("/a/<code>/console/<secret>/board/export.<fmt>")
def export(code, secret, fmt):
    """Export the whole atelier, or one prompt with ``?prompt=<id>``."""
    raw_prompt = request.args.get("prompt")
    try:
        prompt_id = int(raw_prompt) if raw_prompt else None
    except ValueError:
        return friendly_error("prompt_not_found", 404)
    if fmt not in MIMETYPES:
        return friendly_error("export_format", 404)
    database = current_app.extensions["workshop_db"]
    with database.session() as s:
        atelier = facilitator_atelier(s, code, secret)
        g.atelier_locale = atelier.locale
        rows = exports.collect(s, atelier, prompt_id, gettext)
        label = exports.prompt_label(s, atelier, prompt_id)
        groups = exports.grouped(rows, gettext)
        if fmt == "csv":
            body = exports.to_csv(rows, gettext)
        elif fmt == "xlsx":
            body = exports.to_xlsx(rows, gettext)
        elif fmt == "md":
            body = exports.to_markdown(atelier, groups, gettext)
        elif fmt == "pdf":
            body = exports.to_pdf(atelier, groups, gettext)
        else:
            body = render_template("board/synthesis.html", atelier=atelier, groups=groups)
        filename = documents.export_filename("post-it", atelier.code, label, ext=fmt)
    headers = {"Cache-Control": "no-store"}
    if fmt != "html":
        headers["Content-Disposition"] = documents.content_disposition(filename)
    return Response(body, mimetype=MIMETYPES[fmt], headers=headers)
