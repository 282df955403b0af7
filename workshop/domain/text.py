"""Validation of short texts typed by people: names, titles, notes.

>>> clean_text("  Atelier  coopérations ", max_length=80)
'Atelier  coopérations'
>>> clean_text("", max_length=10)
Traceback (most recent call last):
...
workshop.domain.errors.DomainError: text_empty
>>> clean_text("a\\x00b", max_length=10)
Traceback (most recent call last):
...
workshop.domain.errors.DomainError: text_control_chars
>>> clean_text("ligne 1\\nligne 2", max_length=40, multiline=True)
'ligne 1\\nligne 2'
"""

import unicodedata

from .errors import DomainError

NAME_MAX_LENGTH = 40
TITLE_MAX_LENGTH = 120
PLACE_MAX_LENGTH = 120


def has_control_chars(text: str, *, multiline: bool = False) -> bool:
    """True when ``text`` holds a control or format character.

    Newlines and tabs are allowed in multi-line texts only.
    """
    allowed = {"\n", "\t"} if multiline else set()
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in ("\u2028", "\u2029"):
            return True
    return False


def clean_text(
    value,
    *,
    max_length: int,
    multiline: bool = False,
    required: bool = True,
    field: str = "text",
) -> str | None:
    """Return ``value`` stripped and checked, or raise :class:`DomainError`.

    Codes: ``text_invalid`` (not a string), ``text_empty``, ``text_too_long``
    (with ``max``), ``text_control_chars``. ``field`` names the field in the
    error parameters.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError("text_invalid", field=field)
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    if not value:
        if required:
            raise DomainError("text_empty", field=field)
        return None
    if has_control_chars(value, multiline=multiline):
        raise DomainError("text_control_chars", field=field)
    if len(value) > max_length:
        raise DomainError("text_too_long", field=field, max=max_length, length=len(value))
    return value


def clean_display_name(value, *, allow_anonymous: bool) -> str | None:
    """A participant's display name: at most 40 characters, one line.

    ``None`` means anonymous, which only an atelier that allows it accepts.

    >>> clean_display_name("  Awa ", allow_anonymous=False)
    'Awa'
    >>> clean_display_name("", allow_anonymous=True) is None
    True
    >>> clean_display_name("", allow_anonymous=False)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: name_required
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_anonymous:
            return None
        raise DomainError("name_required")
    try:
        return clean_text(value, max_length=NAME_MAX_LENGTH, field="name")
    except DomainError as err:
        if err.code == "text_too_long":
            raise DomainError("name_too_long", max=NAME_MAX_LENGTH) from None
        if err.code == "text_control_chars":
            raise DomainError("name_control_chars") from None
        raise
