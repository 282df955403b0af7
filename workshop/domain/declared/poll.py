"""Events of the quick poll (« sondage »)."""

from ..contracts import Bool, Choice, ClientId, Id, Int, List, Str, declare
from ..poll import KINDS, MAX_OPTIONS, SCALES

_SHAPE = {
    "kind": Choice(KINDS),
    "options": List(Str(400), max_items=MAX_OPTIONS),
    "max_choices": Int(1, MAX_OPTIONS),
    "scale_max": Choice(SCALES, code="poll_invalid_scale"),
    "label_low": Str(200, nullable=True),
    "label_high": Str(200, nullable=True),
    "on_screen": Bool(),
}

declare(
    "poll:create",
    doc="Créer un sondage : choix unique, choix multiple (avec un maximum) ou échelle.",
    fields={"question": Str(2000, required=True), **_SHAPE},
)
declare(
    "poll:update",
    doc="Changer la question, l’état (ouvert, clos), l’affichage des résultats, la projection.",
    fields={
        "poll_id": Id(required=True),
        "question": Str(2000),
        **_SHAPE,
        "status": Choice(("open", "closed")),
        "results_shown": Bool(),
    },
)
declare(
    "poll:delete",
    doc="Supprimer un sondage et ses votes.",
    fields={"poll_id": Id(required=True)},
)
declare(
    "poll:vote",
    roles=("participant",),
    doc="Voter ou changer son vote tant que le sondage est ouvert.",
    fields={
        "client_id": ClientId(required=True),
        "poll_id": Id(required=True),
        "choices": List(Int(0, 2**31), max_items=MAX_OPTIONS),
        "value": Int(-(2**31), 2**31),
    },
)
declare(
    "poll:withdraw",
    roles=("participant",),
    doc="Retirer son vote tant que le sondage est ouvert.",
    fields={"poll_id": Id(required=True)},
)
