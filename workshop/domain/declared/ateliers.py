"""The foundation's client events: snapshot, clock, the atelier's settings,
participants, the console link."""

from .. import atelier as rules
from ..contracts import Bool, Choice, Id, Int, Str, declare
from ..text import PLACE_MAX_LENGTH, TITLE_MAX_LENGTH

EVERYONE = ("facilitator", "participant", "projector")

declare(
    "sync",
    roles=EVERYONE,
    writes=False,
    doc="L’instantané complet à nouveau, en accusé.",
    fields={},
)
declare(
    "clock",
    roles=EVERYONE,
    writes=False,
    doc="L’horloge du serveur (ms), pour le décalage des minuteurs.",
    fields={},
)
declare(
    "atelier:status",
    doc="Ouvrir, verrouiller (plus d’arrivées) ou clore l’atelier.",
    fields={"status": Choice(rules.STATUSES, code="invalid_status", required=True)},
)
declare(
    "atelier:update",
    doc="Modifier titre, date, lieu, anonymat, langue, longueur des post-it (null : inchangé).",
    fields={
        "title": Str(TITLE_MAX_LENGTH, nullable=True),
        "date": Str(10, nullable=True),
        "place": Str(PLACE_MAX_LENGTH, nullable=True),
        "allow_anonymous": Bool(),
        "locale": Choice(rules.LOCALES, code="invalid_locale"),
        "note_max_length": Int(20, 2000, code="invalid_note_max_length"),
    },
)
declare(
    "atelier:scene",
    doc="Choisir ce que montre la projection (`home` ou une fonctionnalité).",
    fields={"scene": Str(40, required=True)},
)
declare(
    "participant:remove",
    doc="Retirer un participant : son jeton cesse aussitôt de fonctionner.",
    fields={"participant_id": Id(required=True)},
)
declare(
    "atelier:rotate_secret",
    doc="Remplacer le secret de la console : l’ancien lien cesse de fonctionner.",
    fields={},
)
