"""HTTP routes of the live map: the drawings for the projector, the
facilitator's exports and the import of an existing map."""

import io
import re
import tempfile
import zipfile
from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, request

import maps

from .. import documents
from ..ateliers import service as ateliers
from ..ateliers.views import facilitator_atelier
from ..concurrency import run_blocking
from ..domain.errors import DomainError
from ..messages import error_payload
from ..web import friendly_error
from . import render, service

bp = Blueprint("livemap", __name__)

IMAGE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
EXPORT_TYPES = {
    "png": ("image/png", "png"),
    "svg": ("image/svg+xml", "svg"),
    "pdf": ("application/pdf", "pdf"),
    "gexf": ("application/xml", "gexf"),
    "graphml": ("application/xml", "graphml"),
    "json": ("application/json", "json"),
    "kumu": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "workbook": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("application/zip", "zip"),
}
MAX_IMPORT_FILES = 8


def db():
    return current_app.extensions["workshop_db"]


def map_drawing(s, atelier, view: str, fmt: str, highlight_id=None, aspect=None) -> bytes:
    """The validated map drawn in ``view`` (stage or network), cached per
    version; with ``aspect``, drawn for a projector of that shape."""
    st = service.get_settings(s, atelier)
    key = None
    if highlight_id:
        from .models import LivemapActor

        actor = s.get(LivemapActor, highlight_id)
        key = actor.key if actor is not None and actor.atelier_id == atelier.id else None
    return render.drawing(
        atelier.id,
        st.version,
        view,
        key,
        fmt,
        lambda: service.build_actor_map(s, atelier),
        atelier.title,
        atelier.date,
        aspect=aspect,
        lang=atelier.locale,
    )


@bp.get("/a/<code>/livemap/map.<fmt>")
def projector_image(code, fmt):
    """The validated map as drawn on the projector: ``?view=stage|network``,
    ``ar`` the shape (width / height) of the room the page has for it (a
    drawing for the screen; without, the export's figure); the current
    highlight is applied; ``v`` (the map version) only busts caches."""
    if fmt not in IMAGE_TYPES:
        return friendly_error("livemap_export_format", 404)
    view = request.args.get("view", "stage")
    if view not in render.VIEW_LAYOUTS:
        return friendly_error("livemap_invalid_view", 404)
    with db().session() as s:
        atelier = ateliers.find_atelier(s, code)
        if atelier is None:
            return friendly_error("atelier_not_found", 404)
        st = service.get_settings(s, atelier)
        aspect = render.screen_aspect(request.args.get("ar"))
        data = map_drawing(s, atelier, view, fmt, st.highlight_id, aspect)
        version = st.version
    fresh = request.args.get("v") == str(version)
    headers = {"Cache-Control": "private, max-age=3600" if fresh else "no-cache"}
    return Response(data, mimetype=IMAGE_TYPES[fmt], headers=headers)


def _filename(atelier, ext: str, suffix: str = "") -> str:
    return documents.export_filename("carte", atelier.title, suffix, ext=ext)


@bp.get("/a/<code>/console/<secret>/livemap/export.<fmt>")
def export(code, secret, fmt):
    """Every format of ``maps``: png, svg, pdf (``?view=stage|network``),
    gexf, graphml, json, kumu (xlsx), workbook (xlsx, input format), csv (zip)."""
    if fmt not in EXPORT_TYPES:
        return friendly_error("livemap_export_format", 404)
    view = request.args.get("view", "stage")
    if view not in render.VIEW_LAYOUTS:
        return friendly_error("livemap_invalid_view", 404)
    with db().session() as s:
        atelier = facilitator_atelier(s, code, secret)
        if fmt in ("png", "svg"):
            data = map_drawing(s, atelier, view, fmt)
        else:
            m = service.build_actor_map(s, atelier)
            if m is None:
                raise DomainError("livemap_empty")
            data = run_blocking(
                export_bytes,
                m,
                fmt,
                view=view,
                title=atelier.title,
                date=atelier.date,
                lang=atelier.locale,
            )
        mimetype, ext = EXPORT_TYPES[fmt]
        suffix = view if fmt in ("png", "svg", "pdf") else ""
        if fmt == "workbook":
            suffix = "classeur"
        filename = _filename(atelier, ext, suffix)
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": documents.content_disposition(filename),
            "Cache-Control": "no-store",
        },
    )


def export_bytes(m, fmt: str, *, view="stage", title=None, date=None, lang="fr") -> bytes:
    """Export ``m`` with ``maps.export`` into memory."""
    with tempfile.TemporaryDirectory() as tmp:
        if fmt == "csv":
            folder = Path(tmp) / "carte"
            maps.export(m, folder, format="csv")
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for f in sorted(folder.iterdir()):
                    z.write(f, f"carte/{f.name}")
            return buf.getvalue()
        path = Path(tmp) / ("carte" + (maps.EXPORT_FORMATS[fmt] or ""))
        maps.export(
            m,
            path,
            format=fmt,
            layout=render.VIEW_LAYOUTS[view],
            title=title,
            date=date,
            lang=lang,
        )
        return path.read_bytes()


@bp.post("/a/<code>/console/<secret>/livemap/import")
def import_map(code, secret):
    """Import a map (several CSV files at once, or one XLSX workbook) into the
    atelier's live map; answers JSON ``{"ok", "counts"}`` or an error with the
    message of ``maps`` (file, row, value)."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    g.json_errors = True  # refusals answered as JSON, with the one status mapping
    locale = "fr"
    try:
        with db().session() as s:
            atelier = facilitator_atelier(s, code, secret)
            locale = g.atelier_locale = atelier.locale
            if not files or len(files) > MAX_IMPORT_FILES:
                raise DomainError("livemap_import_files")
            m = _read_uploaded(files)
            service.next_seq(s, atelier)
            counts = service.import_map(s, atelier, m)
            atelier_id = atelier.id
    except maps.MapInputError as err:
        body = error_payload("livemap_import_error", locale, detail=err.text(locale))
        body["detail"] = err.text(locale)
        return jsonify(body), 400
    from .events import broadcast_all

    broadcast_all(db(), atelier_id)
    return jsonify({"ok": True, "counts": counts, "warnings": [w.text(locale) for w in m.warnings]})


def _read_uploaded(files) -> maps.ActorMap:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "import"
        folder.mkdir()
        names = []
        for f in files:
            name = Path(f.filename.replace("\\", "/")).name
            ext = Path(name).suffix.lower()
            if ext not in (".csv", ".xlsx") or not re.match(r"^[\w .()-]{1,80}$", name):
                raise DomainError("livemap_import_files")
            f.save(folder / name)
            names.append(name)
        xlsx = [n for n in names if n.lower().endswith(".xlsx")]
        if xlsx:
            if len(names) != 1:
                raise DomainError("livemap_import_files")
            return maps.read_map(folder / xlsx[0])
        return maps.read_map(folder)
