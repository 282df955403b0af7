"""Faster raster text: labels drawn by Agg as filled glyph outlines.

matplotlib's Agg renderer draws text one glyph at a time, each glyph being
positioned, rasterised by FreeType and composited from Python: about 2,000
glyphs for a 50-actor map, a large part of the time of a PNG. Here each line
of text is one path made of the glyph outlines (kept once per glyph in a
cache shared by all drawings of the process), filled by Agg in a single call.
Both are exact anti-aliased rasterisers of the same unhinted outlines: the
text looks the same (differences of a few levels of grey on glyph edges).

Only raster output changes: SVG keeps real text and PDF keeps real
(selectable) text. Mathtext, TeX and rotated text keep matplotlib's drawing.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(1, 1), dpi=50)
>>> canvas = MapCanvasAgg(fig)
>>> _ = fig.text(0.1, 0.5, "Tubà")
>>> canvas.draw()
>>> type(canvas.get_renderer()).__name__, canvas.buffer_rgba().shape
('MapRendererAgg', (50, 50, 4))
"""

from __future__ import annotations

import threading

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.path import Path
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Affine2D

__all__ = ["MapCanvasAgg", "MapRendererAgg", "text_path"]

_TEXT2PATH = TextToPath()
_LOCK = threading.Lock()
#: Outline of each glyph already seen (at TextToPath.FONT_SCALE points).
_GLYPHS: dict = {}
#: Path of each line of text already drawn (string and font → vertices, codes).
_LINES: dict = {}
_MAX_LINES = 20000


def text_path(s: str, prop) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and codes of the outlines of ``s`` (one line) in font ``prop``,
    at ``TextToPath.FONT_SCALE`` points, baseline at y = 0.

    >>> from matplotlib.font_manager import FontProperties
    >>> verts, codes = text_path("Aa", FontProperties(size=10))
    >>> len(verts) == len(codes) > 10, float(verts[:, 0].max()) < 2 * 100
    (True, True)
    """
    key = (s, _font_key(prop))
    hit = _LINES.get(key)
    if hit is not None:
        return hit
    font = _TEXT2PATH._get_font(prop)  # one FT2Font per thread, at FONT_SCALE
    with _LOCK:
        info, new, _rects = _TEXT2PATH.get_glyphs_with_font(
            font, s, glyph_map=_GLYPHS, return_new_glyphs_only=True
        )
        _GLYPHS.update(new)
        glyphs = [(_GLYPHS[gid], x, y) for gid, x, y, _scale in info]
    verts = [v + (x, y) for (v, _c), x, y in glyphs if len(v)]
    codes = [c for (v, c), _x, _y in glyphs if len(v)]
    if verts:
        result = (np.concatenate(verts), np.concatenate(codes).astype(Path.code_type))
    else:
        result = (np.zeros((0, 2)), np.zeros(0, Path.code_type))
    if len(_LINES) >= _MAX_LINES:
        _LINES.clear()
    _LINES[key] = result
    return result


def _font_key(prop) -> tuple:
    """What selects the font of ``prop``, but its size (outlines are scaled)."""
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_file(),
    )


class MapRendererAgg(RendererAgg):
    """Agg renderer that fills each line of plain text as one path of glyph outlines."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle or not s.strip() or _has_features(mtext):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        verts, codes = text_path(s, prop)
        if not len(verts):
            return None
        scale = prop.get_size_in_points() * self.dpi / 72.0 / TextToPath.FONT_SCALE
        transform = Affine2D().scale(scale).translate(x, self.height - y)
        path = Path(verts, codes)
        path.should_simplify = False
        gc.set_linewidth(0.0)
        gc.set_snap(False)
        self.draw_path(gc, path, transform, rgbFace=gc.get_rgb())
        return None


def _has_features(mtext) -> bool:
    if mtext is None:
        return False
    getters = (getattr(mtext, "get_fontfeatures", None), getattr(mtext, "get_language", None))
    return any(g is not None and g() is not None for g in getters)


class MapCanvasAgg(FigureCanvasAgg):
    """Agg canvas drawing with :class:`MapRendererAgg`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = MapRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
