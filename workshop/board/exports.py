"""Exports of the board: CSV, XLSX (one row per note), Markdown, printable
HTML and PDF syntheses (by prompt, then category, then votes).

Notes hidden by moderation or still waiting for approval are left out. Texts
are written as text everywhere: spreadsheet cells that would start a formula
get an apostrophe, Markdown punctuation is escaped, HTML is escaped by the
template engine, and the PDF draws plain text.
"""

import csv
import datetime as dt
import io
from collections import Counter
from zoneinfo import ZoneInfo

from .. import documents
from ..domain import board as rules
from ..i18n import N_
from . import service
from .models import BoardPrompt

TZ = ZoneInfo("Europe/Paris")
COLUMNS = [
    N_("question"),
    N_("catégorie"),
    N_("texte"),
    N_("couleur"),
    N_("auteur"),
    N_("votes"),
    N_("heure"),
    N_("identifiant"),
    N_("fusionné dans"),
]
ANONYMOUS = N_("anonyme")
FACILITATOR = N_("animation")
UNCATEGORISED = N_("Sans catégorie")


def _local(value: dt.datetime) -> str:
    return value.replace(tzinfo=dt.UTC).astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def collect(s, atelier, prompt_id=None, gettext=lambda x: x) -> list[dict]:
    """The export rows, ordered, for one prompt or the whole atelier."""
    prompts = service.prompts(s, atelier)
    if prompt_id is not None:
        prompts = [service.get_prompt(s, atelier, prompt_id)]
    pos = {p.id: i for i, p in enumerate(prompts)}
    cats = {c.id: c for c in service.categories(s, atelier)}
    totals = service.totals(s, atelier)
    rows = []
    notes = [n for n in service.notes(s, atelier) if n.prompt_id in pos and n.status == "visible"]
    merged = Counter(n.merged_into for n in notes if n.merged_into is not None)
    prompt_by_id = {p.id: p for p in prompts}
    for n in notes:
        cat = cats.get(n.category_id)
        if n.by_facilitator:
            author = gettext(FACILITATOR)
        else:
            author = n.author_name if not n.anonymous and n.author_name else gettext(ANONYMOUS)
        rows.append(
            {
                "id": n.id,
                "prompt": prompt_by_id[n.prompt_id].text,
                "prompt_id": n.prompt_id,
                "prompt_pos": pos[n.prompt_id],
                "category": cat.title if cat else "",
                "cat_pos": cat.position if cat else None,
                "text": n.text,
                "colour": n.colour,
                "author": author,
                "votes": totals.get(n.id, 0),
                "time": _local(n.created_at),
                "merged_into": n.merged_into,
                "duplicates": merged.get(n.id, 0),
            }
        )
    return rules.export_order(rows)


def _cells(row) -> list:
    return [
        row["prompt"],
        row["category"],
        row["text"],
        row["colour"],
        row["author"],
        row["votes"],
        row["time"],
        row["id"],
        row["merged_into"] or "",
    ]


def to_csv(rows, gettext=lambda x: x) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([gettext(c) for c in COLUMNS])
    for row in rows:
        writer.writerow([rules.spreadsheet_safe(v) for v in _cells(row)])
    # UTF-8 with BOM: spreadsheets then read the accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows, gettext=lambda x: x) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "post-it"
    ws.append([gettext(c) for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([rules.spreadsheet_safe(v) for v in _cells(row)])
    # Plain strings only: never let a cell be read as a formula.
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    widths = [40, 30, 60, 10, 18, 8, 17, 11, 12]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = w
    for line in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def grouped(rows, gettext=lambda x: x) -> list[dict]:
    """Rows as prompt -> category -> notes, merged duplicates folded in."""
    out: list[dict] = []
    for row in rows:
        if row["merged_into"] is not None:
            continue
        if not out or out[-1]["prompt_id"] != row["prompt_id"]:
            out.append({"prompt_id": row["prompt_id"], "prompt": row["prompt"], "categories": []})
        cats = out[-1]["categories"]
        title = row["category"] or gettext(UNCATEGORISED)
        if not cats or cats[-1]["title"] != title:
            cats.append({"title": title, "notes": []})
        cats[-1]["notes"].append(row)
    return out


def md_escape(text) -> str:
    """Notes keep their line breaks, inside list items too."""
    return documents.md_escape(text, hard_breaks=True)


def to_markdown(atelier, groups, gettext=lambda x: x) -> bytes:
    lines = [f"# {md_escape(atelier.title)}", ""]
    if atelier.date or atelier.place:
        bits = [atelier.date.isoformat() if atelier.date else "", atelier.place or ""]
        lines += [md_escape(" – ".join(b for b in bits if b)), ""]
    for g in groups:
        lines += [f"## {md_escape(g['prompt'])}", ""]
        for cat in g["categories"]:
            lines += [f"### {md_escape(cat['title'])}", ""]
            for n in cat["notes"]:
                extra = []
                if n["votes"]:
                    extra.append(f"{n['votes']} {gettext(N_('votes'))}")
                if n["duplicates"]:
                    extra.append(f"×{n['duplicates'] + 1}")
                suffix = f" ({', '.join(extra)})" if extra else ""
                lines.append(f"- {md_escape(n['text'])}{suffix}")
            lines.append("")
    return "\n".join(lines).encode("utf-8")


def to_pdf(atelier, groups, gettext=lambda x: x) -> bytes:
    pdf = documents.new_pdf(atelier.title, getattr(atelier, "locale", None) or "fr")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(documents.FONT, "B", 18)
    pdf.multi_cell(width, 9, atelier.title, new_x="LMARGIN", new_y="NEXT")
    bits = [atelier.date.isoformat() if atelier.date else "", atelier.place or ""]
    if any(bits):
        pdf.set_font(documents.FONT, "", 11)
        pdf.multi_cell(width, 6, " – ".join(b for b in bits if b), new_x="LMARGIN", new_y="NEXT")
    for g in groups:
        pdf.ln(4)
        pdf.start_section(g["prompt"][:120], level=0)
        pdf.set_font(documents.FONT, "B", 14)
        pdf.multi_cell(width, 7, g["prompt"], new_x="LMARGIN", new_y="NEXT")
        for cat in g["categories"]:
            pdf.ln(2)
            pdf.start_section(cat["title"][:120], level=1)
            pdf.set_font(documents.FONT, "B", 11.5)
            pdf.multi_cell(width, 6, cat["title"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(documents.FONT, "", 10.5)
            for n in cat["notes"]:
                extra = []
                if n["votes"]:
                    extra.append(f"{n['votes']} {gettext(N_('votes'))}")
                if n["duplicates"]:
                    extra.append(f"×{n['duplicates'] + 1}")
                suffix = f" ({', '.join(extra)})" if extra else ""
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(
                    width - 4, 5.5, f"• {n['text']}{suffix}", new_x="LMARGIN", new_y="NEXT"
                )
    return bytes(pdf.output())


def prompt_label(s, atelier, prompt_id) -> str:
    if prompt_id is None:
        return "atelier"
    prompt: BoardPrompt = service.get_prompt(s, atelier, prompt_id)
    return f"question-{prompt.position + 1}"
