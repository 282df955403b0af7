"""Colour is never the only cue on the map images: every stage and every
actor type also has a shape, on the map (cards and dots) and in the legend
next to its name. Read from the SVG output."""

import re

import pytest

from maps import from_records, render_figure
from maps.draw import KIND_SHAPES, STAGE_SHAPES, figure_bytes
from maps.i18n import stage_label
from maps_synth import synthetic_records

STAGES = ("declencher", "organiser", "animer")


def _three_stages():
    return from_records(
        actors=[
            {"id": "a", "name": "Alpha", "kind": "association"},
            {"id": "b", "name": "Bêta", "kind": "collectivite"},
            {"id": "c", "name": "Gamma", "kind": "reseau"},
            {"id": "d", "name": "Delta", "kind": "financeur"},
        ],
        contributions=[
            {"actor_id": "a", "stage": "declencher"},
            {"actor_id": "b", "stage": "organiser"},
            {"actor_id": "c", "stage": "animer"},
            {"actor_id": "d", "stage": "animer"},
        ],
        links=[{"source_id": "a", "target_id": "b", "kind": "partenaire"}],
    )


def _shape_of(svg: str, gid: str) -> tuple:
    """The outline of the marker a group draws, scaled to a unit size: two
    groups that draw the same shape at different sizes give the same value."""
    start = svg.index(f'<g id="{gid}">')
    body = svg[start : svg.index("</g>", svg.index("<use", start))]
    ref = re.search(r'<use xlink:href="#([^"]+)"', body).group(1)
    d = re.search(rf'<path id="{re.escape(ref)}" d="([^"]+)"', svg).group(1)
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)]
    scale = max(abs(x) for x in numbers) or 1.0
    return tuple(re.findall(r"[A-Za-z]", d)), tuple(round(x / scale, 2) for x in numbers)


def _legend_name(svg: str, gid: str) -> str:
    start = svg.index(f'<g id="{gid}-nom">')
    return re.search(r"<text[^>]*>([^<]*)</text>", svg[start:]).group(1)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_network_map_gives_each_stage_its_own_shape_named_in_the_legend(lang):
    svg = figure_bytes(render_figure(_three_stages(), layout="network", lang=lang), "svg").decode()
    on_map = {s: _shape_of(svg, f"forme-etape-{s}") for s in STAGES}
    assert len(set(on_map.values())) == 3, "one shape per stage"
    for s in STAGES:
        # the legend draws the same shape as the map, next to the stage's name
        assert _shape_of(svg, f"legende-etape-{s}") == on_map[s], s
        assert _legend_name(svg, f"legende-etape-{s}") == stage_label(s, lang, "short")
    # « plusieurs étapes » and « sans étape » have shapes of their own too
    legend = {k: _shape_of(svg, f"legende-etape-{k}") for k in (*STAGES, "multi", "aucune")}
    assert len(set(legend.values())) == 5
    assert len(set(STAGE_SHAPES.values())) == len(STAGE_SHAPES)


def test_stage_map_gives_each_actor_type_its_own_shape_named_in_the_legend():
    svg = figure_bytes(render_figure(_three_stages(), layout="stages"), "svg").decode()
    kinds = ("association", "collectivite", "reseau", "financeur")
    on_map = {k: _shape_of(svg, f"forme-type-{k}") for k in kinds}
    assert len(set(on_map.values())) == len(kinds)
    for k in kinds:
        assert _shape_of(svg, f"legende-type-{k}") == on_map[k], k
    assert _legend_name(svg, "legende-type-collectivite") == "Collectivité"
    assert len(set(KIND_SHAPES.values())) == len(KIND_SHAPES)


def test_dots_of_a_crowded_screen_map_carry_the_shapes():
    """150 actors on a projector: actors are dots, and the dots are shapes."""
    from maps import from_records as build

    m = build(**synthetic_records(150))
    fig = render_figure(m, layout="network", paper="screen", furniture=False)
    svg = figure_bytes(fig, "svg").decode()
    groups = sorted(set(re.findall(r'<g id="(forme-etape-[^"]+)">', svg)))
    assert len(groups) >= 3, groups
    assert len({_shape_of(svg, g) for g in groups}) == len(groups), groups
