"""Post-it board: a revision counter per atelier (snapshot cache key).

Revision ID: 0005_board_revision
Revises: 0002_board
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_board_revision"
down_revision = "0002_board"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "board_revision",
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("rev", sa.Integer(), nullable=False),
    )


def downgrade():
    op.drop_table("board_revision")
