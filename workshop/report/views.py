"""HTTP route of the compte rendu (facilitator only)."""

from flask import Blueprint, Response, current_app, g, request

from .. import documents
from ..ateliers.views import facilitator_atelier
from ..web import friendly_error
from . import build, render

bp = Blueprint("report", __name__)

MIMETYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}


def report_bytes(s, atelier, fmt: str, *, names: bool = False) -> bytes:
    """The compte rendu in ``fmt``, in the atelier's language."""
    data = build.gather(s, atelier, names=names)
    blocks, lang = build.document(data), data["lang"]
    if fmt == "md":
        return render.to_markdown(blocks, lang).encode("utf-8")
    if fmt == "html":
        return render.to_html(blocks, lang=lang).encode("utf-8")
    if fmt == "pdf":
        return render.to_pdf(blocks, lang)
    if fmt == "docx":
        return render.to_docx(blocks, lang)
    return render.to_zip(blocks, basename(atelier), lang)


def basename(atelier) -> str:
    """``compte-rendu-<titre>`` (``report-<title>`` for an English atelier)."""
    kind = "report" if atelier.locale == "en" else "compte-rendu"
    return documents.export_basename(kind, documents.slug(atelier.title) or atelier.code)


@bp.get("/a/<code>/console/<secret>/report/compte-rendu")
def report(code, secret):
    """The compte rendu: ``?fmt=zip|md|html|pdf|docx``; ``names=1`` lists the
    participants' names (otherwise only their number)."""
    fmt = request.args.get("fmt", "zip")
    if fmt not in MIMETYPES:
        return friendly_error("report_format", 404)
    names = request.args.get("names") in ("1", "on", "true")
    database = current_app.extensions["workshop_db"]
    with database.session() as s:
        atelier = facilitator_atelier(s, code, secret)
        g.atelier_locale = atelier.locale
        data = report_bytes(s, atelier, fmt, names=names)
        filename = f"{basename(atelier)}.{fmt}"
    return Response(
        data,
        mimetype=MIMETYPES[fmt],
        headers={
            "Content-Disposition": documents.content_disposition(filename),
            "Cache-Control": "no-store",
        },
    )
