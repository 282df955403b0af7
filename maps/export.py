"""Export an actor map to images, graph formats and spreadsheets.

=========== =========================================================
format      file
=========== =========================================================
png/svg/pdf print-ready drawing (see :func:`maps.render_figure`)
gexf        Gephi; node attributes label, kind, stages + other columns
graphml     Cytoscape, yEd, Gephi; same attributes
json        networkx node-link data
kumu        ``.xlsx`` importable in Kumu (sheets Elements, Connections)
workbook    ``.xlsx`` in the input format (lossless round trip)
csv         folder of CSV files in the input format
=========== =========================================================

All text outputs and SVG are deterministic: the same map gives the same bytes.

>>> import tempfile, pathlib
>>> from maps import from_records
>>> m = from_records(
...     actors=[{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Bêta"}],
...     contributions=[{"actor_id": "a", "stage": "organiser"}],
...     links=[{"source_id": "a", "target_id": "b", "kind": "finance"}],
... )
>>> out = pathlib.Path(tempfile.mkdtemp()) / "carte.graphml"
>>> export(m, out)
'graphml'
>>> "organiser" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import networkx as nx

from .io import atomic_output, protect_cells, write_csv_folder, write_workbook
from .model import ActorMap
from .stages import STAGE_SHORT_LABELS

__all__ = [
    "export",
    "export_many",
    "format_for",
    "to_gexf_graph",
    "to_node_link",
    "write_kumu",
    "kumu_labels",
    "EXPORT_FORMATS",
]

#: Known export formats and their file extension.
EXPORT_FORMATS: dict[str, str] = {
    "png": ".png",
    "svg": ".svg",
    "pdf": ".pdf",
    "gexf": ".gexf",
    "graphml": ".graphml",
    "json": ".json",
    "kumu": ".xlsx",
    "workbook": ".xlsx",
    "csv": "",
}

_EXT_FORMATS = {
    ".png": "png",
    ".svg": "svg",
    ".pdf": "pdf",
    ".gexf": "gexf",
    ".graphml": "graphml",
    ".json": "json",
    ".xlsx": "kumu",
}


def format_for(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The export format for ``path``: ``fmt`` if given, else from the extension.

    ``.xlsx`` means Kumu; ask for ``"workbook"`` to get the input format.

    >>> format_for("carte.SVG"), format_for("carte.xlsx"), format_for("x.xlsx", "workbook")
    ('svg', 'kumu', 'workbook')
    """
    if fmt:
        fmt = fmt.lower()
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"format inconnu : {fmt!r} (formats : {', '.join(EXPORT_FORMATS)})")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in _EXT_FORMATS:
        raise ValueError(
            f"extension inconnue : {suffix or '(aucune)'!r} "
            f"(extensions : {', '.join(sorted(_EXT_FORMATS))})"
        )
    return _EXT_FORMATS[suffix]


def _flat(value) -> str | float | int | bool:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def to_gexf_graph(m: ActorMap) -> nx.MultiDiGraph:
    """A copy of the map graph with flat attributes, for GEXF and GraphML.

    Node attributes: ``label`` (name), ``kind``, ``stages`` (comma-separated,
    in stage order), ``contributions`` (count) and the actor's other
    columns; edge attributes: ``kind``, ``weight``, ``evidence`` and other
    columns. Lists become comma-separated strings and ``None`` empty strings.

    >>> from maps import from_records
    >>> m = from_records(actors=[{"id": "a", "name": "A"}],
    ...                  contributions=[{"actor_id": "a", "stage": "animer"},
    ...                                 {"actor_id": "a", "stage": "declencher"}])
    >>> to_gexf_graph(m).nodes["a"]
    {'label': 'A', 'kind': '', 'stages': 'declencher,animer', 'contributions': 2}
    """
    g = nx.MultiDiGraph()
    for node, data in m.graph.nodes(data=True):
        attrs = {
            "label": data["name"],
            "kind": data.get("kind", ""),
            "stages": ",".join(data.get("stages", [])),
            "contributions": len(data.get("contributions", [])),
        }
        for key, value in data.items():
            if key in ("name", "kind", "stages", "contributions"):
                continue
            attrs[key.rstrip("_") if key.endswith("_") else key] = _flat(value)
        g.add_node(node, **attrs)
    for u, v, key, data in m.graph.edges(keys=True, data=True):
        attrs = {k: _flat(val) for k, val in data.items()}
        attrs["weight"] = float(data.get("weight", 1.0))
        g.add_edge(u, v, key=key, **attrs)
    return g


def to_node_link(m: ActorMap) -> dict:
    """networkx node-link data of the map, with the projects added.

    >>> from maps import from_records
    >>> data = to_node_link(from_records(actors=[{"id": "a", "name": "A"}]))
    >>> data["nodes"][0]["name"], data["directed"], data["multigraph"]
    ('A', True, True)
    """
    data = nx.node_link_data(m.graph, edges="links")
    data["graph"] = {"source": m.source or "", "projects": m.projects}
    return data


def kumu_labels(m: ActorMap) -> dict[str, str]:
    """Unique Kumu labels: the name, plus the id when names collide.

    >>> from maps import from_records
    >>> m = from_records(actors=[{"id": "a", "name": "X"}, {"id": "b", "name": "X"}])
    >>> kumu_labels(m)
    {'a': 'X (a)', 'b': 'X (b)'}
    """
    counts: dict[str, int] = {}
    for _, name in m.graph.nodes(data="name"):
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    labels = {}
    used: set[str] = set()
    for node, name in m.graph.nodes(data="name"):
        label = name if counts[name.casefold()] == 1 else f"{name} ({node})"
        base, i = label, 2
        while label.casefold() in used:
            label = f"{base} ({i})"
            i += 1
        used.add(label.casefold())
        labels[node] = label
    return labels


def write_kumu(m: ActorMap, path: str | os.PathLike) -> None:
    """Write an XLSX file that Kumu imports as is.

    Sheet ``Elements``: Label, Type, Description, Tags (stages separated by
    ``|``), then the actor's other columns. Sheet ``Connections``: From, To
    (element labels), Type, Description (evidence), Weight.
    """
    import openpyxl

    labels = kumu_labels(m)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elements"
    extra = [
        c for c in (m.columns.get("actors") or []) if c not in ("id", "name", "kind", "description")
    ]
    ws.append(["Label", "Type", "Description", "Tags", "ID", *extra])
    for node, data in m.graph.nodes(data=True):
        tags = "|".join(STAGE_SHORT_LABELS[s] for s in data["stages"])
        row = [labels[node], data.get("kind", ""), data.get("description", ""), tags, node]
        row += [
            _flat(data.get(c + "_" if c in ("stages", "contributions") else c, "")) for c in extra
        ]
        ws.append(row)
    cs = wb.create_sheet("Connections")
    cs.append(["From", "To", "Type", "Description", "Weight"])
    for u, v, data in m.graph.edges(data=True):
        cs.append(
            [
                labels[u],
                labels[v],
                data.get("kind", ""),
                data.get("evidence", ""),
                float(data.get("weight", 1.0)),
            ]
        )
    for sheet in (ws, cs):
        for line in sheet.iter_rows(min_row=2):
            protect_cells(line)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 30 if sheet is cs else 16
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _gexf_bytes(m: ActorMap) -> bytes:
    text = "\n".join(nx.generate_gexf(to_gexf_graph(m), prettyprint=True))
    text = re.sub(r'\s+lastmodifieddate="[^"]*"', "", text, count=1)
    return (text + "\n").encode("utf-8")


def _graphml_bytes(m: ActorMap) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(to_gexf_graph(m), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _json_bytes(m: ActorMap) -> bytes:
    return (json.dumps(to_node_link(m), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export(
    m: ActorMap,
    path: str | os.PathLike,
    *,
    format: str | None = None,
    layout: str = "stages",
    title: str | None = None,
    paper: str = "a4",
    date=None,
    colour_by: str | None = None,
    seed: int = 42,
    highlight: list[str] | None = None,
    source: str | None = None,
    lang: str = "fr",
) -> str:
    """Export ``m`` to ``path``; return the format used.

    The format comes from ``format`` or the extension (see
    :func:`format_for`). Drawing options (``layout``, ``title``, ``paper``,
    ``date``, ``colour_by``, ``seed``, ``highlight``, ``source``, ``lang``) are those of
    :func:`maps.render_figure`. Files are written atomically: if anything
    fails, nothing is written.
    """
    fmt = format_for(path, format)
    path = Path(path)
    if fmt in ("png", "svg", "pdf"):
        from .draw import figure_bytes, render_figure  # matplotlib, only when drawing

        fig = render_figure(
            m,
            layout=layout,
            title=title,
            paper=paper,
            date=date,
            colour_by=colour_by,
            seed=seed,
            highlight=highlight,
            source=source,
            lang=lang,
        )
        data = figure_bytes(fig, fmt)
    elif fmt == "gexf":
        data = _gexf_bytes(m)
    elif fmt == "graphml":
        data = _graphml_bytes(m)
    elif fmt == "json":
        data = _json_bytes(m)
    elif fmt == "kumu":
        write_kumu(m, path)
        return fmt
    elif fmt == "workbook":
        write_workbook(m, path)
        return fmt
    else:  # csv
        write_csv_folder(m, path)
        return fmt
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return fmt


_DRAWING_OPTIONS = (
    "layout",
    "title",
    "paper",
    "date",
    "colour_by",
    "seed",
    "highlight",
    "source",
    "lang",
)


def export_many(
    m: ActorMap,
    targets,
    *,
    format: str | None = None,
    layout: str = "stages",
    title: str | None = None,
    paper: str = "a4",
    date=None,
    colour_by: str | None = None,
    seed: int = 42,
    highlight: list[str] | None = None,
    source: str | None = None,
    lang: str = "fr",
    workers: int | None = None,
) -> list[str]:
    """Export ``m`` to several files; return the format of each, in order.

    Gives the same files as calling :func:`export` once per target, faster:
    each drawing is laid out and built once, then saved to every image
    format asked for (PNG, SVG and PDF of the same map share one figure).

    ``targets`` holds paths, or ``(path, options)`` pairs whose ``options``
    dict overrides ``format`` and the drawing options (``layout``,
    ``title``, ``paper``, ``date``, ``colour_by``, ``seed``, ``highlight``,
    ``source``, ``lang``) for that file. Every format is checked before anything is written; each
    file is then written atomically.

    ``workers``: 1 does everything in this process; 2 splits the files
    between this process and a forked child (drawing is CPU-bound Python, so
    threads would not help). By default, 2 when the machine has several
    cores, ``os.fork`` exists, this program runs a single thread (forking a
    multi-threaded server is unsafe) and there are at least two images.

    >>> import tempfile, pathlib
    >>> from maps import from_records
    >>> m = from_records(
    ...     actors=[{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Bêta"}],
    ...     contributions=[{"actor_id": "a", "stage": "organiser"}],
    ...     links=[{"source_id": "a", "target_id": "b", "kind": "finance"}],
    ... )
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> export_many(m, [out / "carte.svg", out / "carte.pdf", out / "carte.gexf",
    ...                 (out / "reseau.svg", {"layout": "network"})], date="2024-06-13")
    ['svg', 'pdf', 'gexf', 'svg']
    >>> sorted(p.name for p in out.iterdir())
    ['carte.gexf', 'carte.pdf', 'carte.svg', 'reseau.svg']
    """
    defaults = {
        "format": format,
        "layout": layout,
        "title": title,
        "paper": paper,
        "date": date,
        "colour_by": colour_by,
        "seed": seed,
        "highlight": highlight,
        "source": source,
        "lang": lang,
    }
    jobs = []
    for target in targets:
        path, options = (target, {}) if isinstance(target, str | os.PathLike) else target
        unknown = set(options) - set(defaults)
        if unknown:
            raise ValueError(f"option d'export inconnue : {', '.join(sorted(unknown))}")
        opts = {**defaults, **options}
        jobs.append((Path(path), format_for(path, opts.pop("format")), opts))
    n_images = sum(fmt in _IMAGE_COSTS for _, fmt, _ in jobs)
    if workers is None:
        workers = 2 if n_images >= 2 and _can_fork() else 1
    if workers >= 2 and len(jobs) >= 2:
        before, mine, theirs = _plan_jobs(jobs)
        figures = {}
        for key in before:  # built once, before forking: both processes get them
            opts = next(o for _, fmt, o in jobs if fmt in _IMAGE_COSTS and _figure_key(o) == key)
            figures[key] = _render(m, opts)
        _run_forked(m, mine, theirs, figures)
    else:
        _run_jobs(m, jobs)
    return [fmt for _, fmt, _ in jobs]


#: Processor time (seconds, 50-actor map) used to share the work between two
#: processes: building a figure; what a process pays once per figure it saves
#: (shaping and measuring its text, cached for its other formats); saving it
#: to each image format; writing each data file; and what a process pays once,
#: on its first file of a kind (imports).
_FIGURE_COST = 0.20
_FIGURE_TEXT_COST = 0.08
_IMAGE_COSTS = {"png": 0.22, "pdf": 0.14, "svg": 0.08}
_DATA_COSTS = {"gexf": 0.01, "graphml": 0.02, "json": 0.005, "kumu": 0.03, "workbook": 0.03}
_DATA_COST = 0.05  # csv
_FIRST_COSTS = {"png": 0.02, "pdf": 0.04, "svg": 0.01, "kumu": 0.11, "workbook": 0.11}
_FIRST_GROUP = {"kumu": "xlsx", "workbook": "xlsx"}


def _figure_key(opts: dict) -> tuple:
    return tuple(
        tuple(opts[k]) if isinstance(opts[k], list | tuple) else opts[k] for k in _DRAWING_OPTIONS
    )


def _run_jobs(m: ActorMap, jobs, figures: dict | None = None) -> None:
    figures = {} if figures is None else figures
    for path, fmt, opts in jobs:
        if fmt not in _IMAGE_COSTS:
            export(m, path, format=fmt)
            continue
        key = _figure_key(opts)
        if key not in figures:
            figures[key] = _render(m, opts)
        from .draw import figure_bytes

        data = figure_bytes(figures[key], fmt)
        with atomic_output(path) as tmp:
            tmp.write_bytes(data)


def _render(m: ActorMap, opts: dict):
    from .draw import render_figure  # matplotlib, only when drawing

    return render_figure(m, **opts)


def _can_fork() -> bool:
    import threading

    return (
        hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
        and threading.current_thread() is threading.main_thread()
    )


def _side_cost(jobs, side, figures_before) -> float:
    """Estimated time of one process running the jobs ``side``."""
    cost = 0.0
    figures, firsts = set(), set()
    for i in side:
        _, fmt, opts = jobs[i]
        if fmt in _IMAGE_COSTS:
            cost += _IMAGE_COSTS[fmt]
            key = _figure_key(opts)
            if key not in figures:
                figures.add(key)
                cost += _FIGURE_TEXT_COST + (0.0 if key in figures_before else _FIGURE_COST)
        else:
            cost += _DATA_COSTS.get(fmt, _DATA_COST)
        first = _FIRST_GROUP.get(fmt, fmt)
        if first not in firsts:
            firsts.add(first)
            cost += _FIRST_COSTS.get(fmt, 0.0)
    return cost


def _plan_jobs(jobs):
    """Share ``jobs`` between this process and a forked child.

    Returns ``(before, mine, theirs)``: ``before`` lists the figure keys to
    build before forking (both processes then have them), ``mine`` and
    ``theirs`` the jobs of each process. Every split of the images (up to 12)
    and every choice of figures built first (up to 4 figures) is tried; data
    files then go, largest first, to the least loaded process. The plan kept
    is the one that should finish first.
    """
    import itertools

    images = [i for i, (_, fmt, _) in enumerate(jobs) if fmt in _IMAGE_COSTS]
    data = [i for i, (_, fmt, _) in enumerate(jobs) if fmt not in _IMAGE_COSTS]
    data.sort(key=lambda i: -_DATA_COSTS.get(jobs[i][1], _DATA_COST))
    keys = list(dict.fromkeys(_figure_key(jobs[i][2]) for i in images))
    if len(images) > 12 or len(keys) > 4:  # alternate the figures, then the data files
        sides = ([], [])
        for i, (_, fmt, opts) in enumerate(jobs):
            side = keys.index(_figure_key(opts)) % 2 if fmt in _IMAGE_COSTS else i % 2
            sides[side].append(i)
        return [], [jobs[i] for i in sides[0]], [jobs[i] for i in sides[1]]
    best = None
    for n_before in range(len(keys) + 1):
        for before in itertools.combinations(keys, n_before):
            head = _FIGURE_COST * len(before)
            masks = itertools.product((0, 1), repeat=max(0, len(images) - 1))
            for mask in masks:  # the first image stays here
                sides = (images[:1], [])
                for i, bit in zip(images[1:], mask, strict=True):
                    sides[bit].append(i)
                for i in data:
                    costs = [_side_cost(jobs, side + [i], before) for side in sides]
                    sides[costs.index(min(costs))].append(i)
                span = head + max(_side_cost(jobs, side, before) for side in sides)
                if best is None or span < best[0] - 1e-9:
                    best = (span, list(before), sides)
    _, before, (mine, theirs) = best
    return before, [jobs[i] for i in sorted(mine)], [jobs[i] for i in sorted(theirs)]


def _run_forked(m: ActorMap, mine, theirs, figures: dict | None = None) -> None:
    """Run ``theirs`` in a forked child while this process runs ``mine``."""
    import pickle
    import traceback

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into the caller's code
        status = 0
        try:
            os.close(read_fd)
            _run_jobs(m, theirs, figures)
        except BaseException as exc:  # report it to the parent
            status = 1
            try:
                payload = pickle.dumps(exc)
            except Exception:
                payload = pickle.dumps(RuntimeError(traceback.format_exc()))
            with os.fdopen(write_fd, "wb") as fh:
                fh.write(payload)
        os._exit(status)
    os.close(write_fd)
    try:
        _run_jobs(m, mine, figures)
    finally:
        with os.fdopen(read_fd, "rb") as fh:
            payload = fh.read()
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise pickle.loads(payload) if payload else RuntimeError("export child failed")
