"""Live actor map: settings, actors, contributions, links, project sheets.

Revision ID: 0004_livemap
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_livemap"
down_revision = "0001_foundation"
branch_labels = ("livemap",)
depends_on = None


def _atelier_fk():
    return sa.Column(
        "atelier_id",
        sa.Integer(),
        sa.ForeignKey("atelier.id", ondelete="CASCADE"),
        nullable=False,
    )


def _participant_fk():
    return sa.Column(
        "submitted_by",
        sa.Integer(),
        sa.ForeignKey("participant.id", ondelete="SET NULL"),
        nullable=True,
    )


def _actor_fk(name, ondelete="CASCADE", nullable=False):
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey("livemap_actor.id", ondelete=ondelete),
        nullable=nullable,
    )


def upgrade():
    op.create_table(
        "livemap_actor",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("territory", sa.String(120), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        _actor_fk("merged_into", "SET NULL", True),
        sa.Column("version", sa.Integer(), nullable=False),
        _participant_fk(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_livemap_actor_client"),
        sa.UniqueConstraint("atelier_id", "key", name="uq_livemap_actor_key"),
    )
    op.create_index("ix_livemap_actor_atelier_id", "livemap_actor", ["atelier_id"])
    op.create_table(
        "livemap_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("view", sa.String(10), nullable=False),
        _actor_fk("highlight_id", "SET NULL", True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(120), nullable=True),
    )
    op.create_table(
        "livemap_contribution",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        _actor_fk("actor_id"),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("stage", sa.String(12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _participant_fk(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_livemap_contribution_client"),
    )
    op.create_index("ix_livemap_contribution_atelier_id", "livemap_contribution", ["atelier_id"])
    op.create_index("ix_livemap_contribution_actor_id", "livemap_contribution", ["actor_id"])
    op.create_table(
        "livemap_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        _actor_fk("source_id"),
        _actor_fk("target_id"),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _participant_fk(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_livemap_link_client"),
    )
    op.create_index("ix_livemap_link_atelier_id", "livemap_link", ["atelier_id"])
    op.create_index("ix_livemap_link_source_id", "livemap_link", ["source_id"])
    op.create_index("ix_livemap_link_target_id", "livemap_link", ["target_id"])
    op.create_table(
        "livemap_project",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        _actor_fk("actor_id", "SET NULL", True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("obstacles", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
    )
    op.create_index("ix_livemap_project_atelier_id", "livemap_project", ["atelier_id"])


def downgrade():
    op.drop_table("livemap_project")
    op.drop_table("livemap_link")
    op.drop_table("livemap_contribution")
    op.drop_table("livemap_settings")
    op.drop_table("livemap_actor")
