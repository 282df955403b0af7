"""The Mulhouse post-its on the demo atelier: two prompts, their categories,
50 notes (idempotent: a note's client id is derived from its line)."""

import csv
import hashlib
import json

from sqlalchemy import select

from ..paths import DEMO_DATA_DIR
from .models import BoardCategory, BoardNote, BoardPrompt

PROMPTS = {
    "besoins": "Les principaux besoins dans l’accompagnement des projets jeunesse",
    "portee_transformatrice": (
        "La portée transformatrice des projets, pour les jeunes et pour le territoire"
    ),
}
COLOURS = {"besoins": "jaune", "portee_transformatrice": "vert"}


def demo_rows() -> list[dict]:
    path = DEMO_DATA_DIR / "postits.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_demo(s, atelier) -> None:
    rows = demo_rows()
    prompts = {}
    for pos, (key, text) in enumerate(PROMPTS.items()):
        prompt = s.scalar(
            select(BoardPrompt).where(
                BoardPrompt.atelier_id == atelier.id, BoardPrompt.text == text
            )
        )
        if prompt is None:
            prompt = BoardPrompt(
                atelier_id=atelier.id,
                position=pos,
                text=text,
                status="closed",
                visibility="live",
                revealed=False,
                approval=False,
                on_screen=pos == 0,
                colours=json.dumps([COLOURS[key]]),
                vote_status="none",
                vote_dots=3,
            )
            s.add(prompt)
            s.flush()
        prompts[key] = prompt
    cats: dict = {}
    for row in rows:
        prompt = prompts.get(row["prompt"])
        if prompt is None:
            continue
        key = (prompt.id, row["category"])
        if key not in cats:
            cat = s.scalar(
                select(BoardCategory).where(
                    BoardCategory.prompt_id == prompt.id, BoardCategory.title == row["category"]
                )
            )
            if cat is None:
                count = sum(1 for k in cats if k[0] == prompt.id)
                cat = BoardCategory(
                    atelier_id=atelier.id,
                    prompt_id=prompt.id,
                    position=count,
                    title=row["category"],
                )
                s.add(cat)
                s.flush()
            cats[key] = cat
    for i, row in enumerate(rows):
        prompt = prompts.get(row["prompt"])
        if prompt is None:
            continue
        digest = hashlib.sha256(f"{row['prompt']}|{row['text']}".encode()).hexdigest()[:24]
        client_id = f"demo-{i:03d}-{digest}"
        exists = s.scalar(
            select(BoardNote.id).where(
                BoardNote.atelier_id == atelier.id, BoardNote.client_id == client_id
            )
        )
        if exists is not None:
            continue
        s.add(
            BoardNote(
                atelier_id=atelier.id,
                prompt_id=prompt.id,
                category_id=cats[(prompt.id, row["category"])].id,
                participant_id=None,
                by_facilitator=False,
                client_id=client_id,
                text=row["text"].strip(),
                colour=COLOURS[row["prompt"]],
                anonymous=True,
                author_name=None,
                status="visible",
            )
        )
    s.flush()
