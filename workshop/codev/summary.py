"""The porteur's summary: Markdown, printable HTML and PDF (no Flask).

Every word is in the atelier's language (``lang``), read from the catalogue
through :func:`workshop.i18n.texts`. The PDF embeds DejaVu Sans (bundled with
matplotlib) so that every French character, and any other Unicode text typed
on a phone, prints.
"""

from .. import documents
from ..i18n import N_, Texts, texts

LABELS = {
    "title": N_("Synthèse de co-développement"),
    "group": N_("Groupe"),
    "porteur": N_("Porteur ou porteuse"),
    "method": N_("Méthode"),
    "members": N_("Membres du groupe"),
    "subject": N_("Sujet"),
    "contract": N_("Contrat\u00a0: l’aide attendue"),
    "questions": N_("Questions et réponses"),
    "answer": N_("Réponse"),
    "no_answer": N_("(pas de réponse)"),
    "proposals": N_("Propositions"),
    "retained": N_("retenue"),
    "action_plan": N_("Ce que je retiens, ce que je vais faire"),
    "learnings": N_("Apprentissages"),
    "notes": N_("Notes du secrétariat"),
    "none": N_("(rien)"),
}
ROLE_LABELS = {
    "porteur": N_("porteur ou porteuse"),
    "contributeur": N_("contributeur ou contributrice"),
    "animateur": N_("animateur ou animatrice"),
    "secretaire": N_("secrétaire"),
}


def labels(lang: str = "fr") -> dict[str, str]:
    """:data:`LABELS` in ``lang``.

    >>> labels("en")["members"], labels()["members"]
    ('Group members', 'Membres du groupe')
    """
    t = texts(lang)
    return {key: t.gettext(text) for key, text in LABELS.items()}


def member_name(member: dict, t: Texts) -> str:
    """The member's name, or « Anonyme #14 » as the role list says it.

    >>> member_name({"name": None, "participant_id": 14}, texts("en"))
    'Anonymous #14'
    """
    return member["name"] or t.gettext("Anonyme #%(n)s", n=member["participant_id"])


def _porteur(summary: dict, t: Texts) -> str | None:
    porteur = next((m for m in summary["members"] if m["role"] == "porteur"), None)
    return member_name(porteur, t) if porteur else None


def _members(summary: dict, t: Texts, escape=str) -> str:
    def role(m):
        return t.gettext(ROLE_LABELS[m["role"]]) if m["role"] in ROLE_LABELS else m["role"]

    return ", ".join(f"{escape(member_name(m, t))} ({role(m)})" for m in summary["members"])


def filename(summary: dict, ext: str) -> str:
    """``codev-<group>.<ext>``, by the one file-name rule of the exports.

    >>> filename({"group": "Bleu – salle Chardon"}, "pdf")
    'codev-bleu-salle-chardon.pdf'
    """
    return documents.export_filename("codev", summary["group"], ext=ext)


_md_escape = documents.md_escape


def to_markdown(summary: dict, lang: str = "fr") -> str:
    t = texts(lang)
    L, c = labels(lang), t.colon()
    lines = [f"# {L['title']}{c}{_md_escape(summary['group'])}", ""]
    meta = [_md_escape(summary["atelier"])]
    if summary.get("date"):
        meta.append(summary["date"])
    if summary.get("room"):
        meta.append(_md_escape(summary["room"]))
    lines += [" · ".join(meta), ""]
    porteur = _porteur(summary, t)
    if porteur:
        lines.append(f"- **{L['porteur']}**{c}{_md_escape(porteur)}")
    lines.append(f"- **{L['method']}**{c}{t.gettext(summary['template'])}")
    who = _members(summary, t, _md_escape)
    lines += [f"- **{L['members']}**{c}{who or L['none']}", ""]
    lines += [f"## {L['subject']}", "", _md_escape(summary.get("subject") or L["none"]), ""]
    if summary.get("contract"):
        lines += [f"## {L['contract']}", "", _md_escape(summary["contract"]), ""]
    lines += [f"## {L['questions']}", ""]
    if not summary["questions"]:
        lines += [L["none"], ""]
    for n, q in enumerate(summary["questions"], 1):
        lines.append(f"{n}. {_md_escape(q['text'])}")
        lines.append(f"   - *{L['answer']}*{c}{_md_escape(q['answer'] or L['no_answer'])}")
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


def to_pdf(summary: dict, lang: str = "fr") -> bytes:
    t = texts(lang)
    L, c = labels(lang), t.colon()
    pdf = documents.new_pdf(f"{L['title']}{c}{summary['group']}", lang=t.lang)
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

    heading(f"{L['title']}{c}{summary['group']}", 18)
    meta = [summary["atelier"]] + [x for x in (summary.get("date"), summary.get("room")) if x]
    para(" · ".join(meta))
    porteur = _porteur(summary, t)
    if porteur:
        para(f"{L['porteur']}{c}{porteur}")
    para(f"{L['method']}{c}{t.gettext(summary['template'])}")
    para(f"{L['members']}{c}{_members(summary, t) or L['none']}")
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
        para(f"{L['answer']}{c}{q['answer'] or L['no_answer']}", indent=6)
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
