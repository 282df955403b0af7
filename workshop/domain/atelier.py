"""Rules of an atelier's life: open, locked (no new joins), closed.

>>> can_join("open"), can_join("locked"), can_join("closed")
(True, False, False)
>>> check_transition("open", "locked")
'locked'
>>> check_transition("closed", "bogus")
Traceback (most recent call last):
...
workshop.domain.errors.DomainError: invalid_status
"""

import datetime as dt

from .errors import DomainError
from .text import PLACE_MAX_LENGTH, TITLE_MAX_LENGTH, clean_text

STATUSES = ("open", "locked", "closed")
LOCALES = ("fr", "en")


def can_join(status: str) -> bool:
    """New participants may join an open atelier only."""
    return status == "open"


def can_write(status: str) -> bool:
    """Participants may post while the atelier is open or locked, not closed."""
    return status in ("open", "locked")


def check_transition(current: str, new) -> str:
    """Any status may go to any other: a facilitator may reopen a closed atelier."""
    if new not in STATUSES:
        raise DomainError("invalid_status")
    return new


def clean_atelier_fields(data: dict) -> dict:
    """Validate the fields of a new or edited atelier.

    >>> clean_atelier_fields({"title": " Mulhouse ", "date": "2026-11-23"})["date"]
    datetime.date(2026, 11, 23)
    >>> clean_atelier_fields({"title": "x", "date": "23/11"})
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: invalid_date
    """
    title = clean_text(data.get("title"), max_length=TITLE_MAX_LENGTH, field="title")
    place = clean_text(
        data.get("place"), max_length=PLACE_MAX_LENGTH, required=False, field="place"
    )
    date = data.get("date")
    if isinstance(date, dt.date):
        pass
    elif date in (None, ""):
        date = None
    elif isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise DomainError("invalid_date") from None
    else:
        raise DomainError("invalid_date")
    anonymous = data.get("allow_anonymous", True)
    if isinstance(anonymous, str):
        anonymous = anonymous.lower() in ("1", "true", "on", "yes", "oui")
    locale = data.get("locale") or "fr"
    if locale not in LOCALES:
        raise DomainError("invalid_locale")
    return {
        "title": title,
        "place": place,
        "date": date,
        "allow_anonymous": bool(anonymous),
        "locale": locale,
    }
