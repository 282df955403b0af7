"""Command line: ``workshop map analyse`` and ``workshop map export``.

The click group :data:`map_cli` is mounted by the application as
``workshop map``; ``python -m maps`` runs it standalone.

Exit codes: 0 on success, 2 on invalid input (with a message naming the
file, the row and the value; nothing is written).

Messages and help are in the environment's language
(:func:`maps.i18n.environment_lang`: ``LC_ALL``, ``LC_MESSAGES``, ``LANG``;
French by default), and so is the report unless ``--lang`` says otherwise.
"""

from __future__ import annotations

import datetime
import json
import sys

import click

from .analysis import analyse, analysis_text
from .click_i18n import Group
from .click_i18n import install as _install_click_words
from .errors import MapInputError
from .export import EXPORT_FORMATS, export_many, format_for
from .i18n import environment_lang, ntr, tr
from .io import read_map

__all__ = ["map_cli", "main"]

_HELP_LANG = environment_lang()
_install_click_words(_HELP_LANG)  # « Utilisation », « Options »… in French


def _h(text: str) -> str:
    """A help text, in the language of the environment the command started in."""
    return tr(text, _HELP_LANG)


def _load(path: str, lenient: bool):
    lang = environment_lang()
    try:
        m = read_map(path, lenient=lenient)
    except MapInputError as exc:
        click.echo(tr("Erreur\u00a0: {error}", lang, error=exc.text(lang)), err=True)
        sys.exit(2)
    if m.warnings:
        for w in m.warnings:
            click.echo(
                tr(
                    "Avertissement\u00a0: ligne ignorée\u00a0: {warning}",
                    lang,
                    warning=w.text(lang),
                ),
                err=True,
            )
        click.echo(
            ntr(
                "Bilan\u00a0: {n} ligne ignorée (mode --lenient).",
                "Bilan\u00a0: {n} lignes ignorées (mode --lenient).",
                len(m.warnings),
                lang,
            ),
            err=True,
        )
    return m


_lang = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=environment_lang,
    show_default=_h("fr, ou en si LANG=en…"),
    help=_h("Langue du rapport et des images (fr ou en)."),
)

_lenient = click.option(
    "--lenient",
    is_flag=True,
    help=_h("Ignorer les lignes invalides (un avertissement par ligne) au lieu d’échouer."),
)


# short_help given as is: click's own shortening turns non-breaking spaces into spaces
@click.group(
    cls=Group,
    name="map",
    help=_h("Cartographie des acteurs\u00a0: analyse et export."),
    short_help=_h("Cartographie des acteurs\u00a0: analyse et export."),
)
def map_cli() -> None:
    pass


@map_cli.command("analyse", help=_h("Analyser une cartographie (dossier CSV ou classeur XLSX)."))
@click.argument("input", type=click.Path(exists=False))
@click.option("--json", "as_json", is_flag=True, help=_h("Sortie JSON au lieu du rapport texte."))
@click.option(
    "--seed", default=42, show_default=True, help=_h("Graine (communautés, échantillons).")
)
@click.option(
    "--top", default=10, show_default=True, help=_h("Nombre de passerelles et suggestions.")
)
@_lang
@_lenient
def analyse_cmd(input: str, as_json: bool, seed: int, top: int, lang: str, lenient: bool) -> None:
    m = _load(input, lenient)
    result = analyse(m, seed=seed, top=top, lang=lang)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(analysis_text(m, result, lang), nl=False)


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            tr("date attendue au format AAAA-MM-JJ", environment_lang())
        ) from None


@map_cli.command(
    "export",
    help=_h(
        "Exporter une cartographie (format choisi par l’extension). --out peut être "
        "répété\u00a0: chaque image n’est alors dessinée qu’une fois pour PNG, SVG et PDF."
    ),
)
@click.argument("input", type=click.Path(exists=False))
@click.option(
    "--out",
    "outs",
    required=True,
    multiple=True,
    type=click.Path(),
    help=_h("Fichier de sortie (option répétable)."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORT_FORMATS)),
    default=None,
    help=_h("Format (sinon déduit de l’extension\u00a0; workbook = XLSX au format d’entrée)."),
)
@click.option(
    "--layout",
    type=click.Choice(["stages", "network"]),
    default="stages",
    show_default=True,
    help=_h("Disposition des images."),
)
@click.option("--title", default=None, help=_h("Titre de l’image."))
@click.option("--paper", type=click.Choice(["a4", "a3", "screen"]), default="a4", show_default=True)
@click.option(
    "--date",
    default=None,
    callback=_parse_date,
    help=_h("Date de la légende (AAAA-MM-JJ\u00a0; défaut\u00a0: date des fichiers d’entrée)."),
)
@click.option(
    "--colour-by",
    "colour_by",
    type=click.Choice(["kind", "stage"]),
    default=None,
    help=_h("Couleur des acteurs\u00a0: par type ou par étape."),
)
@click.option(
    "--source",
    default=None,
    help=_h("Origine des données pour la légende (défaut\u00a0: nom des fichiers d’entrée)."),
)
@click.option("--seed", default=42, show_default=True, help=_h("Graine de la disposition réseau."))
@_lang
@_lenient
def export_cmd(
    input, outs, fmt, layout, title, paper, date, colour_by, source, seed, lang, lenient
) -> None:
    try:
        formats = [format_for(out, fmt) for out in outs]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--out/--format") from None
    m = _load(input, lenient)
    export_many(
        m,
        [(out, {"format": f}) for out, f in zip(outs, formats, strict=True)],
        layout=layout,
        title=title,
        paper=paper,
        date=date,
        colour_by=colour_by,
        seed=seed,
        source=source,
        lang=lang,
    )
    for out, f in zip(outs, formats, strict=True):
        click.echo(
            tr("Écrit\u00a0: {out} ({format})", environment_lang(), out=out, format=f), err=True
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m maps``."""
    map_cli.main(args=argv, prog_name="python -m maps")
