"""Post-it board: prompts, categories, notes, votes.

Revision ID: 0002_board
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_board"
down_revision = "0001_foundation"
branch_labels = ("board",)
depends_on = None


def _atelier_fk():
    return sa.Column(
        "atelier_id",
        sa.Integer(),
        sa.ForeignKey("atelier.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade():
    op.create_table(
        "board_prompt",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("visibility", sa.String(10), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("approval", sa.Boolean(), nullable=False),
        sa.Column("on_screen", sa.Boolean(), nullable=False),
        sa.Column("colours", sa.Text(), nullable=False),
        sa.Column("vote_status", sa.String(10), nullable=False),
        sa.Column("vote_dots", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_board_prompt_atelier_id", "board_prompt", ["atelier_id"])
    op.create_table(
        "board_category",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        sa.Column(
            "prompt_id",
            sa.Integer(),
            sa.ForeignKey("board_prompt.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
    )
    op.create_index("ix_board_category_atelier_id", "board_category", ["atelier_id"])
    op.create_index("ix_board_category_prompt_id", "board_category", ["prompt_id"])
    op.create_table(
        "board_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        sa.Column(
            "prompt_id",
            sa.Integer(),
            sa.ForeignKey("board_prompt.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "category_id",
            sa.Integer(),
            sa.ForeignKey("board_category.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participant.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("by_facilitator", sa.Boolean(), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("colour", sa.String(20), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("author_name", sa.String(40), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column(
            "merged_into",
            sa.Integer(),
            sa.ForeignKey("board_note.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("atelier_id", "client_id", name="uq_board_note_client"),
    )
    op.create_index("ix_board_note_atelier_id", "board_note", ["atelier_id"])
    op.create_index("ix_board_note_prompt_id", "board_note", ["prompt_id"])
    op.create_index("ix_board_note_category_id", "board_note", ["category_id"])
    op.create_index("ix_board_note_participant_id", "board_note", ["participant_id"])
    op.create_table(
        "board_vote",
        sa.Column("id", sa.Integer(), primary_key=True),
        _atelier_fk(),
        sa.Column(
            "prompt_id",
            sa.Integer(),
            sa.ForeignKey("board_prompt.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "note_id",
            sa.Integer(),
            sa.ForeignKey("board_note.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participant.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("dots", sa.Integer(), nullable=False),
        sa.UniqueConstraint("note_id", "participant_id", name="uq_board_vote"),
    )
    op.create_index("ix_board_vote_atelier_id", "board_vote", ["atelier_id"])
    op.create_index("ix_board_vote_prompt_id", "board_vote", ["prompt_id"])
    op.create_index("ix_board_vote_participant_id", "board_vote", ["participant_id"])


def downgrade():
    op.drop_table("board_vote")
    op.drop_table("board_note")
    op.drop_table("board_category")
    op.drop_table("board_prompt")
