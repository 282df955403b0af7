"""Languages: French first (the source language of every message), English.

Strings are marked with ``gettext``/``_`` in Python and templates, or with
``N_`` where they must be translated later (error messages). The catalogues
are in ``workshop/translations`` (``pybabel`` config: ``babel.cfg``).
"""

from flask import g, request

LANGUAGES = ("fr", "en")
DEFAULT_LOCALE = "fr"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def select_locale() -> str:
    """The atelier's language on atelier pages, else the visitor's choice."""
    atelier_locale = getattr(g, "atelier_locale", None)
    if atelier_locale in LANGUAGES:
        return atelier_locale
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LOCALE)
