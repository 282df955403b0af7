"""Foundation: ateliers and participants.

Revision ID: 0001_foundation
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = ("foundation",)
depends_on = None


def upgrade():
    op.create_table(
        "atelier",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("place", sa.String(120), nullable=True),
        sa.Column("allow_anonymous", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(5), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("console_secret_hash", sa.String(64), nullable=False),
        sa.Column("note_max_length", sa.Integer(), nullable=False),
        sa.Column("scene", sa.String(20), nullable=False, server_default="home"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True, server_default=sa.func.now()),
    )
    op.create_index("ix_atelier_code", "atelier", ["code"], unique=True)
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(40), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_participant_atelier_id", "participant", ["atelier_id"])


def downgrade():
    op.drop_table("participant")
    op.drop_table("atelier")
