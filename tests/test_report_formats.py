"""The compte rendu of the demo atelier, read back in each format."""

import io
import zipfile

import docx
import pypdf
import pytest
from PIL import Image

from workshop.ateliers import service as ateliers
from workshop.demo import ensure_demo

EXPECTED = [
    "Compte rendu",
    "13 juin 2024",
    "Mulhouse",
    "Les besoins en termes de moyen",  # a post-it category
    "Besoin en ressources humaines",  # a post-it
    "Co-développement",
    "Cartographie des acteurs",
    "Tableau des apports par étape",
    "Mécanisme des idées",  # a contribution in the stage table
    "Chaînage des apports",  # the analysis in words
    "Annexe : fiches projets",
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
    assert len(images) == 2
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
    assert d.tables[0].rows[0].cells[1].text == "Déclencher"
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Cartographie des acteurs" in headings
    assert len(d.inline_shapes) == 2
    blobs = [rel.target_part.blob for rel in d.part.rels.values() if "image" in rel.reltype]
    assert len(blobs) == 2
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
    } <= set(names)
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
    assert client.get(url, query_string={"fmt": "exe"}).status_code == 404
    assert client.get(f"/a/{code}/console/bad/report/compte-rendu").status_code == 403
