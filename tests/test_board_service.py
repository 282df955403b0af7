"""Board service, exports, demo and migration, on the database directly."""

import csv
import io

import pytest
from sqlalchemy import func, select

from board_helpers import XSS_PAYLOADS, stored_note
from workshop.ateliers import service as ateliers
from workshop.board import service
from workshop.board.demo import load_demo
from workshop.board.models import BoardCategory, BoardNote, BoardPrompt, BoardVote
from workshop.domain.errors import DomainError


@pytest.fixture
def db(app):
    return app.extensions["workshop_db"]


def _setup(s):
    atelier, secret = ateliers.create_atelier(s, {"title": "Atelier <test>", "place": "Mulhouse"})
    awa, _ = ateliers.join(s, atelier, "Awa")
    bob, _ = ateliers.join(s, atelier, "Bob")
    return atelier, secret, awa, bob


def test_exports_are_ordered_and_inert(app, client, db):
    with db.session() as s:
        atelier, secret, awa, bob = _setup(s)
        p1 = service.create_prompt(s, atelier, text="Besoins ?")
        p2 = service.create_prompt(s, atelier, text="Portée ?")
        cat_b = service.create_category(s, atelier, prompt_id=p1.id, title="B moyens")
        cat_a = service.create_category(s, atelier, prompt_id=p1.id, title="A outils")
        service.reorder_categories(s, atelier, prompt_id=p1.id, order=[cat_a.id, cat_b.id])
        notes = [stored_note(s, atelier, awa, p1, t) for t in XSS_PAYLOADS]
        loose = stored_note(s, atelier, bob, p1, "sans catégorie", anonymous=True)
        other = stored_note(s, atelier, bob, p2, "autre question")
        hidden = stored_note(s, atelier, bob, p1, "masquée")
        service.moderate_note(s, atelier, note_id=hidden.id, action="hide")
        for n in notes[:3]:
            service.move_note(s, atelier, note_id=n.id, category_id=cat_a.id)
        for n in notes[3:]:
            service.move_note(s, atelier, note_id=n.id, category_id=cat_b.id)
        service.open_vote(s, atelier, prompt_id=p1.id, dots=5)
        service.cast_vote(s, atelier, awa, note_id=notes[2].id, dots=3)
        service.cast_vote(s, atelier, bob, note_id=notes[1].id, dots=1)
        code = atelier.code
        ids = [n.id for n in notes]
        loose_id, other_id = loose.id, other.id
    base = f"/a/{code}/console/{secret}/board/export"
    res = client.get(base + ".csv")
    assert res.status_code == 200 and "attachment" in res.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:7] == ["question", "catégorie", "texte", "couleur", "auteur", "votes", "heure"]
    order = [int(r[7]) for r in rows[1:]]
    # prompt, then category (by position), then votes, then time; hidden left out
    assert order == [ids[2], ids[1], ids[0], *ids[3:], loose_id, other_id]
    by_id = {int(r[7]): r for r in rows[1:]}
    assert by_id[ids[2]][5] == "3" and by_id[ids[2]][4] == "Awa"
    assert by_id[loose_id][4] == "anonyme"
    formula = by_id[ids[XSS_PAYLOADS.index(next(p for p in XSS_PAYLOADS if p.startswith("=")))]]
    assert formula[2].startswith("'=")
    assert by_id[ids[0]][2] == XSS_PAYLOADS[0]
    # XLSX: same rows, strings only
    from openpyxl import load_workbook

    res = client.get(base + ".xlsx")
    wb = load_workbook(io.BytesIO(res.data))
    values = [[c.value for c in row] for row in wb.active.iter_rows()]
    assert [v[7] for v in values[1:]] == order
    assert all(not str(v[2]).startswith("=") for v in values[1:])
    # Markdown: escaped; HTML: escaped by the template
    md = client.get(base + ".md").get_data(as_text=True)
    assert "\\<script\\>" in md and "<script>" not in md
    assert md.index("A outils") < md.index("B moyens") < md.index("Sans catégorie")
    html = client.get(base + ".html").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "<img src=x" not in html
    # PDF: Unicode text, ordered
    from pypdf import PdfReader

    res = client.get(base + ".pdf")
    assert res.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(res.data)).pages)
    assert "Besoins ?" in text and "<script>alert(1)</script>" in text and "catégorie" in text
    # one prompt only; bad secret; bad format
    one = client.get(base + ".csv?prompt=999999")
    assert one.status_code == 404
    with db.session() as s:
        p2_id = s.scalar(select(BoardPrompt.id).where(BoardPrompt.text == "Portée ?"))
    only = client.get(base + f".csv?prompt={p2_id}").get_data(as_text=True)
    assert "autre question" in only and "Besoins" not in only
    assert client.get(f"/a/{code}/console/wrong/board/export.csv").status_code == 403
    assert client.get(base + ".exe").status_code == 404


def test_demo_loads_the_50_mulhouse_notes_once(app, db):
    with db.session() as s:
        atelier, _ = ateliers.create_atelier(s, {"title": "Démo"})
        load_demo(s, atelier)
        load_demo(s, atelier)
        aid = atelier.id
    with db.session() as s:
        atelier = s.get(type(atelier), aid)
        prompts = service.prompts(s, atelier)
        assert [p.text for p in prompts] == [
            "Les principaux besoins dans l’accompagnement des projets jeunesse",
            "La portée transformatrice des projets, pour les jeunes et pour le territoire",
        ]
        notes = service.notes(s, atelier)
        assert len(notes) == 50
        assert all(n.category_id is not None and n.status == "visible" for n in notes)
        cats = service.categories(s, atelier)
        assert len(cats) == 12
        assert "Les besoins en termes de moyen" in {c.title for c in cats}
        view = service.board_view(s, atelier, "projector")
        assert len(view["notes"]) == 50


def test_deleting_an_atelier_deletes_its_board(app, db):
    with db.session() as s:
        atelier, _, awa, _ = _setup(s)
        p = service.create_prompt(s, atelier, text="Q")
        c = service.create_category(s, atelier, prompt_id=p.id, title="C")
        n = stored_note(s, atelier, awa, p, "N")
        service.move_note(s, atelier, note_id=n.id, category_id=c.id)
        service.open_vote(s, atelier, prompt_id=p.id)
        service.cast_vote(s, atelier, awa, note_id=n.id, dots=1)
    aid = atelier.id
    with db.session() as s:
        ateliers.delete_atelier(s, s.get(type(atelier), aid))
    with db.session() as s:
        for model in (BoardPrompt, BoardCategory, BoardNote, BoardVote):
            assert s.scalar(select(func.count()).where(model.atelier_id == aid)) == 0


def test_merge_moves_votes_and_delete_frees_duplicates(app, db):
    with db.session() as s:
        atelier, _, awa, bob = _setup(s)
        p = service.create_prompt(s, atelier, text="Q")
        a = stored_note(s, atelier, awa, p, "A")
        b = stored_note(s, atelier, bob, p, "A bis")
        service.open_vote(s, atelier, prompt_id=p.id, dots=4)
        service.cast_vote(s, atelier, awa, note_id=a.id, dots=1)
        service.cast_vote(s, atelier, awa, note_id=b.id, dots=2)
        service.cast_vote(s, atelier, bob, note_id=b.id, dots=1)
        service.merge_note(s, atelier, note_id=b.id, into_id=a.id)
        assert service.totals(s, atelier) == {a.id: 4}
        with pytest.raises(DomainError) as err:
            service.merge_note(s, atelier, note_id=a.id, into_id=b.id)
        assert err.value.code == "merge_invalid"
        info, freed = service.delete_note(s, atelier, None, note_id=a.id)
        assert [n.id for n in freed] == [b.id] and b.merged_into is None


def test_migration_builds_the_same_schema_as_the_models(db_url, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from workshop.db import Base
    from workshop.migrate import upgrade
    from workshop.model_registry import import_all_models

    import_all_models()
    upgrade(db_url)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [d for d in compare_metadata(ctx, Base.metadata) if "board" in repr(d)]
    engine.dispose()
    assert diff == []


def test_a_resend_gets_its_note_even_once_the_prompt_is_closed(db):
    with db.session() as s:
        atelier, _, awa, bob = _setup(s)
        prompt = service.create_prompt(s, atelier, text="Besoins ?")
        first, created = service.create_note(
            s, atelier, awa, client_id="awa-note-0001", prompt_id=prompt.id, text="Un local"
        )
        assert created
        again, created = service.create_note(
            s, atelier, awa, client_id="awa-note-0001", prompt_id=prompt.id, text="Un local"
        )
        assert not created and again.id == first.id
        service.update_prompt(s, atelier, prompt_id=prompt.id, status="closed")
        # the ack was lost, the phone resends after the close: it gets its note
        late, created = service.create_note(
            s, atelier, awa, client_id="awa-note-0001", prompt_id=prompt.id, text="Un local"
        )
        assert not created and late.id == first.id
        with pytest.raises(DomainError) as err:  # a new note is refused
            service.create_note(
                s, atelier, awa, client_id="awa-note-0002", prompt_id=prompt.id, text="Autre"
            )
        assert err.value.code == "prompt_closed"
        # another participant sending Awa's client id gets nothing of it
        for status in ("closed", "open"):
            service.update_prompt(s, atelier, prompt_id=prompt.id, status=status)
            with pytest.raises(DomainError) as err:
                service.create_note(
                    s, atelier, bob, client_id="awa-note-0001", prompt_id=prompt.id, text="x"
                )
            assert err.value.code == "invalid_client_id"
        stored = select(func.count(BoardNote.id)).where(BoardNote.atelier_id == atelier.id)
        assert s.scalar(stored) == 1


def test_prompt_columns_read_like_the_mapped_prompt(db):
    from workshop.board.models import prompt_columns

    with db.session() as s:
        atelier, *_ = _setup(s)
        prompt = service.create_prompt(s, atelier, text="Besoins ?", colours=["jaune", "bleu"])
        service.update_prompt(s, atelier, prompt_id=prompt.id, approval=True, status="closed")
        row = prompt_columns(s, prompt.id)
        assert row.rules_dict() == prompt.rules_dict()
        assert row.colour_list == prompt.colour_list == ["jaune", "bleu"]
        assert (row.id, row.atelier_id, row.status) == (prompt.id, atelier.id, "closed")
        assert prompt_columns(s, prompt.id + 1000) is None
