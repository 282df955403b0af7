"""Faster text for the three image formats of a map.

matplotlib shapes every line of text again (HarfBuzz, about 15 µs per
character) each time it measures or draws it, in every format; its Agg
renderer then draws one glyph at a time from Python. For a 50-actor map
(about 2,000 glyphs) that was most of the time of an export. Here:

- line metrics are kept for the process and shared by the PNG, SVG and PDF
  renderers (:func:`text_metrics`: the values of matplotlib's SVG measure);
- lines are shaped once per process and thread (:func:`_shaped`);
- PNG: each line is one path made of the glyph outlines (kept once per
  glyph), filled by Agg in a single call. Both are exact anti-aliased
  rasterisers of the same unhinted outlines: the text looks the same
  (differences of a few levels of grey on glyph edges);
- SVG keeps real text; PDF keeps real, selectable text (Type 3 fonts), written
  from the shaped glyphs.

Mathtext, TeX, rotated text and text with font features keep matplotlib's
own drawing.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(1, 1), dpi=50)
>>> canvas = MapCanvasAgg(fig)
>>> _ = fig.text(0.1, 0.5, "Tubà")
>>> canvas.draw()
>>> type(canvas.get_renderer()).__name__, canvas.buffer_rgba().shape
('MapRendererAgg', (50, 50, 4))
"""

from __future__ import annotations

import functools
import threading

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.path import Path
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Affine2D

__all__ = ["MapCanvasAgg", "MapRendererAgg", "text_path"]

#: The faster text drawing copies and uses parts of matplotlib 3.11 that are
#: not public (``FT2Font._layout``, the PDF renderer's text drawing and its
#: character tracker): any other version draws text with matplotlib's own
#: code, as before (tested by forcing it).
FAST = tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) == (3, 11)

_TEXT2PATH = TextToPath()
_LOCK = threading.Lock()
_LOCAL = threading.local()
#: Outline of each glyph already seen (at TextToPath.FONT_SCALE points).
_GLYPHS: dict = {}
#: Path of each line of text already drawn (string and font → vertices, codes).
_LINES: dict = {}
#: Width, height and descent of each line of text already measured.
_METRICS: dict = {}
_MAX_LINES = 20000
#: Ascent, descent and line gap (in ems) of each font.
_HEIGHTS: dict = {}


def _shaped(s: str, prop):
    """The glyphs of ``s`` (one line) in font ``prop`` at ``FONT_SCALE`` points:
    ``(font, char, glyph_index, x, y, prev_kern)`` for each, or None when this
    matplotlib cannot tell (before 3.11).

    Shaping costs about 15 µs per character: it is done once per line of text
    and thread, for the PNG and the PDF of a map (fonts belong to a thread).
    """
    if not FAST:
        return None
    cache = getattr(_LOCAL, "shapes", None)
    if cache is None:
        cache = _LOCAL.shapes = {}
    key = (s, _font_key(prop))
    hit = cache.get(key)
    if hit is None:
        font = _TEXT2PATH._get_font(prop)  # at FONT_SCALE points, 72 dpi
        if not hasattr(font, "_layout"):
            return None
        from matplotlib.ft2font import LoadFlags

        hit = tuple(
            (it.ft_object, it.char, it.glyph_index, it.x, it.y, it.prev_kern)
            for it in font._layout(s, LoadFlags.NO_HINTING)
        )
        if len(cache) >= _MAX_LINES:
            cache.clear()
        cache[key] = hit
    return hit


def _glyph_outline(font, glyph_index: int):
    key = (font.fname, font.face_index, glyph_index)
    hit = _GLYPHS.get(key)
    if hit is None:
        from matplotlib.ft2font import LoadFlags

        font.load_glyph(glyph_index, flags=LoadFlags.NO_HINTING)
        verts, codes = font.get_path()
        hit = _GLYPHS[key] = (np.asarray(verts, float), np.asarray(codes, Path.code_type))
    return hit


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
    glyphs = _shaped(s, prop)
    if glyphs is None:  # older matplotlib
        result = _TEXT2PATH.get_text_path(prop, s)
        result = (np.asarray(result[0], float), np.asarray(result[1], Path.code_type))
    else:
        verts, codes = [], []
        for font, _char, index, x, y, _kern in glyphs:
            v, c = _glyph_outline(font, index)
            if len(v):
                verts.append(v + (x, y))
                codes.append(c)
        if verts:
            result = (np.concatenate(verts), np.concatenate(codes))
        else:
            result = (np.zeros((0, 2)), np.zeros(0, Path.code_type))
    with _LOCK:
        if len(_LINES) >= _MAX_LINES:
            _LINES.clear()
        _LINES[key] = result
    return result


def text_metrics(s: str, prop) -> tuple[float, float, float]:
    """Width, height and descent of ``s`` (one line) at ``TextToPath.FONT_SCALE``
    points, unhinted: what ``TextToPath`` (the SVG renderer's measure) gives,
    kept for the whole process.

    matplotlib shapes a string again for every measure of every renderer
    (about 15 µs per character): the same labels are measured once per
    format, and the three formats of a map share this cache.

    >>> from matplotlib.font_manager import FontProperties
    >>> w, h, d = text_metrics("Tubà", FontProperties(size=7))
    >>> 150 < w < 250 and 50 < h < 120 and 0 <= d < 30
    True
    """
    key = (s, _font_key(prop))
    hit = _METRICS.get(key)
    if hit is None:
        from matplotlib.ft2font import LoadFlags

        font = _TEXT2PATH._get_font(prop)  # at FONT_SCALE points, 72 dpi
        font.set_text(s, 0.0, flags=LoadFlags.NO_HINTING)
        w, h = font.get_width_height()
        hit = (w / 64.0, h / 64.0, font.get_descent() / 64.0)
        if len(_METRICS) >= _MAX_LINES:
            _METRICS.clear()
        _METRICS[key] = hit
    return hit


class _CachedMetrics:
    """Renderer mixin: plain text measured through :func:`text_metrics`."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        w, h, d = text_metrics(s, prop)
        k = self.points_to_pixels(prop.get_size_in_points()) / TextToPath.FONT_SCALE
        return w * k, h * k, d * k

    def _get_font_height_metrics(self, prop):
        # asked by Text._get_layout (matplotlib >= 3.11) for every text drawn;
        # the same values it reads from the font tables otherwise
        ems = _height_metrics(_font_key(prop), prop)
        if ems is None:
            return None, None, None
        size = self.points_to_pixels(prop.get_size_in_points())
        return tuple(v * size for v in ems)


def _height_metrics(key, prop):
    """Ascent, descent and line gap of the font of ``prop``, in ems."""
    hit = _HEIGHTS.get(key, False)
    if hit is not False:
        return hit
    from matplotlib.font_manager import fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(prop))
    hit = None
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is not None:
            em = font.get_sfnt_table("head")["unitsPerEm"]
            hit = (table[ascent_key] / em, -table[descent_key] / em, table[gap_key] / em)
            break
    _HEIGHTS[key] = hit
    return hit


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


class MapRendererAgg(_CachedMetrics, RendererAgg):
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
    """Agg canvas drawing with :class:`MapRendererAgg`; SVG and PDF files are
    written by renderers that share the measures of :func:`text_metrics`.
    """

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_unused):
        # as FigureCanvasSVG.print_svg, with a renderer measuring through the cache
        import codecs

        from matplotlib import cbook
        from matplotlib.backends.backend_mixed import MixedModeRenderer

        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            w, h = width * 72, height * 72
            renderer = MixedModeRenderer(
                self.figure,
                width,
                height,
                dpi,
                _svg_renderer()(w, h, fh, image_dpi=dpi, metadata=metadata),
                bbox_inches_restore=bbox_inches_restore,
            )
            self.figure.draw(renderer)
            renderer.finalize()

    def print_pdf(self, filename, *, bbox_inches_restore=None, metadata=None, **_unused):
        # as FigureCanvasPdf.print_pdf (single page), same renderer change
        from matplotlib.backends.backend_mixed import MixedModeRenderer

        renderer_class = _pdf_renderer()  # before the backend's first import
        from matplotlib.backends.backend_pdf import PdfFile

        dpi = self.figure.dpi
        self.figure.dpi = 72  # there are 72 pdf points to an inch
        width, height = self.figure.get_size_inches()
        file = PdfFile(filename, metadata=metadata)
        try:
            file.newPage(width, height)
            renderer = MixedModeRenderer(
                self.figure,
                width,
                height,
                dpi,
                renderer_class(file, dpi, height, width),
                bbox_inches_restore=bbox_inches_restore,
            )
            self.figure.draw(renderer)
            renderer.finalize()
            file.finalize()
        finally:
            file.close()

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = MapRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


@functools.cache
def _svg_renderer():
    """SVG renderer measuring through :func:`text_metrics`."""
    from matplotlib.backends.backend_svg import RendererSVG

    class MapRendererSVG(_CachedMetrics, RendererSVG):
        pass

    return MapRendererSVG


def _defer_font_subsetting() -> None:
    """Make ``fontTools.subset`` load on first use rather than with the PDF backend.

    matplotlib's PDF backend imports it (0.1 s, most of the backend's import
    time) but only uses it to embed TrueType (Type 42) fonts; maps embeds
    Type 3 fonts. The standard lazy loader of importlib runs the module on
    the first access to one of its attributes, so other users see no change.
    """
    import importlib.util
    import sys

    if "fontTools.subset" in sys.modules:
        return
    try:
        import fontTools

        spec = importlib.util.find_spec("fontTools.subset")
    except ImportError:  # pragma: no cover - matplotlib requires fontTools
        return
    if spec is None or spec.loader is None:  # pragma: no cover
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fontTools.subset"] = module
    fontTools.subset = module  # so that "from fontTools import subset" does not load it
    spec.loader.exec_module(module)


@functools.cache
def _pdf_renderer():
    """PDF renderer measuring through :func:`text_metrics` (imported on first
    use: the PDF backend takes a tenth of a second to import)."""
    _defer_font_subsetting()
    import itertools
    import math

    import matplotlib as mpl
    from matplotlib.backends.backend_pdf import Op, RendererPdf
    from matplotlib.font_manager import FontPath

    class MapRendererPdf(_CachedMetrics, RendererPdf):
        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            # RendererPdf.draw_text of matplotlib 3.11 for TrueType fonts,
            # with the glyphs shaped once per process (see _shaped) rather
            # than once per format; anything else is left to matplotlib.
            glyphs = None
            if not (
                ismath
                or gc.get_url() is not None
                or _has_features(mtext)
                or mpl.rcParams["pdf.use14corefonts"]
                or not hasattr(self.file, "_character_tracker")
                or not hasattr(self.file._character_tracker, "track_glyph")
            ):
                glyphs = _shaped(s, prop)
            if glyphs is None:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            self.check_gc(gc, gc._rgb)
            fontsize = prop.get_size_in_points()
            k = fontsize / TextToPath.FONT_SCALE
            fonttype = mpl.rcParams["pdf.fonttype"]
            output = self.file.output

            def output_singlebyte_chunk(kerns_or_chars):
                if not kerns_or_chars:
                    return
                output(
                    [
                        (-1000 * next(group) / fontsize)
                        if tp is float
                        else self._encode_glyphs(group, fonttype)
                        for tp, group in itertools.groupby(kerns_or_chars, type)
                    ],
                    Op.showkern,
                )
                kerns_or_chars.clear()

            output(Op.gsave)
            a = math.radians(angle)
            output(math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y, Op.concat_matrix)
            chunk = []
            prev_font = None
            prev_start_x = 0
            output(Op.begin_text)
            tracker = self.file._character_tracker
            for font, char, index, gx, gy, kern in glyphs:
                gx, gy, kern = gx * k, gy * k, kern * k
                subset, charcode = tracker.track_glyph(font, char, index)
                if (font, subset) != prev_font:
                    output_singlebyte_chunk(chunk)
                    name = self.file.fontName(FontPath(font.fname, font.face_index), subset)
                    output(name, fontsize, Op.selectfont)
                    self._setup_textpos(gx, 0, 0, prev_start_x, 0, 0)
                    prev_font = (font, subset)
                    prev_start_x = gx
                if gy:
                    output_singlebyte_chunk(chunk)
                    output(gy, Op.textrise)
                if kern:
                    chunk.append(float(kern))
                chunk.append(charcode)
                if gy:
                    output_singlebyte_chunk(chunk)
                    output(0, Op.textrise)
            output_singlebyte_chunk(chunk)
            output(Op.end_text)
            output(Op.grestore)
            return None

    return MapRendererPdf
