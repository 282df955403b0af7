"""The live actor map's client events."""

from .. import livemap as rules
from ..contracts import Bool, Choice, ClientId, Id, Int, Str, declare

BOTH = ("facilitator", "participant")
WHAT = ("actor", "contribution", "link")
VERSION_MAX = 2**31
TOO_LONG = "livemap_text_too_long"


def version(**kw):
    return Int(0, VERSION_MAX, **kw)


declare(
    "livemap:actor:add",
    roles=BOTH,
    doc="Ajouter un acteur (ou retrouver celui de même nom), une seule fois par `client_id`.",
    fields={
        "client_id": ClientId(required=True),
        "name": Str(rules.ACTOR_NAME_MAX, required=True, too_long=TOO_LONG),
        "kind": Str(rules.ACTOR_KIND_MAX, nullable=True, too_long=TOO_LONG),
        "territory": Str(rules.TERRITORY_MAX, nullable=True, too_long=TOO_LONG),
    },
)
declare(
    "livemap:contribution:add",
    roles=BOTH,
    doc="Ajouter l’apport d’un acteur à une étape, une seule fois par `client_id`.",
    fields={
        "client_id": ClientId(required=True),
        "actor_id": Id(required=True),
        "stage": Str(80, required=True),
        "text": Str(rules.CONTRIBUTION_MAX, required=True, too_long=TOO_LONG),
    },
)
declare(
    "livemap:link:add",
    roles=BOTH,
    doc="Relier deux acteurs, une seule fois par `client_id`.",
    fields={
        "client_id": ClientId(required=True),
        "source_id": Id(required=True),
        "target_id": Id(required=True),
        "kind": Str(rules.LINK_KIND_MAX, nullable=True, too_long=TOO_LONG),
    },
)
declare(
    "livemap:validate",
    doc="Valider un acteur, une contribution ou un lien (`id`), ou tout (`what`: `all`).",
    fields={"what": Choice((*WHAT, "all"), required=True), "id": Id()},
)
declare(
    "livemap:actor:update",
    doc="Modifier un acteur (avec la `version` sur laquelle on s’appuie).",
    fields={
        "actor_id": Id(required=True),
        "version": version(required=True),
        "name": Str(rules.ACTOR_NAME_MAX, too_long=TOO_LONG),
        "kind": Str(rules.ACTOR_KIND_MAX, nullable=True, too_long=TOO_LONG),
        "territory": Str(rules.TERRITORY_MAX, nullable=True, too_long=TOO_LONG),
    },
)
declare(
    "livemap:contribution:update",
    doc="Modifier le texte d’une contribution ou la changer d’étape.",
    fields={
        "contribution_id": Id(required=True),
        "version": version(required=True),
        "text": Str(rules.CONTRIBUTION_MAX, too_long=TOO_LONG),
        "stage": Str(80),
    },
)
declare(
    "livemap:link:update",
    doc="Changer le type d’un lien.",
    fields={
        "link_id": Id(required=True),
        "version": version(required=True),
        "kind": Str(rules.LINK_KIND_MAX, nullable=True, too_long=TOO_LONG),
    },
)
declare(
    "livemap:delete",
    doc="Supprimer un acteur, une contribution ou un lien.",
    fields={"what": Choice(WHAT, required=True), "id": Id(required=True), "version": version()},
)
declare(
    "livemap:withdraw",
    roles=("participant",),
    doc="Retirer son propre envoi, en attente ou déjà sur la carte.",
    fields={"what": Choice(WHAT, required=True), "id": Id(required=True)},
)
declare(
    "livemap:merge",
    doc="Fusionner un acteur en double (`source_id`) dans un autre (`target_id`).",
    fields={
        "source_id": Id(required=True),
        "target_id": Id(required=True),
        "source_version": version(required=True),
        "target_version": version(required=True),
    },
)
declare(
    "livemap:settings",
    doc="Ouvrir/fermer l’activité, choisir la vue projetée, mettre un acteur en évidence.",
    fields={
        "open": Bool(),
        "view": Choice(rules.VIEWS, code="livemap_invalid_view"),
        "highlight": Id(nullable=True),
    },
)
