"""Déroulé: the modèles saved by the facilitators, on the server.

One row per modèle: its name (unique on the instance) and its déroulé file
(the format of docs/deroule-format.md). Nothing existing is changed.

Revision ID: 0012_deroule_modele
Revises: 0006_deroule
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_deroule_modele"
down_revision = "0006_deroule"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "deroule_modele",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name", name="uq_deroule_modele_name"),
    )


def downgrade():
    op.drop_table("deroule_modele")
