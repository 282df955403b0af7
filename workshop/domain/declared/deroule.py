"""Events of the déroulé (``workshop/deroule``): building it, running it.

Every one is the facilitator's: a participant or a projector that sends
one gets ``forbidden`` and nothing changes. Settings are checked against
the activity type's own fields (``workshop.domain.deroule``).
"""

from ..contracts import Bool, Choice, Id, Int, List, Str, declare
from ..deroule import (
    MAX_ACTIVITIES,
    MAX_DURATION_MIN,
    MODELE_NAME_MAX,
    OVERLAYS,
    TITLE_MAX,
    SettingsField,
)

FACILITATOR = ("facilitator",)

declare(
    "deroule:activity:create",
    roles=FACILITATOR,
    doc="Ajouter une activité au déroulé (à la fin, ou après `after_id`).",
    fields={
        "type": Str(20, required=True),
        "title": Str(TITLE_MAX),
        "duration_min": Int(0, MAX_DURATION_MIN),
        "settings": SettingsField(),
        "after_id": Id(),
    },
)
declare(
    "deroule:activity:update",
    roles=FACILITATOR,
    doc="Modifier le titre, la durée prévue ou les réglages d’une activité.",
    fields={
        "activity_id": Id(required=True),
        "title": Str(TITLE_MAX),
        "duration_min": Int(0, MAX_DURATION_MIN),
        "settings": SettingsField(),
    },
)
declare(
    "deroule:activity:delete",
    roles=FACILITATOR,
    doc="Supprimer une activité (jamais l’activité en cours ; les contributions restent).",
    fields={"activity_id": Id(required=True)},
)
declare(
    "deroule:activity:duplicate",
    roles=FACILITATOR,
    doc="Dupliquer une activité (la copie se place juste après).",
    fields={"activity_id": Id(required=True)},
)
declare(
    "deroule:reorder",
    roles=FACILITATOR,
    doc="Nouvel ordre du déroulé : chaque activité une fois.",
    fields={"ids": List(Id(), max_items=MAX_ACTIVITIES, required=True)},
)
declare(
    "deroule:next",
    roles=FACILITATOR,
    doc="Suivant : l’activité suivante devient l’activité en cours.",
    fields={},
)
declare(
    "deroule:prev",
    roles=FACILITATOR,
    doc="Précédent : l’activité précédente redevient l’activité en cours.",
    fields={},
)
declare(
    "deroule:goto",
    roles=FACILITATOR,
    doc="Aller directement à une activité du déroulé.",
    fields={"activity_id": Id(required=True)},
)
declare(
    "deroule:overlay",
    roles=FACILITATOR,
    doc="Écran noir (`blank`), grand écran pour rejoindre (`join`) ou l’activité (`none`).",
    fields={"overlay": Choice(OVERLAYS, required=True)},
)
declare(
    "deroule:import",
    roles=FACILITATOR,
    doc="Ajouter les activités d’un fichier de déroulé (ou d’un modèle enregistré).",
    fields={"document": SettingsField(max_keys=4, required=True), "replace": Bool(default=False)},
)
declare(
    "deroule:template:apply",
    roles=FACILITATOR,
    doc="Ajouter les activités d’un modèle livré avec l’application.",
    fields={"template": Str(40, required=True), "replace": Bool(default=False)},
)
declare(
    "deroule:modele:save",
    roles=FACILITATOR,
    doc="Enregistrer le déroulé de l’atelier comme modèle de l’instance (même nom : remplacé).",
    fields={"name": Str(MODELE_NAME_MAX, required=True)},
)
declare(
    "deroule:modele:import",
    roles=FACILITATOR,
    doc="Ranger sur le serveur un modèle gardé par le navigateur (une fois ; même nom : gardé).",
    fields={
        "name": Str(MODELE_NAME_MAX, required=True),
        "document": SettingsField(max_keys=4, required=True),
    },
)
declare(
    "deroule:modele:delete",
    roles=FACILITATOR,
    doc="Supprimer un modèle enregistré.",
    fields={"modele_id": Id(required=True)},
)
declare(
    "deroule:modele:apply",
    roles=FACILITATOR,
    doc="Ajouter les activités d’un modèle enregistré.",
    fields={"modele_id": Id(required=True), "replace": Bool(default=False)},
)
