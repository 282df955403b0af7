"""Drawings and analysis of the validated map, cached per map version.

The projector shows ``<img src=".../map.svg?view=stage&v=N">``: the first
request for a version draws it with ``maps`` (about 0.1 to 0.4 s at 20 to 60
actors), the next ones (other projectors, reloads) are served from an
in-memory LRU cache keyed by (atelier, version, view, highlight, format).
"""

import threading
from collections import OrderedDict

import maps
from maps.i18n import stage_label

from ..concurrency import run_blocking

VIEW_LAYOUTS = {"stage": "stages", "network": "network"}


class LRU:
    """A small thread-safe LRU cache.

    >>> c = LRU(2)
    >>> c.put("a", 1); c.put("b", 2); c.put("c", 3)
    >>> c.get("a") is None, c.get("c")
    (True, 3)
    """

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


#: What the projector shows while no actor is validated yet.
EMPTY_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 842 595" width="842" height="595">'
    b'<rect width="842" height="595" fill="#ffffff"/>'
    b'<text x="421" y="300" font-family="sans-serif" font-size="24" fill="#777777" '
    b'text-anchor="middle">La carte est vide pour l\xe2\x80\x99instant.</text></svg>'
)


def _empty_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (842, 595), "white").save(buf, format="PNG")
    return buf.getvalue()


EMPTY_PNG = _empty_png()

_drawings = LRU(64)
_analyses = LRU(64)
# One lock per key being drawn, so that N projectors asking at once for a new
# version trigger one drawing, not N.
_key_locks: dict = {}
_key_locks_guard = threading.Lock()


def _lock_for(key) -> threading.Lock:
    with _key_locks_guard:
        if len(_key_locks) > 256:
            _key_locks.clear()
        return _key_locks.setdefault(key, threading.Lock())


def highlight_ids(m: maps.ActorMap, key: str | None) -> list[str]:
    """The actor, its direct partners and its chain from déclencher to animer."""
    if m is None or not key or key not in m.graph:
        return []
    chain = maps.chain_for(m, key)["path"]
    neighbours = set(m.graph.successors(key)) | set(m.graph.predecessors(key))
    return list(dict.fromkeys([key, *chain, *sorted(neighbours)]))


#: Shapes (width / height) of the projector drawings: the page asks for the
#: shape of the room it has, rounded to a step so that few drawings are made.
ASPECT_MIN, ASPECT_MAX, ASPECT_STEP = 1.0, 2.6, 0.05


def screen_aspect(value) -> float | None:
    """The drawing shape asked for by a projector (``?ar=``), rounded and bounded.

    >>> screen_aspect("1.7777"), screen_aspect("9"), screen_aspect("x"), screen_aspect(None)
    (1.8, 2.6, None, None)
    """
    try:
        ar = float(value)
    except (TypeError, ValueError):
        return None
    if ar != ar:  # NaN
        return None
    ar = min(ASPECT_MAX, max(ASPECT_MIN, ar))
    return round(round(ar / ASPECT_STEP) * ASPECT_STEP, 2)


def drawing(
    atelier_id: int,
    version: int,
    view: str,
    highlight: str | None,
    fmt: str,
    build_map,
    title: str,
    date=None,
    aspect: float | None = None,
    lang: str = "fr",
) -> bytes:
    """The drawing as SVG or PNG bytes in ``lang``; ``build_map()`` is called on a miss.

    With ``aspect`` (a projector), the map is drawn for the screen: it fills
    a figure of that shape, without title, legend or caption (the page shows
    them), with texts of at least ``maps.draw.SCREEN_MIN_FONT`` points.
    Without, it is the export's figure (16:9, title, legend, caption).
    """
    key = (atelier_id, version, view, highlight or "", fmt, aspect, lang)
    data = _drawings.get(key)
    if data is not None:
        return data
    with _lock_for(key):
        data = _drawings.get(key)
        if data is not None:
            return data
        m = build_map()
        if m is None:
            return EMPTY_SVG if fmt == "svg" else EMPTY_PNG
        data = run_blocking(
            _draw, m, view, title, date, highlight_ids(m, highlight) or None, fmt, aspect, lang
        )
        _drawings.put(key, data)
        return data


def _draw(m, view, title, date, highlight, fmt, aspect=None, lang="fr") -> bytes:
    fig = maps.render_figure(
        m,
        layout=VIEW_LAYOUTS[view],
        title=title,
        date=date,
        highlight=highlight,
        paper="screen",
        dpi=110 if fmt == "png" else 200,
        aspect=aspect,
        furniture=aspect is None,
        lang=lang,
    )
    from maps.draw import figure_bytes  # matplotlib, on first drawing

    return figure_bytes(fig, fmt)


def analysis(atelier_id: int, version: int, m: maps.ActorMap, lang: str = "fr") -> dict:
    """Stage coverage, broken chains, suggestions and paragraphs, in ``lang``."""
    key = (atelier_id, version, lang)
    data = _analyses.get(key)
    if data is not None:
        return data
    if m is None:
        return {
            "stages": [{"key": s, "label": stage_label(s, lang), "actors": 0} for s in maps.STAGES],
            "actors": 0,
            "links": 0,
            "contributions": 0,
            "broken": [],
            "complete": 0,
            "declencher_actors": 0,
            "isolated": [],
            "suggestions": [],
            "paragraphs": [],
            "table": [],
        }
    r = maps.analyse(m, lang=lang)
    names = {n: m.name(n) for n in m.graph}
    data = {
        "stages": [
            {"key": s, "label": stage_label(s, lang), "actors": r["stages"][s]} for s in maps.STAGES
        ],
        "actors": r["actors"],
        "links": r["links"],
        "contributions": r["contributions"],
        "broken": [names[a] for a in r["chains"]["broken"]],
        "complete": r["chains"]["complete"],
        "declencher_actors": r["chains"]["declencher_actors"],
        "isolated": [names[a] for a in r["isolated"]],
        "suggestions": [
            {
                "source": names[sg["source"]],
                "target": names[sg["target"]],
                "from_stage": stage_label(sg["from_stage"], lang, "short"),
                "to_stage": stage_label(sg["to_stage"], lang, "short"),
                "reason": sg["reason"],
            }
            for sg in r["suggestions"][:5]
        ],
        "paragraphs": maps.analysis_paragraphs(m, r, lang),
        "table": maps.stage_table(m),
        "legend": legend(m, lang),
    }
    _analyses.put(key, data)
    return data


def legend(m: maps.ActorMap, lang: str = "fr") -> dict:
    """What the projector shows beside a drawing for the screen: the colours
    and shapes of the actor types (stage view), of the stages (network view)
    and the styles of the link kinds, as on the drawing (``maps.draw``)."""
    from maps import draw

    palette, shown = draw._kind_palette(m)
    kinds = [
        {
            "key": k,
            "label": draw._kind_label(k, lang),
            "fill": palette[k][0],
            "edge": palette[k][1],
            "shape": draw.kind_shape(k),
        }
        for k in shown
        if k != "…"
    ]
    cats = [*maps.STAGES, "multi", None]
    labels = {s: stage_label(s, lang, "short") for s in maps.STAGES}
    labels.update(
        {"multi": draw.tr(draw._MULTI_LABEL, lang), None: draw.tr(draw._NOSTAGE_LABEL, lang)}
    )
    stages = [
        {
            "key": c or "",
            "label": labels[c],
            "fill": draw._STAGE_FILLS[c][0],
            "edge": draw._STAGE_FILLS[c][1],
            "shape": draw.STAGE_SHAPES[c],
        }
        for c in cats
    ]
    present = sorted(
        {d.get("kind", "") for _u, _v, d in m.graph.edges(data=True)},
        key=lambda k: (k not in draw.LINK_STYLES, k),
    )
    others = sorted(k for k in present if k not in draw.LINK_STYLES)
    dashes = {"-": "", "--": "6 3", ":": "1.5 2.5", "-.": "6 2 1.5 2"}
    links = []
    for k in present:
        st = draw._link_style(k, others)
        links.append(
            {
                "key": k,
                "label": draw._link_label(k, lang),
                "color": st["color"],
                "dash": dashes.get(st["ls"], ""),
                "width": st["lw"],
            }
        )
    return {"kinds": kinds, "stages": stages, "links": links}


def chain_info(m: maps.ActorMap, key: str | None) -> dict | None:
    """The highlighted actor's chain and links, in words, for the projector."""
    if m is None or not key or key not in m.graph:
        return None
    chain = maps.chain_for(m, key)
    links = []
    for u, v, d in m.graph.edges(data=True):
        if key in (u, v):
            links.append({"source": m.name(u), "target": m.name(v), "kind": d.get("kind", "")})
    return {
        "actor": m.name(key),
        "chain": [m.name(x) for x in chain["path"]],
        "stages": {s: (m.name(a) if a else None) for s, a in chain["stages"].items()},
        "complete": chain["complete"],
        "links": links,
    }
