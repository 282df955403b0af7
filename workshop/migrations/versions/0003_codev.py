"""Co-développement: groups, members, items.

Revision ID: 0003_codev
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_codev"
down_revision = "0001_foundation"
branch_labels = ("codev",)
depends_on = None


def upgrade():
    op.create_table(
        "codev_group",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("room", sa.String(60), nullable=True),
        sa.Column("colour", sa.String(16), nullable=False),
        sa.Column("template", sa.String(20), nullable=False),
        sa.Column("durations_ms", sa.JSON(), nullable=False),
        sa.Column("max_members", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("projected", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("deadline_ms", sa.BigInteger(), nullable=True),
        sa.Column("remaining_ms", sa.BigInteger(), nullable=True),
        sa.Column("step_duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("timer_version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("contract", sa.Text(), nullable=True),
        sa.Column("action_plan", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_codev_group_atelier_id", "codev_group", ["atelier_id"])
    op.create_table(
        "codev_member",
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
            sa.ForeignKey("participant.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("atelier_id", "participant_id", name="uq_codev_member"),
    )
    op.create_index("ix_codev_member_atelier_id", "codev_member", ["atelier_id"])
    op.create_index("ix_codev_member_group_id", "codev_member", ["group_id"])
    op.create_index("ix_codev_member_participant_id", "codev_member", ["participant_id"])
    op.create_table(
        "codev_item",
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
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("retained", sa.Boolean(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_codev_item_client"),
    )
    op.create_index("ix_codev_item_atelier_id", "codev_item", ["atelier_id"])
    op.create_index("ix_codev_item_group_id", "codev_item", ["group_id"])


def downgrade():
    op.drop_table("codev_item")
    op.drop_table("codev_member")
    op.drop_table("codev_group")
