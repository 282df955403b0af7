"""The demo's codev group "Bleu – Salle Chardon", idempotently.

Its porteur brings the UDCSC 68's project "En route vers l'insertion" and its
obstacle, changing youth pathways (from the Mulhouse project sheets). The demo
participants have random token hashes: nobody can log in as them.
"""

from sqlalchemy import select

from ..domain.codes import hash_secret, new_secret
from ..models import Participant
from . import service
from .models import CodevGroup, CodevItem, CodevMember

GROUP_NAME = "Bleu – Salle Chardon"
SUBJECT = (
    "UDCSC 68, projet « En route vers l’insertion » : accompagner des jeunes très éloignés "
    "de l’emploi (QPV des Coteaux). Comment garder le lien et réorienter quand les parcours "
    "de jeunes sont changeants ?"
)
ROLES = [
    ("Nadia", "porteur"),
    ("Emilie", "animateur"),
    ("Murielle", "secretaire"),
    ("Karim", "contributeur"),
    ("Sophie", "contributeur"),
    ("Thomas", "contributeur"),
    ("Léa", "contributeur"),
    ("Youssef", "contributeur"),
]
QUESTIONS = [
    (
        "Combien de jeunes suivez-vous aujourd’hui, et depuis combien de temps ?",
        "Une quinzaine, la plupart depuis moins de six mois.",
    ),
    ("Quels relais avez-vous déjà dans les entreprises du quartier ?", None),
]
PROPOSALS = [
    "Construire un réseau de parrains en entreprise mobilisables en une semaine.",
    "Proposer une coordination ville inter-secteurs (sport, culture, emploi, formation).",
]


def load_demo(s, atelier):
    existing = s.scalar(
        select(CodevGroup).where(CodevGroup.atelier_id == atelier.id, CodevGroup.name == GROUP_NAME)
    )
    if existing is not None:
        return existing
    g = service.create_group(
        s, atelier, name=GROUP_NAME, room="Salle Chardon", colour="bleu", template="cinq_etapes"
    )
    people = {}
    for name, role in ROLES:
        p = Participant(
            atelier_id=atelier.id,
            token_hash=hash_secret(new_secret()),
            display_name=name,
            removed=False,
        )
        s.add(p)
        s.flush()
        s.add(CodevMember(atelier_id=atelier.id, group_id=g.id, participant_id=p.id, role=role))
        people[role if role != "contributeur" else name] = p
    g.subject = SUBJECT
    contributors = [people[n] for n, r in ROLES if r == "contributeur"]
    for n, (q, a) in enumerate(QUESTIONS):
        s.add(
            CodevItem(
                atelier_id=atelier.id,
                group_id=g.id,
                kind="question",
                text=q,
                answer=a,
                retained=False,
                step_index=2,
                participant_id=contributors[n].id,
            )
        )
    for n, text in enumerate(PROPOSALS):
        s.add(
            CodevItem(
                atelier_id=atelier.id,
                group_id=g.id,
                kind="proposal",
                text=text,
                retained=False,
                step_index=3,
                participant_id=contributors[n + 2].id,
            )
        )
    s.flush()
    return g
