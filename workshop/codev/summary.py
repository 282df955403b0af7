"""The porteur's summary: Markdown, printable HTML and PDF (no Flask).

The PDF embeds DejaVu Sans (bundled with matplotlib) so that every French
character, and any other Unicode text typed on a phone, prints.
"""

import re
from pathlib import Path

LABELS = {
    "title": "Synthèse de co-développement",
    "group": "Groupe",
    "porteur": "Porteur ou porteuse",
    "method": "Méthode",
    "members": "Membres du groupe",
    "subject": "Sujet",
    "contract": "Contrat : l’aide attendue",
    "questions": "Questions et réponses",
    "answer": "Réponse",
    "no_answer": "(pas de réponse)",
    "proposals": "Propositions",
    "retained": "retenue",
    "action_plan": "Ce que je retiens, ce que je vais faire",
    "learnings": "Apprentissages",
    "notes": "Notes du secrétariat",
    "none": "(rien)",
}
ROLE_LABELS = {
    "porteur": "porteur ou porteuse",
    "contributeur": "contributeur ou contributrice",
    "animateur": "animateur ou animatrice",
    "secretaire": "secrétaire",
}


def filename(summary: dict, ext: str) -> str:
    import re
    import unicodedata

    base = unicodedata.normalize("NFKD", f"codev-{summary['group']}")
    base = re.sub(r"[^A-Za-z0-9]+", "-", base.encode("ascii", "ignore").decode()).strip("-")
    return f"{base.lower() or 'codev'}.{ext}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+[.)])")


def _md_escape(text: str) -> str:
    r"""Escape Markdown and HTML so that what was typed renders literally.

    >>> _md_escape("<img src=x onerror=alert(1)> *x*")
    '\\<img src=x onerror=alert(1)\\> \\*x\\*'
    """
    text = _MD_SPECIAL.sub(r"\\\1", str(text).replace("\r", ""))
    return "\n".join(_MD_LINE_START.sub(r"\1\\\2", line) for line in text.split("\n"))


def to_markdown(summary: dict) -> str:
    L = LABELS
    lines = [f"# {L['title']} : {_md_escape(summary['group'])}", ""]
    meta = [_md_escape(summary["atelier"])]
    if summary.get("date"):
        meta.append(summary["date"])
    if summary.get("room"):
        meta.append(_md_escape(summary["room"]))
    lines += [" · ".join(meta), ""]
    if summary.get("porteur"):
        lines.append(f"- **{L['porteur']}** : {_md_escape(summary['porteur'])}")
    lines.append(f"- **{L['method']}** : {summary['template']}")
    who = ", ".join(
        f"{_md_escape(m['name'] or '?')} ({ROLE_LABELS.get(m['role'], m['role'])})"
        for m in summary["members"]
    )
    lines += [f"- **{L['members']}** : {who or L['none']}", ""]
    lines += [f"## {L['subject']}", "", _md_escape(summary.get("subject") or L["none"]), ""]
    if summary.get("contract"):
        lines += [f"## {L['contract']}", "", _md_escape(summary["contract"]), ""]
    lines += [f"## {L['questions']}", ""]
    if not summary["questions"]:
        lines += [L["none"], ""]
    for n, q in enumerate(summary["questions"], 1):
        lines.append(f"{n}. {_md_escape(q['text'])}")
        lines.append(f"   - *{L['answer']}* : {_md_escape(q['answer'] or L['no_answer'])}")
    lines += ["", f"## {L['proposals']}", ""]
    if not summary["proposals"]:
        lines += [L["none"]]
    for p in summary["proposals"]:
        mark = "[x]" if p["retained"] else "[ ]"
        tag = f" **({L['retained']})**" if p["retained"] else ""
        lines.append(f"- {mark} {_md_escape(p['text'])}{tag}")
    lines += ["", f"## {L['action_plan']}", "", _md_escape(summary.get("action_plan") or L["none"])]
    if summary.get("learnings"):
        lines += ["", f"## {L['learnings']}", ""]
        lines += [f"- {_md_escape(x['text'])}" for x in summary["learnings"]]
    if summary.get("notes"):
        lines += ["", f"## {L['notes']}", ""]
        lines += [f"- {_md_escape(x)}" for x in summary["notes"]]
    return "\n".join(lines) + "\n"


def _font_path() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def to_pdf(summary: dict) -> bytes:
    from fpdf import FPDF

    L = LABELS
    pdf = FPDF(format="A4")
    fonts = _font_path()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"{L['title']} : {summary['group']}")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=14):
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(width, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def para(text, bold=False, indent=0):
        pdf.set_font("DejaVu", "B" if bold else "", 11)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, 6, text, new_x="LMARGIN", new_y="NEXT")

    heading(f"{L['title']} : {summary['group']}", 18)
    meta = [summary["atelier"]] + [x for x in (summary.get("date"), summary.get("room")) if x]
    para(" · ".join(meta))
    if summary.get("porteur"):
        para(f"{L['porteur']} : {summary['porteur']}")
    para(f"{L['method']} : {summary['template']}")
    who = ", ".join(
        f"{_md_escape(m['name'] or '?')} ({ROLE_LABELS.get(m['role'], m['role'])})"
        for m in summary["members"]
    )
    para(f"{L['members']} : {who or L['none']}")
    heading(L["subject"])
    para(summary.get("subject") or L["none"])
    if summary.get("contract"):
        heading(L["contract"])
        para(summary["contract"])
    heading(L["questions"])
    if not summary["questions"]:
        para(L["none"])
    for n, q in enumerate(summary["questions"], 1):
        para(f"{n}. {q['text']}", bold=True)
        para(f"{L['answer']} : {q['answer'] or L['no_answer']}", indent=6)
    heading(L["proposals"])
    if not summary["proposals"]:
        para(L["none"])
    for p in summary["proposals"]:
        if p["retained"]:
            para(f"✔ {p['text']} ({L['retained']})", bold=True)
        else:
            para(f"• {p['text']}")
    heading(L["action_plan"])
    para(summary.get("action_plan") or L["none"])
    if summary.get("learnings"):
        heading(L["learnings"])
        for x in summary["learnings"]:
            para(f"• {x['text']}")
    if summary.get("notes"):
        heading(L["notes"])
        for x in summary["notes"]:
            para(f"• {x}")
    return bytes(pdf.output())
