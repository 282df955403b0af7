"""The demo atelier's déroulé (Mulhouse): built once, on the demo's own
post-its, co-développement group and map (idempotent: an atelier whose
déroulé already has activities is left as it is)."""

from sqlalchemy import select

from ..domain.deroule import ACTIVITY_TYPES
from . import service
from .models import DerouleActivity

INTRO = (
    "Les structures d’accompagnement de Mulhouse se présentent les unes les autres "
    "(portrait croisé) pour mieux se connaître et chaîner leurs apports, de "
    "« déclencher » à « animer »."
)


def demo_activities(s, atelier) -> list[dict]:
    from ..board.demo import PROMPTS
    from ..board.models import BoardPrompt
    from ..cloud.demo import QUESTION as CLOUD_QUESTION
    from ..cloud.models import CloudActivity
    from ..codev.demo import GROUP_NAME
    from ..codev.models import CodevGroup
    from ..poll.demo import POLLS
    from ..poll.models import Poll

    def prompt_id(key):
        return s.scalar(
            select(BoardPrompt.id).where(
                BoardPrompt.atelier_id == atelier.id, BoardPrompt.text == PROMPTS[key]
            )
        )

    cloud_id = s.scalar(
        select(CloudActivity.id).where(
            CloudActivity.atelier_id == atelier.id, CloudActivity.question == CLOUD_QUESTION
        )
    )
    poll = POLLS[0]
    poll_id = s.scalar(
        select(Poll.id).where(Poll.atelier_id == atelier.id, Poll.question == poll["question"])
    )
    group = s.scalar(
        select(CodevGroup).where(CodevGroup.atelier_id == atelier.id, CodevGroup.name == GROUP_NAME)
    )
    acts = [
        {
            "type": "welcome",
            "title": "Accueil",
            "duration_min": 10,
            "settings": {"text": "Bienvenue ! Gardez cette page ouverte : elle suit l’atelier."},
        },
        {
            "type": "cloud",
            "title": "Un mot pour dire la coopération",
            "duration_min": 5,
            "settings": {"question": CLOUD_QUESTION, "max_answers": 3, "mode": "live"},
            "ref": {"activity_id": cloud_id} if cloud_id else None,
        },
        {
            "type": "poll",
            "title": "Sondage rapide",
            "duration_min": 5,
            "settings": {
                "question": poll["question"],
                "kind": poll["kind"],
                "options": poll["options"],
            },
            "ref": {"poll_id": poll_id} if poll_id else None,
        },
        {
            "type": "message",
            "title": "Structurer les coopérations",
            "duration_min": 10,
            "settings": {"text": INTRO},
        },
        {
            "type": "question",
            "title": "Les besoins",
            "duration_min": 15,
            "settings": {"prompt": PROMPTS["besoins"], "visibility": "live"},
            "ref": {"prompt_id": prompt_id("besoins")},
        },
        {
            "type": "question",
            "title": "La portée transformatrice",
            "duration_min": 15,
            "settings": {"prompt": PROMPTS["portee_transformatrice"], "visibility": "live"},
            "ref": {"prompt_id": prompt_id("portee_transformatrice")},
        },
        {"type": "vote", "title": "Vote", "duration_min": 10, "settings": {"dots": 3}},
    ]
    if group is not None:
        acts.append(
            {
                "type": "codev",
                "title": "Co-développement",
                "duration_min": 60,
                "settings": {
                    "template": group.template,
                    "groups": [
                        {"name": group.name, "room": group.room or "", "colour": group.colour}
                    ],
                },
                "ref": {"group_ids": [group.id]},
            }
        )
    acts += [
        {
            "type": "map",
            "title": "La carte des acteurs de Mulhouse",
            "duration_min": 30,
            "settings": {"view": "stage"},
        },
        {
            "type": "close",
            "title": "Clôture",
            "duration_min": 5,
            "settings": {"text": "Merci ! Le compte rendu et la carte vous seront envoyés."},
        },
    ]
    return [a for a in acts if a["type"] in ACTIVITY_TYPES]


def load_demo(s, atelier) -> None:
    if service.activities(s, atelier):
        return
    service.get_state(s, atelier)
    for pos, act in enumerate(demo_activities(s, atelier)):
        s.add(
            DerouleActivity(
                atelier_id=atelier.id,
                position=pos,
                type=act["type"],
                title=act["title"],
                duration_min=act["duration_min"],
                settings=act["settings"],
                ref=act.get("ref"),
                spent_ms=0,
            )
        )
    s.flush()
