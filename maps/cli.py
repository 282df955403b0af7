"""Command line: ``workshop map analyse`` and ``workshop map export``.

The click group :data:`map_cli` is mounted by the application as
``workshop map``; ``python -m maps`` runs it standalone.

Exit codes: 0 on success, 2 on invalid input (with a French message naming the
file, the row and the value; nothing is written).
"""

from __future__ import annotations

import datetime
import json
import sys

import click

from .analysis import analyse, analysis_text
from .errors import MapInputError
from .export import EXPORT_FORMATS, export_many, format_for
from .io import read_map

__all__ = ["map_cli", "main"]


def _load(path: str, lenient: bool):
    try:
        m = read_map(path, lenient=lenient)
    except MapInputError as exc:
        click.echo(f"Erreur : {exc}", err=True)
        sys.exit(2)
    if m.warnings:
        for w in m.warnings:
            click.echo(f"Avertissement : ligne ignorée : {w}", err=True)
        n = len(m.warnings)
        click.echo(
            f"Bilan : {n} ligne{'s' if n > 1 else ''} ignorée{'s' if n > 1 else ''} "
            f"(mode --lenient).",
            err=True,
        )
    return m


_lang = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Langue du rapport et des images (fr ou en).",
)

_lenient = click.option(
    "--lenient",
    is_flag=True,
    help="Ignorer les lignes invalides (un avertissement par ligne) au lieu d’échouer.",
)


@click.group(name="map", help="Cartographie des acteurs : analyse et export.")
def map_cli() -> None:
    pass


@map_cli.command("analyse", help="Analyser une cartographie (dossier CSV ou classeur XLSX).")
@click.argument("input", type=click.Path(exists=False))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON au lieu du rapport texte.")
@click.option("--seed", default=42, show_default=True, help="Graine (communautés, échantillons).")
@click.option("--top", default=10, show_default=True, help="Nombre de passerelles et suggestions.")
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
        raise click.BadParameter("date attendue au format AAAA-MM-JJ") from None


@map_cli.command(
    "export",
    help="Exporter une cartographie (format choisi par l’extension). --out peut être "
    "répété : chaque image n’est alors dessinée qu'une fois pour PNG, SVG et PDF.",
)
@click.argument("input", type=click.Path(exists=False))
@click.option(
    "--out",
    "outs",
    required=True,
    multiple=True,
    type=click.Path(),
    help="Fichier de sortie (option répétable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORT_FORMATS)),
    default=None,
    help="Format (sinon déduit de l’extension ; workbook = XLSX au format d’entrée).",
)
@click.option(
    "--layout",
    type=click.Choice(["stages", "network"]),
    default="stages",
    show_default=True,
    help="Disposition des images.",
)
@click.option("--title", default=None, help="Titre de l’image.")
@click.option("--paper", type=click.Choice(["a4", "a3", "screen"]), default="a4", show_default=True)
@click.option(
    "--date",
    default=None,
    callback=_parse_date,
    help="Date de la légende (AAAA-MM-JJ ; défaut : date des fichiers d’entrée).",
)
@click.option(
    "--colour-by",
    "colour_by",
    type=click.Choice(["kind", "stage"]),
    default=None,
    help="Couleur des acteurs : par type ou par étape.",
)
@click.option(
    "--source",
    default=None,
    help="Origine des données pour la légende (défaut : nom des fichiers d’entrée).",
)
@click.option("--seed", default=42, show_default=True, help="Graine de la disposition réseau.")
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
        click.echo(f"Écrit : {out} ({f})", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m maps``."""
    map_cli.main(args=argv, prog_name="python -m maps")
