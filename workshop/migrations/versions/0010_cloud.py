"""Word cloud: activities, answers, moderation of words.

Revision ID: 0010_cloud
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_cloud"
down_revision = "0001_foundation"
branch_labels = ("cloud",)
depends_on = None


def _atelier_fk():
    return sa.Column(
        "atelier_id",
        sa.Integer(),
        sa.ForeignKey("atelier.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _activity_fk():
    return sa.Column(
        "activity_id",
        sa.Integer(),
        sa.ForeignKey("cloud_activity.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade():
    op.create_table(
        "cloud_activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("max_answers", sa.Integer(), nullable=False),
        sa.Column("max_words", sa.Integer(), nullable=False),
        sa.Column("max_chars", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("on_screen", sa.Boolean(), nullable=False),
        sa.Column("show_counts", sa.Boolean(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "cloud_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        _activity_fk(),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participant.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("author_name", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_cloud_answer_client"),
    )
    op.create_table(
        "cloud_word",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        _activity_fk(),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("merged_into", sa.String(120), nullable=True),
        sa.Column("label", sa.String(80), nullable=True),
        sa.UniqueConstraint("activity_id", "key", name="uq_cloud_word_key"),
    )


def downgrade():
    op.drop_table("cloud_word")
    op.drop_table("cloud_answer")
    op.drop_table("cloud_activity")
