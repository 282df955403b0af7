"""The document layer of every export: one escaper, one PDF set-up, one file-name rule.

The post-it exports (:mod:`workshop.board.exports`), the porteur's summary
(:mod:`workshop.codev.summary`), the compte rendu (:mod:`workshop.report`)
and the map exports (:mod:`workshop.livemap.views`) write Markdown, HTML and
PDF through these functions only. Escaping is a security rule: a participant's
text must render as the text typed, never as markup, in every format, so it
lives here once. No Flask here.

* :func:`md_escape` / :func:`md_cell`: Markdown (CommonMark and GitHub's
  extensions: tables, strikethrough, raw HTML);
* :func:`html_escape`: HTML (the same rule as the pages' Jinja autoescape);
* :func:`new_pdf`: an fpdf2 document with DejaVu Sans (regular, bold,
  italic; shipped with matplotlib, so every Unicode character typed on a phone
  prints), its title and language set, and the document outline shown;
* :func:`export_filename` / :func:`content_disposition`: download names.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from markupsafe import Markup, escape

# Characters with a meaning anywhere in a line (HTML, emphasis, code, links,
# tables, strikethrough, entities).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
# At the start of a line: heading, list, quote, setext underline, numbered list.
_MD_LINE_START = re.compile(r"^(\s*)([#+=>-])")
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])")


def md_escape(text, *, hard_breaks: bool = False) -> str:
    r"""Escape ``text`` so that Markdown renders it literally (raw HTML included).

    Line breaks are kept; ``hard_breaks=True`` ends each line with two spaces
    so that they also show inside a list item.

    >>> md_escape("<img src=x onerror=alert(1)> *x*")
    '\\<img src=x onerror=alert(1)\\> \\*x\\*'
    >>> md_escape("# titre"), md_escape("1. un"), md_escape("= x")
    ('\\# titre', '1\\. un', '\\= x')
    >>> md_escape("a\r\nb"), md_escape("a\nb", hard_breaks=True)
    ('a\nb', 'a  \nb')
    >>> md_escape("&lt; ~~barré~~ [lien](javascript:x)")
    '\\&lt; \\~\\~barré\\~\\~ \\[lien\\](javascript:x)'

    Leading spaces and tabs become non-breaking spaces: four of them would
    otherwise start a code block.

    >>> md_escape("\tcode"), md_escape("    x")
    ('\xa0code', '\xa0\xa0\xa0\xa0x')
    """
    lines = []
    for line in str(text).replace("\r", "").split("\n"):
        indent = len(line) - len(line.lstrip(" \t"))
        line = "\u00a0" * indent + line[indent:]
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = _MD_LINE_START.sub(r"\1\\\2", line)
        line = _MD_NUMBERED.sub(r"\1\\\2", line)
        lines.append(line)
    return ("  \n" if hard_breaks else "\n").join(lines)


def md_cell(lines) -> str:
    r"""One table cell from lines of text: escaped, joined by ``<br>``.

    >>> md_cell(["a|b", "c\nd"])
    'a\\|b<br>c d'
    """
    return "<br>".join(md_escape(x).replace("\n", " ") for x in lines)


def html_escape(text) -> Markup:
    """Escape ``text`` for HTML (``& < > " '``), as the pages' templates do.

    >>> str(html_escape('<b title="x">&</b>'))
    '&lt;b title=&#34;x&#34;&gt;&amp;&lt;/b&gt;'
    """
    return escape(text)


# ---------------------------------------------------------------- PDF

FONT = "DejaVu"


def font_dir() -> Path:
    """DejaVu fonts shipped with matplotlib (present wherever it is installed)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def new_pdf(title: str, lang: str = "fr"):
    """An A4 fpdf2 document ready to write in: DejaVu Sans (``""``, ``"B"``,
    ``"I"``), automatic page breaks, title and language in its metadata, the
    title shown by viewers instead of the file name, and no creator stamp.

    fpdf2 tags images given an ``alt_text`` (``/Figure`` with ``/Alt``) and the
    outline entries (:meth:`FPDF.start_section`), not paragraphs, headings
    or tables: the PDFs are not fully tagged (see the accessibility page).

    >>> pdf = new_pdf("Compte rendu")
    >>> pdf.add_page(); pdf.set_font(FONT, "", 11); _ = pdf.cell(text="Élan ✓ — ok")
    >>> bytes(pdf.output()).startswith(b"%PDF")
    True
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    fonts = font_dir()
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("")
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_display_mode("fullwidth", "continuous")
    pdf.viewer_preferences = _viewer_preferences()
    return pdf


def _viewer_preferences():
    from fpdf.prefs import ViewerPreferences

    return ViewerPreferences(display_doc_title=True)


# ---------------------------------------------------------------- file names

FILENAME_MAX = 60


def slug(text) -> str:
    """Lower-case ASCII words joined by ``-`` (accents folded, the rest dropped).

    >>> slug("Coopérations – Mulhouse (démo) !"), slug("«»"), slug("Œuvre à ½")
    ('cooperations-mulhouse-demo', '', 'oeuvre-a-1-2')
    """
    text = str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.encode("ascii", "replace").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def export_basename(kind: str, *parts) -> str:
    """:func:`export_filename` without its extension (a folder in a zip).

    >>> export_basename("compte-rendu", "Atelier d’été")
    'compte-rendu-atelier-d-ete'
    """
    rest = "-".join(s for s in (slug(p) for p in parts if p is not None) if s)
    if len(rest) > FILENAME_MAX:
        cut = rest[: FILENAME_MAX + 1]
        rest = cut.rsplit("-", 1)[0] if "-" in cut else rest[:FILENAME_MAX]
    kind = slug(kind) or "export"
    return f"{kind}-{rest}" if rest else kind


def export_filename(kind: str, *parts, ext: str) -> str:
    """The one rule for download names: ``<kind>-<part>-<part>.<ext>``.

    Each part is slugged (:func:`slug`), empty parts are dropped, and what
    follows ``kind`` is cut to :data:`FILENAME_MAX` characters on a word
    boundary. The result is plain ASCII, safe in a ``Content-Disposition``
    header and on every file system.

    >>> export_filename("compte-rendu", "Structurer les coopérations – Mulhouse", ext="pdf")
    'compte-rendu-structurer-les-cooperations-mulhouse.pdf'
    >>> export_filename("post-it", "8MU7US", "question-2", ext="csv")
    'post-it-8mu7us-question-2.csv'
    >>> export_filename("carte", "<script>", "", "stage", ext="svg")
    'carte-script-stage.svg'
    >>> export_filename("codev", "\\udcff" * 3, ext="md")
    'codev.md'
    >>> len(export_filename("carte", "mot " * 100, ext="png")) <= len("carte-") + FILENAME_MAX + 4
    True
    """
    return f"{export_basename(kind, *parts)}.{slug(ext) or 'bin'}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The ``Content-Disposition`` header of a download named by :func:`export_filename`.

    >>> content_disposition("carte-a.svg")
    'attachment; filename="carte-a.svg"'
    """
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f'{"inline" if inline else "attachment"}; filename="{safe}"'
