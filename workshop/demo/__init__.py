"""The demo atelier: "Structurer les coopérations – Mulhouse (démo)".

Built from the Mulhouse example data copied in ``workshop/demo/mulhouse``.
Running it again does not duplicate anything: each capability's loader is
idempotent. The console secret is derived from the app's ``SECRET_KEY`` so
that the printed links stay the same from one run to the next.
"""

import datetime as dt

from sqlalchemy import select

from ..ateliers import service
from ..domain.codes import derived_secret, hash_secret
from ..models import Atelier

DEMO_TITLE = "Structurer les coopérations – Mulhouse (démo)"
DEMO_CODE = "MUHS26"


def ensure_demo(app) -> tuple[str, str]:
    """Create or refresh the demo atelier; return ``(code, console secret)``."""
    secret = derived_secret(app.config["SECRET_KEY"], "demo-console")
    database = app.extensions["workshop_db"]
    with database.session() as s:
        atelier = s.scalar(select(Atelier).where(Atelier.title == DEMO_TITLE))
        if atelier is None:
            code = DEMO_CODE
            if s.scalar(select(Atelier.id).where(Atelier.code == code)) is not None:
                code = None
            atelier, _ = service.create_atelier(
                s,
                {
                    "title": DEMO_TITLE,
                    "date": dt.date.today(),
                    "place": "Mulhouse",
                    "allow_anonymous": True,
                },
                secret=secret,
                code=code,
            )
        atelier.console_secret_hash = hash_secret(secret)
        for cap in app.extensions["workshop_capabilities"]:
            if cap.demo:
                cap.demo(s, atelier)
        return atelier.code, secret
