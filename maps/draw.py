"""Drawing of actor maps with matplotlib's object API (no pyplot).

:func:`render_figure` returns a :class:`matplotlib.figure.Figure` laid out
for print (A4 or A3 landscape) with a title, a legend and a caption giving the
source, the counts and the date. :func:`draw_map` saves it as PNG, SVG or PDF.
Figures are independent objects: rendering is safe in a threaded server.

>>> from maps import from_records
>>> m = from_records(
...     actors=[{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Bêta"}],
...     contributions=[{"actor_id": "a", "stage": "declencher"}],
...     links=[{"source_id": "a", "target_id": "b", "kind": "partenaire"}],
... )
>>> fig = render_figure(m, title="Essai", date="2024-03-01")
>>> [t.get_text() for t in fig.texts][:2]
['Essai', 'Cartographie des acteurs par étape de la stratégie d’impact collectif']
"""

from __future__ import annotations

import datetime
import io
import math
import os
from pathlib import Path

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

from .glyphs import MapCanvasAgg
from .i18n import check_lang, ntr, stage_label, tr
from .i18n import kind_label as _i18n_kind_label
from .layout import CARD_PAD, MapLayout, network_layout, stage_layout, text_settings
from .model import LINK_KINDS, ActorMap
from .routing import route_stage_links
from .stages import STAGE_COLORS, STAGES

__all__ = [
    "render_figure",
    "draw_map",
    "figure_bytes",
    "kind_colours",
    "kind_shape",
    "STAGE_SHAPES",
    "KIND_SHAPES",
    "SHAPE_MARKERS",
    "KIND_ORDER",
    "KIND_COLOURS",
    "PAPER_SIZES",
    "LINK_STYLES",
]

#: Paper sizes (landscape), in inches.
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "a4": (11.69, 8.27),
    "a3": (16.54, 11.69),
    # 16:9, for a projector or a screen: the drawing fills a wide screen, so
    # its text is shown about 1.5 times larger than an A4 page's.
    "screen": (12.8, 7.2),
}

#: Smallest text of a drawing for a screen (``furniture=False``), in points:
#: 1.93 % of the figure's height (7.2 in), so that labels stay at least 1.6 %
#: of a projector's height when the map fills 84 % of it (the projector page).
SCREEN_MIN_FONT = 10.0
#: Font sizes tried for the cards of a drawing for a screen, largest first.
SCREEN_FONTS = (16.0, 15.0, 14.0, 13.0, 12.0, 11.0, SCREEN_MIN_FONT)
#: Named actors at most when a drawing for a screen shows dots.
SCREEN_MAX_LABELS = 30

#: Line style of each link kind: colour, line style, width, arrow (directed).
LINK_STYLES: dict[str, dict] = {
    "partenaire": {"color": "#1F4E79", "ls": "-", "lw": 1.3, "arrow": False},
    "finance": {"color": "#2E7D32", "ls": "-", "lw": 2.0, "arrow": True},
    "accompagne": {"color": "#C62828", "ls": "--", "lw": 1.3, "arrow": True},
    "oriente": {"color": "#6A1B9A", "ls": ":", "lw": 1.6, "arrow": True},
    "membre": {"color": "#7A7A7A", "ls": "-.", "lw": 1.0, "arrow": True},
}
_OTHER_LINK_COLORS = ("#8D6E63", "#00838F", "#AD1457", "#558B2F", "#4E342E", "#37474F")

#: Actor types in the fixed order of the legends. Each type keeps its colour
#: (fill, edge) whatever the map holds, so that colours never change while
#: the room watches and are the same in every export.
KIND_ORDER: tuple[str, ...] = (
    "association",
    "collectivite",
    "reseau",
    "fondation",
    "financeur",
    "service_public",
    "entreprise",
    "autre",
)
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "association": ("#FDE3C8", "#B35C00"),
    "collectivite": ("#D6E6F5", "#1F5A8C"),
    "reseau": ("#DCEFD8", "#2E7D32"),
    "fondation": ("#EEDCEB", "#7B3F76"),
    "financeur": ("#FFF1C2", "#8A6D00"),
    "service_public": ("#D5ECEE", "#00696F"),
    "entreprise": ("#F7D5D5", "#A12C2C"),
    "autre": ("#EADFD6", "#6D4C41"),
    "": ("#E4E4E4", "#555555"),
}
#: Colours of free-text types, chosen by the type's name (a stable hash).
_FREE_KIND_COLOURS = (
    ("#E3E8C8", "#5B6B00"),
    ("#DAD6F2", "#3F3A8C"),
    ("#F5DDE9", "#8C2D5C"),
    ("#D2EBE3", "#2F6B55"),
    ("#F2E2C9", "#7A5200"),
    ("#DCE3EA", "#3D5366"),
)
_KIND_LEGEND_MAX = 9
_STAGE_FILLS = {
    "declencher": ("#FBDDB0", "#B86E00"),
    "organiser": ("#C5DDF0", "#005A8C"),
    "animer": ("#BFE8D8", "#00704F"),
    "multi": ("#E0D0EE", "#5E3C86"),
    None: ("#ECECEC", "#666666"),
}
_MULTI_LABEL = "plusieurs étapes"
_NOSTAGE_LABEL = "sans étape renseignée"

#: Colour is never the only cue: each stage and each actor type also has a
#: shape, drawn on every card (on its left edge) or as the dot itself, and
#: shown in the legend next to its name. Names of shapes → matplotlib markers.
SHAPE_MARKERS: dict[str, str] = {
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "triangle_down": "v",
    "pentagon": "p",
    "hexagon": "h",
    "star": "*",
    "cross": "X",
    "plus": "P",
    "left": "<",
    "right": ">",
}
STAGE_SHAPES: dict[str | None, str] = {
    "declencher": "triangle",
    "organiser": "square",
    "animer": "circle",
    "multi": "diamond",
    None: "cross",
}
KIND_SHAPES: dict[str, str] = {
    "association": "circle",
    "collectivite": "square",
    "reseau": "triangle",
    "fondation": "diamond",
    "financeur": "star",
    "service_public": "pentagon",
    "entreprise": "hexagon",
    "autre": "triangle_down",
    "": "cross",
}
_FREE_KIND_SHAPES = ("plus", "left", "right")


def _pretty_name(name: str) -> str:
    """A file or folder name as a title: ``mulhouse`` → ``Mulhouse``.

    >>> _pretty_name("atelier_mulhouse-2024"), _pretty_name("RNMA Alsace")
    ('Atelier mulhouse 2024', 'RNMA Alsace')
    """
    if name != name.lower():
        return name
    name = name.replace("_", " ").replace("-", " ").strip()
    return name[:1].upper() + name[1:]


def _kind_label(kind: str, lang: str = "fr") -> str:
    return _i18n_kind_label(kind, lang)


def _link_style(kind: str, others: list[str]) -> dict:
    if kind in LINK_STYLES:
        return LINK_STYLES[kind]
    i = others.index(kind) if kind in others else 0
    return {
        "color": _OTHER_LINK_COLORS[i % len(_OTHER_LINK_COLORS)],
        "ls": "-",
        "lw": 1.1,
        "arrow": True,
    }


def _link_label(kind: str, lang: str = "fr") -> str:
    return tr(LINK_KINDS[kind], lang) if kind in LINK_KINDS else kind or tr("non précisé", lang)


def _parse_date(date) -> datetime.date:
    if date is None:
        return datetime.date.today()
    if isinstance(date, datetime.datetime):
        return date.date()
    if isinstance(date, datetime.date):
        return date
    return datetime.date.fromisoformat(str(date))


def kind_colours(kind: str) -> tuple[str, str]:
    """Fill and edge colours of an actor type: fixed for the types of
    :data:`KIND_ORDER`, chosen by name for the others (never by frequency).

    >>> kind_colours("association"), kind_colours("")
    (('#FDE3C8', '#B35C00'), ('#E4E4E4', '#555555'))
    >>> kind_colours("syndicat") == kind_colours("syndicat")
    True
    """
    import zlib

    kind = kind or ""
    if kind in KIND_COLOURS:
        return KIND_COLOURS[kind]
    return _FREE_KIND_COLOURS[zlib.crc32(kind.encode("utf-8")) % len(_FREE_KIND_COLOURS)]


def kind_shape(kind: str) -> str:
    """Shape of an actor type (a key of :data:`SHAPE_MARKERS`): fixed for the
    types of :data:`KIND_ORDER`, chosen by name for the others.

    >>> kind_shape("association"), kind_shape(""), kind_shape("syndicat") in _FREE_KIND_SHAPES
    ('circle', 'cross', True)
    """
    import zlib

    kind = kind or ""
    if kind in KIND_SHAPES:
        return KIND_SHAPES[kind]
    return _FREE_KIND_SHAPES[zlib.crc32(kind.encode("utf-8")) % len(_FREE_KIND_SHAPES)]


def _shape_handle(fill: str, edge: str, shape: str) -> Line2D:
    """A legend entry: the shape, filled with the card colour, edged with the
    type's or stage's darker colour (as drawn on the map)."""
    return Line2D(
        [],
        [],
        ls="none",
        marker=SHAPE_MARKERS[shape],
        markersize=8.5,
        markerfacecolor=edge,
        markeredgecolor=fill,
        markeredgewidth=0.8,
    )


def _kind_palette(m: ActorMap) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Colours of the types present on ``m`` and the types listed in the legend
    (the fixed order first, then the other types alphabetically, "" last)."""
    present = {kind or "" for _, kind in m.graph.nodes(data="kind")}
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    kinds = sorted(present, key=lambda k: (k == "", rank.get(k, len(rank)), k))
    palette = {k: kind_colours(k) for k in kinds}
    shown = kinds
    if len(kinds) > _KIND_LEGEND_MAX:
        shown = kinds[: _KIND_LEGEND_MAX - 1] + ["…"]
    return palette, shown


def _stage_category(m: ActorMap, actor: str, stage: str | None, layout: str):
    if layout == "stages":
        return stage
    stages = m.graph.nodes[actor]["stages"]
    if not stages:
        return None
    return stages[0] if len(stages) == 1 else "multi"


def _box_exit(cx, cy, w, h, tx, ty):
    """Point where the segment from the centre of a w x h box towards (tx, ty) leaves it."""
    dx, dy = tx - cx, ty - cy
    if w <= 0 or h <= 0 or (dx == 0 and dy == 0):
        return cx, cy
    t = min(
        (w / 2) / abs(dx) if dx else math.inf,
        (h / 2) / abs(dy) if dy else math.inf,
    )
    t = min(t, 1.0)
    return cx + dx * t, cy + dy * t


def render_figure(
    m: ActorMap,
    *,
    layout: str = "stages",
    title: str | None = None,
    paper: str = "a4",
    date: datetime.date | str | None = None,
    colour_by: str | None = None,
    seed: int = 42,
    highlight: list[str] | None = None,
    dpi: float = 200,
    source: str | None = None,
    aspect: float | None = None,
    furniture: bool = True,
    lang: str = "fr",
) -> Figure:
    """Draw ``m`` on a new print-ready figure.

    Parameters
    ----------
    m : ActorMap
    layout : {"stages", "network"}
        Three stage columns, or a force-directed network.
    title : str, optional
        Defaults to "Cartographie des acteurs" plus the source name.
    paper : {"a4", "a3", "screen"}
        Landscape paper size, or ``"screen"`` (16:9) for a projector.
    date : date or ISO string, optional
        Date shown in the caption; defaults to ``m.date`` (the newest input
        file date) or today.
    colour_by : {"kind", "stage"}, optional
        Card colours; defaults to ``"kind"`` for the stage layout (the column
        gives the stage) and ``"stage"`` for the network layout.
    seed : int
        Seed of the network layout.
    highlight : list of str, optional
        Actor ids to emphasise (e.g. the ``path`` of :func:`maps.chain_for`).
    dpi : float
        Resolution used for PNG output.
    source : str, optional
        Where the data come from, for the caption (e.g. "atelier de
        Mulhouse, juin 2024"); defaults to the name of the input files.
    aspect : float, optional
        Width / height of the figure (its height stays that of ``paper``):
        the drawing then fills a screen of that shape.
    furniture : bool
        Title, legends and caption (for print). Without them (a projector,
        whose page shows the title and the legend itself), the map fills the
        figure and its texts are at least :data:`SCREEN_MIN_FONT` points, 1.9 %
        of the figure's height: when the cards do not fit at that size, the
        actors are dots and the most connected are named, which a line at the
        bottom says.
    lang : {"fr", "en"}
        Language of the subtitle, column headers, legends and caption (see
        :mod:`maps.i18n`); the title, when given, is used as is.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if layout not in ("stages", "network"):
        raise ValueError(f"disposition inconnue : {layout!r} (stages ou network)")
    if paper not in PAPER_SIZES:
        raise ValueError(f"format de papier inconnu : {paper!r} (a4, a3 ou screen)")
    check_lang(lang)
    colour_by = colour_by or ("kind" if layout == "stages" else "stage")
    fw, fh = PAPER_SIZES[paper]
    if aspect:
        fw = fh * min(3.0, max(0.8, float(aspect)))
    fig = Figure(figsize=(fw, fh), dpi=dpi)
    MapCanvasAgg(fig)
    W, H = fw * 72, fh * 72
    big = not furniture
    if furniture:
        margin = 24.0
        legend_h = 76.0 if paper == "a3" else 66.0
        top_h = 62.0
        area = (margin, margin + legend_h, W - 2 * margin, H - top_h - margin - legend_h)
    else:
        margin = 8.0
        area = (margin, margin, W - 2 * margin, H - 2 * margin)

    def lay_out(area):
        if not furniture:
            opts = {"max_labels": SCREEN_MAX_LABELS, "fonts": SCREEN_FONTS}
        else:
            opts = {"max_labels": 60 if paper == "a3" else 40}
        if layout == "stages":
            return stage_layout(m, area[2], area[3], **opts)
        return network_layout(m, area[2], area[3], seed=seed, lang=lang, **opts)

    lay = lay_out(area)
    if big and lay.mode == "dots":  # room for the line that says so
        note_h = 2.2 * SCREEN_MIN_FONT
        area = (area[0], area[1] + note_h, area[2], area[3] - note_h)
        lay = lay_out(area)
    ax = fig.add_axes((area[0] / W, area[1] / H, area[2] / W, area[3] / H))
    ax.set_axis_off()
    ax.set_xlim(0, area[2])
    ax.set_ylim(0, area[3])
    palette, kinds_shown = _kind_palette(m)
    highlight = set(highlight or ())

    def colours(actor, stage):
        if colour_by == "kind":
            return palette[m.graph.nodes[actor]["kind"] or ""]
        return _STAGE_FILLS[_stage_category(m, actor, stage, layout)]

    def shape(actor, stage):
        """(gid key, shape) of a card: its type's or its stage's shape."""
        if colour_by == "kind":
            kind = m.graph.nodes[actor]["kind"] or ""
            return "type-" + (kind or "aucun"), kind_shape(kind)
        cat = _stage_category(m, actor, stage, layout)
        return "etape-" + (cat or "aucune"), STAGE_SHAPES[cat]

    if layout == "stages":
        _draw_columns(ax, lay, big, lang)
    elif lay.band:
        _draw_loose_band(ax, lay, big, lang)
    link_kinds = _draw_links(ax, m, lay, highlight)
    if lay.mode == "cards":
        _draw_cards(ax, m, lay, colours, highlight)
        _draw_card_shapes(ax, lay, colours, shape)
    else:
        _draw_dots(ax, m, lay, colours, shape)
    if not furniture:
        if lay.mode == "dots":
            fig.text(
                margin / W,
                margin / H,
                tr(
                    "Chaque point est un acteur\u00a0: les {shown} plus reliés sont nommés "
                    "(sur {total}).",
                    lang,
                    shown=len(lay.labels),
                    total=m.n_actors,
                ),
                parse_math=False,
                fontsize=SCREEN_MIN_FONT,
                color="#333333",
                va="bottom",
            )
        return fig

    title = title or (
        tr("Cartographie des acteurs\u00a0: {name}", lang, name=_pretty_name(m.source))
        if m.source
        else tr("Cartographie des acteurs", lang)
    )
    fig.text(
        margin / W,
        1 - 30 / H,
        title,
        parse_math=False,
        fontsize=17,
        fontweight="bold",
        color="#222222",
        va="baseline",
    )
    subtitle = tr(
        "Cartographie des acteurs par étape de la stratégie d’impact collectif"
        if layout == "stages"
        else "Réseau des coopérations entre acteurs (disposition par forces)",
        lang,
    )
    fig.text(margin / W, 1 - 47 / H, subtitle, fontsize=10, color="#555555", va="baseline")

    # legends, placed left to right
    renderer = fig.canvas.get_renderer()
    handles = []
    if colour_by == "kind":
        kind_handles = []
        for k in kinds_shown:
            fill, edge = palette.get(k, KIND_COLOURS[""])
            handle = (
                _shape_handle(fill, edge, kind_shape(k))
                if k != "…"
                else Patch(facecolor=fill, edgecolor=edge)
            )
            handle.set_label(_kind_label(k, lang) if k != "…" else tr("autres types", lang))
            handle.set_gid("legende-type-" + (k or "aucun") if k != "…" else "legende-type-autres")
            kind_handles.append(handle)
        handles.append(
            (tr("Types d’acteurs", lang), kind_handles, 4 if len(kind_handles) > 6 else 3)
        )
    else:
        cats = list(STAGES) + (["multi"] if layout == "network" else []) + [None]
        labels = {s: stage_label(s, lang, "short") for s in STAGES}
        labels.update({"multi": tr(_MULTI_LABEL, lang), None: tr(_NOSTAGE_LABEL, lang)})
        stage_handles = []
        for c in cats:
            handle = _shape_handle(*_STAGE_FILLS[c], STAGE_SHAPES[c])
            handle.set_label(labels[c])
            handle.set_gid("legende-etape-" + (c or "aucune"))
            stage_handles.append(handle)
        handles.append((tr("Étapes", lang), stage_handles, 3))
    others = sorted(k for k in link_kinds if k not in LINK_STYLES)
    link_handles = [
        Line2D(
            [],
            [],
            color=_link_style(k, others)["color"],
            ls=_link_style(k, others)["ls"],
            lw=_link_style(k, others)["lw"],
            marker=">" if _link_style(k, others)["arrow"] and lay.mode == "cards" else None,
            markersize=4,
            markevery=[1],
            label=_link_label(k, lang),
        )
        for k in sorted(link_kinds, key=lambda k: (k not in LINK_STYLES, k))
    ]
    if link_handles:
        handles.append((tr("Liens", lang), link_handles, 3))
    notes = []
    if (
        layout == "stages"
        and lay.mode == "cards"
        and any(len(v) > 1 for v in lay.occurrences.values())
    ):
        notes.append(
            Line2D(
                [],
                [],
                color="#C8C8C8",
                lw=5,
                solid_capstyle="round",
                label=tr("même acteur présent à plusieurs étapes", lang),
            )
        )
    if lay.mode == "dots":
        notes.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                color="#888888",
                markersize=3,
                label=tr(
                    "seuls les {shown} acteurs les plus reliés sont nommés (sur {total})",
                    lang,
                    shown=len(lay.labels),
                    total=m.n_actors,
                ),
            )
        )
    if highlight:
        notes.append(
            Patch(
                facecolor="white",
                edgecolor="#D62728",
                lw=2,
                label=tr("chaîne mise en évidence", lang),
            )
        )
    if notes:
        handles.append((tr("Repères", lang), notes, 1))
    x = margin
    with text_settings():
        for name, hs, ncol in handles:
            leg = fig.legend(
                handles=hs,
                loc="upper left",
                bbox_to_anchor=(x / W, (margin + legend_h - 4) / H),
                ncol=min(ncol, len(hs)),
                frameon=False,
                fontsize=7.5,
                title=name,
                title_fontsize=8,
                alignment="left",
                handlelength=2.2,
                columnspacing=1.2,
                borderaxespad=0.0,
                borderpad=0.0,
            )
            leg.get_title().set_fontweight("bold")
            for h, drawn, text in zip(hs, leg.legend_handles, leg.get_texts(), strict=True):
                if h.get_gid():  # the shape and its name, findable in the SVG
                    drawn.set_gid(h.get_gid())
                    text.set_gid(h.get_gid() + "-nom")
            x += leg.get_window_extent(renderer).width * 72 / fig.dpi + 26
    day = _parse_date(date if date is not None else m.date)
    if source:
        parts = [tr("Source\u00a0: {source}", lang, source=source)]
    elif m.source and m.source_files:
        parts = [tr("Source\u00a0: fichiers «\u00a0{source}\u00a0»", lang, source=m.source)]
    elif m.source:
        parts = [tr("Source\u00a0: {source}", lang, source=m.source)]
    else:
        parts = [tr("Source\u00a0: données saisies", lang)]
    parts.append(
        ", ".join(
            [
                ntr("{n} acteur", "{n} acteurs", m.n_actors, lang),
                ntr("{n} contribution", "{n} contributions", m.n_contributions, lang),
                ntr("{n} lien", "{n} liens", m.n_links, lang),
            ]
        )
    )
    shown_day = day.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    parts.append(tr("données du {date}", lang, date=shown_day))
    fig.text(
        margin / W,
        10 / H,
        " · ".join(parts),
        parse_math=False,
        fontsize=7,
        color="#666666",
        va="bottom",
    )
    return fig


def _draw_columns(ax, lay: MapLayout, big: bool = False, lang: str = "fr") -> None:
    bottom = lay.band[1] + 6 if lay.band else 0.0
    for i, (stage, x0, x1) in enumerate(lay.columns):
        color = STAGE_COLORS[stage]
        ax.add_artist(
            Rectangle(
                (x0 + 3, bottom),
                x1 - x0 - 6,
                lay.height - bottom,
                facecolor=color,
                alpha=0.07,
                edgecolor="none",
                zorder=0,
            )
        )
        ax.add_artist(
            Rectangle(
                (x0 + 3, lay.height - 24),
                x1 - x0 - 6,
                24,
                facecolor=color,
                alpha=0.9,
                edgecolor="none",
                zorder=0.5,
            )
        )
        ax.text(
            (x0 + x1) / 2,
            lay.height - 12,
            f"{i + 1}. {stage_label(stage, lang, 'short' if big else 'full')}",
            ha="center",
            va="center",
            fontsize=SCREEN_MIN_FONT + 1 if big else 9.5,
            fontweight="bold",
            color="white",
            zorder=1,
        )
        if i:
            ax.text(
                x0,
                lay.height - 12,
                "▶",
                ha="center",
                va="center",
                fontsize=SCREEN_MIN_FONT if big else 9,
                color="#444444",
                zorder=1,
            )
    if lay.band:
        b0, b1 = lay.band
        ax.add_artist(
            Rectangle(
                (3, b0),
                lay.width - 6,
                b1 - b0,
                facecolor="#9E9E9E",
                alpha=0.10,
                edgecolor="none",
                zorder=0,
            )
        )
        ax.text(
            10,
            # cards mode: at the bottom, where no link runs
            b0 + 9 if lay.mode == "cards" else b1 - 10,
            tr("Sans étape renseignée", lang),
            ha="left",
            va="center",
            fontsize=SCREEN_MIN_FONT if big else 8,
            style="italic",
            color="#555555",
            zorder=1,
        )


def _draw_loose_band(ax, lay: MapLayout, big: bool = False, lang: str = "fr") -> None:
    """The band of the network layout holding the actors without any link."""
    b0, b1 = lay.band
    ax.add_artist(
        Rectangle(
            (3, b0),
            lay.width - 6,
            b1 - b0,
            facecolor="#9E9E9E",
            alpha=0.10,
            edgecolor="none",
            zorder=0,
        )
    )
    ax.text(
        10,
        b1 - 7,
        tr("Sans lien avec les autres acteurs", lang),
        ha="left",
        va="center",
        fontsize=SCREEN_MIN_FONT if big else 8,
        style="italic",
        color="#555555",
        zorder=1,
    )


def _draw_links(ax, m: ActorMap, lay: MapLayout, highlight: set) -> list[str]:
    kinds: list[str] = []
    pairs: dict[tuple, list] = {}
    for u, v, data in m.graph.edges(data=True):
        if u == v:
            continue
        kind = data.get("kind", "")
        if kind not in kinds:
            kinds.append(kind)
        ku, kv = lay.edge_ends(u, v)
        pairs.setdefault(tuple(sorted((ku, kv), key=str)), []).append((ku, kv, kind))
    others = sorted(k for k in kinds if k not in LINK_STYLES)
    if lay.mode == "dots":
        segs: dict[str, list] = {}
        for edges in pairs.values():
            for ku, kv, kind in edges:
                a, b = lay.cards[ku], lay.cards[kv]
                segs.setdefault(kind, []).append(((a.x, a.y), (b.x, b.y)))
        for kind, lines in sorted(segs.items()):
            st = _link_style(kind, others)
            ax.add_collection(
                LineCollection(lines, colors=st["color"], linewidths=0.35, alpha=0.35, zorder=1)
            )
        # same actor connectors
        conn = []
        for keys in lay.occurrences.values():
            for k1, k2 in zip(keys, keys[1:], strict=False):
                conn.append(
                    ((lay.cards[k1].x, lay.cards[k1].y), (lay.cards[k2].x, lay.cards[k2].y))
                )
        if conn:
            ax.add_collection(
                LineCollection(conn, colors="#9E9E9E", linewidths=0.3, alpha=0.4, zorder=1)
            )
        return kinds
    # same-actor connectors (stage layout)
    if lay.kind == "stages":
        for keys in lay.occurrences.values():
            staged = [k for k in keys if k[1] is not None]
            if len(staged) > 1:
                a, b = lay.cards[staged[0]], lay.cards[staged[-1]]
                ax.add_line(
                    Line2D(
                        [a.x, b.x],
                        [a.y, b.y],
                        color="#C8C8C8",
                        lw=5,
                        solid_capstyle="round",
                        zorder=1.5,
                    )
                )
    if lay.kind == "stages":
        _draw_routed(ax, lay, [e for edges in pairs.values() for e in edges], others, highlight)
        return kinds
    for edges in pairs.values():
        n = len(edges)
        for j, (ku, kv, kind) in enumerate(edges):
            a, b = lay.cards[ku], lay.cards[kv]
            st = _link_style(kind, others)
            rad = 0.0 if n == 1 else 0.25 * (j - (n - 1) / 2)
            start = _box_exit(a.x, a.y, a.w + 4, a.h + 4, b.x, b.y)
            end = _box_exit(b.x, b.y, b.w + 4, b.h + 4, a.x, a.y)
            hl = ku[0] in highlight and kv[0] in highlight
            arrow = FancyArrowPatch(
                start,
                end,
                connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>" if st["arrow"] else "-",
                mutation_scale=9,
                color="#D62728" if hl else st["color"],
                lw=st["lw"] * (2 if hl else 1),
                ls=st["ls"],
                alpha=0.85,
                zorder=2,
                shrinkA=0,
                shrinkB=0,
            )
            ax.add_artist(arrow)
    return kinds


def _draw_routed(ax, lay: MapLayout, edges, others, highlight) -> None:
    routes = route_stage_links(lay, [(ku, kv) for ku, kv, _kind in edges])
    for (ku, kv, kind), route in zip(edges, routes, strict=True):
        a, b = lay.cards[ku], lay.cards[kv]
        st = _link_style(kind, others)
        hl = ku[0] in highlight and kv[0] in highlight
        style = {
            "arrowstyle": "-|>" if st["arrow"] else "-",
            "mutation_scale": 9,
            "color": "#D62728" if hl else st["color"],
            "lw": st["lw"] * (2 if hl else 1),
            "ls": st["ls"],
            "alpha": 0.9,
            "zorder": 2,
            "shrinkA": 0,
            "shrinkB": 0,
            "joinstyle": "round",
            "capstyle": "round",
            "clip_on": False,
        }
        if route.path is None:
            start = _box_exit(a.x, a.y, a.w + 4, a.h + 4, b.x, b.y)
            end = _box_exit(b.x, b.y, b.w + 4, b.h + 4, a.x, a.y)
            ax.add_artist(FancyArrowPatch(start, end, connectionstyle="arc3,rad=0.2", **style))
            continue
        ax.add_artist(FancyArrowPatch(path=route.path, **style))


def _draw_cards(ax, m: ActorMap, lay: MapLayout, colours, highlight: set) -> None:
    for card in lay.cards.values():
        fill, edge = colours(card.actor, card.stage)
        hl = card.actor in highlight
        t = ax.text(
            card.x,
            card.y,
            "\n".join(card.lines),
            parse_math=False,  # names are plain text ("$" is no formula)
            ha="center",
            va="center",
            multialignment="center",
            fontsize=lay.fontsize,
            color="#1A1A1A",
            zorder=3,
            bbox={
                "boxstyle": f"round,pad={CARD_PAD}",
                "facecolor": fill,
                "edgecolor": "#D62728" if hl else edge,
                "linewidth": 2.0 if hl else 0.8,
            },
        )
        t.set_gid(f"acteur-{card.actor}" + (f"-{card.stage}" if card.stage else ""))
        t.set_url(None)


def _draw_card_shapes(ax, lay: MapLayout, colours, shape) -> None:
    """The type's or stage's shape on the left edge of every card."""
    groups: dict[tuple, list] = {}
    for card in lay.cards.values():
        fill, edge = colours(card.actor, card.stage)
        key, name = shape(card.actor, card.stage)
        left = card.x - card.w / 2 - CARD_PAD * lay.fontsize  # the box edge, clear of the text
        groups.setdefault((key, name, fill, edge), []).append((left, card.y))
    size = max(5.0, lay.fontsize * 1.05)
    for (key, name, _fill, edge), pts in sorted(groups.items()):
        arr = np.array(pts)
        ax.plot(
            arr[:, 0],
            arr[:, 1],
            ls="none",
            marker=SHAPE_MARKERS[name],
            markersize=size,
            markerfacecolor=edge,
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=3.5,
            gid="forme-" + key,
        )


def _draw_dots(ax, m: ActorMap, lay: MapLayout, colours, shape) -> None:
    groups: dict[tuple, list] = {}
    for card in lay.cards.values():
        fill, edge = colours(card.actor, card.stage)
        key, name = shape(card.actor, card.stage)
        groups.setdefault((key, name, fill, edge), []).append((card.x, card.y))
    for (key, name, _fill, edge), pts in sorted(groups.items()):
        arr = np.array(pts)
        ax.scatter(
            arr[:, 0],
            arr[:, 1],
            s=(lay.dot_size * 1.9) ** 2,
            c=edge,
            marker=SHAPE_MARKERS[name],
            alpha=0.85,
            linewidths=0,
            zorder=2.5,
            gid="forme-" + key,
        )
    for _key, (lines, x, y) in lay.labels.items():
        ax.text(
            x,
            y,
            "\n".join(lines),
            parse_math=False,
            ha="center",
            va="center",
            fontsize=lay.fontsize,
            color="#1A1A1A",
            zorder=4,
            bbox={
                "boxstyle": f"round,pad={CARD_PAD}",
                "facecolor": "white",
                "alpha": 0.85,
                "edgecolor": "#999999",
                "linewidth": 0.5,
            },
        )


def _save(fig: Figure, target, fmt: str) -> None:
    if fmt not in ("svg", "pdf", "png"):
        raise ValueError(f"format d'image inconnu : {fmt!r}")
    if fmt == "svg":
        with text_settings({"svg.fonttype": "none", "svg.hashsalt": "workshop-maps"}):
            fig.savefig(target, format="svg", metadata={"Date": None})
    elif fmt == "pdf":
        with text_settings():
            fig.savefig(
                target,
                format="pdf",
                metadata={"CreationDate": None, "ModDate": None, "Creator": None},
            )
    else:
        with text_settings():
            _save_png(fig, target)


#: zlib level of PNG files (3: about as fast as 1, files a little smaller).
PNG_COMPRESS_LEVEL = 3


def _save_png(fig: Figure, target) -> None:
    """Rasterise ``fig`` with Agg and write an opaque (RGB) PNG, without metadata.

    The page is opaque, so the alpha channel is dropped. Rows are stored
    without PNG filter: on a map (flat colours, text, thin lines), the
    adaptive filtering of Pillow makes files larger (637 KB instead of
    557 KB on a 50-actor map) and takes twice as long as deflate itself.
    """
    canvas = fig.canvas
    if not isinstance(canvas, MapCanvasAgg):
        canvas = MapCanvasAgg(fig)
    canvas.draw()
    w, h = canvas.get_width_height(physical=True)
    rgba = np.asarray(canvas.buffer_rgba()).reshape(h, w, 4)
    rows = np.zeros((h, 1 + 3 * w), np.uint8)  # filter byte 0 (none), then RGB
    rows[:, 1:].reshape(h, w, 3)[...] = rgba[:, :, :3]
    data = png_bytes(rows.tobytes(), w, h, fig.dpi)
    if hasattr(target, "write"):
        target.write(data)
    else:
        Path(target).write_bytes(data)


def png_bytes(raw: bytes, width: int, height: int, dpi: float) -> bytes:
    """An 8-bit RGB PNG file from ``raw`` scanlines (each one its filter byte
    then its pixels), with the resolution ``dpi``.

    >>> data = png_bytes(bytes([0, 255, 0, 0]), 1, 1, 72)
    >>> from PIL import Image
    >>> Image.open(io.BytesIO(data)).getpixel((0, 0)), data[:4]
    ((255, 0, 0), b'\x89PNG')
    """
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(body, zlib.crc32(kind))
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ppm = int(dpi / 0.0254 + 0.5)  # pixels per metre
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
            chunk(b"IDAT", zlib.compress(raw, PNG_COMPRESS_LEVEL)),
            chunk(b"IEND", b""),
        )
    )


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Serialise a figure from :func:`render_figure` to PNG, SVG or PDF bytes.

    SVG and PDF output is deterministic (no date, fixed ids); SVG keeps the
    labels as text.
    """
    buf = io.BytesIO()
    _save(fig, buf, fmt)
    return buf.getvalue()


def draw_map(m: ActorMap, path: str | os.PathLike, **kwargs) -> None:
    """Render ``m`` and write it to ``path`` (.png, .svg or .pdf).

    Keyword arguments are those of :func:`render_figure`. The file is written
    atomically: on error, nothing is left at ``path``.
    """
    from .io import atomic_output

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"extension d'image inconnue : {path.suffix!r} (.png, .svg, .pdf)")
    fig = render_figure(m, **kwargs)
    with atomic_output(path) as tmp:
        _save(fig, tmp, fmt)
