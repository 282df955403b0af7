"""Layouts of an actor map, in points on a drawing area.

Two layouts are provided:

- :func:`stage_layout`: three columns *déclencher | organiser | animer*, as in
  the Mulhouse report. An actor is drawn once per stage it contributes to,
  and all its occurrences sit on the same row so that a "same actor"
  connector joins them. Actors without stage go in a band at the bottom.
- :func:`network_layout`: force-directed (seeded). Up to
  :data:`SPRING_MAX` actors the Fruchterman-Reingold spring layout of
  networkx is used; above, a grid-based force layout whose cost per iteration
  is linear in the number of actors and links.

Up to :data:`LABEL_ALL_MAX` actors every actor is a labelled card and cards
never overlap. Above, actors are dots and only the most connected ones are
labelled (greedily, without overlap).

Coordinates are in points (1/72 inch) with the origin at the bottom left of
the drawing area, so that text sizes and positions can be compared directly.

>>> from maps import from_records
>>> m = from_records(
...     actors=[{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Bêta"}],
...     contributions=[{"actor_id": "a", "stage": "declencher"},
...                    {"actor_id": "a", "stage": "organiser"}],
... )
>>> lay = stage_layout(m, width=600, height=400)
>>> sorted(lay.cards)
[('a', 'declencher'), ('a', 'organiser'), ('b', None)]
>>> lay.cards["a", "declencher"].y == lay.cards["a", "organiser"].y
True
"""

from __future__ import annotations

import contextlib
import functools
import math
import threading
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from .i18n import stage_label
from .model import ActorMap
from .stages import STAGES

__all__ = [
    "Card",
    "MapLayout",
    "stage_layout",
    "network_layout",
    "measure_text",
    "wrap_label",
    "text_settings",
    "LABEL_ALL_MAX",
    "SPRING_MAX",
]

#: Up to this many actors, every actor is labelled.
LABEL_ALL_MAX = 60
#: Up to this many actors, networkx's spring layout is used.
SPRING_MAX = 300
#: Padding around card text, in units of the font size.
CARD_PAD = 0.35
_MEASURE_DPI = 288.0
_GAP = 6.0  # minimal gap between cards, in points
_FONT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.5, 4.0)


@dataclass
class Card:
    """One drawn occurrence of an actor (at one stage, or ``stage=None``)."""

    actor: str
    stage: str | None
    x: float
    y: float
    w: float = 0.0
    h: float = 0.0
    lines: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.actor, self.stage)

    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)


@dataclass
class MapLayout:
    """Positions of a map on a ``width`` x ``height`` points area.

    ``mode`` is ``"cards"`` (every actor is a labelled card of size
    ``w`` x ``h``) or ``"dots"`` (actors are dots; ``labels`` maps the
    labelled occurrences to ``(lines, x, y)``, the centre of the label
    box). ``occurrences`` maps each actor to its card keys.
    """

    kind: str
    mode: str
    width: float
    height: float
    fontsize: float
    cards: dict[tuple, Card]
    occurrences: dict[str, list[tuple]]
    columns: list[tuple[str, float, float]] = field(default_factory=list)
    header_y: float | None = None
    band: tuple[float, float] | None = None
    labels: dict[tuple, list[str]] = field(default_factory=dict)
    dot_size: float = 4.0
    #: False when the cards did not fit even at the smallest font size.
    fits: bool = True

    def edge_ends(self, u: str, v: str) -> tuple[tuple, tuple]:
        """The pair of occurrences of ``u`` and ``v`` closest to each other."""
        best = None
        for ku in self.occurrences[u]:
            cu = self.cards[ku]
            for kv in self.occurrences[v]:
                cv = self.cards[kv]
                d = (cu.x - cv.x) ** 2 + (cu.y - cv.y) ** 2
                if best is None or d < best[0]:
                    best = (d, ku, kv)
        return best[1], best[2]


# -- text measurement -------------------------------------------------------

#: matplotlib settings under which text is measured and drawn. Hinting only
#: helps small text on low-resolution screens; without it, measuring and
#: drawing text takes about 10 % less time.
TEXT_RC = {"text.hinting": "no_hinting"}
# matplotlib settings are global: the sections that change them are serialised
_RC_LOCK = threading.RLock()


@contextlib.contextmanager
def text_settings(extra: dict | None = None):
    """Context in which maps measures and draws text (``extra``: more rcParams).

    matplotlib settings are process-wide, so the sections of this package that
    change them run one at a time (they are restored on exit).

    >>> import matplotlib
    >>> with text_settings():
    ...     matplotlib.rcParams["text.hinting"]
    'no_hinting'
    """
    import matplotlib

    with _RC_LOCK, matplotlib.rc_context({**TEXT_RC, **(extra or {})}):
        yield


@functools.lru_cache(maxsize=1)
def _font_10pt():
    """The default font at 10 points and :data:`_MEASURE_DPI`, with its line metrics.

    Returns ``(font_paths, min_ascent, min_descent, line_gap)``, in pixels for
    the metrics: those matplotlib's text layout takes from the font tables.
    """
    from matplotlib.font_manager import FontProperties, fontManager, get_font

    paths = tuple(fontManager._find_fonts_by_props(FontProperties(size=10.0)))
    font = get_font(paths)
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is not None:
            scale = 10.0 * _MEASURE_DPI / 72 / font.get_sfnt_table("head")["unitsPerEm"]
            return (
                paths,
                table[ascent_key] * scale,
                -table[descent_key] * scale,
                table[gap_key] * scale,
            )
    raise RuntimeError("police sans tables de métriques")  # pragma: no cover


@functools.lru_cache(maxsize=50000)
def _line_10pt(line: str) -> tuple[float, float, float]:
    """Width, height and descent in pixels of one line at 10 points, unhinted."""
    from matplotlib.font_manager import get_font
    from matplotlib.ft2font import LoadFlags

    font = get_font(list(_font_10pt()[0]))  # one FT2Font per thread
    font.clear()
    font.set_size(10.0, _MEASURE_DPI)
    font.set_text(line, 0.0, flags=LoadFlags.NO_HINTING)
    w, h = font.get_width_height()
    return w / 64.0, h / 64.0, font.get_descent() / 64.0


def measure_text(text: str, fontsize: float) -> tuple[float, float]:
    """Width and height in points of ``text`` (may hold newlines) at ``fontsize``.

    Text is measured once at 10 points (at a high resolution) and scaled.

    >>> w, h = measure_text("Alpha", 10)
    >>> 20 < w < 40 and 8 < h < 16
    True
    """
    w, h = _measure_10pt(text)
    return w * fontsize / 10.0, h * fontsize / 10.0


@functools.lru_cache(maxsize=50000)
def _measure_10pt(text: str) -> tuple[float, float]:
    # The same arithmetic as matplotlib's text layout (Text._get_layout) for
    # unrotated, unhinted text in the default font, without building a Text
    # or changing settings: measuring is on the hot path of every layout.
    if not text:  # as Text.get_window_extent
        return 0.0, 0.0
    _paths, min_ascent, min_descent, line_gap = _font_10pt()
    lines = text.split("\n")
    if len(lines) == 1:
        line_gap = 0.0
    width = height = 0.0
    for line in lines:
        w, h, d = _line_10pt(line) if line else (0.0, 0.0, 0.0)
        width = max(width, w)
        height += max(h - d, min_ascent) + max(d, min_descent) + line_gap
    scale = 72.0 / _MEASURE_DPI
    return float(width * scale), float(height * scale)


def wrap_label(text: str, max_width: float, fontsize: float, max_lines: int = 4) -> list[str]:
    """Wrap ``text`` into lines no wider than ``max_width`` points.

    Words longer than the width are cut; more than ``max_lines`` lines are
    shortened with an ellipsis.

    >>> wrap_label("Réseau national des maisons des associations", 110, 8)
    ['Réseau national des', 'maisons des associations']
    """
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if measure_text(trial, fontsize)[0] <= max_width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
        while measure_text(current, fontsize)[0] > max_width and len(current) > 4:
            cut = len(current) - 1
            while cut > 2 and measure_text(current[:cut] + "-", fontsize)[0] > max_width:
                cut -= 1
            lines.append(current[:cut] + "-")
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and measure_text(last + "…", fontsize)[0] > max_width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines or [""]


def _card_size(lines: list[str], fontsize: float) -> tuple[float, float]:
    w, h = measure_text("\n".join(lines), fontsize)
    pad = 2 * CARD_PAD * fontsize
    # small safety margin: renderers at other resolutions differ slightly
    return w + pad + 2.0, h + pad + 2.0


# -- stage layout -------------------------------------------------------------


def _spans(m: ActorMap) -> dict[str, tuple[int, int]]:
    order = []
    for c in m.contributions:
        if c["actor_id"] not in order:
            order.append(c["actor_id"])
    for node in m.graph:
        if m.graph.nodes[node]["stages"] and node not in order:
            order.append(node)
    out = {}
    for node in order:
        idx = [STAGES.index(s) for s in m.graph.nodes[node]["stages"]]
        out[node] = (min(idx), max(idx))
    return out


def _pack_rows(spans: dict[str, tuple[int, int]], g: nx.Graph) -> list[list[str]]:
    """Pack actors into rows so that stage spans do not overlap within a row."""
    order = {a: i for i, a in enumerate(spans)}
    ranked = sorted(spans, key=lambda a: (-(spans[a][1] - spans[a][0]), spans[a][0], order[a]))
    rows: list[list[str]] = []
    used: list[set[int]] = []
    for actor in ranked:
        cols = set(range(spans[actor][0], spans[actor][1] + 1))
        for row, taken in zip(rows, used, strict=True):
            if not cols & taken:
                row.append(actor)
                taken |= cols
                break
        else:
            rows.append([actor])
            used.append(set(cols))
    # barycentric ordering of rows to shorten links between rows
    for _ in range(4):
        where = {a: i for i, row in enumerate(rows) for a in row}
        bary = []
        for i, row in enumerate(rows):
            ys = [where[n] for a in row for n in g[a] if n in where]
            bary.append((sum(ys) / len(ys) + 0.01 * i) if ys else i)
        new = [row for _, row in sorted(zip(bary, rows, strict=True), key=lambda t: t[0])]
        if new == rows:
            break
        rows = new
    return rows


def stage_layout(
    m: ActorMap,
    width: float = 800.0,
    height: float = 480.0,
    *,
    label_all_max: int = LABEL_ALL_MAX,
    max_labels: int = 40,
    fonts: tuple[float, ...] | None = None,
) -> MapLayout:
    """Three-column stage layout of ``m`` on a ``width`` x ``height`` points area.

    Parameters
    ----------
    m : ActorMap
    width, height : float
        Size of the drawing area, in points.
    label_all_max : int
        Up to this many actors, every actor is a labelled card.
    max_labels : int
        Above, the number of labelled actors (most connected first).
    fonts : tuple of float, optional
        Font sizes to try for the cards, largest first. When given (a screen,
        where text must stay legible), the cards are used only if they fit at
        one of these sizes; otherwise actors are dots and the most connected
        are named at the smallest size.

    Returns
    -------
    MapLayout
    """
    g = m.cooperation_graph()
    spans = _spans(m)
    unstaged = [n for n in m.graph if n not in spans]
    if m.n_actors <= label_all_max:
        lay = _stage_cards(m, g, spans, unstaged, width, height, fonts or _FONT_SIZES)
        if lay.fits or fonts is None:
            return lay
    label_font = fonts[-1] if fonts else 6.0
    return _stage_dots(m, g, spans, unstaged, width, height, max_labels, label_font)


def _stage_cards(m, g, spans, unstaged, width, height, fonts=_FONT_SIZES) -> MapLayout:
    rows = _pack_rows(spans, g)
    col_w = width / len(STAGES)
    header_h = 26.0
    # top of the band: room for the links coming down into its cards (one
    # track each); its caption goes at the bottom, clear of the links
    loose = set(unstaged)
    n_band_links = sum(1 for u, v in g.edges() if (u in loose) != (v in loose))
    band_head = min(44.0, 14.0 + 2.5 * n_band_links)
    for fontsize in fonts:
        max_text = max(30.0, col_w * 0.74 - 2 * CARD_PAD * fontsize)
        lines = {a: wrap_label(m.name(a), max_text, fontsize) for a in m.graph}
        sizes = {a: _card_size(lines[a], fontsize) for a in m.graph}
        row_h = [max(sizes[a][1] for a in row) for row in rows]
        # print sizes: roomy gaps; screen sizes (above 9 pt): tighter
        vgap = max(_GAP, fontsize * (0.9 if fontsize <= 9 else 0.6))
        main_h = sum(row_h) + vgap * max(0, len(rows) - 1)
        # band: cards flowing left to right
        band_lines = []
        if unstaged:
            band_max_text = max(30.0, min(col_w * 0.6, 150.0 if fontsize <= 9 else 18 * fontsize))
            for a in unstaged:
                lines[a] = wrap_label(m.name(a), band_max_text, fontsize)
                sizes[a] = _card_size(lines[a], fontsize)
            band_lines = _flow(unstaged, sizes, width - 24.0, vgap)
        band_h = 0.0
        if band_lines:
            band_h = band_head + sum(max(sizes[a][1] for a in ln) for ln in band_lines)
            band_h += vgap * (len(band_lines) - 1) + 18.0
        total = header_h + 8.0 + main_h + (14.0 + band_h if band_lines else 0.0)
        if total <= height:
            break
    scale = min(1.0, height / total) if total > 0 else 1.0
    if scale < 1.0:  # does not fit even with the smallest font: spread what we can
        vgap *= scale
    cards: dict[tuple, Card] = {}
    occ: dict[str, list[tuple]] = {a: [] for a in m.graph}
    top = height - header_h - 8.0
    # vertical centring of the main block when there is room
    spare = height - total
    if spare > 0:
        top -= spare * (0.35 if band_lines else 0.5)
    y = top
    for row, h in zip(rows, row_h, strict=True):
        cy = y - h / 2
        for a in row:
            for s in m.graph.nodes[a]["stages"]:
                cx = (STAGES.index(s) + 0.5) * col_w
                w, hh = sizes[a]
                cards[(a, s)] = Card(a, s, cx, cy, w, hh, lines[a])
                occ[a].append((a, s))
        y -= h + vgap
    band = None
    if band_lines:
        # order band actors by the mean x of their linked cards
        def bary(a):
            xs = [cards[k].x for n in g[a] for k in occ.get(n, []) if k in cards]
            return sum(xs) / len(xs) if xs else width / 2

        ordered = sorted(unstaged, key=lambda a: (bary(a), unstaged.index(a)))
        band_lines = _flow(ordered, sizes, width - 24.0, vgap)
        band_top = y + vgap - 14.0
        band_bottom = max(0.0, band_top - band_h)
        band = (band_bottom, band_top)
        by = band_top - band_head
        for ln in band_lines:
            h = max(sizes[a][1] for a in ln)
            line_w = sum(sizes[a][0] for a in ln) + _GAP * 2 * (len(ln) - 1)
            x = (width - line_w) / 2
            for a in ln:
                w, hh = sizes[a]
                cards[(a, None)] = Card(a, None, x + w / 2, by - h / 2, w, hh, lines[a])
                occ[a].append((a, None))
                x += w + 2 * _GAP
            by -= h + vgap
    columns = [(s, i * col_w, (i + 1) * col_w) for i, s in enumerate(STAGES)]
    return MapLayout(
        kind="stages",
        mode="cards",
        width=width,
        height=height,
        fontsize=fontsize,
        cards=cards,
        occurrences=occ,
        columns=columns,
        header_y=height - header_h / 2,
        band=band,
        fits=total <= height,
    )


def _flow(actors, sizes, width, vgap) -> list[list[str]]:
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for a in actors:
        w = sizes[a][0] + 2 * _GAP
        if current and used + w > width:
            lines.append(current)
            current, used = [], 0.0
        current.append(a)
        used += w
    if current:
        lines.append(current)
    return lines


def _grid(n: int, x0: float, x1: float, y0: float, y1: float) -> list[tuple[float, float]]:
    """``n`` points on a regular grid filling a box, row by row from the top."""
    if n == 0:
        return []
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    cols = max(1, math.ceil(math.sqrt(n * w / h)))
    rows = math.ceil(n / cols)
    dx, dy = w / cols, h / max(rows, 1)
    return [(x0 + (i % cols + 0.5) * dx, y1 - (i // cols + 0.5) * dy) for i in range(n)]


def _central(g: nx.Graph, count: int) -> list:
    order = {n: i for i, n in enumerate(g)}
    return sorted(g, key=lambda n: (-g.degree(n), order[n]))[:count]


def _place_labels(lay: MapLayout, m: ActorMap, g: nx.Graph, max_labels: int) -> None:
    """Label the most connected actors in dots mode, skipping overlapping labels."""
    fontsize = lay.fontsize
    placed: list[tuple[float, float, float, float]] = []
    for actor in _central(g, max_labels * 3):
        if len(lay.labels) >= max_labels:
            break
        key = lay.occurrences[actor][0]
        card = lay.cards[key]
        lines = wrap_label(m.name(actor), 20.0 * fontsize, fontsize, max_lines=2)
        w, h = _card_size(lines, fontsize)
        x0 = card.x + lay.dot_size
        box = (x0, card.y - h / 2, x0 + w, card.y + h / 2)
        if box[2] > lay.width:
            box = (card.x - lay.dot_size - w, box[1], card.x - lay.dot_size, box[3])
        if any(
            box[0] < b[2] + 1 and b[0] < box[2] + 1 and box[1] < b[3] + 1 and b[1] < box[3] + 1
            for b in placed
        ):
            continue
        placed.append(box)
        lay.labels[key] = (lines, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def _stage_dots(m, g, spans, unstaged, width, height, max_labels, label_font=6.0) -> MapLayout:
    header_h = 26.0 if label_font <= 9 else 2.6 * label_font
    col_w = width / len(STAGES)
    band_h = min(height * 0.22, 40.0 + 4.0 * math.sqrt(len(unstaged))) if unstaged else 0.0
    main_bottom = band_h + (14.0 if unstaged else 0.0)
    main_top = height - header_h - 8.0
    cards: dict[tuple, Card] = {}
    occ: dict[str, list[tuple]] = {a: [] for a in m.graph}
    by_stage = {s: [a for a in spans if s in m.graph.nodes[a]["stages"]] for s in STAGES}
    # multi-stage actors first so that their occurrences line up at the top
    for i, s in enumerate(STAGES):
        ordered = sorted(by_stage[s], key=lambda a: (spans[a][0] == spans[a][1], spans[a]))
        pts = _grid(len(ordered), i * col_w + 10, (i + 1) * col_w - 10, main_bottom, main_top)
        for a, (x, y) in zip(ordered, pts, strict=True):
            cards[(a, s)] = Card(a, s, x, y)
            occ[a].append((a, s))
    band = None
    if unstaged:
        band = (0.0, band_h)
        pts = _grid(len(unstaged), 10, width - 10, 4.0, band_h - 22.0)
        for a, (x, y) in zip(unstaged, pts, strict=True):
            cards[(a, None)] = Card(a, None, x, y)
            occ[a].append((a, None))
    n = max(1, len(cards))
    dot = max(0.6, min(4.0, 0.35 * math.sqrt(width * height / n)))
    lay = MapLayout(
        kind="stages",
        mode="dots",
        width=width,
        height=height,
        fontsize=label_font,
        cards=cards,
        occurrences=occ,
        columns=[(s, i * col_w, (i + 1) * col_w) for i, s in enumerate(STAGES)],
        header_y=height - header_h / 2,
        band=band,
        dot_size=dot,
    )
    _place_labels(lay, m, g, max_labels)
    return lay


# -- network layout -----------------------------------------------------------


def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    radius = max(1, int(3 * sigma))
    x = np.arange(-radius, radius + 1)
    kernel = np.exp(-(x**2) / (2 * sigma**2))
    kernel /= kernel.sum()
    a = np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="same"), 0, a)
    return np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="same"), 1, a)


def grid_force_layout(g: nx.Graph, seed: int = 42, iterations: int = 80) -> dict:
    """Force-directed layout for large graphs, linear cost per iteration.

    Links attract their ends (Fruchterman-Reingold attraction); repulsion is
    computed from a blurred density grid instead of all pairs of nodes, so an
    iteration costs O(nodes + links + grid).

    >>> pos = grid_force_layout(nx.path_graph(5), seed=1, iterations=10)
    >>> sorted(pos) == list(range(5))
    True
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: np.array([0.5, 0.5])}
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in g.edges() if u != v], dtype=int)
    edges = edges.reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = 1.0 / math.sqrt(n)
    bins = int(min(160, max(16, 2 * math.sqrt(n))))
    temperature = 0.1
    cooling = (0.005 / temperature) ** (1 / max(1, iterations))
    for _ in range(iterations):
        lo = pos.min(axis=0)
        span = max(float((pos.max(axis=0) - lo).max()), 1e-9)
        pos = (pos - lo) / span
        hist, _, _ = np.histogram2d(pos[:, 0], pos[:, 1], bins=bins, range=[[0, 1], [0, 1]])
        density = _blur(hist, 1.5)
        gx, gy = np.gradient(density)
        ix = np.minimum((pos[:, 0] * bins).astype(int), bins - 1)
        iy = np.minimum((pos[:, 1] * bins).astype(int), bins - 1)
        disp = -np.stack([gx[ix, iy], gy[ix, iy]], axis=1) * (k * 2.0)
        if len(edges):
            delta = pos[edges[:, 1]] - pos[edges[:, 0]]
            dist = np.sqrt((delta**2).sum(axis=1)) + 1e-9
            force = delta * (dist / k)[:, None] * k
            np.add.at(disp, edges[:, 0], force)
            np.add.at(disp, edges[:, 1], -force)
        disp -= (pos - 0.5) * 0.15
        length = np.sqrt((disp**2).sum(axis=1)) + 1e-12
        pos = pos + disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    # loose actors drift far away: scale on the 1-99 % quantiles and pull them in
    lo, hi = np.quantile(pos, 0.01, axis=0), np.quantile(pos, 0.99, axis=0)
    pos = np.clip((pos - lo) / np.maximum(hi - lo, 1e-9), -0.02, 1.02)
    return {v: pos[i] for i, v in enumerate(nodes)}


def _positions(g: nx.Graph, seed: int) -> dict:
    if g.number_of_nodes() <= SPRING_MAX:
        k = 2.0 / math.sqrt(max(1, g.number_of_nodes()))
        return nx.spring_layout(g, seed=seed, k=k, iterations=200, weight=None)
    return grid_force_layout(g, seed=seed)


def _remove_overlaps(xy: np.ndarray, wh: np.ndarray, width: float, height: float) -> bool:
    """Push overlapping cards apart (in place) until none overlap; True on success."""
    half = wh / 2 + _GAP / 2
    n = len(xy)
    for _ in range(150):
        dx = xy[:, None, 0] - xy[None, :, 0]
        dy = xy[:, None, 1] - xy[None, :, 1]
        ox = half[:, None, 0] + half[None, :, 0] - np.abs(dx)
        oy = half[:, None, 1] + half[None, :, 1] - np.abs(dy)
        overlap = (ox > 0) & (oy > 0)
        overlap[np.arange(n), np.arange(n)] = False
        if not overlap.any():
            return True
        # separate along the axis needing the smaller move (half each, plus a margin)
        along_x = overlap & (ox * height <= oy * width)
        along_y = overlap & ~along_x
        sx = np.where(
            dx == 0, np.where(np.arange(n)[:, None] < np.arange(n)[None, :], -1, 1), np.sign(dx)
        )
        sy = np.where(
            dy == 0, np.where(np.arange(n)[:, None] < np.arange(n)[None, :], -1, 1), np.sign(dy)
        )
        xy[:, 0] += (
            0.55
            * np.where(along_x, sx * ox, 0.0).sum(axis=1)
            / np.maximum(1, along_x.sum(axis=1)) ** 0.5
        )
        xy[:, 1] += (
            0.55
            * np.where(along_y, sy * oy, 0.0).sum(axis=1)
            / np.maximum(1, along_y.sum(axis=1)) ** 0.5
        )
        xy[:, 0] = np.clip(xy[:, 0], half[:, 0], width - half[:, 0])
        xy[:, 1] = np.clip(xy[:, 1], half[:, 1], height - half[:, 1])
    return False


#: Room for the caption at the top of a band of actors, in points.
_BAND_HEAD = 14.0


def _place_band(xy, band_lines, sizes, nodes, width, band_h) -> tuple[float, float]:
    """Put the actors of ``band_lines`` in rows at the bottom (in ``xy``); the band's extent."""
    index = {a: i for i, a in enumerate(nodes)}
    y = band_h - _BAND_HEAD - _GAP
    for ln in band_lines:
        h = max(sizes[a][1] for a in ln)
        line_w = sum(sizes[a][0] for a in ln) + 2 * _GAP * (len(ln) - 1)
        x = (width - line_w) / 2
        for a in ln:
            w = sizes[a][0]
            xy[index[a]] = (x + w / 2, y - h / 2)
            x += w + 2 * _GAP
        y -= h + _GAP
    return (0.0, band_h)


def _snap_to_grid(target, wh, width, height, g, nodes):
    """Move each card to the free grid cell nearest to its target; None if too few cells."""
    cell_w = float(wh[:, 0].max()) + _GAP
    cell_h = float(wh[:, 1].max()) + _GAP
    cols, rows = int(width // cell_w), int(height // cell_h)
    if cols * rows < len(nodes) or cols == 0 or rows == 0:
        return None
    cx = (np.arange(cols) + 0.5) * (width / cols)
    cy = (np.arange(rows) + 0.5) * (height / rows)
    cells = np.array([(x, y) for y in cy for x in cx])
    free = np.ones(len(cells), dtype=bool)
    out = np.zeros_like(target)
    order = sorted(range(len(nodes)), key=lambda i: (-g.degree(nodes[i]), i))
    for i in order:
        d = ((cells - target[i]) ** 2).sum(axis=1)
        d[~free] = np.inf
        j = int(np.argmin(d))
        free[j] = False
        out[i] = cells[j]
    return out


def network_layout(
    m: ActorMap,
    width: float = 800.0,
    height: float = 480.0,
    *,
    seed: int = 42,
    label_all_max: int = LABEL_ALL_MAX,
    max_labels: int = 40,
    fonts: tuple[float, ...] | None = None,
    lang: str = "fr",
) -> MapLayout:
    """Force-directed layout of ``m`` on a ``width`` x ``height`` points area.

    Up to ``label_all_max`` actors, actors are cards that never overlap
    (overlaps left by the force layout are removed, reducing the font if
    needed). With ``fonts`` (a screen), the cards are used only if they fit
    at one of these sizes; otherwise actors are dots and the most connected
    are named at the smallest one. The layout is deterministic for a given
    ``seed``.

    >>> from maps import from_records
    >>> m = from_records(actors=[{"id": str(i), "name": f"Acteur {i}"} for i in range(4)],
    ...                  links=[{"source_id": "0", "target_id": "1", "kind": "membre"}])
    >>> lay = network_layout(m, 400, 300)
    >>> lay.mode, len(lay.cards)
    ('cards', 4)
    """
    g = m.cooperation_graph()
    # actors without any link go in a band at the bottom: left to the force
    # layout, they would be thrown to a corner and squeeze the others
    loose = [v for v in g if g.degree(v) == 0] if g.number_of_edges() else []
    linked = [v for v in g if v not in set(loose)]
    pos = _positions(g.subgraph(linked), seed)
    nodes = linked + loose
    raw = np.array([pos[v] for v in linked], dtype=float).reshape(-1, 2)
    if len(linked) > 30:
        # small groups apart from the main one drift far away: scale on the
        # 2-98 % quantiles so that they do not squeeze it, and pull them in
        lo, hi = np.quantile(raw, 0.02, axis=0), np.quantile(raw, 0.98, axis=0)
        raw = np.clip((raw - lo) / np.maximum(hi - lo, 1e-9), -0.04, 1.04)
    if len(linked):
        raw -= raw.min(axis=0)
        raw /= np.maximum(raw.max(axis=0), 1e-9)
    occ = {a: [(a, None)] for a in nodes}
    n_linked = len(linked)
    sizes_tried = fonts or _FONT_SIZES
    done = False
    if len(nodes) <= label_all_max:
        xy = np.zeros((len(nodes), 2))
        band = None
        for fontsize in sizes_tried:
            lines = {a: wrap_label(m.name(a), 15 * fontsize, fontsize, max_lines=4) for a in nodes}
            for a in nodes:
                stages = m.graph.nodes[a]["stages"]
                if len(stages) > 1:
                    lines[a] = [
                        *lines[a],
                        " · ".join(stage_label(s, lang, "short") for s in stages),
                    ]
            wh = np.array([_card_size(lines[a], fontsize) for a in nodes]).reshape(-1, 2)
            area = float((wh[:, 0] * wh[:, 1]).sum())
            if area > 0.35 * width * height and fontsize > sizes_tried[-1]:
                continue
            sizes = {a: tuple(wh[i]) for i, a in enumerate(nodes)}
            band_lines = _flow(loose, sizes, width - 8.0, _GAP) if loose else []
            band_h = 0.0
            if band_lines:
                band_h = _BAND_HEAD + sum(max(sizes[a][1] for a in ln) for ln in band_lines)
                band_h += _GAP * (len(band_lines) + 1)
                if band_h > 0.4 * height and fontsize > sizes_tried[-1]:
                    continue
            lift = band_h + (_GAP if band_h else 0.0)
            main_h = height - lift
            sub = wh[:n_linked]
            mx = sub[:, 0].max(initial=0) / 2 + 4
            my = sub[:, 1].max(initial=0) / 2 + 4
            target = np.stack(
                [mx + raw[:, 0] * (width - 2 * mx), lift + my + raw[:, 1] * (main_h - 2 * my)],
                axis=1,
            ).reshape(-1, 2)
            main = target.copy()
            main[:, 1] -= lift
            done = _remove_overlaps(main, sub, width, main_h)
            if not done:
                snapped = _snap_to_grid(target - [0, lift], sub, width, main_h, g, linked)
                if snapped is not None:
                    main, done = snapped, True
            if done or fontsize == sizes_tried[-1]:
                xy[:n_linked] = main + [0, lift]
                band = _place_band(xy, band_lines, sizes, nodes, width, band_h) if loose else None
                break
        cards = {
            (a, None): Card(
                a,
                None,
                float(xy[i, 0]),
                float(xy[i, 1]),
                float(wh[i, 0]),
                float(wh[i, 1]),
                lines[a],
            )
            for i, a in enumerate(nodes)
        }
        if done or fonts is None:
            return MapLayout("network", "cards", width, height, fontsize, cards, occ, band=band)
    label_font = fonts[-1] if fonts else 6.0
    margin = 10.0
    band_h = min(height * 0.2, 30.0 + 4.0 * math.sqrt(len(loose))) if loose else 0.0
    cards = {
        (a, None): Card(
            a,
            None,
            margin + raw[i, 0] * (width - 2 * margin),
            band_h + margin + raw[i, 1] * (height - band_h - 2 * margin),
        )
        for i, a in enumerate(linked)
    }
    for a, (x, y) in zip(
        loose, _grid(len(loose), 10, width - 10, 4.0, band_h - _BAND_HEAD), strict=True
    ):
        cards[(a, None)] = Card(a, None, x, y)
    band = (0.0, band_h) if loose else None
    dot = max(0.8, min(4.0, 0.3 * math.sqrt(width * height / max(1, len(nodes)))))
    lay = MapLayout(
        "network", "dots", width, height, label_font, cards, occ, dot_size=dot, band=band
    )
    _place_labels(lay, m, g, max_labels)
    return lay
