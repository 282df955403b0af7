"""The porteur's summary: Markdown, printable HTML and PDF (no Flask).

The PDF embeds DejaVu Sans (bundled with matplotlib) so that every French
character, and any other Unicode text typed on a phone, prints.
"""

from .. import documents

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
    """``codev-<group>.<ext>``, by the one file-name rule of the exports.

    >>> filename({"group": "Bleu – salle Chardon"}, "pdf")
    'codev-bleu-salle-chardon.pdf'
    """
    return documents.export_filename("codev", summary["group"], ext=ext)


_md_escape = documents.md_escape


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


def to_pdf(summary: dict) -> bytes:
    L = LABELS
    pdf = documents.new_pdf(f"{L['title']} : {summary['group']}")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=14):
        pdf.ln(2)
        if size < 18:
            pdf.start_section(text[:120], level=0)
        pdf.set_font(documents.FONT, "B", size)
        pdf.multi_cell(width, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def para(text, bold=False, indent=0):
        pdf.set_font(documents.FONT, "B" if bold else "", 11)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, 6, text, new_x="LMARGIN", new_y="NEXT")

    heading(f"{L['title']} : {summary['group']}", 18)
    meta = [summary["atelier"]] + [x for x in (summary.get("date"), summary.get("room")) if x]
    para(" · ".join(meta))
    if summary.get("porteur"):
        para(f"{L['porteur']} : {summary['porteur']}")
    para(f"{L['method']} : {summary['template']}")
    who = ", ".join(
        f"{m['name'] or '?'} ({ROLE_LABELS.get(m['role'], m['role'])})" for m in summary["members"]
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
