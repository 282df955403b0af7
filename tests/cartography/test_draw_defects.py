"""Defects of the map drawing, each shown by a small map (issue: readable projected scenes).

- a link between the first and the third stage must not run under the card
  of the middle stage on the same row;
- a map made in an atelier is no "file": its caption says where it comes from;
- an isolated actor must not squeeze the network into a corner;
- the colour of an actor type does not depend on how many actors have it.
"""

import numpy as np

import maps
from maps.draw import _kind_palette, render_figure
from maps.routing import route_stage_links


def _three_in_a_row():
    return maps.from_records(
        actors=[
            {"id": "d", "name": "Déclencheur"},
            {"id": "o", "name": "Organisateur"},
            {"id": "a", "name": "Animateur"},
        ],
        contributions=[
            {"actor_id": "d", "stage": "declencher"},
            {"actor_id": "o", "stage": "organiser"},
            {"actor_id": "a", "stage": "animer"},
        ],
        links=[{"source_id": "d", "target_id": "a", "kind": "partenaire"}],
    )


def _inside(points, card, margin=0.5):
    x0, y0, x1, y1 = card.bounds()
    hit = (points[:, 0] > x0 + margin) & (points[:, 0] < x1 - margin)
    return hit & (points[:, 1] > y0 + margin) & (points[:, 1] < y1 - margin)


def _sampled(path, step=1.0):
    """Points every ``step`` points along a path (curves flattened)."""
    pts = np.concatenate([p for p in path.to_polygons(closed_only=False)])
    out = [pts[0]]
    for a, b in zip(pts, pts[1:], strict=False):
        n = max(1, int(np.hypot(*(b - a)) / step))
        out.extend(a + (b - a) * (k / n) for k in range(1, n + 1))
    return np.array(out)


def test_link_two_stages_apart_does_not_run_under_the_middle_card():
    m = _three_in_a_row()
    lay = maps.stage_layout(m, 794.0, 380.0)
    middle = lay.cards["o", "organiser"]
    # the three cards share one row: the straight path would cross the middle card
    assert abs(lay.cards["d", "declencher"].y - middle.y) < 0.5
    (route,) = route_stage_links(lay, [(("d", "declencher"), ("a", "animer"))])
    assert not _inside(_sampled(route.path), middle).any()


def test_links_never_cross_a_card_on_larger_maps():
    from maps_synth import synthetic_records

    for n, seed in ((12, 1), (30, 5), (45, 9)):
        m = maps.from_records(**synthetic_records(n, seed=seed))
        lay = maps.stage_layout(m, 794.0, 380.0)
        edges = [lay.edge_ends(u, v) for u, v in m.graph.edges() if u != v]
        for (ku, kv), route in zip(edges, route_stage_links(lay, edges), strict=True):
            if route.path is None:
                continue
            pts = _sampled(route.path)
            for key, card in lay.cards.items():
                if key not in (ku, kv):
                    assert not _inside(pts, card).any(), (n, ku, kv, key)


def _caption(fig):
    return next(t.get_text() for t in fig.texts if t.get_text().startswith("Source"))


def test_caption_of_a_map_made_in_an_atelier_names_no_file():
    m = maps.from_records(
        actors=[{"id": "a", "name": "Alpha"}], source="Portrait croisé de Mulhouse"
    )
    caption = _caption(render_figure(m, date="2024-03-05"))
    assert "fichiers" not in caption
    assert caption.startswith("Source\u00a0: Portrait croisé de Mulhouse · 1 acteur")


def test_caption_of_a_map_read_from_files(demo_dir):
    m = maps.read_map(demo_dir)
    assert "Source\u00a0: fichiers «\u00a0" in _caption(render_figure(m, date="2024-03-05"))


def test_isolated_actor_does_not_squeeze_the_network():
    actors = [{"id": f"a{i}", "name": f"Acteur {i}"} for i in range(9)]
    links = [
        {"source_id": f"a{i}", "target_id": f"a{(i + 1) % 8}", "kind": "partenaire"}
        for i in range(8)
    ] + [{"source_id": "a0", "target_id": "a4", "kind": "finance"}]
    m = maps.from_records(actors=actors, links=links)  # a8 has no link
    w, h = 800.0, 480.0
    lay = maps.network_layout(m, w, h)
    linked = [c for c in lay.cards.values() if c.actor != "a8"]
    xs = [c.x for c in linked]
    ys = [c.y for c in linked]
    # the connected actors use most of the page, not a fifth of it
    assert (max(xs) - min(xs)) * (max(ys) - min(ys)) > 0.35 * w * h
    # the isolated actor is on the page, clear of the others
    lone = lay.cards["a8", None]
    x0, y0, x1, y1 = lone.bounds()
    assert x0 >= 0 and x1 <= w and y0 >= 0 and y1 <= h
    for c in linked:
        a0, b0, a1, b1 = c.bounds()
        assert min(x1, a1) <= max(x0, a0) or min(y1, b1) <= max(y0, b0)


def _kinds_map(counts):
    actors = []
    for kind, n in counts.items():
        actors += [{"id": f"{kind}{i}", "name": f"{kind} {i}", "kind": kind} for i in range(n)]
    return maps.from_records(actors=actors)


def test_kind_colour_follows_the_kind_not_its_frequency():
    before, _ = _kind_palette(_kinds_map({"reseau": 3, "association": 2}))
    after, _ = _kind_palette(_kinds_map({"reseau": 3, "association": 4}))
    alone, _ = _kind_palette(_kinds_map({"association": 1}))
    assert before["association"] == after["association"] == alone["association"]
    assert before["reseau"] == after["reseau"]
    assert before["association"] != before["reseau"]


def test_kind_colours_distinct_for_known_kinds_and_stable_for_others():
    from maps.draw import KIND_ORDER

    palette, shown = _kind_palette(_kinds_map({k: 1 for k in KIND_ORDER}))
    fills = [palette[k] for k in KIND_ORDER]
    assert len(set(fills)) == len(fills)
    # a free-text kind gets the same colour whatever else is on the map
    p1, _ = _kind_palette(_kinds_map({"syndicat": 1}))
    p2, _ = _kind_palette(_kinds_map({"syndicat": 1, "cooperative": 2, "reseau": 5}))
    assert p1["syndicat"] == p2["syndicat"]
    # the legend lists kinds in the fixed order
    assert shown == [k for k in KIND_ORDER if k in shown]
