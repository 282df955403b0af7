"""The modèles shipped with the application: déroulés to start from.

Each is a document of the déroulé file format (``workshop.domain.deroule``),
checked like an imported file when applied. Their content is French, the
language of the ateliers they come from; their names are translated.
"""

from ..domain.deroule import FORMAT, FORMAT_VERSION
from ..i18n import N_


def _doc(title, activities):
    return {"format": FORMAT, "version": FORMAT_VERSION, "title": title, "activities": activities}


MODELES = {
    "ptit_dej": (
        N_("P’tit Déj (accueil, question, vote, clôture)"),
        _doc(
            "P’tit Déj",
            [
                {
                    "type": "welcome",
                    "title": "Accueil",
                    "duration_min": 10,
                    "settings": {"text": "Installez-vous, un café et votre téléphone à la main."},
                },
                {
                    "type": "question",
                    "title": "Vos besoins",
                    "duration_min": 20,
                    "settings": {
                        "prompt": "De quoi votre structure a-t-elle le plus besoin cette année ?",
                        "visibility": "live",
                    },
                },
                {"type": "vote", "title": "Vote", "duration_min": 10, "settings": {"dots": 3}},
                {
                    "type": "close",
                    "title": "Clôture",
                    "duration_min": 5,
                    "settings": {"text": "Merci ! Le compte rendu vous sera envoyé."},
                },
            ],
        ),
    ),
    "journee_cooperations": (
        N_("Journée coopérations (4 ateliers en parallèle)"),
        _doc(
            "Journée régionale : testons les coopérations",
            [
                {"type": "welcome", "title": "Accueil", "duration_min": 15, "settings": {}},
                {
                    "type": "message",
                    "title": "Les coopérations",
                    "duration_min": 45,
                    "settings": {
                        "text": "Intervention de l’ORIV, puis du DSU Grand Est : "
                        "coopérer, ça veut dire quoi ? Quartiers à impact collectif."
                    },
                },
                {
                    "type": "codev",
                    "title": "Testons les coopérations : ateliers",
                    "duration_min": 90,
                    "settings": {
                        "template": "cinq_etapes",
                        "groups": [
                            {"name": "Co-développement", "room": "Salle Chardon", "colour": "bleu"},
                            {
                                "name": "Coop ou pas coop",
                                "room": "Salle Myrtilles",
                                "colour": "rouge",
                            },
                            {"name": "Anarchaise", "room": "Espace Lorraine", "colour": "jaune"},
                            {"name": "Serious Game", "room": "Salle Gruber", "colour": "vert"},
                        ],
                    },
                },
                {
                    "type": "message",
                    "title": "Retour sur les ateliers",
                    "duration_min": 30,
                    "settings": {"text": "Chaque groupe partage ce qu’il retient de sa méthode."},
                },
                {
                    "type": "close",
                    "title": "Clôture",
                    "duration_min": 10,
                    "settings": {"text": "Merci de votre participation."},
                },
            ],
        ),
    ),
    "portrait_croise": (
        N_("Portrait croisé (deux questions, la carte des acteurs)"),
        _doc(
            "Structurer les coopérations : portrait croisé",
            [
                {"type": "welcome", "title": "Accueil", "duration_min": 10, "settings": {}},
                {
                    "type": "question",
                    "title": "Les besoins",
                    "duration_min": 20,
                    "settings": {
                        "prompt": "Quels sont les principaux besoins dans l’accompagnement "
                        "des projets jeunesse ?",
                        "visibility": "live",
                    },
                },
                {
                    "type": "question",
                    "title": "La portée transformatrice",
                    "duration_min": 20,
                    "settings": {
                        "prompt": "Quelle est la portée transformatrice des projets, "
                        "pour les jeunes et pour le territoire ?",
                        "visibility": "live",
                    },
                },
                {
                    "type": "map",
                    "title": "Qui fait quoi\u00a0: la carte des acteurs",
                    "duration_min": 40,
                    "settings": {"view": "stage"},
                },
            ],
        ),
    ),
}


def modele(key):
    from ..domain.errors import DomainError

    found = MODELES.get(key) if isinstance(key, str) else None
    if found is None:
        raise DomainError("deroule_unknown_modele")
    return found[1]
