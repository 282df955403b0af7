"""The three stages of a collective-impact strategy.

A contribution of an actor is classified into one of three stages, in this
order: *déclencher l’action*, *organiser la stratégie d’impact collectif* and
*animer la stratégie d’impact collectif*. Spreadsheets written by hand spell
them in many ways; :func:`normalize_stage` maps all of them to a key.

>>> normalize_stage("DÉCLENCHER l'action")
'declencher'
>>> normalize_stage("Animer…")
'animer'
>>> STAGE_LABELS["organiser"]
'Organiser la stratégie d’impact collectif'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .i18n import _STAGE_TEXTS

__all__ = [
    "STAGES",
    "STAGE_LABELS",
    "STAGE_SHORT_LABELS",
    "STAGE_DESCRIPTIONS",
    "STAGE_COLORS",
    "normalize_stage",
    "sort_stages",
    "stage_index",
]

#: Stage keys, in the order of the strategy.
STAGES: tuple[str, ...] = ("declencher", "organiser", "animer")

#: Full French labels, as in the collective-impact literature (English and
#: other forms: :func:`maps.i18n.stage_label`).
STAGE_LABELS: dict[str, str] = dict(_STAGE_TEXTS["full"])

#: Short French labels, for column headers and tags.
STAGE_SHORT_LABELS: dict[str, str] = dict(_STAGE_TEXTS["short"])

#: One-line explanations, for user interfaces.
STAGE_DESCRIPTIONS: dict[str, str] = dict(_STAGE_TEXTS["description"])

#: Colours used for each stage in drawings (colour-blind friendly palette).
STAGE_COLORS: dict[str, str] = {
    "declencher": "#E69F00",
    "organiser": "#0072B2",
    "animer": "#009E73",
}

_PREFIXES = (
    ("declench", "declencher"),
    ("organis", "organiser"),
    ("anim", "animer"),
)


def _fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents.

    >>> _fold("DÉCLENCHER")
    'declencher'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalize_stage(value: object) -> str | None:
    """Return the stage key for ``value``, or ``None`` if it is not a stage.

    Accents, case, surrounding spaces and the end of the French label are
    ignored: only the first word counts. The numbers ``1``, ``2`` and ``3`` are
    accepted too.

    Parameters
    ----------
    value : object
        A stage as written in a spreadsheet.

    Returns
    -------
    str or None
        One of :data:`STAGES`, or ``None``.

    Examples
    --------
    >>> [normalize_stage(v) for v in ["declencher", "Déclencher", "DÉCLENCHER l'action"]]
    ['declencher', 'declencher', 'declencher']
    >>> normalize_stage("Organiser la stratégie d'impact collectif")
    'organiser'
    >>> normalize_stage("  animer la stratégie d’impact collectif ")
    'animer'
    >>> normalize_stage("3")
    'animer'
    >>> normalize_stage("évaluer") is None
    True
    """
    if value is None:
        return None
    text = _fold(str(value)).strip()
    if text in {"1", "2", "3"}:
        return STAGES[int(text) - 1]
    match = re.match(r"[a-z]+", text)
    if not match:
        return None
    word = match.group(0)
    for prefix, key in _PREFIXES:
        if word.startswith(prefix):
            return key
    return None


def stage_index(stage: str) -> int:
    """Position of a stage key in the strategy (0, 1 or 2).

    >>> stage_index("animer")
    2
    """
    return STAGES.index(stage)


def sort_stages(stages: Iterable[str]) -> list[str]:
    """Return the distinct stage keys of ``stages`` in strategy order.

    >>> sort_stages(["animer", "declencher", "animer"])
    ['declencher', 'animer']
    """
    present = set(stages)
    return [s for s in STAGES if s in present]
