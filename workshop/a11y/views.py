"""HTTP route of the accessibility statement."""

import datetime as dt

from flask import Blueprint, current_app, render_template
from flask_babel import format_date

bp = Blueprint("a11y", __name__)

# Date of the last check of the statement against the app (axe-core run,
# keyboard tests, manual review): update it with the statement.
CHECKED_ON = dt.date(2026, 12, 2)
AXE_VERSION = "4.14.1"
# Conformity state, as the statement and every page's footer say it.
CONFORMITY = "non"  # "totale", "partielle" or "non" (no complete audit yet)


@bp.get("/accessibilite")
def declaration():
    """The déclaration d’accessibilité (public)."""
    contact = current_app.config.get("ACCESSIBILITY_CONTACT")
    kind = None
    if contact:
        kind = "mail" if "@" in contact and "://" not in contact else "url"
        if kind == "url" and not contact.startswith(("https://", "http://")):
            kind = "text"
    return render_template(
        "a11y/declaration.html",
        entity=current_app.config.get("ACCESSIBILITY_ENTITY"),
        contact=contact,
        contact_kind=kind,
        checked_on=format_date(CHECKED_ON, "long"),
        axe_version=AXE_VERSION,
    )
