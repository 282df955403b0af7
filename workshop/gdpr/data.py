"""Every row that belongs to an atelier, found generically by reflection.

The tables are read from the database itself (``MetaData.reflect``), so the
tables of every capability, present or added later, are covered without
listing them here. A row belongs to the atelier when it is the atelier's row,
or when one of its foreign keys points to a row that belongs to it (its
participants, their notes, the votes on those notes, and so on).

Used by the export (``data.json``), by the deletion of an atelier and by
the retention purge. No Flask here.
"""

import base64
import datetime as dt
import decimal
import uuid

from sqlalchemy import MetaData, delete, or_, select
from sqlalchemy.engine import Connection

# Not an atelier's rows: the saved modèles belong to the installation (a
# déroulé, no contribution, no participant). Deleting the atelier that saved
# one leaves it to every console (its foreign key is set to NULL).
SKIP_TABLES = {"alembic_version", "deroule_modele"}
# Columns never exported: what authenticates (hashes of secrets and tokens).
REDACTED_MARKERS = ("secret", "token", "password", "_hash")
CHUNK = 500


def reflect(conn: Connection) -> MetaData:
    meta = MetaData()
    meta.reflect(bind=conn)
    for name in list(meta.tables):
        if name in SKIP_TABLES:
            meta.remove(meta.tables[name])
    return meta


def _links(meta: MetaData):
    """(child table, child column, parent table, parent column) for each FK."""
    for table in meta.sorted_tables:
        for fk in table.foreign_keys:
            yield table, fk.parent, fk.column.table, fk.column


def _chunks(values: list, n: int = CHUNK):
    for i in range(0, len(values), n):
        yield values[i : i + n]


def _key(table, row) -> tuple:
    pk = list(table.primary_key.columns)
    if pk:
        return tuple(row[c.name] for c in pk)
    return tuple(row.values())


def collect(conn: Connection, atelier_id: int, meta: MetaData | None = None) -> dict:
    """``{table name: [row dicts]}`` of every row belonging to the atelier."""
    meta = meta or reflect(conn)
    atelier = meta.tables["atelier"]
    rows: dict[str, dict[tuple, dict]] = {name: {} for name in meta.tables}
    for r in conn.execute(select(atelier).where(atelier.c.id == atelier_id)).mappings():
        rows["atelier"][_key(atelier, r)] = dict(r)
    links = list(_links(meta))
    changed = True
    while changed:  # until no foreign key brings in a new row
        changed = False
        for child, col, parent, pcol in links:
            values = sorted(
                {r[pcol.name] for r in rows[parent.name].values() if r[pcol.name] is not None},
                key=repr,
            )
            for part in _chunks(values):
                for r in conn.execute(select(child).where(col.in_(part))).mappings():
                    key = _key(child, r)
                    if key not in rows[child.name]:
                        rows[child.name][key] = dict(r)
                        changed = True
    return {name: list(found.values()) for name, found in rows.items() if found}


def delete_atelier(conn: Connection, atelier_id: int) -> dict[str, int]:
    """Delete the atelier and every row of it; return the counts per table.

    Children are deleted before their parents, so it works whatever the
    ``ON DELETE`` rule of each foreign key.
    """
    meta = reflect(conn)
    found = collect(conn, atelier_id, meta)
    counts: dict[str, int] = {}
    for table in reversed(meta.sorted_tables):
        if table.name not in found:
            continue
        pk = list(table.primary_key.columns)
        n = 0
        if len(pk) == 1:
            ids = [r[pk[0].name] for r in found[table.name]]
            for part in _chunks(ids):
                n += conn.execute(delete(table).where(pk[0].in_(part))).rowcount or 0
        else:  # no simple primary key: by the foreign keys that brought the rows in
            conds = []
            for child, col, parent, pcol in _links(meta):
                if child is table and parent.name in found:
                    values = list({r[pcol.name] for r in found[parent.name]})
                    conds.extend(col.in_(part) for part in _chunks(values))
            if table.name == "atelier":
                conds.append(table.c.id == atelier_id)
            if conds:
                n += conn.execute(delete(table).where(or_(*conds))).rowcount or 0
        counts[table.name] = n
    return counts


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def redacted(column: str) -> bool:
    """Whether a column is left out of exports.

    >>> redacted("token_hash"), redacted("console_secret_hash"), redacted("text")
    (True, True, False)
    """
    name = column.lower()
    return any(marker in name for marker in REDACTED_MARKERS)


def export(conn: Connection, atelier_id: int) -> dict:
    """The atelier's data as JSON-able tables (secrets and tokens left out)."""
    tables = {}
    for name, rows in sorted(collect(conn, atelier_id).items()):
        tables[name] = [
            {k: _jsonable(v) for k, v in row.items() if not redacted(k)} for row in rows
        ]
    return {
        "format": "workshop-atelier-export",
        "version": 1,
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "tables": tables,
    }
