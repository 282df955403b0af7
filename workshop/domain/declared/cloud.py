"""Events of the word cloud (« nuage de mots »)."""

from ..cloud import KEY_MAX_LENGTH, MAX_ANSWERS, MAX_CHARS_LIMIT, MAX_WORDS_LIMIT, MIN_CHARS_LIMIT
from ..contracts import Bool, Choice, ClientId, Id, Int, Str, declare

_SETTINGS = {
    "max_answers": Int(1, MAX_ANSWERS),
    "max_words": Int(1, MAX_WORDS_LIMIT),
    "max_chars": Int(MIN_CHARS_LIMIT, MAX_CHARS_LIMIT),
    "mode": Choice(("live", "reveal"), code="invalid_visibility"),
    "anonymous": Bool(),
    "on_screen": Bool(),
}

declare(
    "cloud:create",
    doc="Créer un nuage de mots (question et réglages).",
    fields={"question": Str(2000, required=True), **_SETTINGS},
)
declare(
    "cloud:update",
    doc="Changer la question, les réglages, l’état, la révélation, l’affichage projeté.",
    fields={
        "activity_id": Id(required=True),
        "question": Str(2000),
        **_SETTINGS,
        "status": Choice(("open", "closed")),
        "revealed": Bool(),
        "show_counts": Bool(),
    },
)
declare(
    "cloud:delete",
    doc="Supprimer un nuage de mots et toutes ses réponses.",
    fields={"activity_id": Id(required=True)},
)
declare(
    "cloud:answer",
    roles=("participant",),
    doc="Envoyer une réponse (une seule fois par client_id).",
    fields={
        "client_id": ClientId(required=True),
        "activity_id": Id(required=True),
        "text": Str(400, required=True),
    },
)
declare(
    "cloud:answer:update",
    roles=("participant",),
    doc="Changer sa réponse tant que le nuage est ouvert.",
    fields={"answer_id": Id(required=True), "text": Str(400, required=True)},
)
declare(
    "cloud:answer:delete",
    roles=("facilitator", "participant"),
    doc="Retirer sa réponse (l’animation : n’importe laquelle).",
    fields={"answer_id": Id(required=True)},
)
_WORD = {"activity_id": Id(required=True), "key": Str(KEY_MAX_LENGTH, required=True)}
declare(
    "cloud:word:hide",
    doc="Masquer un mot (toutes ses réponses) ou le rétablir.",
    fields={**_WORD, "hidden": Bool(default=True)},
)
declare(
    "cloud:word:merge",
    doc="Compter les réponses d’un mot pour un autre (into : null pour séparer).",
    fields={**_WORD, "into": Str(KEY_MAX_LENGTH, required=True, nullable=True)},
)
declare(
    "cloud:word:rename",
    doc="Choisir la forme affichée d’un mot (label : null pour revenir à la plus fréquente).",
    fields={**_WORD, "label": Str(MAX_CHARS_LIMIT * 2, required=True, nullable=True)},
)
