"""The demo atelier's quick polls, right after the opening word cloud: a
single choice and a scale, with a few example ballots (results hidden until
shown). Idempotent: found again by their question."""

import json

from sqlalchemy import select

from .models import Poll, PollBallot

POLLS = [
    {
        "question": "Dans votre structure, la coopération, c’est plutôt…",
        "kind": "single",
        "options": ["Une habitude", "Un projet en cours", "Une envie", "Un défi"],
        "ballots": [0, 1, 1, 2, 1, 3, 0, 2, 1, 2, 2, 3, 1, 0, 2, 1, 2, 3],
    },
    {
        "question": "Sur votre territoire, les structures coopèrent…",
        "kind": "scale",
        "scale_max": 5,
        "label_low": "chacune pour soi",
        "label_high": "tout le temps",
        "ballots": [3, 2, 4, 3, 3, 2, 4, 5, 3, 2, 3, 4, 1, 3],
    },
]


def load_demo(s, atelier) -> None:
    for pos, spec in enumerate(POLLS):
        poll = s.scalar(
            select(Poll).where(Poll.atelier_id == atelier.id, Poll.question == spec["question"])
        )
        if poll is not None:
            continue
        options = [{"id": i + 1, "label": t} for i, t in enumerate(spec.get("options", []))]
        poll = Poll(
            atelier_id=atelier.id,
            position=pos,
            question=spec["question"],
            kind=spec["kind"],
            options=json.dumps(options, ensure_ascii=False),
            max_choices=1,
            scale_max=spec.get("scale_max", 5),
            label_low=spec.get("label_low"),
            label_high=spec.get("label_high"),
            status="open",
            results_shown=False,
            on_screen=pos == 0,
            rev=1,
        )
        s.add(poll)
        s.flush()
        for i, b in enumerate(spec["ballots"]):
            choice = spec["kind"] != "scale"
            s.add(
                PollBallot(
                    atelier_id=atelier.id,
                    poll_id=poll.id,
                    participant_id=None,
                    client_id=f"demo-poll-{poll.id}-{i:03d}",
                    choices=json.dumps([options[b]["id"]] if choice else []),
                    value=None if choice else b,
                )
            )
        s.flush()
