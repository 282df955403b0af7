import itertools

import pytest

import maps
from maps import from_records, render_figure
from maps_synth import synthetic_records


def _boxes(fig):
    """Rendered bounding boxes (display units) of every label and node of the map axes."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    ax = fig.axes[0]
    labels, nodes = [], []
    for t in ax.texts:
        patch = t.get_bbox_patch()
        if patch is None or not t.get_text():
            continue
        labels.append((t.get_text(), patch.get_window_extent(renderer)))
    for coll in ax.collections:
        if coll.__class__.__name__ == "PathCollection":
            nodes.extend(coll.get_window_extent(renderer) for _ in [0])
    return labels, nodes


def _assert_no_overlap(labels):
    for (ta, a), (tb, b) in itertools.combinations(labels, 2):
        overlap = min(a.x1, b.x1) - max(a.x0, b.x0) > 0 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0
        assert not overlap, f"{ta!r} chevauche {tb!r}"


@pytest.mark.parametrize("layout", ["stages", "network"])
def test_no_overlap_mulhouse(mulhouse, layout):
    fig = render_figure(mulhouse, layout=layout, date="2024-01-01")
    labels, _ = _boxes(fig)
    # stages layout: one card per (actor, stage) + one per actor without stage
    expected = 19 - 0 if layout == "stages" else 20
    if layout == "stages":
        expected = sum(max(1, len(mulhouse.stages_of(a))) for a in mulhouse.graph)
    assert len(labels) == expected
    _assert_no_overlap(labels)


@pytest.mark.parametrize("layout", ["stages", "network"])
@pytest.mark.parametrize("paper", ["a4", "a3"])
def test_no_overlap_60_actors(layout, paper):
    m = from_records(**synthetic_records(60, seed=7))
    fig = render_figure(m, layout=layout, paper=paper, date="2024-01-01")
    labels, _ = _boxes(fig)
    assert len(labels) >= 60
    _assert_no_overlap(labels)


def test_large_map_labels_only_central():
    m = from_records(**synthetic_records(300, seed=3))
    fig = render_figure(m, layout="network", date="2024-01-01")
    labels, _ = _boxes(fig)
    assert 0 < len(labels) <= 40
    _assert_no_overlap(labels)
    legend_texts = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert any("les plus reliés sont nommés" in t for t in legend_texts)


def test_stage_layout_multi_stage_actor_on_one_row(mulhouse):
    lay = maps.stage_layout(mulhouse, 800, 440)
    for actor, keys in lay.occurrences.items():
        ys = {round(lay.cards[k].y, 3) for k in keys}
        assert len(ys) == 1, actor
        assert len(keys) == max(1, len(mulhouse.stages_of(actor)))


def test_figure_has_title_date_source_and_french_legend(mulhouse):
    fig = render_figure(mulhouse, title="Mulhouse", date="2024-03-05")
    texts = [t.get_text() for t in fig.texts]
    assert "Mulhouse" in texts
    assert any(
        "05/03/2024" in t and "Source\u00a0: fichiers «\u00a0mulhouse\u00a0»" in t for t in texts
    )
    fig = render_figure(mulhouse, date="2024-03-05", source="atelier de Mulhouse")
    texts = [t.get_text() for t in fig.texts]
    assert "Cartographie des acteurs\u00a0: Mulhouse" in texts
    assert any(t.startswith("Source\u00a0: atelier de Mulhouse · 20 acteurs") for t in texts)
    legend_texts = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert "partenaire" in legend_texts and "membre de" in legend_texts
    assert any("même acteur" in t for t in legend_texts)
    ax_texts = [t.get_text() for t in fig.axes[0].texts]
    assert "1. Déclencher l’action" in ax_texts and "Sans étape renseignée" in ax_texts
