"""The document layer (workshop/documents.py): one escaper, one PDF set-up,
one file-name rule, used by every export."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop import documents

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line and not line.startswith("# ")
]
FILENAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+$")


def _render_md(text: str) -> str:
    """What a Markdown reader shows: the escaped text rendered by CommonMark."""
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)


def test_no_export_module_keeps_its_own_escaper_font_setup_or_file_name_rule():
    root = Path(documents.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "documents.py":
            continue
        src = path.read_text()
        assert "_MD_SPECIAL" not in src, path
        assert "add_font(" not in src, path
        assert "DejaVuSans" not in src, path
        assert 'filename="' not in src, path


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_escaper_keeps_every_payload_inert(payload):
    escaped = documents.md_escape(payload, hard_breaks=True)
    html = _render_md(f"- {escaped}\n")
    tags = set(re.findall(r"<(/?[a-z0-9]+)", html))
    assert tags <= {"ul", "/ul", "li", "/li", "p", "/p", "br"}, (payload, html)


@given(st.text(max_size=200))
def test_markdown_escaper_renders_the_text_typed(text):
    text = text.replace("\r", "")
    html = _render_md(documents.md_escape(text))
    # no element but the paragraph (and its line breaks) comes out of a text
    tags = set(re.findall(r"<(/?[a-z0-9]+)", html))
    assert tags <= {"p", "/p", "br"}, (text, html)


@given(st.text(max_size=200))
def test_html_escaper(text):
    out = str(documents.html_escape(text))
    assert "<" not in out and ">" not in out and '"' not in out


@given(st.lists(st.text(max_size=80), max_size=5), st.sampled_from(["pdf", "md", "PNG", ""]))
def test_file_names_are_plain_ascii_and_short(parts, ext):
    name = documents.export_filename("compte-rendu", *parts, ext=ext)
    assert FILENAME.match(name), name
    assert len(name) <= len("compte-rendu-") + documents.FILENAME_MAX + 5
    disp = documents.content_disposition(name)
    assert disp == f'attachment; filename="{name}"'


def test_file_names_of_every_export_follow_the_rule(client):
    atelier = client.post("/api/ateliers", json={"title": "Été « coop » <b>"}).get_json()
    base = f"/a/{atelier['code']}/console/{atelier['secret']}"
    names = []
    for url in (
        f"{base}/report/compte-rendu?fmt=md",
        f"{base}/report/compte-rendu?fmt=html",
        f"{base}/board/export.csv",
        f"{base}/data.json",
    ):
        res = client.get(url)
        assert res.status_code == 200, (url, res.status_code)
        m = re.fullmatch(r'attachment; filename="([^"]+)"', res.headers["Content-Disposition"])
        assert m, res.headers["Content-Disposition"]
        names.append(m[1])
    for name in names:
        assert FILENAME.match(name), name
    assert names[0] == "compte-rendu-ete-coop-b.md"


def test_pdf_prints_any_unicode_with_its_metadata():
    import io

    import pypdf

    pdf = documents.new_pdf("Réunion ✓ «test»", lang="fr")
    pdf.add_page()
    pdf.set_font(documents.FONT, "B", 12)
    pdf.multi_cell(0, 6, "Œuvre – « coopération » ✓ ½ €")
    reader = pypdf.PdfReader(io.BytesIO(bytes(pdf.output())))
    assert "« coopération »" in reader.pages[0].extract_text()
    assert reader.metadata.title == "Réunion ✓ «test»"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
