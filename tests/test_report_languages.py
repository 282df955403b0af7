"""The compte rendu and the codev summary follow the atelier's language.

The demo atelier is read back as an English atelier and as a French one.
Everything the participants wrote (the demo's French post-its, subjects,
actor names…) is taken out of each document; what remains is what the
application wrote, and that must be all English in English (no French word,
no French punctuation) and all French in French (typographic apostrophes,
non-breaking spaces, no English word).
"""

import io
import re

import docx
import pypdf
import pytest

from workshop.ateliers import service as ateliers
from workshop.codev import service as codev
from workshop.demo import ensure_demo
from workshop.report import build, render

NBSP = "\u00a0"
FRENCH = re.compile(
    r"[éèêàùâîôûçœÉÈÀ«»\u00a0]|\b(le|la|les|des|du|une?|et|ou|pas|sur|dans|aux?|par|pour"
    r"|est|sont|cette?|aucune?|acteurs?|liens?|groupe|sujet|étapes?|compte|rendu|personnes?"
    r"|réponses?|votants?|moyenne|annexe|fiches?|retenue|membres|méthode)\b",
    re.I,
)
ENGLISH = re.compile(
    r"\b(the|and|of|with|by|has|have|actors?|links?|group|topic|report|people|answers?"
    r"|voters?|mean|appendix|sheets?|kept|members|method|word|cloud|poll|anonymous)\b",
    re.I,
)
STRAIGHT_APOSTROPHE = re.compile(r"\w'\w")
# French: a colon, semicolon, ! or ? always has a non-breaking space before it
FRENCH_SPACING = re.compile(r"(?<![\u00a0\d])[:;!?](?!//)|[ ][:;!?]")
ENGLISH_SPACING = re.compile(r"\s[:;!?]")

# Generated (not typed) values in the gathered data: left in the scanned text.
GENERATED_KEYS = {"paragraphs", "images", "lang", "method", "kind", "png", "layout", "porteur"}


def _user_texts(value, key=None, out=None) -> set[str]:
    """Every string participants or the demo's files put in ``value``."""
    out = set() if out is None else out
    if key in GENERATED_KEYS:
        return out
    if isinstance(value, str):
        if len(value) >= 3:
            out.add(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _user_texts(v, k, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _user_texts(v, key, out)
    return out


def _without(text: str, user: list[str]) -> str:
    for u in user:  # longest first
        text = text.replace(u, "Xx")
    return text


def _block_texts(blocks) -> list[str]:
    out = []
    for b in blocks:
        if b[0] == "image":
            out += [b[3], b[4]]
        elif b[0] == "meta":
            out += [f"{k} {v}" for k, v in b[1]]
        elif b[0] == "bullets":
            out += list(b[1])
        elif b[0] == "table":
            out += list(b[1]) + [line for row in b[2] for cell in row for line in cell]
        else:
            out.append(b[1])
    return out


@pytest.fixture
def demo_data(app):
    """``data(lang)``: the demo's gathered data and blocks, the atelier in ``lang``."""
    code, secret = ensure_demo(app)
    database = app.extensions["workshop_db"]

    def data(lang):
        with database.session() as s:
            atelier = ateliers.find_atelier(s, code)
            atelier.locale = lang
            gathered = build.gather(s, atelier, names=True)
            m = __import__("workshop.livemap.service", fromlist=["x"]).build_actor_map(s, atelier)
            names = {d.get("name") for _n, d in m.graph.nodes(data=True) if d.get("name")}
            summaries = [codev.summary(s, atelier, g) for g in codev.groups(s, atelier)]
        user = _user_texts(gathered) | names | _user_texts(summaries)
        return gathered, build.document(gathered), sorted(user, key=len, reverse=True)

    data.code, data.secret = code, secret
    return data


# internal keys, never shown (docs/style.md)
RAW_KEYS = re.compile(r"\b(collectivite|service_public|declencher|fondation|reseau)\b")


def _english_problems(texts, user):
    bad = []
    for text in texts:
        left = _without(text, user)
        if (
            RAW_KEYS.search(left)
            or FRENCH.search(left)
            or STRAIGHT_APOSTROPHE.search(left)
            or ENGLISH_SPACING.search(left)
        ):
            bad.append(left)
    return bad


def _french_problems(texts, user):
    bad = []
    for text in texts:
        left = _without(text, user)
        if (
            RAW_KEYS.search(left)
            or ENGLISH.search(left)
            or STRAIGHT_APOSTROPHE.search(left)
            or FRENCH_SPACING.search(left)
        ):
            bad.append(left)
    return bad


def test_the_scans_can_fail():
    user = ["Chardon"]
    assert _english_problems(["Compte rendu\u00a0: x"], user)
    assert _english_problems(["Topic : x"], user) and _english_problems(["the group's"], user)
    assert not _english_problems(["Group Chardon: 2 actors"], user)
    assert _french_problems(["Sujet : x"], user) and _french_problems(["l'atelier"], user)
    assert _french_problems(["Groupe Chardon\u00a0: 2 actors"], user)
    assert not _french_problems(["Groupe Chardon\u00a0: 2 acteurs, l’étape"], user)


def test_english_report_has_no_french_left(demo_data):
    gathered, blocks, user = demo_data("en")
    texts = _block_texts(blocks)
    assert blocks[0][1].startswith("Report: ")
    assert "Actor map" in texts and "Contributions by stage" in texts
    bad = _english_problems(texts, user)
    assert not bad, bad[:8]
    # the documents add only English punctuation
    md = render.to_markdown(blocks, "en")
    assert "- **Date**: " in md and NBSP not in _without(md, user)
    d = docx.Document(io.BytesIO(render.to_docx(blocks, "en")))
    paras = [p.text for p in d.paragraphs] + [
        c.text for t in d.tables for row in t.rows for c in row.cells
    ]
    bad = _english_problems(paras, user)
    assert not bad, bad[:8]
    assert d.core_properties.language == "en-GB"
    pdf = pypdf.PdfReader(io.BytesIO(render.to_pdf(blocks, "en")))
    assert pdf.trailer["/Root"]["/Lang"] == "en"
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Report:" in text and "Compte rendu" not in text and "Annexe" not in text
    html = render.to_html(blocks, "en")
    assert '<html lang="en">' in html and "Cartographie des acteurs" not in html


def test_french_report_is_all_french_and_typographic(demo_data):
    gathered, blocks, user = demo_data("fr")
    texts = _block_texts(blocks)
    assert blocks[0][1].startswith("Compte rendu\u00a0: ")
    bad = _french_problems(texts, user)
    assert not bad, bad[:8]
    md = render.to_markdown(blocks, "fr")
    assert "- **Date**\u00a0: " in md and "**Date** :" not in md
    d = docx.Document(io.BytesIO(render.to_docx(blocks, "fr")))
    paras = [p.text for p in d.paragraphs]
    bad = _french_problems(paras, user)
    assert not bad, bad[:8]


def test_english_map_analysis_and_images_come_from_maps_in_english(demo_data):
    gathered, blocks, user = demo_data("en")
    paras = gathered["map"]["paragraphs"]
    assert paras and paras[0].startswith("The map has ")
    assert not _english_problems(paras, user)
    images = [b for b in blocks if b[0] == "image"]
    assert [b[1] for b in images if b[1].startswith("map-")] == [
        "map-stages.png",
        "map-network.png",
    ]
    assert any(b[1].startswith("cloud-") for b in images), [b[1] for b in images]
    captions = [b[3] for b in images if b[1].startswith("map-")]
    assert captions == [
        "The actors by stage of the collective-impact strategy",
        "The network of cooperation between actors",
    ]


def test_english_report_file_names(app, demo_data):
    import zipfile

    database = app.extensions["workshop_db"]
    with database.session() as s:
        ateliers.find_atelier(s, demo_data.code).locale = "en"
    res = app.test_client().get(
        f"/a/{demo_data.code}/console/{demo_data.secret}/report/compte-rendu"
    )
    assert res.status_code == 200
    assert 'filename="report-' in res.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(res.data)).namelist()
    assert any(n.endswith("/map-stages.png") for n in names), names
    assert not [n for n in names if "compte-rendu" in n or "carte" in n or "nuage" in n], names


def test_group_is_not_named_twice(demo_data):
    for lang in ("fr", "en"):
        _gathered, blocks, _user = demo_data(lang)
        heads = [b[1] for b in blocks if b[0] == "h3"]
        assert not [h for h in heads if re.search(r"(?i)\bgroupe? groupe?\b", h)], heads


def _summary(client, data, fmt, lang):
    database = client.application.extensions["workshop_db"]
    with database.session() as s:
        atelier = ateliers.find_atelier(s, data.code)
        atelier.locale = lang
        group = codev.groups(s, atelier)[0]
        # one member stays anonymous: named « Anonyme #n » as in the role list
        member = codev.members(s, atelier, group.id)[-1]
        from workshop.models import Participant

        s.get(Participant, member["participant_id"]).display_name = None
        gid, pid = group.id, member["participant_id"]
    res = client.get(f"/a/{data.code}/console/{data.secret}/codev/{gid}/summary.{fmt}")
    assert res.status_code == 200
    return res, pid


def test_codev_summary_in_english(app, demo_data):
    client = app.test_client()
    _gathered, _blocks, user = demo_data("en")
    res, pid = _summary(client, demo_data, "md", "en")
    md = res.get_data(as_text=True)
    assert md.startswith("# Co-development summary: ")
    members = next(line for line in md.splitlines() if line.startswith("- **Group members**: "))
    assert f"Anonymous #{pid} (" in members and "?" not in members
    bad = _english_problems(md.splitlines(), user)
    assert not bad, bad[:8]
    res, _pid = _summary(client, demo_data, "pdf", "en")
    pdf = pypdf.PdfReader(io.BytesIO(res.data))
    assert pdf.trailer["/Root"]["/Lang"] == "en"
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Co-development summary" in text and "Synthèse" not in text
    assert "Questions and answers" in text and f"Anonymous #{pid}" in text
    res, _pid = _summary(client, demo_data, "html", "en")
    html = res.get_data(as_text=True)
    assert f"Anonymous #{pid}" in html and "Synthèse" not in html


def test_codev_summary_in_french(app, demo_data):
    client = app.test_client()
    _gathered, _blocks, user = demo_data("fr")
    res, pid = _summary(client, demo_data, "md", "fr")
    md = res.get_data(as_text=True)
    assert md.startswith("# Synthèse de co-développement\u00a0: ")
    assert f"Anonyme #{pid} (" in md
    bad = _french_problems(md.splitlines(), user)
    assert not bad, bad[:8]


def test_the_map_images_are_drawn_in_the_atelier_language(demo_data):
    """The report's map images carry words (legend, stage names, caption):
    drawn for an English atelier they differ from the French ones, and the
    same language draws the same image again (so the difference is the
    language, not chance)."""

    def images(lang):
        gathered, _blocks, _user = demo_data(lang)
        return {name: png for name, png, _caption in gathered["map"]["images"]}

    english, french, english_again = images("en"), images("fr"), images("en")
    assert set(english) == {"map-stages.png", "map-network.png"}
    assert set(french) == {"carte-etapes.png", "carte-reseau.png"}
    assert english == english_again
    assert english["map-stages.png"] != french["carte-etapes.png"]
    assert english["map-network.png"] != french["carte-reseau.png"]
