"""Languages: French first (the source language of every message), English.

Strings are marked with ``gettext``/``_`` in Python and templates, or with
``N_`` where they must be translated later (error messages). The catalogues
are in ``workshop/translations`` (``pybabel`` config: ``babel.cfg``).
"""

from pathlib import Path

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


def _french_plural(n: int) -> int:
    """French takes the singular for 0 and 1 (« 0 contribution »)."""
    return 0 if abs(n) < 2 else 1


def _page_ngettext(singular: str, plural: str, num: int) -> str:
    """The plural form for the page's language, unformatted: French (the
    source language, which has no catalogue) with its own rule, other
    languages through their catalogue."""
    from flask_babel import get_locale, get_translations

    locale = get_locale()
    if locale is None or locale.language == DEFAULT_LOCALE:
        return (singular, plural)[_french_plural(num)]
    return get_translations().ungettext(singular, plural, num)


def ngettext(singular: str, plural: str, num: int, **values) -> str:
    """Flask-Babel's ``ngettext``, with French's rule for 0: without a French
    catalogue, Babel would take the plural for every count but 1."""
    values.setdefault("num", num)
    return _page_ngettext(singular, plural, num) % values


def install_plurals(app) -> None:
    """Give the templates :func:`ngettext` (French singular for 0 and 1),
    in place of the one Flask-Babel installed."""
    from flask_babel import get_translations

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=_page_ngettext,
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )


class Texts:
    """The catalogue's messages in one language, where there is no request to
    choose it (documents written for an atelier, command-line messages).

    The same messages and the same ``%(name)s`` fields as Flask-Babel's
    ``gettext`` and ``ngettext`` (``num`` is the count); French is the source
    language, so French returns the message itself.

    >>> en, fr = texts("en"), texts("fr")
    >>> en.gettext("Méthode"), fr.gettext("Méthode")
    ('Method', 'Méthode')
    >>> fr.ngettext("%(num)d personne", "%(num)d personnes", 0)
    '0 personne'
    >>> en.ngettext("%(num)d personne", "%(num)d personnes", 0)
    '0 people'
    >>> texts("de").lang
    'fr'
    """

    def __init__(self, lang: str):
        from babel.support import Translations

        self.lang = lang if lang in LANGUAGES else DEFAULT_LOCALE
        self._catalogue = (
            None
            if self.lang == DEFAULT_LOCALE
            else Translations.load(TRANSLATIONS_DIR, [self.lang], domain="messages")
        )

    def gettext(self, message: str, **values) -> str:
        text = self._catalogue.gettext(message) if self._catalogue else message
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, num: int, **values) -> str:
        values.setdefault("num", num)
        if self._catalogue:
            text = self._catalogue.ngettext(singular, plural, num)
        else:
            text = (singular, plural)[_french_plural(num)]
        return text % values

    def colon(self) -> str:
        """What goes between a label and its value: « Sujet : x », "Topic: x".

        >>> texts("fr").colon(), texts("en").colon()
        ('\\xa0: ', ': ')
        """
        return "\u00a0: " if self.lang == "fr" else ": "


TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
_TEXTS: dict[str, Texts] = {}


def texts(lang: str | None) -> Texts:
    """The :class:`Texts` of ``lang`` (French if unknown), loaded once."""
    key = lang if lang in LANGUAGES else DEFAULT_LOCALE
    if key not in _TEXTS:
        _TEXTS[key] = Texts(key)
    return _TEXTS[key]
