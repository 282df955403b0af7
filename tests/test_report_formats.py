"""The compte rendu of the demo atelier, read back in each format."""

import datetime as dt
import io
import zipfile

import docx
import pypdf
import pytest
from babel.dates import format_date
from PIL import Image

from workshop.ateliers import service as ateliers
from workshop.demo import ensure_demo

EXPECTED = [
    "Compte rendu",
    # the demo atelier is dated the day it is made
    format_date(dt.date.today(), "d MMMM y", locale="fr"),
    "Mulhouse",
    "Les besoins en termes de moyen",  # a post-it category
    "Besoin en ressources humaines",  # a post-it
    "Co-développement",
    "Cartographie des acteurs",
    "Tableau des apports par étape",
    "Mécanisme des idées",  # a contribution in the stage table
    "Chaînage des apports",  # the analysis in words
    "Annexe\u00a0: fiches projets",
    "EN ROUTE VERS L'INSERTION",  # a project sheet
]


@pytest.fixture
def demo(app):
    code, secret = ensure_demo(app)
    db = app.extensions["workshop_db"]
    with db.session() as s:
        atelier = ateliers.find_atelier(s, code)
        ateliers.join(s, atelier, "Zoé Témoin")
    return app.test_client(), f"/a/{code}/console/{secret}/report/compte-rendu"


def _get(client, url, **args):
    res = client.get(url, query_string=args)
    assert res.status_code == 200, res.data[:300]
    assert "attachment" in res.headers["Content-Disposition"]
    return res.data


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_markdown(demo):
    client, url = demo
    md = _get(client, url, fmt="md").decode("utf-8")
    for needle in EXPECTED:
        assert needle.replace("'", "'") in md, needle
    assert "![Les acteurs par étape" in md and "(carte-reseau.png)" in md
    assert "| Acteur | Déclencher | Organiser | Animer |" in md
    assert "Zoé Témoin" not in md  # no names unless asked
    assert "personnes" in md
    named = _get(client, url, fmt="md", names="1").decode("utf-8")
    assert "Zoé Témoin" in named


def test_pdf_text_and_images(demo):
    client, url = demo
    data = _get(client, url, fmt="pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    for needle in EXPECTED:
        assert _flat(needle) in text, needle
    assert "Zoé Témoin" not in text
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 3  # the two maps and the demo's word cloud
    for img in images:
        pil = Image.open(io.BytesIO(img.data))
        pil.verify()
        assert pil.size[0] > 1000


def test_docx_paragraphs_table_and_pictures(demo):
    client, url = demo
    data = _get(client, url, fmt="docx", names="1")
    d = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    for needle in EXPECTED:
        assert needle in text or needle in cells, needle
    assert "Zoé Témoin" in text
    stage_table = next(t for t in d.tables if t.rows[0].cells[0].text == "Acteur")
    assert stage_table.rows[0].cells[1].text == "Déclencher"
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Cartographie des acteurs" in headings
    assert len(d.inline_shapes) == 3  # the two maps and the word cloud
    blobs = [rel.target_part.blob for rel in d.part.rels.values() if "image" in rel.reltype]
    assert len(blobs) == 3
    for blob in blobs:
        Image.open(io.BytesIO(blob)).verify()


def test_zip_holds_the_three_forms_and_the_images(demo):
    client, url = demo
    z = zipfile.ZipFile(io.BytesIO(_get(client, url)))
    names = z.namelist()
    base = names[0].split("/")[0]
    assert {
        f"{base}/{base}.md",
        f"{base}/{base}.pdf",
        f"{base}/{base}.docx",
        f"{base}/carte-etapes.png",
        f"{base}/carte-reseau.png",
        f"{base}/{base}.html",
    } <= set(names)
    html = z.read(f"{base}/{base}.html").decode()
    assert 'src="carte-etapes.png"' in html
    Image.open(io.BytesIO(z.read(f"{base}/carte-etapes.png"))).verify()


def test_user_text_is_inert_and_wrong_requests_are_refused(app):
    from workshop.livemap import service

    db = app.extensions["workshop_db"]
    with db.session() as s:
        atelier, secret = ateliers.create_atelier(s, {"title": "Vide"})
        code = atelier.code
    client = app.test_client()
    url = f"/a/{code}/console/{secret}/report/compte-rendu"
    md = _get(client, url, fmt="md").decode()
    assert "Aucune contribution" in md
    pypdf.PdfReader(io.BytesIO(_get(client, url, fmt="pdf")))
    docx.Document(io.BytesIO(_get(client, url, fmt="docx")))
    with db.session() as s:
        atelier = ateliers.find_atelier(s, code)
        service.create_actor(
            s, atelier, None, client_id="x" * 12, name="<script>alert(1)</script> **gras**"
        )
    md = _get(client, url, fmt="md").decode()
    assert "<script>" not in md and "\\<script\\>" in md
    html = _get(client, url, fmt="html").decode()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert client.get(url, query_string={"fmt": "exe"}).status_code == 404
    assert client.get(f"/a/{code}/console/bad/report/compte-rendu").status_code == 403


def test_docx_is_accessible_headings_header_rows_alt_text(demo):
    """Real heading styles in order, the table's first row marked as header,
    alternative text on every picture, the document's language set."""
    from docx.oxml.ns import qn

    client, url = demo
    d = docx.Document(io.BytesIO(_get(client, url, fmt="docx")))
    levels = [
        int(p.style.name.split()[-1]) for p in d.paragraphs if p.style.name.startswith("Heading ")
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert not [p for p in d.paragraphs if p.style.name == "Title"]
    for table in d.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    assert len(d.inline_shapes) == 3  # the two maps and the word cloud
    for shape in d.inline_shapes:
        descr = shape._inline.docPr.get("descr")
        assert descr and len(descr) > 40, descr
    assert any("acteur" in shape._inline.docPr.get("descr") for shape in d.inline_shapes)
    assert d.core_properties.language == "fr-FR"


def test_html_is_accessible_and_stands_alone(demo):
    from html.parser import HTMLParser

    client, url = demo
    res = client.get(url, query_string={"fmt": "html"})
    assert res.status_code == 200 and res.mimetype == "text/html"
    assert res.headers["Content-Disposition"].startswith("attachment;")
    html = res.data.decode()
    for needle in EXPECTED:
        assert needle in html.replace("&#39;", "'"), needle

    class Walk(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.imgs, self.lang = [], [], None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            self.tags.append((tag, a))
            if tag == "img":
                self.imgs.append(a)
            if tag == "html":
                self.lang = a.get("lang")

    w = Walk()
    w.feed(html)
    assert w.lang == "fr"
    heads = [int(t[1]) for t, _ in w.tags if t in ("h1", "h2", "h3")]
    assert heads[0] == 1 and heads.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(heads, heads[1:], strict=False))
    assert len(w.imgs) == 3  # the two maps and the word cloud
    for img in w.imgs:
        assert img["src"].startswith("data:image/png;base64,")
        assert len(img["alt"]) > 40
    assert ("th", {"scope": "col"}) in w.tags and ("th", {"scope": "row"}) in w.tags
    assert [t for t, _ in w.tags].count("main") == 1
    assert "<script" not in html


def test_pdf_tags_what_fpdf2_can(demo):
    """Language, title shown, outline of the headings, images tagged /Figure
    with their alternative text. Text is not tagged (fpdf2 cannot): the
    accessibility statement says so and points to DOCX and HTML."""
    client, url = demo
    reader = pypdf.PdfReader(io.BytesIO(_get(client, url, fmt="pdf")))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Cartographie des acteurs" in titles
    tree = root["/StructTreeRoot"].get_object()
    figures = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                figures.append(node)
            kids = node.get("/K")
            if kids is not None:
                for k in kids if isinstance(kids, list) else [kids]:
                    if hasattr(k, "get_object") or isinstance(k, dict):
                        walk(k)

    walk(tree)
    alts = [str(f.get("/Alt")) for f in figures if f.get("/Alt")]
    # the two maps and the demo's word cloud
    assert len(alts) == 3 and sum("acteur" in a for a in alts) == 2, alts
    assert any(a.startswith("Nuage de mots") for a in alts), alts
