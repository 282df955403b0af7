"""Grouping suggestions on the post-it board (console only)."""

from ..board import CATEGORY_MAX_LENGTH
from ..board_suggest import MAX_GROUPS, MAX_NOTES
from ..contracts import Id, List, Object, Str, declare

_NOTES = List(
    Object({"id": Id(required=True), "basis": Str(12, required=True)}),
    max_items=MAX_NOTES,
    required=True,
)

declare(
    "board:suggest",
    writes=False,
    doc="Suggérer des regroupements pour les post-it non rangés d’une question (rien ne change).",
    fields={"prompt_id": Id(required=True)},
)

declare(
    "board:suggest:accept",
    doc="Accepter des groupes suggérés : chacun devient une catégorie (ou rejoint celle indiquée).",
    fields={
        "prompt_id": Id(required=True),
        "groups": List(
            Object(
                {
                    "title": Str(CATEGORY_MAX_LENGTH, required=True),
                    "category_id": Id(nullable=True),
                    "notes": List(
                        Object({"id": Id(required=True), "basis": Str(12, required=True)}),
                        min_items=1,
                        max_items=MAX_NOTES,
                        required=True,
                    ),
                }
            ),
            min_items=1,
            max_items=MAX_GROUPS,
            required=True,
        ),
    },
)

declare(
    "board:suggest:undo",
    doc="Annuler une acceptation entière (ce que son accusé a rendu dans « undo »).",
    fields={
        "prompt_id": Id(required=True),
        "categories": List(Id(), max_items=MAX_GROUPS, required=True),
        "notes": _NOTES,
    },
)
