"""Exports of the word cloud: CSV and XLSX (one row per word: question, word,
count, the answers as typed), and the cloud drawn as a PNG image (the same
layout as the projector, dark ink on white for print).

Hidden words are left out; the answers of a merged word count for the word
it was merged into. Cells never start a formula (``spreadsheet_safe``).
"""

from __future__ import annotations

import csv
import io

from .. import documents
from ..domain import cloud as rules
from ..domain.board import spreadsheet_safe
from ..i18n import N_, texts
from . import service

COLUMNS = [N_("question"), N_("mot"), N_("nombre"), N_("réponses")]
# Darker versions of the projector's palette, readable on white paper.
PRINT_PALETTE = (
    "#8a5a00",
    "#1e6b34",
    "#0b57d0",
    "#a3195b",
    "#a34700",
    "#6a3fb5",
    "#222222",
    "#00695c",
)


def collect(s, atelier, activity_id=None) -> list[dict]:
    """One dict per cloud: question, its words (count, spellings), totals."""
    acts = service.activities(s, atelier)
    if activity_id is not None:
        acts = [service.get_activity(s, atelier, activity_id)]
    out = []
    for a in acts:
        ws = [w for w in service.words(s, a) if not w.hidden]
        ws.sort(key=lambda w: (-w.count, w.first))
        out.append(
            {
                "id": a.id,
                "question": a.question,
                "answers": sum(w.count for w in ws),
                "words": [
                    {
                        "label": w.label,
                        "count": w.count,
                        "spellings": sorted(w.spellings.items(), key=lambda kv: (-kv[1], kv[0])),
                    }
                    for w in ws
                ],
                "layout": rules.layout(ws),
            }
        )
    return out


def spellings_text(spellings) -> str:
    """« entraide (2), Entraide ! » : each spelling, with its count when above one.

    >>> spellings_text([("entraide", 2), ("Entraide !", 1)])
    'entraide (2), Entraide !'
    """
    return ", ".join(f"{t} ({n})" if n > 1 else t for t, n in spellings)


def _rows(clouds):
    for c in clouds:
        for w in c["words"]:
            yield [c["question"], w["label"], w["count"], spellings_text(w["spellings"])]


def to_csv(clouds, gettext=lambda x: x) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([gettext(c) for c in COLUMNS])
    for row in _rows(clouds):
        writer.writerow([spreadsheet_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(clouds, gettext=lambda x: x) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = gettext(N_("nuage de mots"))[:31]
    ws.append([gettext(c) for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in _rows(clouds):
        ws.append([spreadsheet_safe(v) for v in row])
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for col, width in zip("ABCD", (40, 30, 9, 70), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _font_path() -> str:
    return str(documents.font_dir() / (documents.FONT + "Sans-Bold.ttf"))


def to_png(layout: rules.Layout, *, others_label: str | None = None, dpi: int = 110) -> bytes:
    """The cloud as a PNG image, each word where the projector puts it,
    with its count in small grey figures."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=_font_path())
    fig = Figure(figsize=(rules.CANVAS_W / 10, rules.CANVAS_H / 10 + 0.6), dpi=dpi)
    ax = fig.add_axes(
        (0, 0.6 / (rules.CANVAS_H / 10 + 0.6), 1, 1 - 0.6 / (rules.CANVAS_H / 10 + 0.6))
    )
    half_w, half_h = rules.CANVAS_W / 2, rules.CANVAS_H / 2
    ax.set_xlim(-half_w, half_w)
    ax.set_ylim(half_h, -half_h)  # y grows downwards, as on screen
    ax.axis("off")
    unit_pt = 72 * (rules.CANVAS_H / 10) / rules.CANVAS_H  # points per canvas unit
    palette = dict(zip(rules.PALETTE, PRINT_PALETTE, strict=True))
    for p in layout.placed:
        count_w = rules.text_width(f" {p.count}") * rules.count_font(p.font)
        left = p.x - p.w / 2 + rules.PAD * p.font / 2
        ax.text(
            left,
            p.y,
            p.label,
            fontproperties=font,
            fontsize=p.font * unit_pt,
            color=palette.get(p.colour, "#222222"),
            ha="left",
            va="center_baseline",
        )
        ax.text(
            p.x + p.w / 2 - count_w,
            p.y,
            f" {p.count}",
            fontproperties=font,
            fontsize=rules.count_font(p.font) * unit_pt,
            color="#555555",
            ha="left",
            va="center_baseline",
        )
    if others_label:
        fig.text(
            0.5,
            0.25 / (rules.CANVAS_H / 10 + 0.6),
            others_label,
            ha="center",
            fontproperties=font,
            fontsize=14,
            color="#333333",
        )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def others_text(layout: rules.Layout, t=None) -> str | None:
    """« et 12 autres mots (15 réponses) » in the language of ``t`` (a
    :class:`workshop.i18n.Texts`, French by default), or None."""
    if not layout.others:
        return None
    t = t or texts("fr")
    words = t.ngettext("et %(num)d autre mot", "et %(num)d autres mots", layout.others)
    answers = t.ngettext("%(num)d réponse", "%(num)d réponses", layout.others_answers)
    return f"{words} ({answers})"
