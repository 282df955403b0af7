"""Routing of the links of the stage layout, between and around the cards.

Links never cross a card. They leave a card horizontally (or, for actors
without stage, from the top of their card) and then:

- between two adjacent stage columns, cross the corridor between the
  columns with an S-shaped curve;
- within one column, run down a vertical *lane* in the corridor beside the
  column (rounded corners);
- towards an actor without stage, run down a lane to the band at the bottom,
  then curve into the top of the actor's card.

Every link running down a corridor gets its own lane; lanes are ordered to
avoid crossings (nested links outside, links towards the band ordered by
their destination). Where several links leave one side of a card, their
attachment points are spread along the side in the order that avoids
crossings next to the card.

>>> from maps import from_records, stage_layout
>>> m = from_records(
...     actors=[{"id": i, "name": i.upper()} for i in "abcd"],
...     contributions=[{"actor_id": "a", "stage": "declencher"},
...                    {"actor_id": "b", "stage": "declencher"},
...                    {"actor_id": "c", "stage": "organiser"}],
...     links=[{"source_id": "a", "target_id": "b", "kind": "partenaire"},
...            {"source_id": "a", "target_id": "c", "kind": "finance"},
...            {"source_id": "c", "target_id": "d", "kind": "membre"}],
... )
>>> lay = stage_layout(m, 600, 400)
>>> edges = [(("a", "declencher"), ("b", "declencher")),
...          (("a", "declencher"), ("c", "organiser")),
...          (("c", "organiser"), ("d", None))]
>>> [r.kind for r in route_stage_links(lay, edges)]
['lane', 'flat', 'band']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.path import Path

from .layout import MapLayout
from .stages import STAGES

__all__ = ["Route", "route_stage_links", "gutters"]

#: Room kept between a card and a link running beside it, in points.
CLEARANCE = 4.0
#: Largest distance between two lanes of a corridor, in points.
LANE_STEP = 7.0
#: Radius of the rounded corners, in points.
CORNER = 5.0


@dataclass
class Route:
    """The path of one link (``None`` for a link between two band actors)."""

    kind: str  # "curve", "lane", "band", "free" or "flat"
    path: Path | None = None
    start: tuple[float, float] | None = None
    end: tuple[float, float] | None = None


@dataclass
class _End:
    edge: int
    end: str  # "a" or "b"
    key: tuple
    side: str  # "l", "r" or "t"
    sort: tuple = ()
    pos: tuple[float, float] | None = None


@dataclass
class _Lane:
    edge: int
    gutter: int
    lo: float
    hi: float
    stubs: list = field(default_factory=list)  # (y, "L" or "R")
    exit: float | None = None  # x of the band card a band link goes to
    x: float = 0.0


def gutters(lay: MapLayout) -> list[tuple[float, float]]:
    """x-ranges of the corridors beside and between the stage columns, clear of cards.

    There are ``len(STAGES) + 1`` corridors: left of the first column, between
    columns, right of the last column; the outer ones may use the page margin.
    """
    n = len(STAGES)
    col_w = lay.width / n
    lefts, rights = [], []
    for i, stage in enumerate(STAGES):
        cards = [c for c in lay.cards.values() if c.stage == stage]
        lefts.append(min((c.x - c.w / 2 for c in cards), default=(i + 0.5) * col_w))
        rights.append(max((c.x + c.w / 2 for c in cards), default=(i + 0.5) * col_w))
    out = [(-14.0, lefts[0] - CLEARANCE)]
    out += [(rights[i] + CLEARANCE, lefts[i + 1] - CLEARANCE) for i in range(n - 1)]
    out.append((rights[-1] + CLEARANCE, lay.width + 14.0))
    return out


def _column(card) -> int:
    return STAGES.index(card.stage)


def _pair_cost(a: _Lane, b: _Lane) -> int:
    """Crossings between the lanes ``a`` and ``b`` when ``a`` is left of ``b``."""
    cost = 0
    for y, side in a.stubs:
        if side == "R" and b.lo - 1 <= y <= b.hi + 1:
            cost += 1
    for y, side in b.stubs:
        if side == "L" and a.lo - 1 <= y <= a.hi + 1:
            cost += 1
    if a.exit is not None and b.exit is not None and a.exit > b.exit + 0.5:
        cost += 1
    return cost


def _order_lanes(lanes: list[_Lane]) -> list[_Lane]:
    """Order the lanes of a corridor left to right, reducing crossings."""
    order = sorted(lanes, key=lambda ln: (-(ln.hi - ln.lo), ln.edge))
    for _ in range(4 * len(order) + 4):
        improved = False
        for i in range(len(order) - 1):
            a, b = order[i], order[i + 1]
            if _pair_cost(b, a) < _pair_cost(a, b):
                order[i], order[i + 1] = b, a
                improved = True
        if not improved:
            break
    return order


def _rounded(points: list[tuple[float, float]]) -> tuple[list, list]:
    """Vertices and codes of a polyline with rounded corners."""
    verts = [points[0]]
    codes = [Path.MOVETO]
    for i in range(1, len(points) - 1):
        (x0, y0), (x1, y1), (x2, y2) = points[i - 1], points[i], points[i + 1]
        d_in = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        d_out = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        r = min(CORNER, d_in / 2, d_out / 2)
        if r < 0.5:
            verts.append((x1, y1))
            codes.append(Path.LINETO)
            continue
        verts.append((x1 - (x1 - x0) / d_in * r, y1 - (y1 - y0) / d_in * r))
        codes.append(Path.LINETO)
        verts += [(x1, y1), (x1 + (x2 - x1) / d_out * r, y1 + (y2 - y1) / d_out * r)]
        codes += [Path.CURVE3, Path.CURVE3]
    verts.append(points[-1])
    codes.append(Path.LINETO)
    return verts, codes


def _reverse(verts: list, codes: list) -> tuple[list, list]:
    """The same path, travelled backwards (for links drawn towards the staged card)."""
    # split into segments (start, code, points...) and rebuild backwards
    segments = []
    i = 1
    while i < len(verts):
        code = codes[i]
        size = {Path.LINETO: 1, Path.CURVE3: 2, Path.CURVE4: 3}[code]
        segments.append((verts[i - 1], code, verts[i : i + size]))
        i += size
    out_v = [verts[-1]]
    out_c = [Path.MOVETO]
    for start, code, pts in reversed(segments):
        back = list(reversed(pts[:-1])) + [start]
        out_v += back
        out_c += [code] * len(back)
    return out_v, out_c


def _track_cost(a: dict, b: dict) -> int:
    """Crossings between band links ``a`` and ``b`` when ``a`` runs on the higher track."""
    (la, da), (lb, db) = a["span"], b["span"]
    cost = int(min(lb, db) - 0.5 <= da <= max(lb, db) + 0.5)
    return cost + int(min(la, da) - 0.5 <= lb <= max(la, da) + 0.5)


def _assign_tracks(plans: list[dict], cards, band_top: float) -> None:
    """Give each link towards the band its own horizontal track above the band cards."""
    if not plans:
        return
    for plan in plans:
        plan["span"] = (plan["lane"].x, plan["band"].pos[0])
    order = sorted(plans, key=lambda p: (-abs(p["span"][0] - p["span"][1]), p["lane"].edge))
    for _ in range(4 * len(order) + 4):
        improved = False
        for i in range(len(order) - 1):
            a, b = order[i], order[i + 1]
            if _track_cost(b, a) < _track_cost(a, b):
                order[i], order[i + 1] = b, a
                improved = True
        if not improved:
            break
    lowest = max(cards[p["band"].key].y + cards[p["band"].key].h / 2 for p in plans) + 6.0
    top = band_top - 3.0
    step = min(4.0, max(1.0, (top - lowest) / len(order)))
    for k, plan in enumerate(order):
        plan["track"] = top - (k + 0.5) * step


def _blocked(cards, y: float, h: float = 0.0) -> bool:
    """Whether a horizontal run at ``y`` (or anywhere on a card of height
    ``h`` centred there) would pass over one of ``cards``."""
    return any(
        c.y - c.h / 2 - CLEARANCE < y + h / 2 and y - h / 2 < c.y + c.h / 2 + CLEARANCE
        for c in cards
    )


def _crossing_y(lay: MapLayout, blockers, ya: float, yb: float, used: dict) -> float:
    """A height at which a link can cross the columns of ``blockers``: the
    middle of the free gap (between their cards, above or below them) nearest
    to both ends; links sharing a gap get tracks of their own."""
    top = (lay.header_y - 13.0 if lay.header_y is not None else lay.height) - 2.0
    bottom = (lay.band[1] if lay.band else 0.0) + 2.0
    spans = sorted((c.y - c.h / 2 - CLEARANCE, c.y + c.h / 2 + CLEARANCE) for c in blockers)
    gaps = []
    lo = bottom
    for s0, s1 in spans:
        if s0 > lo:
            gaps.append((lo, s0))
        lo = max(lo, s1)
    if top > lo:
        gaps.append((lo, top))
    if not gaps:  # no room at all: along the row, as before
        return ya
    g0, g1 = min(gaps, key=lambda g: abs((g[0] + g[1]) / 2 - ya) + abs((g[0] + g[1]) / 2 - yb))
    mid = (g0 + g1) / 2
    k = used.get(mid, 0)
    used[mid] = k + 1
    step = min(2.5, (g1 - g0) / 4)
    # 0, +1, -1, +2, -2… tracks around the middle, kept inside the gap
    off = ((k + 1) // 2) * (1 if k % 2 else -1) * step
    return min(g1 - 0.5, max(g0 + 0.5, mid + off))


def route_stage_links(lay: MapLayout, edges: list[tuple[tuple, tuple]]) -> list[Route]:
    """Routes of ``edges`` (pairs of card keys, source first) on a stage layout in cards mode.

    Returns one :class:`Route` per edge, in order. ``kind`` is ``"curve"``
    (adjacent columns), ``"flat"`` (adjacent columns, same row), ``"lane"``
    (same column, or columns two apart), ``"band"`` (to or from an actor
    without stage) or ``"free"`` (between two actors without stage: an arc
    drawn by the caller, ``path`` is ``None``).
    """
    cards = lay.cards
    gut = gutters(lay)
    band_top = lay.band[1] if lay.band else 0.0
    plans: list[dict] = []
    lanes: list[_Lane] = []
    ends: dict[tuple, list[_End]] = {}
    crossings: dict[float, int] = {}  # links crossing through each gap

    def add_end(i, which, key, side):
        e = _End(i, which, key, side)
        ends.setdefault((key, side), []).append(e)
        return e

    for i, (ku, kv) in enumerate(edges):
        a, b = cards[ku], cards[kv]
        if a.stage is None and b.stage is None:
            plans.append({"kind": "free"})
            continue
        if a.stage is None or b.stage is None:
            staged, band = (a, b) if b.stage is None else (b, a)
            col = _column(staged)
            left = band.x < staged.x
            g = col if left else col + 1
            lane = _Lane(i, g, band_top, staged.y, exit=band.x)
            lane.stubs.append((staged.y, "R" if left else "L"))
            lanes.append(lane)
            ws = "a" if staged is a else "b"
            wb = "b" if staged is a else "a"
            plans.append(
                {
                    "kind": "band",
                    "lane": lane,
                    "staged": add_end(i, ws, staged.key, "l" if left else "r"),
                    "band": add_end(i, wb, band.key, "t"),
                    "reverse": staged is not a,
                }
            )
            continue
        ia, ib = _column(a), _column(b)
        if ia == ib:
            if ia == 0:
                g = 0
            elif ia == len(STAGES) - 1:
                g = len(STAGES)
            else:
                wl = gut[ia][1] - gut[ia][0]
                wr = gut[ia + 1][1] - gut[ia + 1][0]
                g = ia if wl >= wr else ia + 1
            side = "l" if g == ia else "r"
            stub = "R" if side == "l" else "L"
            lane = _Lane(i, g, min(a.y, b.y), max(a.y, b.y), [(a.y, stub), (b.y, stub)])
            lanes.append(lane)
            plans.append(
                {
                    "kind": "lane",
                    "lane": lane,
                    "ea": add_end(i, "a", a.key, side),
                    "eb": add_end(i, "b", b.key, side),
                }
            )
            continue
        sa, sb = ("r", "l") if ia < ib else ("l", "r")
        if abs(ia - ib) == 1:
            g = max(ia, ib)
            kind = "flat" if abs(a.y - b.y) < 0.5 else "curve"
            plans.append(
                {
                    "kind": kind,
                    "gutter": g,
                    "ea": add_end(i, "a", a.key, sa),
                    "eb": add_end(i, "b", b.key, sb),
                }
            )
            continue
        # two columns apart: along a's row when no card of the columns between
        # sits on it, then down the corridor next to b
        g = ib if ia < ib else ib + 1
        between = range(min(ia, ib) + 1, max(ia, ib))
        blockers = [c for c in cards.values() if c.stage is not None and _column(c) in between]
        if not _blocked(blockers, a.y, a.h):
            lane = _Lane(i, g, min(a.y, b.y), max(a.y, b.y))
            lane.stubs += [(a.y, "L" if ia < ib else "R"), (b.y, "R" if ia < ib else "L")]
            lanes.append(lane)
            plans.append(
                {
                    "kind": "lane",
                    "lane": lane,
                    "ea": add_end(i, "a", a.key, sa),
                    "eb": add_end(i, "b", b.key, sb),
                }
            )
            continue
        # otherwise: down the corridor next to a to a gap between the cards of
        # the columns between, across them there, then the corridor next to b
        y = _crossing_y(lay, blockers, a.y, b.y, crossings)
        g1 = ia + 1 if ia < ib else ia
        first = _Lane(i, g1, min(a.y, y), max(a.y, y))
        first.stubs += [(a.y, "L" if ia < ib else "R"), (y, "R" if ia < ib else "L")]
        second = _Lane(i, g, min(y, b.y), max(y, b.y))
        second.stubs += [(y, "L" if ia < ib else "R"), (b.y, "R" if ia < ib else "L")]
        lanes += [first, second]
        plans.append(
            {
                "kind": "lane",
                "lane": first,
                "lane2": second,
                "cross": y,
                "ea": add_end(i, "a", a.key, sa),
                "eb": add_end(i, "b", b.key, sb),
            }
        )

    # lanes: ordered and spread across each corridor
    for g, (x0, x1) in enumerate(gut):
        mine = _order_lanes([ln for ln in lanes if ln.gutter == g])
        if not mine:
            continue
        step = min(LANE_STEP, max(1.5, (x1 - x0) / (len(mine) + 1)))
        centre = (x0 + x1) / 2
        if g == 0:  # outer corridors: keep the lanes near the cards
            centre = max(centre, x1 - step * (len(mine) + 1) / 2)
        elif g == len(gut) - 1:
            centre = min(centre, x0 + step * (len(mine) + 1) / 2)
        for k, ln in enumerate(mine):
            ln.x = centre + (k - (len(mine) - 1) / 2) * step

    # attachment points along each card side
    for i, plan in enumerate(plans):
        kind = plan["kind"]
        if kind == "free":
            continue
        if kind == "band":
            ln, st = plan["lane"], plan["staged"]
            card = cards[st.key]
            dist = abs(ln.x - card.x)
            st.sort = (2, 1, -dist)
            plan["band"].sort = (ln.x, ln.exit)
            continue
        a, b = cards[edges[i][0]], cards[edges[i][1]]
        for mine, other in ((plan["ea"], b), (plan["eb"], a)):
            card = cards[mine.key]
            if kind in ("curve", "flat"):
                if abs(other.y - card.y) < 0.5:
                    mine.sort = (1, 0, 0.0)
                elif other.y > card.y:
                    mine.sort = (0, 1, -other.y)
                else:
                    mine.sort = (2, 0, -other.y)
            else:
                dist = abs(plan["lane"].x - card.x)
                mine.sort = (0, 0, dist) if other.y > card.y else (2, 1, -dist)
    for (key, side), items in ends.items():
        card = cards[key]
        items.sort(key=lambda e: (e.sort, e.edge))
        n = len(items)
        if side == "t":
            span = max(0.0, card.w - 16.0)
            for j, e in enumerate(items):
                off = 0.0 if n == 1 else span * (j / (n - 1) - 0.5)
                e.pos = (card.x + off, card.y + card.h / 2 + 1.5)
            continue
        span = max(0.0, min(card.h - 7.0, 5.0 * (n - 1)))
        x = card.x - card.w / 2 - 1.5 if side == "l" else card.x + card.w / 2 + 1.5
        for j, e in enumerate(items):
            off = 0.0 if n == 1 else span * (0.5 - j / (n - 1))
            e.pos = (x, card.y + off)

    _assign_tracks([p for p in plans if p["kind"] == "band"], cards, band_top)

    routes = []
    for plan in plans:
        kind = plan["kind"]
        if kind == "free":
            routes.append(Route("free"))
            continue
        if kind == "band":
            ln, y = plan["lane"], plan["track"]
            ps, pt = plan["staged"].pos, plan["band"].pos
            verts, codes = _rounded([ps, (ln.x, ps[1]), (ln.x, y), (pt[0], y), pt])
            if plan["reverse"]:
                verts, codes = _reverse(verts, codes)
            routes.append(Route("band", Path(verts, codes), verts[0], verts[-1]))
            continue
        pa, pb = plan["ea"].pos, plan["eb"].pos
        if kind == "lane" and "lane2" in plan:
            l1, l2, y = plan["lane"], plan["lane2"], plan["cross"]
            verts, codes = _rounded([pa, (l1.x, pa[1]), (l1.x, y), (l2.x, y), (l2.x, pb[1]), pb])
        elif kind == "lane":
            ln = plan["lane"]
            verts, codes = _rounded([pa, (ln.x, pa[1]), (ln.x, pb[1]), pb])
        elif kind == "flat":
            verts, codes = [pa, pb], [Path.MOVETO, Path.LINETO]
        else:
            x0, x1 = gut[plan["gutter"]]
            g0, g1 = (x0, x1) if pa[0] < pb[0] else (x1, x0)
            mid = (g0 + g1) / 2
            verts = [pa, (g0, pa[1]), (mid, pa[1]), (mid, pb[1]), (g1, pb[1]), pb]
            codes = [Path.MOVETO, Path.LINETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO]
        routes.append(Route(kind, Path(verts, codes), verts[0], verts[-1]))
    return routes
