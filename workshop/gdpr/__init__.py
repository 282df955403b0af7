"""Data and privacy: export of an atelier's data, its deletion, retention.

A console card ("Données et confidentialité") with the full JSON export,
links to the other exports, the retention date and the deletion of the
atelier (confirmed by typing its code). See :mod:`workshop.gdpr.data` for how
the rows of an atelier are found, and :mod:`workshop.purge` for the purge.
"""

from ..capabilities import Capability
from .views import bp


def _setup(app):
    @app.context_processor
    def privacy_settings():
        return {
            "retention_months": app.config.get("RETENTION_MONTHS", 12),
            "privacy_contact": app.config.get("PRIVACY_CONTACT"),
        }


CAPABILITY = Capability(
    name="gdpr",
    blueprint=bp,
    console_template="gdpr/console.html",
    setup=_setup,
)
