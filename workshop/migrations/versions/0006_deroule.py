"""Déroulé: the atelier's activities in order, and which one is current.

Existing ateliers get a déroulé made of what they already hold, in creation
order: a welcome screen, then one "question" activity per post-it prompt
(followed by a "vote" activity when the prompt was voted on), one
"co-développement" activity for all the codev groups (at the place of the
first group), and one "carte des acteurs" activity when the atelier has a
live map. No existing row is changed or deleted; no activity is current
(the projector keeps showing the scene chosen before).

Revision ID: 0006_deroule
Revises: 0005_board_revision, 0003_codev, 0004_livemap
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006_deroule"
# The data step reads the tables of the board, codev and live map branches:
# this revision comes after the three (a merge point of their branches).
down_revision = ("0005_board_revision", "0003_codev", "0004_livemap")
branch_labels = ("deroule",)
depends_on = None

EPOCH = dt.datetime(1970, 1, 1)


def _tables():
    activity = op.create_table(
        "deroule_activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("ref", sa.JSON(), nullable=True),
        sa.Column("spent_ms", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_deroule_activity_atelier_id", "deroule_activity", ["atelier_id"])
    state = op.create_table(
        "deroule_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "atelier_id",
            sa.Integer(),
            sa.ForeignKey("atelier.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column(
            "current_id",
            sa.Integer(),
            sa.ForeignKey("deroule_activity.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("since_ms", sa.BigInteger(), nullable=True),
        sa.Column("overlay", sa.String(10), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    return activity, state


def _short(text, limit=120):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def existing_activities(conn, atelier_id, created_at):
    """The activities of one existing atelier, in creation order."""
    found = []  # (created_at, order, activity)
    prompts = conn.execute(
        sa.text(
            "SELECT id, text, visibility, vote_status, vote_dots, created_at "
            "FROM board_prompt WHERE atelier_id = :a ORDER BY created_at, id"
        ),
        {"a": atelier_id},
    ).all()
    for n, p in enumerate(prompts):
        found.append(
            (
                p.created_at,
                (0, n, 0),
                {
                    "type": "question",
                    "title": _short(p.text),
                    "duration_min": 15,
                    "settings": {
                        "prompt": p.text[:300],
                        "visibility": p.visibility
                        if p.visibility in ("live", "reveal")
                        else "live",
                    },
                    "ref": {"prompt_id": p.id},
                },
            )
        )
        if p.vote_status in ("open", "closed"):
            found.append(
                (
                    p.created_at,
                    (0, n, 1),
                    {
                        "type": "vote",
                        "title": "Vote\u00a0: " + _short(p.text, 110),
                        "duration_min": 10,
                        "settings": {"dots": max(1, min(10, p.vote_dots or 3))},
                        "ref": {"prompt_id": p.id},
                    },
                )
            )
    groups = conn.execute(
        sa.text(
            "SELECT id, name, room, colour, template, created_at "
            "FROM codev_group WHERE atelier_id = :a ORDER BY created_at, id"
        ),
        {"a": atelier_id},
    ).all()
    if groups:
        found.append(
            (
                groups[0].created_at,
                (1, 0, 0),
                {
                    "type": "codev",
                    "title": "Co-développement",
                    "duration_min": 90,
                    "settings": {
                        "template": groups[0].template,
                        "groups": [
                            {"name": g.name, "room": g.room or "", "colour": g.colour}
                            for g in groups
                        ],
                    },
                    "ref": {"group_ids": [g.id for g in groups]},
                },
            )
        )
    first_actor = conn.execute(
        sa.text("SELECT MIN(created_at) FROM livemap_actor WHERE atelier_id = :a"),
        {"a": atelier_id},
    ).scalar()
    settings = conn.execute(
        sa.text("SELECT view FROM livemap_settings WHERE atelier_id = :a"), {"a": atelier_id}
    ).first()
    if first_actor is not None or settings is not None:
        view = settings.view if settings is not None else "stage"
        found.append(
            (
                first_actor or created_at,
                (2, 0, 0),
                {
                    "type": "map",
                    "title": "Carte des acteurs",
                    "duration_min": 30,
                    "settings": {
                        "view": view
                        if view in ("stage", "network", "table", "analysis")
                        else "stage"
                    },
                    "ref": None,
                },
            )
        )
    found.sort(key=lambda f: (f[0] or created_at, f[1]))
    welcome = {
        "type": "welcome",
        "title": "Accueil",
        "duration_min": 10,
        "settings": {"text": ""},
        "ref": None,
    }
    return [welcome] + [f[2] for f in found]


def upgrade():
    activity, state = _tables()
    conn = op.get_bind()
    ateliers = conn.execute(sa.text("SELECT id, created_at FROM atelier ORDER BY id")).all()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for a in ateliers:
        acts = existing_activities(conn, a.id, a.created_at or now)
        rows = [
            {
                "atelier_id": a.id,
                "position": pos,
                "type": act["type"],
                "title": act["title"],
                "duration_min": act["duration_min"],
                "settings": act["settings"],
                "ref": act["ref"],
                "spent_ms": 0,
                "created_at": now,
            }
            for pos, act in enumerate(acts)
        ]
        if rows:
            op.bulk_insert(activity, rows)
        op.bulk_insert(
            state,
            [
                {
                    "atelier_id": a.id,
                    "current_id": None,
                    "since_ms": None,
                    "overlay": "none",
                    "seq": 0,
                }
            ],
        )


def downgrade():
    op.drop_table("deroule_state")
    op.drop_index("ix_deroule_activity_atelier_id", table_name="deroule_activity")
    op.drop_table("deroule_activity")
