"""Rules of the live actor map ("portrait croisé"): pure functions, no I/O.

An actor has a name, a kind and a territory; a contribution belongs to one of
the three stages of a collective-impact strategy; a link joins two actors.
Participants' submissions wait for the facilitator's validation.

>>> fold_name("  Tubà ")
'tuba'
>>> slugify("Ville de Mulhouse – Service jeunesse")
'ville-de-mulhouse-service-jeunesse'
>>> check_stage("Déclencher")
'declencher'
"""

import re
import unicodedata

from .errors import DomainError
from .text import clean_text

STAGES = ("declencher", "organiser", "animer")
VIEWS = ("stage", "network", "table", "analysis")
STATUSES = ("pending", "validated")
ACTOR_NAME_MAX = 120
ACTOR_KIND_MAX = 40
TERRITORY_MAX = 120
CONTRIBUTION_MAX = 500
LINK_KIND_MAX = 40
KEY_MAX = 80
#: Most actors an atelier's live map may hold (pending ones included).
MAX_ACTORS = 300
MAX_CONTRIBUTIONS = 1500
MAX_LINKS = 1500

#: Suggested actor kinds (free text is allowed too).
ACTOR_KINDS = (
    "association",
    "collectivite",
    "reseau",
    "fondation",
    "financeur",
    "service_public",
    "entreprise",
    "autre",
)
#: Suggested link kinds (free text is allowed too).
LINK_KINDS = ("partenaire", "finance", "accompagne", "oriente", "membre")


def fold_name(value: str) -> str:
    """Accent-, case- and space-insensitive form of a name, for matching.

    >>> fold_name("UNIS-CITÉ") == fold_name("unis cite")
    True
    >>> fold_name("Carré  des   associations")
    'carre des associations'
    """
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


def slugify(value: str, max_length: int = KEY_MAX) -> str:
    """A short identifier made from a name (the map's actor id).

    >>> slugify("Carré des associations")
    'carre-des-associations'
    >>> slugify("!!!")
    'acteur'
    """
    slug = fold_name(value).replace(" ", "-")[:max_length].strip("-")
    return slug or "acteur"


def unique_key(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free.

    >>> unique_key("tuba", {"tuba", "tuba-2"})
    'tuba-3'
    """
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: KEY_MAX - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def check_stage(value) -> str:
    """A stage key; accents, case and the end of the label are ignored.

    >>> check_stage("ORGANISER la stratégie")
    'organiser'
    >>> check_stage("évaluer")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: livemap_invalid_stage
    """
    if not isinstance(value, str):
        raise DomainError("livemap_invalid_stage", value=str(value)[:40])
    folded = fold_name(value)
    word = folded.split(" ")[0] if folded else ""
    for key, prefix in (("declencher", "declench"), ("organiser", "organis"), ("animer", "anim")):
        if word.startswith(prefix):
            return key
    raise DomainError("livemap_invalid_stage", value=value[:40])


def check_view(value) -> str:
    """A projector view.

    >>> check_view("network")
    'network'
    >>> check_view("3d")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: livemap_invalid_view
    """
    if value not in VIEWS:
        raise DomainError("livemap_invalid_view")
    return value


def _clean(value, max_length, field, required=True, multiline=False):
    try:
        return clean_text(
            value, max_length=max_length, field=field, required=required, multiline=multiline
        )
    except DomainError as err:
        if err.code == "text_too_long":
            raise DomainError("livemap_text_too_long", field=field, max=max_length) from None
        raise


def clean_actor_name(value) -> str:
    """
    >>> clean_actor_name("  France Active Alsace ")
    'France Active Alsace'
    >>> clean_actor_name("x" * 200)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: livemap_text_too_long
    """
    return _clean(value, ACTOR_NAME_MAX, "name")


def clean_kind(value) -> str:
    """A kind: one word or a few, stored folded with underscores.

    >>> clean_kind("Service public")
    'service_public'
    >>> clean_kind("") == ""
    True
    """
    text = _clean(value, ACTOR_KIND_MAX, "kind", required=False)
    return fold_name(text).replace(" ", "_") if text else ""


def clean_territory(value) -> str:
    """
    >>> clean_territory(" Mulhouse ")
    'Mulhouse'
    """
    return _clean(value, TERRITORY_MAX, "territory", required=False) or ""


def clean_contribution(value) -> str:
    """
    >>> clean_contribution("accompagnement des associations")
    'accompagnement des associations'
    """
    return _clean(value, CONTRIBUTION_MAX, "text", multiline=True)


def clean_link_kind(value) -> str:
    """
    >>> clean_link_kind("Partenaire")
    'partenaire'
    >>> clean_link_kind(None)
    'partenaire'
    """
    return clean_kind(value) or "partenaire"


def check_conflict(current_version: int, based_on: int, current_value: str) -> None:
    """Refuse an edit based on an older version than the stored one.

    >>> check_conflict(2, 2, "Tubà")
    >>> check_conflict(3, 2, "Tubà")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: conflict
    """
    if current_version != based_on:
        raise DomainError("conflict", current=current_value, version=current_version)


def find_match(name: str, candidates: list[tuple[int, str]]) -> int | None:
    """The id of the candidate whose name matches ``name`` (accents and case
    ignored), or None.

    >>> find_match("unis cité", [(1, "Tubà"), (2, "Unis-Cité")])
    2
    >>> find_match("RNMA", [(1, "Tubà")]) is None
    True
    """
    folded = fold_name(name)
    for cid, cname in candidates:
        if fold_name(cname) == folded:
            return cid
    return None


def suggest(query: str, candidates: list[tuple[int, str]], limit: int = 6) -> list[int]:
    """Ids of candidates whose name contains every word of ``query`` (folded),
    those starting with it first.

    >>> suggest("mulh jeun", [(1, "Ville de Mulhouse - service jeunesse"), (2, "Tubà")])
    [1]
    >>> suggest("tu", [(1, "Unis-Cité Tubà"), (2, "Tubà")])
    [2, 1]
    """
    words = fold_name(query).split()
    if not words:
        return []
    hits = []
    for cid, cname in candidates:
        folded = fold_name(cname)
        if all(w in folded for w in words):
            hits.append((0 if folded.startswith(words[0]) else 1, folded, cid))
    hits.sort()
    return [cid for _, _, cid in hits[:limit]]
