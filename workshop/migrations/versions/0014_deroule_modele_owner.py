"""Déroulé: a saved modèle remembers the atelier that saved it.

Every console still lists every modèle; only that atelier may replace or
delete it. Modèles saved before this revision have no owner and stay open to
every console, as before; a deleted atelier leaves its modèles without one.

Revision ID: 0014_deroule_modele_owner
Revises: 0012_deroule_modele
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_deroule_modele_owner"
down_revision = "0012_deroule_modele"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deroule_modele") as batch:
        batch.add_column(sa.Column("atelier_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_deroule_modele_atelier_id_atelier",
            "atelier",
            ["atelier_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_deroule_modele_atelier_id", ["atelier_id"])


def downgrade():
    with op.batch_alter_table("deroule_modele") as batch:
        batch.drop_index("ix_deroule_modele_atelier_id")
        batch.drop_constraint("fk_deroule_modele_atelier_id_atelier", type_="foreignkey")
        batch.drop_column("atelier_id")
