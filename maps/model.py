"""The actor map: a directed multigraph of actors and their links.

An :class:`ActorMap` holds a :class:`networkx.MultiDiGraph` whose nodes are
actors and whose edges are links, plus the list of contributions and the
project sheets. Build one with :func:`from_records` (Python records, e.g.
database rows) or :func:`maps.read_map` (CSV folder or XLSX workbook).

>>> m = from_records(
...     actors=[{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Bêta", "kind": "reseau"}],
...     contributions=[{"actor_id": "a", "stage": "Déclencher l'action", "text": "idées"}],
...     links=[{"source_id": "a", "target_id": "b", "kind": "partenaire"}],
... )
>>> m.graph.nodes["a"]["stages"]
['declencher']
>>> m.graph.number_of_edges()
1
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from .errors import MapInputError
from .stages import STAGES, normalize_stage, sort_stages

__all__ = ["ActorMap", "Table", "from_records", "build_map", "TABLES", "LINK_KINDS"]

#: Table names, in the order they are read.
TABLES: tuple[str, ...] = ("actors", "contributions", "links", "projects")

#: Common link kinds (others are allowed), with their French label.
LINK_KINDS: dict[str, str] = {
    "partenaire": "partenaire",
    "finance": "finance",
    "accompagne": "accompagne",
    "oriente": "oriente vers",
    "membre": "membre de",
}

# canonical column -> accepted spellings (already folded, see _fold_column)
_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "actors": {
        "id": ("id", "identifiant", "ident", "code"),
        "name": ("name", "nom", "label", "libelle", "intitule"),
        "kind": ("kind", "type", "categorie", "nature"),
    },
    "contributions": {
        "actor_id": ("actor_id", "actor", "acteur", "acteur_id", "id_acteur"),
        "stage": ("stage", "etape", "phase"),
        "text": ("text", "texte", "contribution", "apport", "description"),
    },
    "links": {
        "source_id": ("source_id", "source", "de", "from", "origine"),
        "target_id": ("target_id", "target", "cible", "vers", "to", "destination"),
        "kind": ("kind", "type", "nature", "relation"),
        "weight": ("weight", "poids", "intensite"),
        "evidence": ("evidence", "preuve", "justification", "commentaire"),
    },
    "projects": {
        "actor_id": ("actor_id", "actor", "acteur", "acteur_id", "id_acteur", "porteur"),
        "title": ("title", "titre", "intitule"),
        "description": ("description", "descriptif"),
        "results": ("results", "resultats"),
        "obstacles": ("obstacles", "freins"),
        "needs": ("needs", "besoins"),
    },
}

_REQUIRED: dict[str, tuple[str, ...]] = {
    "actors": ("id", "name"),
    "contributions": ("actor_id", "stage"),
    "links": ("source_id", "target_id"),
    "projects": ("actor_id",),
}

# Node attributes computed by the builder; actor columns with these names are
# renamed with a trailing underscore.
_RESERVED_NODE_ATTRS = ("name", "kind", "stages", "contributions")


def _fold_column(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name).replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()
    return re.sub(r"[\s\-']+", "_", text)


def _fold_kind(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


@dataclass
class Table:
    """One input table: its display name, its columns and its numbered rows.

    ``rows`` holds ``(row_number, {column: value})`` pairs, where the column
    names are the ones of the file (not yet canonical).
    """

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class ActorMap:
    """An actor map.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Nodes are actor ids with attributes ``name``, ``kind``, ``stages``
        (stage keys in strategy order), ``contributions`` (list of
        ``{"stage", "text"}``) and the actor's other columns. Edges carry
        ``kind``, ``weight`` (float, 1.0 by default), ``evidence`` and the
        link's other columns. Parallel links are kept.
    contributions : list of dict
        Contributions in input order (``actor_id``, ``stage``, ``text`` and
        other columns).
    projects : list of dict
        Project sheets in input order.
    columns : dict
        Column names of each table, in input order (canonical names for the
        known columns); used to write the map back without loss.
    source : str or None
        A short name for where the map comes from (shown in captions).
    source_files : bool
        True when ``source`` names input files (read by :func:`maps.read_map`):
        captions then say "fichiers « … »"; otherwise ``source`` is shown as is.
    date : datetime.date or None
        Date of the data (newest file modification date when read from files).
    warnings : list of MapInputError
        Rows skipped in lenient mode.

    Examples
    --------
    >>> m = from_records(actors=[{"id": "a", "name": "Alpha"}])
    >>> m.actors, m.n_links
    (['a'], 0)
    """

    graph: nx.MultiDiGraph
    contributions: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)
    source: str | None = None
    date: datetime.date | None = None
    warnings: list[MapInputError] = field(default_factory=list)
    source_files: bool = False

    @property
    def actors(self) -> list[str]:
        """Actor ids in input order."""
        return list(self.graph.nodes)

    @property
    def n_actors(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def n_links(self) -> int:
        return self.graph.number_of_edges()

    @property
    def n_contributions(self) -> int:
        return len(self.contributions)

    def name(self, actor_id: str) -> str:
        """Display name of an actor.

        >>> from_records(actors=[{"id": "a", "name": "Alpha"}]).name("a")
        'Alpha'
        """
        return self.graph.nodes[actor_id]["name"]

    def stages_of(self, actor_id: str) -> list[str]:
        """Stage keys of an actor, in strategy order (possibly empty)."""
        return list(self.graph.nodes[actor_id]["stages"])

    def actors_by_stage(self) -> dict[str, list[str]]:
        """Actor ids contributing to each stage, in input order.

        >>> m = from_records(
        ...     actors=[{"id": "a", "name": "A"}],
        ...     contributions=[{"actor_id": "a", "stage": "animer"}],
        ... )
        >>> m.actors_by_stage()
        {'declencher': [], 'organiser': [], 'animer': ['a']}
        """
        out: dict[str, list[str]] = {s: [] for s in STAGES}
        for node, stages in self.graph.nodes(data="stages"):
            for s in stages:
                out[s].append(node)
        return out

    def cooperation_graph(self) -> nx.Graph:
        """Undirected simple graph of cooperation.

        Parallel and reciprocal links are merged: the edge ``weight`` is the sum
        of the link weights and ``kinds`` the sorted list of link kinds.
        Self-links are dropped.

        >>> m = from_records(
        ...     actors=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        ...     links=[
        ...         {"source_id": "a", "target_id": "b", "kind": "partenaire"},
        ...         {"source_id": "b", "target_id": "a", "kind": "finance"},
        ...     ],
        ... )
        >>> g = m.cooperation_graph()
        >>> g.edges["a", "b"]["kinds"], g.edges["a", "b"]["weight"]
        (['finance', 'partenaire'], 2.0)
        """
        g = nx.Graph()
        g.add_nodes_from(self.graph.nodes)
        for u, v, data in self.graph.edges(data=True):
            if u == v:
                continue
            if g.has_edge(u, v):
                e = g.edges[u, v]
                e["weight"] += data.get("weight", 1.0)
                if data.get("kind", "") not in e["kinds"]:
                    e["kinds"] = sorted([*e["kinds"], data.get("kind", "")])
            else:
                g.add_edge(
                    u, v, weight=float(data.get("weight", 1.0)), kinds=[data.get("kind", "")]
                )
        return g

    def to_records(self) -> dict[str, list[dict]]:
        """Return the map as records, in the input format.

        ``from_records(**m.to_records())`` rebuilds an equal map.

        >>> m = from_records(actors=[{"id": "a", "name": "A", "ville": "Mulhouse"}])
        >>> m.to_records()["actors"]
        [{'id': 'a', 'name': 'A', 'ville': 'Mulhouse'}]
        """
        actor_cols = self.columns.get("actors") or ["id", "name", "kind"]
        actors = []
        for node, data in self.graph.nodes(data=True):
            rec = {}
            for col in actor_cols:
                if col == "id":
                    rec[col] = node
                elif col in _RESERVED_NODE_ATTRS[2:]:
                    rec[col] = data.get(col + "_", "")
                else:
                    rec[col] = data.get(col, "")
            actors.append(rec)
        link_cols = self.columns.get("links") or ["source_id", "target_id", "kind"]
        links = []
        for u, v, data in self.graph.edges(data=True):
            rec = {}
            for col in link_cols:
                if col == "source_id":
                    rec[col] = u
                elif col == "target_id":
                    rec[col] = v
                elif col == "weight":
                    w = data.get("weight", 1.0)
                    rec[col] = int(w) if float(w).is_integer() else w
                else:
                    rec[col] = data.get(col, "")
            links.append(rec)
        return {
            "actors": actors,
            "contributions": [dict(c) for c in self.contributions],
            "links": links,
            "projects": [dict(p) for p in self.projects],
        }


def _records_table(name: str, records: Iterable[Mapping] | None) -> Table | None:
    if records is None:
        return None
    rows: list[tuple[int, dict[str, str]]] = []
    columns: list[str] = []
    seen: set[str] = set()
    for i, rec in enumerate(records, start=1):
        row = {}
        for key, value in rec.items():
            key = str(key)
            if key not in seen:
                seen.add(key)
                columns.append(key)
            row[key] = _cell(value)
        rows.append((i, row))
    return Table(name=name, columns=columns, rows=rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def from_records(
    actors: Iterable[Mapping],
    contributions: Iterable[Mapping] | None = None,
    links: Iterable[Mapping] | None = None,
    projects: Iterable[Mapping] | None = None,
    *,
    lenient: bool = False,
    source: str | None = None,
    date: datetime.date | None = None,
) -> ActorMap:
    """Build an actor map from Python records (e.g. database rows).

    The records are validated exactly like files; in messages the "file" is
    the table name (``actors``…) and the "row" the 1-based position of the
    record.

    Parameters
    ----------
    actors, contributions, links, projects : iterables of mappings
        Records with the columns described in ``docs/maps-format.md``.
    lenient : bool
        Skip bad rows instead of raising; each skipped row is recorded in
        :attr:`ActorMap.warnings`.
    source : str, optional
        Short name shown in image captions.
    date : datetime.date, optional
        Date of the data, shown in image captions.

    Raises
    ------
    MapInputError
        On invalid input (always for a missing required column).

    Examples
    --------
    >>> m = from_records(
    ...     actors=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    ...     links=[{"source_id": "a", "target_id": "c", "kind": "finance"}],
    ...     lenient=True,
    ... )
    >>> m.n_links, len(m.warnings)
    (0, 1)
    >>> from_records(actors=[{"id": "a", "name": "A"}, {"id": "a", "name": "B"}])
    Traceback (most recent call last):
    ...
    maps.errors.MapInputError: actors, ligne 2\u00a0: identifiant d’acteur en double (valeur\u00a0: «\u00a0a\u00a0»)
    """
    tables = {
        "actors": _records_table("actors", actors),
        "contributions": _records_table("contributions", contributions),
        "links": _records_table("links", links),
        "projects": _records_table("projects", projects),
    }
    return build_map(tables, lenient=lenient, source=source, date=date)


def _canonical_columns(table: Table, kind: str) -> tuple[dict[str, str], list[str]]:
    """Map file columns to canonical names; return (mapping, ordered canonical columns)."""
    aliases = _ALIASES[kind]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for col in table.columns:
        folded = _fold_column(col)
        target = None
        for canon, names in aliases.items():
            if folded in names and canon not in used:
                target = canon
                break
        if target is None:
            target = col.strip()
            if not target or target in used:
                continue
        mapping[col] = target
        used.add(target)
    ordered = [mapping[c] for c in table.columns if c in mapping]
    return mapping, ordered


def build_map(
    tables: Mapping[str, Table | None],
    *,
    lenient: bool = False,
    source: str | None = None,
    date: datetime.date | None = None,
    source_files: bool = False,
) -> ActorMap:
    """Validate input tables and build an :class:`ActorMap`.

    This is the common back end of :func:`from_records` and
    :func:`maps.read_map`. ``tables`` maps ``"actors"``, ``"contributions"``,
    ``"links"`` and ``"projects"`` to a :class:`Table` or ``None`` (absent);
    only ``actors`` is required.
    """
    warnings: list[MapInputError] = []

    def problem(err: MapInputError) -> None:
        if not lenient:
            raise err
        warnings.append(err)

    actors_table = tables.get("actors")
    if actors_table is None:
        raise MapInputError("table des acteurs absente (actors ou acteurs)")

    columns: dict[str, list[str]] = {}
    canon_rows: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for kind in TABLES:
        table = tables.get(kind)
        if table is None:
            continue
        mapping, ordered = _canonical_columns(table, kind)
        missing = [c for c in _REQUIRED[kind] if c not in ordered]
        if kind == "contributions" and "text" not in ordered:
            ordered.append("text")
        if kind == "links" and "kind" not in ordered:
            missing.append("kind")
        if missing:
            raise MapInputError(
                "colonne obligatoire absente\u00a0: {names}\u00a0; colonnes trouvées",
                fields={"names": list(missing)},
                file=table.name,
                row=1,
                value=", ".join(table.columns) or "(aucune)",
            )
        columns[kind] = ordered
        canon_rows[kind] = [
            (num, {mapping[k]: v for k, v in row.items() if k in mapping})
            for num, row in table.rows
        ]

    graph = nx.MultiDiGraph()
    # actors
    name = actors_table.name
    for num, row in canon_rows["actors"]:
        actor_id = row.get("id", "").strip()
        actor_name = row.get("name", "").strip()
        if not actor_id:
            problem(MapInputError("identifiant d’acteur vide", file=name, row=num, value=""))
            continue
        if actor_id in graph:
            problem(
                MapInputError("identifiant d’acteur en double", file=name, row=num, value=actor_id)
            )
            continue
        if not actor_name:
            problem(
                MapInputError(
                    "nom d’acteur vide (colonne «\u00a0name\u00a0»)",
                    file=name,
                    row=num,
                    value=actor_id,
                )
            )
            continue
        attrs = {}
        for col in columns["actors"]:
            if col in ("id", "name", "kind"):
                continue
            key = col + "_" if col in _RESERVED_NODE_ATTRS else col
            attrs[key] = row.get(col, "")
        graph.add_node(
            actor_id,
            name=actor_name,
            kind=row.get("kind", "").strip(),
            stages=[],
            contributions=[],
            **attrs,
        )
    if graph.number_of_nodes() == 0 and not lenient:
        raise MapInputError("aucun acteur", file=name, row=None)

    def check_actor(table: str, num: int, value: str, column: str) -> bool:
        if value in graph:
            return True
        problem(
            MapInputError(
                "identifiant d’acteur vide dans la colonne {column}"
                if not value
                else "acteur inconnu dans la colonne {column}",
                fields={"column": [column]},
                file=tables[table].name,
                row=num,
                value=value,
                column=column,
            )
        )
        return False

    contributions: list[dict] = []
    for num, row in canon_rows.get("contributions", []):
        actor_id = row.get("actor_id", "").strip()
        if not check_actor("contributions", num, actor_id, "actor_id"):
            continue
        raw_stage = row.get("stage", "")
        stage = normalize_stage(raw_stage)
        if stage is None:
            problem(
                MapInputError(
                    "étape inconnue (attendu\u00a0: déclencher, organiser ou animer)",
                    file=tables["contributions"].name,
                    row=num,
                    value=raw_stage,
                    column="stage",
                )
            )
            continue
        rec = {c: row.get(c, "") for c in columns["contributions"]}
        rec["actor_id"] = actor_id
        rec["stage"] = stage
        contributions.append(rec)
        node = graph.nodes[actor_id]
        node["contributions"].append({"stage": stage, "text": rec.get("text", "")})
        node["stages"] = sort_stages([*node["stages"], stage])

    for num, row in canon_rows.get("links", []):
        src = row.get("source_id", "").strip()
        dst = row.get("target_id", "").strip()
        if not check_actor("links", num, src, "source_id"):
            continue
        if not check_actor("links", num, dst, "target_id"):
            continue
        attrs = {c: row.get(c, "") for c in columns["links"] if c not in ("source_id", "target_id")}
        attrs["kind"] = _fold_kind(row.get("kind", ""))
        raw_weight = row.get("weight", "").strip()
        if raw_weight:
            try:
                weight = float(raw_weight.replace(",", "."))
                if not math.isfinite(weight) or weight < 0:
                    raise ValueError
            except ValueError:
                problem(
                    MapInputError(
                        "poids invalide (nombre positif attendu)",
                        file=tables["links"].name,
                        row=num,
                        value=raw_weight,
                        column="weight",
                    )
                )
                continue
        else:
            weight = 1.0
        attrs["weight"] = weight
        attrs.setdefault("evidence", "")
        graph.add_edge(src, dst, **attrs)

    projects: list[dict] = []
    for num, row in canon_rows.get("projects", []):
        actor_id = row.get("actor_id", "").strip()
        if not check_actor("projects", num, actor_id, "actor_id"):
            continue
        rec = {c: row.get(c, "") for c in columns["projects"]}
        rec["actor_id"] = actor_id
        projects.append(rec)

    return ActorMap(
        graph=graph,
        contributions=contributions,
        projects=projects,
        columns=columns,
        source=source,
        date=date,
        warnings=warnings,
        source_files=source_files,
    )
