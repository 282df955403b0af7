"""Co-développement: group texts are written exactly once by client id.

A group's subject, contract and action plan are columns of its row; the new
``codev_text_write`` table records each write's client id (no text), so that
a write resent after a newer one is answered without being applied again.

Revision ID: 0012_codev_text_writes
Revises: 0006_codev_client_ids
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_codev_text_writes"
down_revision = "0006_codev_client_ids"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "codev_text_write",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("codev_group.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participant.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_codev_text_client"),
    )
    op.create_index("ix_codev_text_write_atelier_id", "codev_text_write", ["atelier_id"])
    op.create_index("ix_codev_text_write_group_id", "codev_text_write", ["group_id"])


def downgrade():
    op.drop_table("codev_text_write")
