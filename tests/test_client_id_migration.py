"""The one client-id rule: codev items stored under the old, looser rule
("any 1 to 64 characters") get a deterministic id that follows it
(migration 0006_codev_client_ids), and the live paths use that rule."""

import datetime as dt
import hashlib

import sqlalchemy as sa

from workshop.domain.contracts import CLIENT_ID_PATTERN


def _fill(conn, table: sa.Table, **values):
    """Insert a row giving every NOT NULL column without default a value."""
    row = dict(values)
    for col in table.columns:
        if col.name in row or col.nullable or col.primary_key or col.server_default is not None:
            continue
        t = col.type
        if isinstance(t, sa.Boolean):
            row[col.name] = False
        elif isinstance(t, sa.Integer):
            row[col.name] = 0
        elif isinstance(t, sa.DateTime):
            row[col.name] = dt.datetime(2026, 1, 1)
        elif isinstance(t, sa.Date):
            row[col.name] = dt.date(2026, 1, 1)
        elif isinstance(t, sa.JSON):
            row[col.name] = []
        else:
            row[col.name] = "x"
    return conn.execute(table.insert().values(**row)).inserted_primary_key[0]


def test_codev_client_ids_follow_the_one_rule_after_the_migration(fresh_db_url):
    db_url = fresh_db_url
    from workshop.migrate import upgrade

    upgrade(db_url, "0003_codev")  # the schema before the rule changed
    engine = sa.create_engine(db_url)
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    old_ids = ["c-1", "é" * 10, "with space", "x" * 64, "abcdefgh-ok", None, "a/b\\c"]
    with engine.begin() as conn:
        aid = _fill(conn, meta.tables["atelier"], code="MIGR01")
        other = _fill(conn, meta.tables["atelier"], code="MIGR02")
        gid = _fill(conn, meta.tables["codev_group"], atelier_id=aid, durations_ms=[60_000])
        gid2 = _fill(conn, meta.tables["codev_group"], atelier_id=other, durations_ms=[60_000])
        ids = {}
        for cid in old_ids:
            ids[cid] = _fill(
                conn, meta.tables["codev_item"], atelier_id=aid, group_id=gid, client_id=cid
            )
        # the same loose id in another atelier maps to the same new id there
        same = _fill(
            conn, meta.tables["codev_item"], atelier_id=other, group_id=gid2, client_id="c-1"
        )
        # a valid id that happens to be what "c-2" maps to is kept, and "c-2" moves aside
        taken = "legacy-" + hashlib.sha256(b"c-2").hexdigest()[:32]
        _fill(conn, meta.tables["codev_item"], atelier_id=aid, group_id=gid, client_id=taken)
        clash = _fill(
            conn, meta.tables["codev_item"], atelier_id=aid, group_id=gid, client_id="c-2"
        )
    upgrade(db_url)
    item = meta.tables["codev_item"]
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.select(item.c.id, item.c.client_id)).all())
    engine.dispose()
    for cid, row_id in ids.items():
        new = stored[row_id]
        if cid is None:
            assert new is None
        elif CLIENT_ID_PATTERN.match(cid):
            assert new == cid  # already valid: unchanged
        else:
            assert new == "legacy-" + hashlib.sha256(cid.encode()).hexdigest()[:32]
    assert stored[same] == stored[ids["c-1"]]
    assert stored[clash] == f"{taken}-{clash}"
    assert all(v is None or CLIENT_ID_PATTERN.match(v) for v in stored.values())
    assert len({(v) for v in stored.values() if v}) == len([v for v in stored.values() if v]) - 1
