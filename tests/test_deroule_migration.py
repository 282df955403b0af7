"""The déroulé migration on a database filled before it existed (SQLite and
PostgreSQL): existing prompts, codev groups and live maps become activities,
in creation order, and every existing row is kept as it was."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workshop.migrate import upgrade


def before_revisions():
    """Every head of the other branches (the schema of today's code without
    the déroulé): the heads, with 0006_deroule replaced by its parents."""
    from alembic.script import ScriptDirectory

    from workshop.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    heads = set(script.get_heads())
    deroule = script.get_revision("0006_deroule")
    descendants = {r.revision for r in script.iterate_revisions(tuple(heads), "0006_deroule")}
    keep = {h for h in heads if h not in descendants and h != "0006_deroule"}
    for parent in deroule.down_revision:
        # a parent still has its own later revisions on its branch: take that head
        if not any(
            parent in {x.revision for x in script.iterate_revisions(h, "base")} for h in keep
        ):
            keep.add(parent)
    return sorted(keep)


BEFORE = before_revisions()


def rows(engine, skip=("deroule_activity", "deroule_state", "alembic_version")):
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    out = {}
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            if name in skip:
                continue
            out[name] = sorted(
                tuple(sorted((k, repr(v)) for k, v in r.items()))
                for r in conn.execute(sa.select(table)).mappings()
            )
    return out


def fill(engine):
    """Two ateliers made with the services of the code before the déroulé."""
    from workshop.ateliers import service as ateliers
    from workshop.board import service as board
    from workshop.board.models import BoardNote
    from workshop.codev import service as codev
    from workshop.livemap.models import LivemapActor, LivemapSettings

    t0 = dt.datetime(2026, 3, 1, 9, 0)
    with Session(engine) as s:
        a, _ = ateliers.create_atelier(s, {"title": "Portrait croisé"})
        p1 = board.create_prompt(s, a, text="Les principaux besoins ?")
        p1.created_at = t0
        g = codev.create_group(s, a, name="Bleu", room="Salle Chardon", colour="bleu")
        g.created_at = t0 + dt.timedelta(minutes=5)
        g2 = codev.create_group(s, a, name="Rouge", room="Salle Myrtilles", colour="rouge")
        g2.created_at = t0 + dt.timedelta(minutes=6)
        p2 = board.create_prompt(s, a, text="La portée transformatrice ?")
        p2.created_at = t0 + dt.timedelta(minutes=10)
        p2.vote_status = "closed"
        s.add(
            BoardNote(
                atelier_id=a.id,
                prompt_id=p2.id,
                client_id="note-mig-0001",
                text="Redonner confiance",
                colour="jaune",
                status="visible",
            )
        )
        s.add(LivemapSettings(atelier_id=a.id, open=True, view="network", version=1, seq=0))
        s.add(
            LivemapActor(
                atelier_id=a.id,
                key="udcsc",
                name="UDCSC 68",
                kind="reseau",
                territory="",
                extra="{}",
                status="validated",
                version=1,
                created_at=t0 + dt.timedelta(minutes=20),
            )
        )
        empty, _ = ateliers.create_atelier(s, {"title": "Rien encore"})
        s.commit()
        return a.id, empty.id, (p1.id, p2.id), (g.id, g2.id)


def test_existing_ateliers_get_their_deroule(fresh_db_url):
    db_url = fresh_db_url
    engine = sa.create_engine(db_url)
    try:
        for rev in BEFORE:
            upgrade(db_url, rev)
        assert "deroule_activity" not in sa.inspect(engine).get_table_names()
        aid, empty_id, (p1, p2), (g1, g2) = fill(engine)
        before = rows(engine)
        upgrade(db_url, "heads")
        after = rows(engine)
        # every existing row kept as it was (other branches may add their own tables)
        assert {t: after.get(t) for t in before} == before
        with engine.connect() as conn:
            acts = conn.execute(
                sa.text(
                    "SELECT type, title, settings, ref, position FROM deroule_activity "
                    "WHERE atelier_id = :a ORDER BY position"
                ),
                {"a": aid},
            ).all()
            states = conn.execute(
                sa.text(
                    "SELECT atelier_id, current_id, overlay FROM deroule_state ORDER BY atelier_id"
                )
            ).all()
            empty = conn.execute(
                sa.text("SELECT type FROM deroule_activity WHERE atelier_id = :a"), {"a": empty_id}
            ).all()
        import json

        def js(v):
            return json.loads(v) if isinstance(v, str) else v

        assert [a.type for a in acts] == ["welcome", "question", "codev", "question", "vote", "map"]
        assert [a.position for a in acts] == list(range(6))
        assert js(acts[1].ref) == {"prompt_id": p1}
        assert js(acts[2].ref) == {"group_ids": [g1, g2]}
        assert [x["room"] for x in js(acts[2].settings)["groups"]] == [
            "Salle Chardon",
            "Salle Myrtilles",
        ]
        assert js(acts[3].ref) == {"prompt_id": p2}
        assert js(acts[5].settings) == {"view": "network"}
        assert [s.current_id for s in states] == [None, None]  # nothing current: old scenes stay
        assert [e.type for e in empty] == ["welcome"]
    finally:
        engine.dispose()


def test_migrated_deroule_runs(fresh_db_url, tmp_path):
    db_url = fresh_db_url
    """The migrated activities work with today's service (settings valid)."""
    engine = sa.create_engine(db_url)
    try:
        for rev in BEFORE:
            upgrade(db_url, rev)
        aid, *_ = fill(engine)
    finally:
        engine.dispose()
    from workshop import create_app
    from workshop.deroule import service
    from workshop.domain.deroule import activity_type
    from workshop.models import Atelier

    app = create_app({"INSTANCE_PATH": tmp_path / "i", "DATABASE_URL": db_url, "SECRET_KEY": "x"})
    with app.extensions["workshop_db"].session() as s:
        a = s.get(Atelier, aid)
        for act in service.activities(s, a):
            activity_type(act.type).parse_settings(act.settings)
            service.go(s, a, target_id=act.id)
        assert service.view(s, a)["activities"][-1]["open"] is True  # the map is open
    app.extensions["workshop_db"].dispose()
