"""The co-développement's client events."""

from .. import codev as rules
from ..contracts import Bool, Choice, ClientId, Id, Int, List, Str, declare

BOTH = ("facilitator", "participant")
ME = ("participant",)
TEXT_MAX = max(rules.TEXT_MAX.values())  # each kind's own limit applies (``limits``)
COLOUR = Choice(tuple(rules.COLOURS), code="codev_invalid_colour", nullable=True)
TEMPLATE = Choice(tuple(rules.TEMPLATES), code="codev_invalid_template", nullable=True)
MAX_MEMBERS = Int(
    rules.MIN_MEMBERS_LIMIT, rules.MAX_MEMBERS_LIMIT, code="codev_invalid_max", nullable=True
)
GROUP = {
    "name": Str(rules.NAME_MAX),
    "room": Str(rules.ROOM_MAX, nullable=True),
    "colour": COLOUR,
    "template": TEMPLATE,
    "max_members": MAX_MEMBERS,
}

declare(
    "codev:group:create",
    doc="Créer un groupe (null : la valeur par défaut).",
    fields={**GROUP, "name": Str(rules.NAME_MAX, required=True)},
)
declare(
    "codev:group:update",
    doc="Modifier un groupe ; modèle et durées (minutes) seulement avant le début.",
    fields={
        "group_id": Id(required=True),
        **GROUP,
        "closed": Bool(),
        "durations": List(
            Int(1, 120, code="codev_invalid_durations"),
            max_items=max(len(t.steps) for t in rules.TEMPLATES.values()),
        ),
    },
)
declare(
    "codev:group:delete",
    doc="Supprimer un groupe et tout ce qui y a été écrit.",
    fields={"group_id": Id(required=True)},
)
declare(
    "codev:projection",
    doc="Ce que montre la scène codev de la projection : un groupe, ou la vue d’ensemble (null).",
    fields={"group_id": Id(nullable=True)},
)
declare(
    "codev:join",
    roles=BOTH,
    doc="Rejoindre un groupe (la console : y mettre `participant_id`).",
    fields={"group_id": Id(required=True), "participant_id": Id()},
)
declare(
    "codev:rooms",
    roles=ME,
    writes=False,
    doc="Mettre l’appareil dans le salon de son groupe ; rend sa part `codev`.",
    fields={},
)
declare(
    "codev:leave",
    roles=BOTH,
    doc="Quitter son groupe avant le début (la console : `participant_id`).",
    fields={"participant_id": Id()},
)
declare(
    "codev:role",
    roles=BOTH,
    doc="Changer un rôle avant le début : le sien, ou (animateur, console) celui d’un membre.",
    fields={
        "role": Choice(rules.ROLES, code="codev_invalid_role", required=True),
        "participant_id": Id(),
    },
)
declare(
    "codev:timer",
    roles=BOTH,
    doc="Piloter le minuteur : start, pause, resume, extend (1 ou 5 minutes), next, prev.",
    fields={
        "action": Choice(rules.TIMER_ACTIONS, required=True),
        "minutes": Choice(rules.EXTEND_MINUTES, code="codev_invalid_extend"),
        "group_id": Id(),
    },
)
declare(
    "codev:write",
    roles=ME,
    doc="Écrire : un texte du groupe, ou une contribution (une seule fois par `client_id`).",
    fields={
        "kind": Choice(rules.GROUP_TEXT_ACTIONS + rules.ITEM_ACTIONS, required=True),
        "text": Str(TEXT_MAX, required=True),
        "client_id": ClientId(required=True),
        "group_id": Id(),
    },
)
declare(
    "codev:item:delete",
    roles=ME,
    doc="L’auteur supprime sa contribution, à tout moment.",
    fields={"item_id": Id(required=True)},
)
declare(
    "codev:erase",
    roles=ME,
    doc="Effacer un texte du groupe, ou la réponse à une question (`item_id`).",
    fields={
        "kind": Choice(rules.ERASABLE, required=True),
        "item_id": Id(),
        "group_id": Id(),
    },
)
declare(
    "codev:answer",
    roles=ME,
    doc="Le porteur répond à une question (ou récrit sa réponse).",
    fields={
        "item_id": Id(required=True),
        "text": Str(rules.TEXT_MAX["answer"], required=True),
        "client_id": ClientId(),
        "group_id": Id(),
    },
)
declare(
    "codev:retain",
    roles=ME,
    doc="Le porteur retient une proposition (ou non).",
    fields={
        "item_id": Id(required=True),
        "retained": Bool(default=True),
        "client_id": ClientId(),
        "group_id": Id(),
    },
)
