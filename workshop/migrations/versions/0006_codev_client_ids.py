"""Co-développement: stored client ids follow the one client-id rule.

Codev items used to accept any client id of 1 to 64 characters; every
capability now takes 8 to 64 of ``A-Z a-z 0-9 _ . : -``
(``workshop.domain.contracts.ClientId``). A stored id outside that rule is
replaced by ``legacy-`` and the first 32 hexadecimal digits of its SHA-256
(deterministic: the same old id always gives the same new one); if that id
is already taken in the atelier, the item's id is appended. Null ids (items
written without one) stay null. The downgrade keeps the new ids (the old
ones are not kept anywhere).

Revision ID: 0006_codev_client_ids
Revises: 0003_codev
"""

import hashlib
import re

import sqlalchemy as sa
from alembic import op

revision = "0006_codev_client_ids"
down_revision = "0003_codev"
branch_labels = None
depends_on = None

# The rule of workshop.domain.contracts.CLIENT_ID_PATTERN, copied: a migration
# keeps the rule of its own day.
RULE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


def legacy_client_id(old: str) -> str:
    """>>> legacy_client_id("c-1")
    'legacy-a6f7ef47ee8dc84af9056a3051ddc302'
    """
    return "legacy-" + hashlib.sha256(old.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def upgrade():
    conn = op.get_bind()
    item = sa.table(
        "codev_item",
        sa.column("id", sa.Integer),
        sa.column("atelier_id", sa.Integer),
        sa.column("client_id", sa.String),
    )
    rows = conn.execute(
        sa.select(item.c.id, item.c.atelier_id, item.c.client_id)
        .where(item.c.client_id.is_not(None))
        .order_by(item.c.id)
    ).all()
    taken = {(r.atelier_id, r.client_id) for r in rows}
    for r in rows:
        if RULE.match(r.client_id):
            continue
        new = legacy_client_id(r.client_id)
        if (r.atelier_id, new) in taken:
            new = f"{new}-{r.id}"
        taken.add((r.atelier_id, new))
        conn.execute(item.update().where(item.c.id == r.id).values(client_id=new))


def downgrade():
    pass
