"""Click's own words (« Usage », « Options », its error messages) in French.

Click marks them with :mod:`gettext` but ships no French catalogue. The
commands of this project speak the environment's language
(:func:`maps.i18n.environment_lang`); in French, :func:`install` gives each
Click module a ``_`` and an ``ngettext`` that read the table below. Click
fills the fields itself (``{value!r}`` fields are written here without
``!r``, between « »). Messages that only a programming error can show stay
as Click writes them.

>>> install("fr")
>>> import click.exceptions
>>> click.exceptions._("Missing option")
'Option manquante'
>>> click.exceptions.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
'Vouliez-vous dire {possibility}\\xa0?'
>>> install("en")
>>> click.exceptions._("Missing option")
'Missing option'
"""

import gettext as _gettext
import importlib

import click

NB = "\u00a0"

FRENCH = {
    "deprecated": "obsolète",
    # Click writes a heading and ":" (« Options : » needs its space here)
    "Options": f"Options{NB}",
    "Aborted!": f"Abandon{NB}!",
    "Commands": f"Commandes{NB}",
    "Missing command.": "Commande manquante.",
    "env var: {var}": f"variable d’environnement{NB}: {{var}}",
    "default: {default}": f"par défaut{NB}: {{default}}",
    "(dynamic)": "(dynamique)",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        f"Avertissement{NB}: la commande «{NB}{{name}}{NB}» est obsolète.{{extra_message}}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        f"Avertissement{NB}: «{NB}{{name}}{NB}» ({{param_type}}) est obsolète.{{extra_message}}"
    ),
    "Do you want to continue?": f"Voulez-vous continuer{NB}?",
    "Confirm the action without prompting.": "Confirmer l’action sans la demander.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Show this message and exit.": "Afficher ce message et quitter.",
    "Error: {message}": f"Erreur{NB}: {{message}}",
    "Try '{command} {option}' for help.": f"Essayez «{NB}{{command}} {{option}}{NB}» pour l’aide.",
    "Invalid value: {message}": f"Valeur invalide{NB}: {{message}}",
    "Invalid value for {param_hint}: {message}": (
        f"Valeur invalide pour {{param_hint}}{NB}: {{message}}"
    ),
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": f"Paramètre manquant{NB}: {{param_name}}",
    "No such option {name!r}.": f"Option inconnue{NB}: «{NB}{{name}}{NB}».",
    "No such command {name!r}.": f"Commande inconnue{NB}: «{NB}{{name}}{NB}».",
    "unknown error": "erreur inconnue",
    "Could not open file {filename!r}: {message}": (
        f"Impossible d’ouvrir le fichier «{NB}{{filename}}{NB}»{NB}: {{message}}"
    ),
    "Usage:": f"Utilisation{NB}:",
    "Invalid start character for option ({option})": (
        "Caractère initial invalide pour une option ({option})"
    ),
    "Argument {name!r} takes {nargs} values.": (
        f"L’argument «{NB}{{name}}{NB}» prend {{nargs}} valeurs."
    ),
    "Option {name!r} does not take a value.": (
        f"L’option «{NB}{{name}}{NB}» ne prend pas de valeur."
    ),
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": (
        f"Erreur{NB}: les deux valeurs saisies ne correspondent pas."
    ),
    "Error: invalid input": f"Erreur{NB}: saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Choose from:\n\t{choices}": f"Choisissez parmi{NB}:\n\t{{choices}}",
    "{value!r} is not a valid {number_type}.": f"«{NB}{{value}}{NB}» n’est pas un nombre valide.",
    "{value} is not in the range {range}.": "{value} n’est pas dans l’intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        f"«{NB}{{value}}{NB}» n’est pas un booléen valide. Valeurs reconnues{NB}: {{states}}"
    ),
    "{value!r} is not a valid UUID.": f"«{NB}{{value}}{NB}» n’est pas un UUID valide.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": f"{{name}} «{NB}{{filename}}{NB}» introuvable.",
    "{name} {filename!r} is a file.": f"{{name}} «{NB}{{filename}}{NB}» est un fichier.",
    "{name} {filename!r} is a directory.": f"{{name}} «{NB}{{filename}}{NB}» est un dossier.",
    "{name} {filename!r} is not readable.": f"{{name}} «{NB}{{filename}}{NB}» illisible.",
    "{name} {filename!r} is not writable.": (
        f"{{name}} «{NB}{{filename}}{NB}»{NB}: écriture impossible."
    ),
    "{name} {filename!r} is not executable.": (
        f"{{name}} «{NB}{{filename}}{NB}» n’est pas exécutable."
    ),
}

FRENCH_PLURALS = {
    "Got unexpected extra argument ({args})": (
        "Argument supplémentaire inattendu ({args})",
        "Arguments supplémentaires inattendus ({args})",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Prend {nargs} valeurs, mais 1 a été donnée.",
        "Prend {nargs} valeurs, mais {len} ont été données.",
    ),
    "Did you mean {possibility}?": (
        f"Vouliez-vous dire {{possibility}}{NB}?",
        f"(Vouliez-vous dire l’un de ceux-ci{NB}: {{possibilities}}{NB}?)",
    ),
    "Option {name!r} requires an argument.": (
        f"L’option «{NB}{{name}}{NB}» demande un argument.",
        f"L’option «{NB}{{name}}{NB}» demande {{nargs}} arguments.",
    ),
    "{value!r} is not {choice}.": (
        f"«{NB}{{value}}{NB}» n’est pas {{choice}}.",
        f"«{NB}{{value}}{NB}» n’est pas l’un des choix {{choices}}.",
    ),
    "{value!r} does not match the format {format}.": (
        f"«{NB}{{value}}{NB}» ne suit pas le format {{format}}.",
        f"«{NB}{{value}}{NB}» ne suit aucun des formats {{formats}}.",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} valeurs sont demandées, mais {len_value} a été donnée.",
        "{len_type} valeurs sont demandées, mais {len_value} ont été données.",
    ),
}

MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
    "utils",
)


def french_gettext(message: str) -> str:
    """Click's ``message`` in French (itself when the table lacks it)."""
    return FRENCH.get(message, message)


def french_ngettext(singular: str, plural: str, n: int) -> str:
    """Click's plural message in French: the singular for 0 and 1."""
    forms = FRENCH_PLURALS.get(singular)
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if abs(n) < 2 else forms[1]


def install(lang: str) -> None:
    """Make Click speak ``lang`` ("fr": the table above; otherwise Click's
    own English)."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = french_gettext if lang == "fr" else _gettext.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = french_ngettext if lang == "fr" else _gettext.ngettext


class Group(click.Group):
    """A command group whose Click words follow the environment's language
    at each run (read when the command starts, as its messages are)."""

    def main(self, *args, **kwargs):
        from .i18n import environment_lang

        install(environment_lang())
        return super().main(*args, **kwargs)
