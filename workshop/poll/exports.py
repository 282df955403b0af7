"""Exports of the quick polls: CSV and XLSX, one row per answer (or scale
value) with its count and its percentage of voters, and for a scale a row
with the mean. Cells never start a formula (``spreadsheet_safe``)."""

from __future__ import annotations

import csv
import io

from ..domain import poll as rules
from ..domain.board import spreadsheet_safe
from ..i18n import N_
from . import service

COLUMNS = [
    N_("question"),
    N_("type"),
    N_("réponse"),
    N_("nombre"),
    N_("pourcentage"),
    N_("votants"),
]
KIND_LABELS = {
    "single": N_("choix unique"),
    "multiple": N_("choix multiple"),
    "scale": N_("échelle"),
}
MEAN = N_("moyenne")


def collect(s, atelier, poll_id=None) -> list[dict]:
    items = service.polls(s, atelier)
    if poll_id is not None:
        items = [service.get_poll(s, atelier, poll_id)]
    return [
        {"poll": p.to_dict(), "results": rules.results(p.rules_dict(), service.ballots(s, p))}
        for p in items
    ]


def rows(polls, gettext=lambda x: x):
    for item in polls:
        p, r = item["poll"], item["results"]
        kind = gettext(KIND_LABELS[p["kind"]])
        if p["kind"] == "scale":
            for d in r["distribution"]:
                label = str(d["value"])
                if d["value"] == 1 and p.get("label_low"):
                    label += f" ({p['label_low']})"
                if d["value"] == p["scale_max"] and p.get("label_high"):
                    label += f" ({p['label_high']})"
                yield [p["question"], kind, label, d["count"], d["percent"], r["voters"]]
            mean = "" if r["mean"] is None else r["mean"]
            yield [p["question"], kind, gettext(MEAN), mean, "", r["voters"]]
        else:
            for o in r["options"]:
                yield [p["question"], kind, o["label"], o["count"], o["percent"], r["voters"]]


def to_csv(polls, gettext=lambda x: x) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([gettext(c) for c in COLUMNS])
    for row in rows(polls, gettext):
        writer.writerow([spreadsheet_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(polls, gettext=lambda x: x) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = gettext(N_("sondages"))[:31]
    ws.append([gettext(c) for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(polls, gettext):
        ws.append([spreadsheet_safe(v) for v in row])
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for col, width in zip("ABCDEF", (45, 16, 40, 9, 12, 9), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
