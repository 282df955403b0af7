"""HTTP routes of the co-développement: the porteur's summary downloads.

* Console: ``GET /a/<code>/console/<secret>/codev/<group_id>/summary.<fmt>``.
* Phone: ``GET /a/<code>/codev/summary.<fmt>`` with the device token in the
  ``X-Workshop-Token`` header (the porteur's or secretary's own group); the
  phone fetches it and saves the Blob.

``fmt``: ``md``, ``html`` (printable) or ``pdf``.
"""

from flask import Blueprint, Response, current_app, g, render_template, request

from .. import documents
from ..ateliers import service as atelier_service
from ..ateliers.views import facilitator_atelier
from ..domain.errors import DomainError
from ..web import api_errors
from . import service, summary

bp = Blueprint("codev", __name__)
FORMATS = ("md", "html", "pdf")


def _db():
    return current_app.extensions["workshop_db"]


def _render(data: dict, fmt: str, lang: str) -> Response:
    """The summary in the atelier's language ``lang`` (the HTML page reads
    it from the request, whose language is the atelier's)."""
    name = summary.filename(data, fmt)
    if fmt == "md":
        body, mime = summary.to_markdown(data, lang), "text/markdown; charset=utf-8"
    elif fmt == "html":
        body, mime = render_template("codev/summary.html", s=data), "text/html; charset=utf-8"
    else:
        body, mime = summary.to_pdf(data, lang), "application/pdf"
    return Response(
        body,
        mimetype=mime,
        headers={
            "Content-Disposition": documents.content_disposition(name, inline=fmt == "html"),
            "Cache-Control": "no-store",
        },
    )


@bp.get("/a/<code>/console/<secret>/codev/<int:group_id>/summary.<fmt>")
@api_errors
def console_summary(code, secret, group_id, fmt):
    if fmt not in FORMATS:
        raise DomainError("invalid_payload")
    with _db().session() as s:
        atelier = facilitator_atelier(s, code, secret)
        g.atelier_locale = atelier.locale
        group = service.get_group(s, atelier, group_id)
        data = service.summary(s, atelier, group)
    return _render(data, fmt, g.atelier_locale)


@bp.get("/a/<code>/codev/summary.<fmt>")
@api_errors
def participant_summary(code, fmt):
    if fmt not in FORMATS:
        raise DomainError("invalid_payload")
    with _db().session() as s:
        atelier = atelier_service.get_atelier(s, code)
        g.atelier_locale = atelier.locale
        p = atelier_service.authenticate_participant(
            s, atelier, request.headers.get("X-Workshop-Token")
        )
        m = service.membership(s, atelier, p.id)
        if m is None:
            raise DomainError("codev_not_member")
        if m.role not in ("porteur", "secretaire"):
            raise DomainError("codev_summary_porteur")
        group = service.get_group(s, atelier, m.group_id)
        data = service.summary(s, atelier, group)
    return _render(data, fmt, g.atelier_locale)
