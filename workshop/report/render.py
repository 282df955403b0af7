"""Write the compte rendu's blocks (see :mod:`workshop.report.build`) as
Markdown, HTML, PDF (fpdf2 through :mod:`workshop.documents`, PNG maps
embedded), DOCX (python-docx) or a zip of the four with the images.

Escaping, fonts and file names come from :mod:`workshop.documents`. DOCX and
HTML carry real headings, table header rows and alternative text on the map
images; the PDF tags its images (``/Figure`` with ``/Alt``), its outline and
its language, but not its text (fpdf2 cannot).

>>> md = to_markdown([("title", "CR"), ("p", "Des *étoiles* <b>"), ("bullets", ["a"])])
>>> print(md)
# CR
<BLANKLINE>
Des \\*étoiles\\* \\<b\\>
<BLANKLINE>
- a
<BLANKLINE>
"""

import io
import zipfile

from .. import documents
from ..i18n import texts

md_escape = documents.md_escape
_cell_md = documents.md_cell


def _image(b):
    """(name, png, caption, alt) of an image block (alt: the caption if none)."""
    name, png, caption = b[1], b[2], b[3]
    return name, png, caption, (b[4] if len(b) > 4 and b[4] else caption)


def to_markdown(blocks: list[tuple], lang: str = "fr") -> str:
    colon = texts(lang).colon()
    out: list[str] = []
    for b in blocks:
        kind = b[0]
        if kind == "title":
            out += [f"# {md_escape(b[1])}", ""]
        elif kind == "h2":
            out += [f"## {md_escape(b[1])}", ""]
        elif kind == "h3":
            out += [f"### {md_escape(b[1])}", ""]
        elif kind == "p":
            out += [md_escape(b[1]), ""]
        elif kind == "meta":
            out += [f"- **{md_escape(k)}**{colon}{md_escape(v)}" for k, v in b[1]] + [""]
        elif kind == "bullets":
            out += [f"- {md_escape(x)}" for x in b[1]] + [""]
        elif kind == "image":
            name, _png, caption, alt = _image(b)
            out += [f"![{md_escape(alt)}]({name})", "", f"*{md_escape(caption)}*", ""]
        elif kind == "table":
            _, headers, rows = b
            out.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
            out.append("|" + "---|" * len(headers))
            for row in rows:
                out.append("| " + " | ".join(_cell_md(c) for c in row) + " |")
            out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- PDF


def to_pdf(blocks: list[tuple], lang: str = "fr") -> bytes:
    from fpdf.fonts import FontFace

    colon = texts(lang).colon()
    title = next((b[1] for b in blocks if b[0] == "title"), "")
    pdf = documents.new_pdf(title, lang=texts(lang).lang)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(value, size=11, style="", h=5.5, indent=0.0):
        pdf.set_font(documents.FONT, style, size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, h, value, align="L", new_x="LMARGIN", new_y="NEXT")

    landscape = False
    for b in blocks:
        kind = b[0]
        if landscape and kind != "image":
            pdf.add_page(orientation="P")
            landscape = False
        if kind == "title":
            text(b[1], 18, "B", 8)
            pdf.ln(2)
        elif kind == "h2":
            if pdf.get_y() > pdf.h - 50:
                pdf.add_page()
            pdf.ln(3)
            pdf.set_text_color(20, 60, 120)
            pdf.start_section(b[1][:120], level=0)
            text(b[1], 14, "B", 7)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
        elif kind == "h3":
            pdf.ln(2)
            pdf.start_section(b[1][:120], level=1, strict=False)
            text(b[1], 12, "B", 6)
        elif kind == "p":
            text(b[1])
            pdf.ln(1.5)
        elif kind == "meta":
            for k, v in b[1]:
                pdf.set_x(pdf.l_margin)
                pdf.set_font(documents.FONT, "B", 11)
                pdf.write(5.5, f"{k}{colon}")
                pdf.set_font(documents.FONT, "", 11)
                pdf.write(5.5, str(v))
                pdf.ln(6)
            pdf.ln(1.5)
        elif kind == "bullets":
            for item in b[1]:
                text("•  " + item, indent=3)
            pdf.ln(1.5)
        elif kind == "image":
            _name, png, caption, alt = _image(b)
            pdf.add_page(orientation="L")
            landscape = True
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                ratio = im.width / im.height
            avail_w = pdf.w - pdf.l_margin - pdf.r_margin
            avail_h = pdf.h - pdf.t_margin - pdf.b_margin - 12
            w = min(avail_w, avail_h * ratio)
            pdf.image(
                io.BytesIO(png),
                x=pdf.l_margin + (avail_w - w) / 2,
                w=w,
                h=w / ratio,
                alt_text=alt,
            )
            pdf.set_font(documents.FONT, "I", 9)
            pdf.multi_cell(avail_w, 5, caption, align="C", new_x="LMARGIN", new_y="NEXT")
        elif kind == "table":
            _, headers, rows = b
            pdf.set_font(documents.FONT, "", 8)
            heading = FontFace(emphasis="BOLD", fill_color=(225, 232, 245))
            with pdf.table(
                col_widths=(22, 26, 26, 26),
                headings_style=heading,
                line_height=4,
                text_align="LEFT",
            ) as table:
                row = table.row()
                for h in headers:
                    row.cell(h)
                for r in rows:
                    row = table.row()
                    for cell in r:
                        row.cell("\n".join(cell))
            pdf.ln(2)
    return bytes(pdf.output())


# ---------------------------------------------------------------- DOCX


def _docx_header_row(row) -> None:
    """Mark a table row as its header row (repeated on each page, read as
    column headers by screen readers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _docx_alt_text(shape, alt: str, title: str) -> None:
    """Alternative text of an inline picture (``wp:docPr/@descr``)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)


def _docx_language(doc, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    rpr.append(el)
    doc.core_properties.language = lang


DOCX_LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}


def to_docx(blocks: list[tuple], lang: str = "fr") -> bytes:
    """DOCX with real heading styles (Titre 1 to 3), header rows on tables and
    alternative text on the map images; its language ``lang`` (``fr``, ``en``)."""
    from docx import Document
    from docx.shared import Cm, Pt

    colon = texts(lang).colon()
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    _docx_language(doc, DOCX_LANGUAGES.get(lang, lang))
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    for b in blocks:
        kind = b[0]
        if kind == "title":
            doc.add_heading(b[1], level=1)
            doc.core_properties.title = b[1]
        elif kind == "h2":
            doc.add_heading(b[1], level=2)
        elif kind == "h3":
            doc.add_heading(b[1], level=3)
        elif kind == "p":
            doc.add_paragraph(b[1])
        elif kind == "meta":
            for k, v in b[1]:
                para = doc.add_paragraph()
                para.add_run(f"{k}{colon}").bold = True
                para.add_run(str(v))
        elif kind == "bullets":
            for item in b[1]:
                doc.add_paragraph(item, style="List Bullet")
        elif kind == "image":
            _name, png, caption, alt = _image(b)
            shape = doc.add_picture(io.BytesIO(png), width=Cm(17))
            _docx_alt_text(shape, alt, caption)
            cap = doc.add_paragraph(caption, style="Caption")
            cap.runs[0].italic = True
        elif kind == "table":
            _, headers, rows = b
            table = doc.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            _docx_header_row(table.rows[0])
            for cell, h in zip(table.rows[0].cells, headers, strict=True):
                cell.text = h
                cell.paragraphs[0].runs[0].bold = True
            for r in rows:
                cells = table.add_row().cells
                for cell, lines in zip(cells, r, strict=True):
                    cell.text = "\n".join(lines)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- HTML


def to_html(blocks: list[tuple], lang: str = "fr", images: str = "embed") -> str:
    """One HTML page: headings ``h1``-``h3``, tables with ``th scope=col``,
    images with ``alt``, every text escaped (:func:`workshop.documents.html_escape`).

    ``images="embed"`` puts the maps in the page (``data:`` URLs, the page
    stands alone); ``"link"`` refers to them by name (beside it in the zip).

    >>> html = to_html([("title", "CR <b>"), ("table", ["A"], [[["x<y"]]])])
    >>> "<h1>CR &lt;b&gt;</h1>" in html, '<th scope="col">A</th>' in html, "x&lt;y" in html
    (True, True, True)
    """
    import base64

    e = documents.html_escape
    title = next((b[1] for b in blocks if b[0] == "title"), "")
    out = [
        "<!doctype html>",
        f'<html lang="{e(lang)}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{_HTML_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    for b in blocks:
        kind = b[0]
        if kind == "title":
            out.append(f"<h1>{e(b[1])}</h1>")
        elif kind == "h2":
            out.append(f"<h2>{e(b[1])}</h2>")
        elif kind == "h3":
            out.append(f"<h3>{e(b[1])}</h3>")
        elif kind == "p":
            out.append("<p>" + "<br>".join(e(x) for x in str(b[1]).split("\n")) + "</p>")
        elif kind == "meta":
            out.append("<dl>")
            out += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in b[1]]
            out.append("</dl>")
        elif kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in b[1]) + "</ul>")
        elif kind == "image":
            name, png, caption, alt = _image(b)
            src = (
                "data:image/png;base64," + base64.b64encode(png).decode()
                if images == "embed"
                else name
            )
            out.append(
                f'<figure><img src="{e(src)}" alt="{e(alt)}">'
                f"<figcaption>{e(caption)}</figcaption></figure>"
            )
        elif kind == "table":
            _, headers, rows = b
            out.append('<div class="table"><table>')
            out.append(
                "<thead><tr>"
                + "".join(f'<th scope="col">{e(h)}</th>' for h in headers)
                + "</tr></thead><tbody>"
            )
            for r in rows:
                cells = ["<br>".join(e(x) for x in c) for c in r]
                out.append(
                    f'<tr><th scope="row">{cells[0]}</th>'
                    + "".join(f"<td>{c}</td>" for c in cells[1:])
                    + "</tr>"
                )
            out.append("</tbody></table></div>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


_HTML_STYLE = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:60rem;"
    "padding:1rem;color:#1a1a1a;background:#fff}"
    "h1,h2,h3{line-height:1.25}h2{color:#143c78}"
    "img{max-width:100%;height:auto}figcaption{font-style:italic}"
    "table{border-collapse:collapse}th,td{border:1px solid #777;padding:.25rem .5rem;"
    "vertical-align:top;text-align:left}thead th{background:#e1e8f5}"
    "dt{font-weight:bold}.table{overflow-x:auto}"
)


def to_zip(blocks: list[tuple], base: str, lang: str = "fr") -> bytes:
    """The four forms and the map images, in one archive."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{base}/{base}.md", to_markdown(blocks, lang))
        z.writestr(f"{base}/{base}.pdf", to_pdf(blocks, lang))
        z.writestr(f"{base}/{base}.docx", to_docx(blocks, lang))
        z.writestr(f"{base}/{base}.html", to_html(blocks, lang, images="link"))
        for b in blocks:
            if b[0] == "image":
                z.writestr(f"{base}/{b[1]}", b[2])
    return buf.getvalue()
