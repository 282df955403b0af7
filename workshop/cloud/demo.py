"""The demo atelier's opening word cloud: « Un mot pour dire la coopération ? »
with 42 answers typed as people type them (capitals, accents forgotten,
plurals, punctuation), so that the grouping rules show. Idempotent: each
answer's client id is derived from its line."""

from sqlalchemy import select

from ..domain import cloud as rules
from .models import CloudActivity, CloudAnswer

QUESTION = "Un mot pour dire la coopération ?"
ANSWERS = [
    "Entraide",
    "entraide",
    "Entraide !",
    "l’entraide",
    "ENTRAIDE",
    "entr'aide",
    "Confiance",
    "confiance",
    "la confiance",
    "Confiance.",
    "Partage",
    "partager",
    "Partages",
    "partage",
    "Solidarité",
    "solidarite",
    "Solidarités",
    "solidarité !",
    "Ensemble",
    "ensemble",
    "Faire ensemble",
    "faire ensemble",
    "Coopérer",
    "cooperer",
    "Réseau",
    "réseaux",
    "Reseau",
    "Écoute",
    "ecoute",
    "Territoire",
    "territoires",
    "Co-construction",
    "coconstruction",
    "co construction",
    "Complémentarité",
    "Lien",
    "liens",
    "Bienveillance",
    "Temps",
    "Engagement",
    "Vélo",
    "bicyclette",
]


def load_demo(s, atelier) -> None:
    activity = s.scalar(
        select(CloudActivity).where(
            CloudActivity.atelier_id == atelier.id, CloudActivity.question == QUESTION
        )
    )
    if activity is None:
        activity = CloudActivity(
            atelier_id=atelier.id,
            position=0,
            question=QUESTION,
            max_answers=rules.DEFAULT_ANSWERS,
            max_words=rules.DEFAULT_MAX_WORDS,
            max_chars=rules.DEFAULT_MAX_CHARS,
            mode="live",
            revealed=False,
            anonymous=bool(atelier.allow_anonymous),
            status="open",
            on_screen=True,
            show_counts=False,
            rev=1,
        )
        s.add(activity)
        s.flush()
    have = set(
        s.scalars(select(CloudAnswer.client_id).where(CloudAnswer.activity_id == activity.id))
    )
    for i, text in enumerate(ANSWERS):
        client_id = f"demo-cloud-{i:03d}"
        if client_id in have:
            continue
        visible, key = rules.check_answer(text, max_words=3, max_chars=40)
        s.add(
            CloudAnswer(
                atelier_id=atelier.id,
                activity_id=activity.id,
                participant_id=None,
                client_id=client_id,
                text=visible,
                key=key,
            )
        )
    activity.rev += 1
    s.flush()
