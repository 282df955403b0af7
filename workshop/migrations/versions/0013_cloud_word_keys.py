"""Word cloud: a word's key no longer keeps the spaces between its words.

« entr’aide » and « entraide », « co-construction » and « coconstruction »,
« vivre-ensemble » and « vivre ensemble » now count as one word
(``workshop.domain.cloud.group_key``). The key of an answer was the words of
its folded text joined by spaces: the new key is the same with the spaces
removed, so both tables are updated in place. When two moderated words of
one cloud become one, the first one's row is kept (its label, and hidden if
either was); merges that now point to themselves are dropped.

Revision ID: 0013_cloud_word_keys
Revises: 0010_cloud
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_cloud_word_keys"
down_revision = "0010_cloud"
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    conn.execute(
        sa.text("UPDATE cloud_answer SET key = REPLACE(key, ' ', '') WHERE key LIKE '% %'")
    )
    rows = conn.execute(
        sa.text(
            "SELECT id, activity_id, key, hidden, merged_into, label FROM cloud_word ORDER BY id"
        )
    ).all()
    groups: dict = {}
    for row in rows:
        groups.setdefault((row.activity_id, row.key.replace(" ", "")), []).append(row)
    # the rows that become duplicates go first: no two rows share a key meanwhile
    for same in groups.values():
        for row in same[1:]:
            conn.execute(sa.text("DELETE FROM cloud_word WHERE id = :i"), {"i": row.id})
    for (_activity, key), same in groups.items():
        first = same[0]
        into = next((r.merged_into for r in same if r.merged_into), None)
        into = into.replace(" ", "") if into else None
        conn.execute(
            sa.text("UPDATE cloud_word SET key = :k, merged_into = :m, hidden = :h WHERE id = :i"),
            {
                "k": key,
                "m": None if into == key else into,
                "h": any(r.hidden for r in same),
                "i": first.id,
            },
        )


def downgrade():
    # The spaces between the words of a key cannot be told back from the key.
    pass
