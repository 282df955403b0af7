"""The retention purge: delete the ateliers whose retention period is over.

``workshop purge`` runs it (safe from cron: running it twice deletes nothing
more; ``--dry-run`` only lists). Each deletion removes every row of the
atelier (see :mod:`workshop.gdpr.data`) and is logged.
"""

import datetime as dt
import logging

from sqlalchemy import select

from .gdpr import data, retention
from .models import Atelier

log = logging.getLogger("workshop.purge")


def due(session, months: int, today: dt.date) -> list[Atelier]:
    """The ateliers whose purge date has come, oldest first."""
    found = []
    for atelier in session.scalars(select(Atelier).order_by(Atelier.id)):
        ref = retention.reference_date(atelier.date, atelier.created_at)
        if retention.is_due(ref, months, today):
            found.append(atelier)
    return found


def purge(database, months: int, *, today: dt.date | None = None, dry_run: bool = False):
    """Delete (or list, with ``dry_run``) the due ateliers; return a report per atelier."""
    today = today or dt.date.today()
    report = []
    with database.session() as s:
        targets = [
            {
                "id": a.id,
                "code": a.code,
                "title": a.title,
                "reference": retention.reference_date(a.date, a.created_at).isoformat(),
            }
            for a in due(s, months, today)
        ]
    for item in targets:
        if dry_run:
            log.info(
                "purge (dry run): would delete atelier %s (%s)", item["code"], item["reference"]
            )
            report.append({**item, "deleted": None})
            continue
        with database.engine.begin() as conn:
            counts = data.delete_atelier(conn, item["id"])
        database.erase_traces()  # no copy left in SQLite's write-ahead log
        log.info(
            "purge: deleted atelier %s (%s): %s",
            item["code"],
            item["reference"],
            ", ".join(f"{t}={n}" for t, n in sorted(counts.items())),
        )
        report.append({**item, "deleted": counts})
    return report
