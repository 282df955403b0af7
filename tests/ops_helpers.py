"""Helpers for the operations tests (GDPR, access, scale-out)."""

import datetime as dt
import json

import sqlalchemy as sa


def all_rows(engine) -> dict[str, set]:
    """Every row of every table (but Alembic's), as sets of JSON strings."""
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    out = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            out[table.name] = {
                json.dumps(dict(r), default=str, sort_keys=True)
                for r in conn.execute(sa.select(table)).mappings()
            }
    return out


def fill_atelier(app, title: str, *, participants=("Awa", "Bruno", "")) -> tuple[int, str, str]:
    """An atelier with the demo data of every capability and a few participants.

    Returns ``(atelier id, code, console secret)``.
    """
    from workshop.ateliers import service

    database = app.extensions["workshop_db"]
    with app.app_context(), database.session() as s:
        atelier, secret = service.create_atelier(
            s, {"title": title, "date": dt.date.today(), "allow_anonymous": True}
        )
        for cap in app.extensions["workshop_capabilities"]:
            if cap.demo:
                cap.demo(s, atelier)
        for name in participants:
            service.join(s, atelier, name)
        return atelier.id, atelier.code, secret
