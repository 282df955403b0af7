"""Quick poll: polls and ballots (one per participant).

Revision ID: 0011_poll
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_poll"
down_revision = "0001_foundation"
branch_labels = ("poll",)
depends_on = None


def upgrade():
    op.create_table(
        "poll",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("label_low", sa.String(40), nullable=True),
        sa.Column("label_high", sa.String(40), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("results_shown", sa.Boolean(), nullable=False),
        sa.Column("on_screen", sa.Boolean(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "poll_ballot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "poll_id",
            sa.Integer(),
            sa.ForeignKey("poll.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participant.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("poll_id", "participant_id", name="uq_poll_ballot_voter"),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_poll_ballot_client"),
    )


def downgrade():
    op.drop_table("poll_ballot")
    op.drop_table("poll")
