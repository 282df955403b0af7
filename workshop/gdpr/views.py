"""Facilitator routes: JSON export and deletion of an atelier."""

import datetime as dt
import json
import logging

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
)

from .. import documents
from ..ateliers.views import facilitator_atelier
from ..domain.errors import DomainError
from ..i18n import N_
from ..messages import message_for, register_messages
from ..realtime import broadcast, room
from ..web import check_csrf
from . import data, retention

log = logging.getLogger("workshop.gdpr")
bp = Blueprint("gdpr", __name__)

register_messages(
    {
        "confirm_mismatch": N_(
            "Pour confirmer la suppression, tapez exactement le code de l’atelier (%(atelier_code)s)."
        ),
        "atelier_deleted": N_("Cet atelier a été supprimé, avec toutes ses données."),
    }
)


def db():
    return current_app.extensions["workshop_db"]


def retention_info(atelier, today: dt.date | None = None) -> dict:
    """Purge date and whether the console must warn (used by the card)."""
    today = today or dt.date.today()
    months = current_app.config.get("RETENTION_MONTHS", 12)
    ref = retention.reference_date(atelier.date, atelier.created_at)
    return {
        "months": months,
        "purge_date": retention.purge_date(ref, months),
        "days_left": retention.days_left(ref, months, today),
        "warn": retention.should_warn(ref, months, today),
    }


# What the console's export list says for each route (never the raw route).
EXPORT_LABELS = {
    "report.report": N_("Compte rendu de l’atelier (Markdown, PDF, Word)"),
    "deroule.export": N_("Déroulé de l’atelier (fichier à importer ailleurs)"),
}


def register_export_label(endpoint: str, label: str) -> None:
    """A capability names its console export (``N_`` text) for the list."""
    EXPORT_LABELS[endpoint] = label


def other_exports(code: str, secret: str) -> list[dict]:
    """The GET routes of the other capabilities under the console URL, each
    with a readable label (a route without one shows its file name)."""
    from flask_babel import gettext

    prefix = "/a/<code>/console/<secret>/"
    found = []
    for rule in current_app.url_map.iter_rules():
        if (
            rule.rule.startswith(prefix)
            and "GET" in (rule.methods or ())
            and set(rule.arguments) <= {"code", "secret"}
            and not rule.endpoint.startswith("gdpr.")
        ):
            path = rule.rule[len(prefix) :]
            label = EXPORT_LABELS.get(rule.endpoint)
            found.append(
                {
                    "label": gettext(label) if label else path.rsplit("/", 1)[-1],
                    "url": rule.rule.replace("<code>", code).replace("<secret>", secret),
                }
            )
    return sorted(found, key=lambda x: x["label"])


@bp.app_template_global("gdpr_card")
def gdpr_card(atelier, secret):
    return {
        "retention": retention_info(atelier),
        "exports": other_exports(atelier.code, secret),
    }


@bp.get("/a/<code>/console/<secret>/data.json")
def export_json(code, secret):
    """Every row of the atelier, table by table (secrets and tokens left out)."""
    with db().session() as s:
        atelier = facilitator_atelier(s, code, secret)
        atelier_id, atelier_code = atelier.id, atelier.code
    with db().engine.connect() as conn:
        body = data.export(conn, atelier_id)
    return Response(
        json.dumps(body, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={
            "Content-Disposition": documents.content_disposition(
                documents.export_filename("atelier", atelier_code, "donnees", ext="json")
            ),
            "Cache-Control": "no-store",
        },
    )


@bp.post("/a/<code>/console/<secret>/delete")
def delete(code, secret):
    """Delete the atelier and all its data.

    Form (console button: CSRF token + ``confirm``) or JSON
    ``{"confirm": "<code>"}`` (``Content-Type: application/json``).
    """
    as_json = request.is_json
    if as_json:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            raise DomainError("invalid_payload")
        confirm = payload.get("confirm")
    else:
        check_csrf()
        confirm = request.form.get("confirm")
    with db().session() as s:
        atelier = facilitator_atelier(s, code, secret)
        atelier_id, atelier_code, locale = atelier.id, atelier.code, atelier.locale
    typed = confirm.strip().upper() if isinstance(confirm, str) else ""
    if typed != atelier_code:
        raise DomainError("confirm_mismatch", atelier_code=atelier_code)
    with db().engine.begin() as conn:
        counts = data.delete_atelier(conn, atelier_id)
    db().erase_traces()  # no copy left in SQLite's write-ahead log
    log.info("atelier %s deleted by its facilitator: %s", atelier_code, counts)
    # Every open page of the atelier stops and says why.
    broadcast(
        atelier_id,
        [
            (
                "removed",
                {"message": message_for("atelier_deleted", locale=locale)},
                (room(atelier_id, "all"),),
            )
        ],
    )
    if as_json:
        return jsonify({"ok": True, "deleted": counts})
    return render_template("gdpr/deleted.html", code=atelier_code)
