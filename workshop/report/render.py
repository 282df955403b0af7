"""Write the compte rendu's blocks (see :mod:`workshop.report.build`) as
Markdown, PDF (fpdf2, DejaVu Sans bundled with matplotlib, PNG maps
embedded), DOCX (python-docx) or a zip of the three with the images.

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
import re
import zipfile
from pathlib import Path

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#+>-]|\d+[.)])")


def md_escape(text: str) -> str:
    r"""Escape Markdown so that participants' texts render literally.

    >>> md_escape("# titre") == "\\# titre"
    True
    """
    text = _MD_SPECIAL.sub(r"\\\1", str(text).replace("\r", ""))
    return "\n".join(_MD_LINE_START.sub(r"\1\\\2", line) for line in text.split("\n"))


def _cell_md(lines: list[str]) -> str:
    return "<br>".join(md_escape(x).replace("\n", " ") for x in lines)


def to_markdown(blocks: list[tuple]) -> str:
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
            out += [f"- **{md_escape(k)}** : {md_escape(v)}" for k, v in b[1]] + [""]
        elif kind == "bullets":
            out += [f"- {md_escape(x)}" for x in b[1]] + [""]
        elif kind == "image":
            _, name, _png, caption = b
            out += [f"![{md_escape(caption)}]({name})", "", f"*{md_escape(caption)}*", ""]
        elif kind == "table":
            _, headers, rows = b
            out.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
            out.append("|" + "---|" * len(headers))
            for row in rows:
                out.append("| " + " | ".join(_cell_md(c) for c in row) + " |")
            out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- PDF


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def to_pdf(blocks: list[tuple]) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    fonts = font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("")
    title = next((b[1] for b in blocks if b[0] == "title"), "Compte rendu")
    pdf.set_title(title)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(value, size=11, style="", h=5.5, indent=0.0):
        pdf.set_font("DejaVu", style, size)
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
            text(b[1], 14, "B", 7)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
        elif kind == "h3":
            pdf.ln(2)
            text(b[1], 12, "B", 6)
        elif kind == "p":
            text(b[1])
            pdf.ln(1.5)
        elif kind == "meta":
            for k, v in b[1]:
                pdf.set_x(pdf.l_margin)
                pdf.set_font("DejaVu", "B", 11)
                pdf.write(5.5, f"{k} : ")
                pdf.set_font("DejaVu", "", 11)
                pdf.write(5.5, str(v))
                pdf.ln(6)
            pdf.ln(1.5)
        elif kind == "bullets":
            for item in b[1]:
                text("•  " + item, indent=3)
            pdf.ln(1.5)
        elif kind == "image":
            _, _name, png, caption = b
            pdf.add_page(orientation="L")
            landscape = True
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                ratio = im.width / im.height
            avail_w = pdf.w - pdf.l_margin - pdf.r_margin
            avail_h = pdf.h - pdf.t_margin - pdf.b_margin - 12
            w = min(avail_w, avail_h * ratio)
            pdf.image(io.BytesIO(png), x=pdf.l_margin + (avail_w - w) / 2, w=w, h=w / ratio)
            pdf.set_font("DejaVu", "I", 9)
            pdf.multi_cell(avail_w, 5, caption, align="C", new_x="LMARGIN", new_y="NEXT")
        elif kind == "table":
            _, headers, rows = b
            pdf.set_font("DejaVu", "", 8)
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


def to_docx(blocks: list[tuple]) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    for b in blocks:
        kind = b[0]
        if kind == "title":
            doc.add_heading(b[1], level=0)
            doc.core_properties.title = b[1]
        elif kind == "h2":
            doc.add_heading(b[1], level=1)
        elif kind == "h3":
            doc.add_heading(b[1], level=2)
        elif kind == "p":
            doc.add_paragraph(b[1])
        elif kind == "meta":
            for k, v in b[1]:
                para = doc.add_paragraph()
                para.add_run(f"{k} : ").bold = True
                para.add_run(str(v))
        elif kind == "bullets":
            for item in b[1]:
                doc.add_paragraph(item, style="List Bullet")
        elif kind == "image":
            _, _name, png, caption = b
            doc.add_picture(io.BytesIO(png), width=Cm(17))
            cap = doc.add_paragraph(caption)
            cap.runs[0].italic = True
        elif kind == "table":
            _, headers, rows = b
            table = doc.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
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


def to_zip(blocks: list[tuple], base: str) -> bytes:
    """The three forms and the map images, in one archive."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{base}/{base}.md", to_markdown(blocks))
        z.writestr(f"{base}/{base}.pdf", to_pdf(blocks))
        z.writestr(f"{base}/{base}.docx", to_docx(blocks))
        for b in blocks:
            if b[0] == "image":
                z.writestr(f"{base}/{b[1]}", b[2])
    return buf.getvalue()
