"""The words of maps/, in French (the source language) and English.

maps/ is a library without Flask: it keeps its own small message table
instead of a gettext catalogue. Every function that writes words for people
(drawings, analysis prose, stage and kind labels) takes a ``lang`` argument,
``"fr"`` by default, or ``"en"``. A message is looked up by its French text;
a French text missing from the table stays French (the tests check that
every message of maps/ has its English entry).

French typography follows the project's style guide (``docs/style.md``):
typographic apostrophe, non-breaking space (U+00A0) before ``: ; ! ?`` and
inside « ». English has no space before those signs.

>>> tr("Acteurs sans lien", "en")
'Actors without links'
>>> tr("Acteurs sans lien")
'Acteurs sans lien'
>>> ntr("{n} acteur", "{n} acteurs", 0)  # French: 0 and 1 are singular
'0 acteur'
>>> ntr("{n} acteur", "{n} acteurs", 0, "en")
'0 actors'
>>> check_lang("de")
Traceback (most recent call last):
    ...
ValueError: langue inconnue\u00a0: 'de' (fr ou en)
"""

from __future__ import annotations

__all__ = [
    "LANGUAGES",
    "ENGLISH",
    "check_lang",
    "environment_lang",
    "tr",
    "ntr",
    "stage_label",
    "kind_label",
]

import os

#: Languages the library writes in; the first is the source language.
LANGUAGES: tuple[str, ...] = ("fr", "en")

NB = "\u00a0"

#: French source text -> English.
ENGLISH: dict[str, str] = {
    # stages
    "Déclencher l’action": "Trigger the action",
    "Organiser la stratégie d’impact collectif": "Organise the collective-impact strategy",
    "Animer la stratégie d’impact collectif": "Run the collective-impact strategy",
    "Déclencher": "Trigger",
    "Organiser": "Organise",
    "Animer": "Run",
    "Faire émerger les projets\u00a0: délimiter la préoccupation commune, définir un horizon "
    "de transformation, répondre aux besoins du territoire.": (
        "Bring projects to life: define the common concern, set a horizon for change, "
        "meet the needs of the territory."
    ),
    "Outiller les projets et relier les actions\u00a0: gouvernance, financement, évaluation, "
    "communication, feuille de route.": (
        "Equip the projects and connect the actions: governance, funding, evaluation, "
        "communication, roadmap."
    ),
    "Faire durer la coopération\u00a0: entretenir les échanges, ancrer les acteurs dans le "
    "territoire, collecter et analyser les données d’évaluation.": (
        "Make cooperation last: keep the exchanges going, root the actors in the territory, "
        "collect and analyse evaluation data."
    ),
    # actor kinds
    "Collectivité": "Local authority",
    "Réseau": "Network",
    "Association": "Association",
    "Fondation": "Foundation",
    "Financeur": "Funder",
    "Service public": "Public service",
    "Entreprise": "Business",
    "Autre": "Other",
    "Type non renseigné": "Type not given",
    # link kinds
    "partenaire": "partner",
    "finance": "funds",
    "accompagne": "supports",
    "oriente vers": "refers to",
    "membre de": "member of",
    "non précisé": "not given",
    # drawing
    "Cartographie des acteurs": "Actor map",
    "Cartographie des acteurs\u00a0: {name}": "Actor map: {name}",
    "Cartographie des acteurs par étape de la stratégie d’impact collectif": (
        "Actor map by stage of the collective-impact strategy"
    ),
    "Réseau des coopérations entre acteurs (disposition par forces)": (
        "Network of cooperation between actors (force-directed layout)"
    ),
    "autres types": "other types",
    "Types d’acteurs": "Actor types",
    "plusieurs étapes": "several stages",
    "sans étape renseignée": "no stage given",
    "Sans étape renseignée": "No stage given",
    "Sans lien avec les autres acteurs": "Not linked to other actors",
    "Étapes": "Stages",
    "Liens": "Links",
    "Repères": "Key",
    "même acteur présent à plusieurs étapes": "same actor at several stages",
    "seuls les {shown} acteurs les plus reliés sont nommés (sur {total})": (
        "only the {shown} most connected actors are named (out of {total})"
    ),
    "chaîne mise en évidence": "highlighted chain",
    "Chaque point est un acteur\u00a0: les {shown} plus reliés sont nommés (sur {total}).": (
        "Each dot is an actor: the {shown} most connected are named (out of {total})."
    ),
    "Source\u00a0: {source}": "Source: {source}",
    "Source\u00a0: fichiers «\u00a0{source}\u00a0»": "Source: files “{source}”",
    "Source\u00a0: données saisies": "Source: data entered",
    "données du {date}": "data as of {date}",
    # counts
    "{n} acteur": "{n} actor",
    "{n} acteurs": "{n} actors",
    "{n} contribution": "{n} contribution",
    "{n} contributions": "{n} contributions",
    "{n} lien": "{n} link",
    "{n} liens": "{n} links",
    "{n} fiche projet": "{n} project sheet",
    "{n} fiches projets": "{n} project sheets",
    "{n} groupe": "{n} group",
    "{n} groupes": "{n} groups",
    "{n} partenaire en commun ({names})": "{n} partner in common ({names})",
    "{n} partenaires en commun ({names})": "{n} partners in common ({names})",
    "{names} et {n} autre": "{names} and {n} other",
    "{names} et {n} autres": "{names} and {n} others",
    "{names} et {last}": "{names} and {last}",
    # suggestions
    "{a} ({from_stage}) pourrait passer le relais à {b} ({to_stage})": (
        "{a} ({from_stage}) could hand over to {b} ({to_stage})"
    ),
    "même territoire ({territory})": "same territory ({territory})",
    "même type d’acteur ({kind})": "same type of actor ({kind})",
    # analysis prose
    "La cartographie compte {actors}, {contributions}, {links} et {projects}.": (
        "The map has {actors}, {contributions}, {links} and {projects}."
    ),
    "Par étape de la stratégie d’impact collectif, {n} acteur contribue à déclencher "
    "l’action, {o} à l’organiser et {a} à l’animer.": (
        "By stage of the collective-impact strategy, {n} actor contributes to triggering "
        "the action, {o} to organising it and {a} to running it."
    ),
    "Par étape de la stratégie d’impact collectif, {n} acteurs contribuent à déclencher "
    "l’action, {o} à l’organiser et {a} à l’animer.": (
        "By stage of the collective-impact strategy, {n} actors contribute to triggering "
        "the action, {o} to organising it and {a} to running it."
    ),
    "{n} acteur intervient à plusieurs étapes\u00a0: {names}.": (
        "{n} actor works at several stages: {names}."
    ),
    "{n} acteurs interviennent à plusieurs étapes\u00a0: {names}.": (
        "{n} actors work at several stages: {names}."
    ),
    "{n} acteur n’a pas d’étape renseignée.": "{n} actor has no stage given.",
    "{n} acteurs n’ont pas d’étape renseignée.": "{n} actors have no stage given.",
    "Les acteurs qui font le plus le lien entre les autres (intermédiarité) sont {names}. "
    "Ils occupent une position de passerelle\u00a0: beaucoup de chemins de coopération "
    "passent par eux.": (
        "The actors who most connect the others (betweenness) are {names}. They act as "
        "bridges: many paths of cooperation go through them."
    ),
    "{n} acteur n’a aucun lien avec les autres\u00a0: {names}.": (
        "{n} actor has no link with the others: {names}."
    ),
    "{n} acteurs n’ont aucun lien avec les autres\u00a0: {names}.": (
        "{n} actors have no link with the others: {names}."
    ),
    "un groupe de {size} acteurs autour de {hub}": "a group of {size} actors around {hub}",
    "La détection de communautés fait apparaître {n} groupe d’acteurs plus liés entre "
    "eux\u00a0: {parts}.": (
        "Community detection shows {n} group of closely linked actors: {parts}."
    ),
    "La détection de communautés fait apparaître {n} groupes d’acteurs plus liés entre "
    "eux\u00a0: {parts}.": (
        "Community detection shows {n} groups of closely linked actors: {parts}."
    ),
    "Chaînage des apports\u00a0: sur {n} acteur qui déclenche l’action, {o} atteint par ses "
    "liens un acteur qui organise et {a} atteint ensuite un acteur qui anime.": (
        "Chain of contributions: of {n} actor triggering the action, {o} reaches through its "
        "links an actor who organises, and {a} then reaches an actor who runs."
    ),
    "Chaînage des apports\u00a0: sur {n} acteurs qui déclenchent l’action, {o} atteignent par "
    "leurs liens un acteur qui organise et {a} atteignent ensuite un acteur qui anime.": (
        "Chain of contributions: of {n} actors triggering the action, {o} reach through their "
        "links an actor who organises, and {a} then reach an actor who runs."
    ),
    "La chaîne est rompue pour {names}.": "The chain is broken for {names}.",
    "Par exemple\u00a0: {path}.": "For example: {path}.",
    "Aucun acteur ne contribue à déclencher l’action\u00a0: pas de chaînage possible.": (
        "No actor contributes to triggering the action: no chain is possible."
    ),
    "l’étape «\u00a0{label}\u00a0» ne compte que {actors}": (
        "the stage “{label}” has only {actors}"
    ),
    "aucun lien ne relie un acteur qui déclenche à un autre acteur qui organise": (
        "no link connects an actor who triggers to another actor who organises"
    ),
    "aucun lien ne relie un acteur qui organise à un autre acteur qui anime": (
        "no link connects an actor who organises to another actor who runs"
    ),
    "Points d’attention\u00a0: {items}.": "Points to watch: {items}.",
    "{a} et {b} ({reasons})": "{a} and {b} ({reasons})",
    "Rapprochements à envisager\u00a0: {items}.": "Connections to consider: {items}.",
    "Un acteur qui déclenche «\u00a0atteint\u00a0» un acteur qui organise puis un acteur qui "
    "anime s’il existe un chemin de liens (sans tenir compte de leur sens) vers un acteur "
    "qui organise puis de celui-ci vers un acteur qui anime\u00a0; l’exemple de chemin donné "
    "est le plus court. Un acteur présent à plusieurs étapes compte pour chacune (chemin de "
    "longueur 0).": (
        "An actor who triggers “reaches” an actor who organises and then an actor who runs "
        "if there is a path of links (whatever their direction) to an actor who organises, "
        "then from that one to an actor who runs; the example path is the shortest. An actor "
        "at several stages counts for each of them (a path of length 0)."
    ),
    # plain-text report
    "Acteurs par étape": "Actors by stage",
    "Acteurs sans lien": "Actors without links",
    "(aucun)": "(none)",
    "(aucune)": "(none)",
    "Acteurs passerelles (intermédiarité, {method})": "Bridging actors (betweenness, {method})",
    "Communautés (Louvain, modularité {q})": "Communities (Louvain, modularity {q})",
    "Chaînage des apports (déclencher → organiser → animer)": (
        "Chain of contributions (trigger → organise → run)"
    ),
    "Acteurs qui déclenchent\u00a0: {n}": "Actors who trigger: {n}",
    "… qui atteignent un acteur qui organise\u00a0: {n}": "… who reach an actor who organises: {n}",
    "… puis un acteur qui anime\u00a0: {n}": "… then an actor who runs: {n}",
    "Chaînes rompues\u00a0: {names}": "Broken chains: {names}",
    "Manques": "Gaps",
    "Étape peu représentée\u00a0: {label} ({actors})": "Stage with few actors: {label} ({actors})",
    "Aucun lien entrant depuis l’étape précédente\u00a0: {label}": (
        "No link in from the previous stage: {label}"
    ),
    "Rapprochements suggérés": "Suggested connections",
    "{label}\u00a0: {value}": "{label}: {value}",
    # command line (maps/cli.py)
    "Erreur\u00a0: {error}": "Error: {error}",
    "Avertissement\u00a0: ligne ignorée\u00a0: {warning}": "Warning: row skipped: {warning}",
    "Bilan\u00a0: {n} ligne ignorée (mode --lenient).": "Summary: {n} row skipped (--lenient mode).",
    "Bilan\u00a0: {n} lignes ignorées (mode --lenient).": (
        "Summary: {n} rows skipped (--lenient mode)."
    ),
    "Écrit\u00a0: {out} ({format})": "Written: {out} ({format})",
    "date attendue au format AAAA-MM-JJ": "date expected as YYYY-MM-DD",
    "Langue du rapport et des images (fr ou en).": "Language of the report and images (fr or en).",
    "Ignorer les lignes invalides (un avertissement par ligne) au lieu d’échouer.": (
        "Skip invalid rows (one warning per row) instead of failing."
    ),
    "Cartographie des acteurs\u00a0: analyse et export.": "Actor map: analysis and export.",
    "Analyser une cartographie (dossier CSV ou classeur XLSX).": (
        "Analyse an actor map (CSV folder or XLSX workbook)."
    ),
    "Sortie JSON au lieu du rapport texte.": "JSON output instead of the text report.",
    "Graine (communautés, échantillons).": "Seed (communities, samples).",
    "Nombre de passerelles et suggestions.": "Number of bridges and suggestions.",
    "Exporter une cartographie (format choisi par l’extension). --out peut être "
    "répété\u00a0: chaque image n’est alors dessinée qu’une fois pour PNG, SVG et PDF.": (
        "Export an actor map (format chosen by the extension). --out can be repeated: "
        "each image is then drawn once for PNG, SVG and PDF."
    ),
    "Fichier de sortie (option répétable).": "Output file (can be repeated).",
    "Format (sinon déduit de l’extension\u00a0; workbook = XLSX au format d’entrée).": (
        "Format (otherwise from the extension; workbook = XLSX in the input format)."
    ),
    "Disposition des images.": "Layout of the images.",
    "Titre de l’image.": "Title of the image.",
    "Date de la légende (AAAA-MM-JJ\u00a0; défaut\u00a0: date des fichiers d’entrée).": (
        "Date in the caption (YYYY-MM-DD; default: date of the input files)."
    ),
    "Couleur des acteurs\u00a0: par type ou par étape.": "Colour of the actors: by type or by stage.",
    "Origine des données pour la légende (défaut\u00a0: nom des fichiers d’entrée).": (
        "Where the data come from, for the caption (default: name of the input files)."
    ),
    "Graine de la disposition réseau.": "Seed of the network layout.",
    "fr, ou en si LANG=en…": "fr, or en if LANG=en…",
    # input errors (maps/errors.py, maps/io.py, maps/model.py)
    "{file}, ligne {row}": "{file}, row {row}",
    "ligne {row}": "row {row}",
    "{where}\u00a0: {message}": "{where}: {message}",
    " (valeur\u00a0: {value})": " (value: {value})",
    "étape inconnue": "unknown stage",
    "encodage illisible (octets nuls\u00a0: UTF-16 ou fichier binaire\u00a0?)\u00a0; "
    "enregistrez le fichier en CSV UTF-8": (
        "unreadable encoding (null bytes: UTF-16 or a binary file?); save the file as UTF-8 CSV"
    ),
    "encodage illisible (caractères de contrôle)\u00a0; enregistrez le fichier en CSV UTF-8": (
        "unreadable encoding (control characters); save the file as UTF-8 CSV"
    ),
    "encodage illisible (ni UTF-8 ni Windows-1252)\u00a0; enregistrez le fichier en CSV UTF-8": (
        "unreadable encoding (neither UTF-8 nor Windows-1252); save the file as UTF-8 CSV"
    ),
    "fichier vide (il faut au moins une ligne d’en-tête)": (
        "empty file (a header row at least is needed)"
    ),
    "feuille vide (il faut au moins une ligne d’en-tête)": (
        "empty sheet (a header row at least is needed)"
    ),
    "en-tête vide": "empty header",
    "fichier vide": "empty file",
    "fichier ou dossier introuvable": "file or folder not found",
    "format non reconnu (attendu\u00a0: dossier de fichiers CSV ou classeur .xlsx)": (
        "format not recognised (expected: a folder of CSV files or an .xlsx workbook)"
    ),
    "fichier des acteurs introuvable (actors.csv ou acteurs.csv)": (
        "actors file not found (actors.csv or acteurs.csv)"
    ),
    "fichier illisible ({reason})": "unreadable file ({reason})",
    "CSV invalide ({reason})": "invalid CSV ({reason})",
    "classeur XLSX illisible ({reason})": "unreadable XLSX workbook ({reason})",
    "plus de valeurs que de colonnes (séparateur dans une valeur non entourée de "
    "guillemets\u00a0?)": ("more values than columns (a separator inside a value without quotes?)"),
    "table des acteurs absente (actors ou acteurs)": "actors table missing (actors or acteurs)",
    "aucun acteur": "no actor",
    "colonne obligatoire absente\u00a0: {names}\u00a0; colonnes trouvées": (
        "required column missing: {names}; columns found"
    ),
    "colonne obligatoire absente\u00a0: {names}": "required column missing: {names}",
    "identifiant d’acteur vide dans la colonne {column}": "empty actor id in the column {column}",
    "acteur inconnu dans la colonne {column}": "unknown actor in the column {column}",
    "identifiant d’acteur vide": "empty actor id",
    "identifiant d’acteur en double": "duplicate actor id",
    "nom d’acteur vide (colonne «\u00a0name\u00a0»)": "empty actor name (column “name”)",
    "étape inconnue (attendu\u00a0: déclencher, organiser ou animer)": (
        "unknown stage (expected: déclencher, organiser or animer)"
    ),
    "poids invalide (nombre positif attendu)": "invalid weight (a positive number expected)",
}


def environment_lang(environ=None) -> str:
    """The language of command-line messages, from the usual environment:
    the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set; English
    for ``en…``, French otherwise (and by default).

    >>> environment_lang({"LANG": "en_GB.UTF-8"}), environment_lang({"LANG": "C.UTF-8"})
    ('en', 'fr')
    >>> environment_lang({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}), environment_lang({})
    ('fr', 'fr')
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


def check_lang(lang: str) -> str:
    """Return ``lang`` if the library writes in it, else raise ``ValueError``.

    >>> check_lang("en")
    'en'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"langue inconnue{NB}: {lang!r} (fr ou en)")
    return lang


def tr(text: str, lang: str = "fr", **values) -> str:
    """``text`` (French) in ``lang``, with ``{name}`` fields filled from ``values``.

    >>> tr("{label}\u00a0: {value}", "en", label="Topic", value="jeunesse")
    'Topic: jeunesse'
    >>> tr("{label}\u00a0: {value}", label="Sujet", value="jeunesse") == "Sujet\u00a0: jeunesse"
    True
    """
    check_lang(lang)
    out = ENGLISH.get(text, text) if lang == "en" else text
    return out.format(**values) if values else out


def ntr(singular: str, plural: str, n: int, lang: str = "fr", **values) -> str:
    """The singular or plural form for ``n``, translated, with ``{n}`` filled.

    French uses the singular for 0 and 1, English for 1 only.

    >>> ntr("{n} lien", "{n} liens", 1, "en"), ntr("{n} lien", "{n} liens", 3)
    ('1 link', '3 liens')
    """
    check_lang(lang)
    one = n < 2 if lang == "fr" else n == 1
    return tr(singular if one else plural, lang, n=n, **values)


_STAGE_TEXTS = {
    "full": {
        "declencher": "Déclencher l’action",
        "organiser": "Organiser la stratégie d’impact collectif",
        "animer": "Animer la stratégie d’impact collectif",
    },
    "short": {"declencher": "Déclencher", "organiser": "Organiser", "animer": "Animer"},
    "description": {
        "declencher": (
            "Faire émerger les projets\u00a0: délimiter la préoccupation commune, définir un "
            "horizon de transformation, répondre aux besoins du territoire."
        ),
        "organiser": (
            "Outiller les projets et relier les actions\u00a0: gouvernance, financement, "
            "évaluation, communication, feuille de route."
        ),
        "animer": (
            "Faire durer la coopération\u00a0: entretenir les échanges, ancrer les acteurs dans "
            "le territoire, collecter et analyser les données d’évaluation."
        ),
    },
}


def stage_label(stage: str, lang: str = "fr", form: str = "full") -> str:
    """The label of a stage key: ``form`` is ``"full"``, ``"short"`` or ``"description"``.

    >>> stage_label("declencher")
    'Déclencher l’action'
    >>> stage_label("organiser", "en", "short")
    'Organise'
    """
    return tr(_STAGE_TEXTS[form][stage], lang)


_KIND_TEXTS = {
    "collectivite": "Collectivité",
    "reseau": "Réseau",
    "association": "Association",
    "fondation": "Fondation",
    "financeur": "Financeur",
    "service_public": "Service public",
    "entreprise": "Entreprise",
    "autre": "Autre",
    "": "Type non renseigné",
}


def kind_label(kind: str | None, lang: str = "fr") -> str:
    """A readable label for an actor kind: known keys are translated, other kinds
    (free text from a spreadsheet) are shown as written.

    >>> kind_label("collectivite"), kind_label("service_public", "en")
    ('Collectivité', 'Public service')
    >>> kind_label("syndicat_mixte")
    'Syndicat mixte'
    """
    kind = kind or ""
    if kind in _KIND_TEXTS:
        return tr(_KIND_TEXTS[kind], lang)
    return kind.replace("_", " ").capitalize()
