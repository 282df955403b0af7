"""The post-it board's client events."""

from .. import board as rules
from ..contracts import Bool, Choice, ClientId, Id, Int, List, Str, declare

COLOUR = Choice((*rules.PALETTE, ""), code="invalid_colour", nullable=True)
COLOURS = List(
    Choice(tuple(rules.PALETTE), code="invalid_colour"),
    max_items=len(rules.PALETTE),
    nullable=True,
)
VISIBILITY = Choice(rules.VISIBILITIES, code="invalid_visibility")
STATUS = Choice(rules.PROMPT_STATUSES, code="invalid_prompt_status")
NOTE_TEXT_MAX = 2000  # the highest ``note_max_length``; the atelier's own limit applies
BOTH = ("facilitator", "participant")

declare(
    "board:prompt:create",
    doc="Ajouter une question.",
    fields={
        "text": Str(rules.PROMPT_MAX_LENGTH, required=True),
        "colours": COLOURS,
        "visibility": VISIBILITY,
        "approval": Bool(),
        "status": STATUS,
        "on_screen": Bool(),
    },
)
declare(
    "board:prompt:update",
    doc="Modifier une question (texte, couleurs, statut, visibilité, révélation…).",
    fields={
        "prompt_id": Id(required=True),
        "text": Str(rules.PROMPT_MAX_LENGTH),
        "colours": COLOURS,
        "visibility": VISIBILITY,
        "approval": Bool(),
        "status": STATUS,
        "on_screen": Bool(),
        "revealed": Bool(),
        "exclusive": Bool(nullable=True),
        "position": Int(0, 10_000),
    },
)
declare(
    "board:note:create",
    roles=BOTH,
    doc="Poster un post-it (une seule fois par `client_id`).",
    fields={
        "client_id": ClientId(required=True),
        "prompt_id": Id(required=True),
        "text": Str(NOTE_TEXT_MAX, required=True),
        "colour": COLOUR,
        "anonymous": Bool(),
    },
)
declare(
    "board:note:update",
    roles=BOTH,
    doc="Modifier son post-it tant que la question est ouverte (la console : tout post-it).",
    fields={
        "note_id": Id(required=True),
        "text": Str(NOTE_TEXT_MAX),
        "colour": COLOUR,
        "anonymous": Bool(),
    },
)
declare(
    "board:note:delete",
    roles=BOTH,
    doc="Supprimer son post-it tant que la question est ouverte (la console : tout post-it).",
    fields={"note_id": Id(required=True)},
)
declare(
    "board:note:moderate",
    doc="Masquer, rétablir, valider ou refuser un post-it.",
    fields={
        "note_id": Id(required=True),
        "action": Choice(rules.MODERATION_ACTIONS, required=True),
    },
)
declare(
    "board:note:move",
    doc="Ranger un post-it dans une catégorie (null : sans catégorie).",
    fields={"note_id": Id(required=True), "category_id": Id(nullable=True)},
)
declare(
    "board:note:merge",
    doc="Fusionner un doublon dans un autre post-it (null : le séparer).",
    fields={"note_id": Id(required=True), "into_id": Id(nullable=True)},
)
declare(
    "board:category:create",
    doc="Ajouter une catégorie à une question.",
    fields={
        "prompt_id": Id(required=True),
        "title": Str(rules.CATEGORY_MAX_LENGTH, required=True),
    },
)
declare(
    "board:category:update",
    doc="Renommer une catégorie.",
    fields={
        "category_id": Id(required=True),
        "title": Str(rules.CATEGORY_MAX_LENGTH, required=True),
    },
)
declare(
    "board:category:delete",
    doc="Supprimer une catégorie ; ses post-it reviennent « sans catégorie ».",
    fields={"category_id": Id(required=True)},
)
declare(
    "board:category:reorder",
    doc="Ordonner les catégories d’une question (chaque id, une fois).",
    fields={
        "prompt_id": Id(required=True),
        "order": List(Id(), max_items=rules.MAX_CATEGORIES, required=True),
    },
)
declare(
    "board:vote:open",
    doc="Ouvrir un vote à points sur une question.",
    fields={
        "prompt_id": Id(required=True),
        "dots": Int(1, rules.MAX_DOTS, code="invalid_dots"),
    },
)
declare(
    "board:vote:close",
    doc="Clore le vote : les résultats classés vont à tous les écrans.",
    fields={"prompt_id": Id(required=True)},
)
declare(
    "board:vote:cast",
    roles=("participant",),
    doc="Poser un nombre absolu de ses points sur un post-it (0 les retire).",
    fields={"note_id": Id(required=True), "dots": Int(0, rules.MAX_DOTS, required=True)},
)
