"""Links of the stage layout: they avoid the cards and do not share lanes."""

import itertools

import numpy as np
import pytest

import maps
from maps.draw import _draw_links
from maps.routing import gutters, route_stage_links
from maps_synth import synthetic_records


def _routes(m, width=794.0, height=380.0):
    lay = maps.stage_layout(m, width, height)
    edges = []
    for u, v, _data in m.graph.edges(data=True):
        if u != v:
            edges.append(lay.edge_ends(u, v))
    return lay, edges, route_stage_links(lay, edges)


def _points(path):
    return np.concatenate([p for p in path.to_polygons(closed_only=False)])


def _mulhouse_and_synthetic():
    return ["mulhouse", 30, 60]


@pytest.fixture(params=_mulhouse_and_synthetic())
def routed(request, mulhouse):
    if request.param == "mulhouse":
        m = mulhouse
    else:
        m = maps.from_records(**synthetic_records(request.param, seed=5))
    return _routes(m)


def test_links_do_not_cross_cards(routed):
    lay, edges, routes = routed
    for (ku, kv), route in zip(edges, routes, strict=True):
        if route.path is None:
            continue
        pts = _points(route.path)
        for key, card in lay.cards.items():
            if key in (ku, kv):
                continue
            x0, y0, x1, y1 = card.bounds()
            inside = (pts[:, 0] > x0 + 0.5) & (pts[:, 0] < x1 - 0.5)
            inside &= (pts[:, 1] > y0 + 0.5) & (pts[:, 1] < y1 - 0.5)
            assert not inside.any(), (ku, kv, key)


def test_links_start_and_end_at_their_cards(routed):
    lay, edges, routes = routed
    for (ku, kv), route in zip(edges, routes, strict=True):
        if route.path is None:
            continue
        for key, point in ((ku, route.start), (kv, route.end)):
            x0, y0, x1, y1 = lay.cards[key].bounds()
            assert x0 - 3 <= point[0] <= x1 + 3 and y0 - 3 <= point[1] <= y1 + 3


def test_each_link_has_its_own_lane(routed):
    lay, edges, routes = routed
    vertical = []  # (x, y_lo, y_hi) of every vertical run in a corridor
    corridors = gutters(lay)
    for route in routes:
        if route.kind not in ("lane", "band"):
            continue
        v = route.path.vertices
        for (xa, ya), (xb, yb) in zip(v, v[1:], strict=False):
            if abs(xa - xb) < 1e-6 and abs(ya - yb) > 1:
                # drops into band cards (below the band top) are not lanes
                top = lay.band[1] if lay.band else -1e9
                lane = route.kind == "lane" or max(ya, yb) > top + 1
                if lane and any(g0 - 1 <= xa <= g1 + 1 for g0, g1 in corridors):
                    vertical.append((xa, min(ya, yb), max(ya, yb)))
    for a, b in itertools.combinations(vertical, 2):
        if min(a[2], b[2]) - max(a[1], b[1]) > 1:  # overlapping in height
            assert abs(a[0] - b[0]) > 1, (a, b)


def test_band_caption_clear_of_links(mulhouse):
    fig = maps.render_figure(mulhouse, date="2024-01-01")
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    caption = next(t for t in ax.texts if t.get_text() == "Sans étape renseignée")
    box = caption.get_window_extent(renderer)
    for patch in ax.patches:
        if patch.__class__.__name__ != "FancyArrowPatch":
            continue
        path = patch.get_path()
        pts = ax.transData.transform(np.concatenate(path.to_polygons(closed_only=False)))
        inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1)
        inside &= (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)
        assert not inside.any()


def test_draw_links_counts_every_kind(mulhouse):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_axes((0, 0, 1, 1))
    lay = maps.stage_layout(mulhouse, 794, 380)
    kinds = _draw_links(ax, mulhouse, lay, set())
    assert sorted(kinds) == ["accompagne", "membre", "partenaire"]
    arrows = [p for p in ax.patches if p.__class__.__name__ == "FancyArrowPatch"]
    assert len(arrows) == mulhouse.n_links
