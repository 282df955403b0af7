"""Saved modèles on the server: saved from an atelier, listed beside the
shipped ones on every console of the instance, applied, deleted (only by the
atelier that saved them), brought over once from a browser's localStorage;
bad input changes nothing. The migrations that add their table and their
owner, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from sqlalchemy import func, select

from workshop.ateliers import service as atelier_service
from workshop.deroule import service
from workshop.deroule.modeles import modele
from workshop.deroule.models import DerouleActivity, DerouleModele
from workshop.domain.errors import DomainError
from workshop.migrate import upgrade
from workshop.models import Atelier


def db(app):
    return app.extensions["workshop_db"]


def _atelier(s, title="P’tit Déj", template="ptit_dej"):
    a, _ = atelier_service.create_atelier(s, {"title": title})
    if template:
        service.import_document(s, a, modele(template))
    return a


def _count(s):
    return s.scalar(select(func.count(DerouleModele.id)))


def test_save_list_apply_delete(app):
    # on PostgreSQL the tests share one schema: other tests' modèles may be there
    with db(app).session() as s:
        start = _count(s)
        a = _atelier(s)
        row, created = service.save_modele(s, a, "  P’tit Déj maison ")
        assert created and row.name == "P’tit Déj maison"
        [listed] = [m for m in service.modeles_view(s, a) if m["id"] == row.id]
        assert listed == {
            "id": row.id,
            "name": "P’tit Déj maison",
            "title": "P’tit Déj",
            "activities": 4,
            "mine": True,
        }
        mid = row.id
    # another atelier of the instance sees it and builds its déroulé from it
    with db(app).session() as s:
        b = _atelier(s, "Autre atelier", template=None)
        [listed] = [m for m in service.modeles_view(s, b) if m["id"] == mid]
        assert listed["mine"] is False
        made = service.import_document(s, b, service.get_modele(s, mid).document)
        assert [x.type for x in made] == ["welcome", "question", "vote", "close"]
        assert made[1].ref["prompt_id"]  # its question was created for it
        # ... but may neither replace nor delete it
        service.create_activity(s, b, "message", title="Pause")
        for call, code in (
            (lambda: service.save_modele(s, b, "P’tit Déj maison"), "deroule_modele_name_taken"),
            (lambda: service.delete_modele(s, b, mid), "deroule_modele_not_yours"),
        ):
            try:
                call()
            except DomainError as err:
                assert err.code == code
            else:
                raise AssertionError(code)
        assert len(service.get_modele(s, mid).document["activities"]) == 4
        # its owner saving under the same name replaces the déroulé, keeps one modèle
        a = s.get(Atelier, a.id)
        service.create_activity(s, a, "message", title="Pause")
        row, created = service.save_modele(s, a, "P’tit Déj maison")
        assert not created and row.id == mid and len(row.document["activities"]) == 5
        assert _count(s) == start + 1
    with db(app).session() as s:
        a = s.get(Atelier, a.id)
        assert service.delete_modele(s, a, mid) == mid
        assert mid not in [m["id"] for m in service.modeles_view(s, a)]
        assert _count(s) == start
        # the atelier built with it keeps its activities
        b_acts = s.scalar(
            select(func.count(DerouleActivity.id)).where(DerouleActivity.atelier_id == b.id)
        )
        assert b_acts == 5


def test_a_deleted_ateliers_modeles_stay_open_to_every_console(app):
    with db(app).session() as s:
        a = _atelier(s)
        b = _atelier(s, "Autre atelier", template=None)
        row, _ = service.save_modele(s, a, "Orphelin")
        mid = row.id
        s.commit()
    with db(app).session() as s:
        s.delete(s.get(Atelier, a.id))
        s.commit()
    with db(app).session() as s:
        b = s.get(Atelier, b.id)
        assert service.get_modele(s, mid).atelier_id is None
        assert [m["mine"] for m in service.modeles_view(s, b) if m["id"] == mid] == [True]
        assert service.delete_modele(s, b, mid) == mid


def test_a_modele_holds_no_contribution(app):
    from workshop.board.models import BoardNote

    with db(app).session() as s:
        a = _atelier(s)
        prompt_id = service.activities(s, a)[1].ref["prompt_id"]
        s.add(
            BoardNote(
                atelier_id=a.id,
                prompt_id=prompt_id,
                client_id="note-modele-01",
                text="Une contribution privée",
                colour="jaune",
                status="visible",
            )
        )
        s.flush()
        row, _ = service.save_modele(s, a, "Sans contributions")
        text = repr(row.document)
        assert "Une contribution privée" not in text and "prompt_id" not in text
        assert row.document["format"] == "workshop-deroule"


def test_bring_over_from_the_browser_once(app):
    doc = modele("portrait_croise")
    with db(app).session() as s:
        start = _count(s)
        a = _atelier(s, template=None)
        row, created = service.import_modele(s, a, "Portrait de Mulhouse", doc)
        assert created and row.atelier_id == a.id
        again, created = service.import_modele(s, a, "Portrait de Mulhouse", modele("ptit_dej"))
        assert not created and again.id == row.id  # the server's one is kept
        assert again.document["title"] == doc["title"]
        assert _count(s) == start + 1


def test_bad_input_creates_nothing(app):
    bad_docs = [
        ({"nom": "x"}, "deroule_not_a_file", None),
        (
            {"format": "workshop-deroule", "version": 99, "activities": []},
            "deroule_newer_version",
            None,
        ),
        (
            {
                "format": "workshop-deroule",
                "version": 1,
                "activities": [{"type": "karaoke", "title": "x"}],
            },
            "deroule_file_unknown_type",
            "activities[1].type",
        ),
        (
            {
                "format": "workshop-deroule",
                "version": 1,
                "activities": [{"type": "vote", "title": "Vote", "settings": {"dots": 99}}],
            },
            "deroule_bad_field",
            "activities[1].settings.dots",
        ),
        (
            {"format": "workshop-deroule", "version": 1, "activities": []},
            "deroule_modele_empty",
            None,
        ),
    ]
    with db(app).session() as s:
        start = _count(s)
        empty = _atelier(s, "Vide", template=None)
        a = _atelier(s)
        for doc, code, field in bad_docs:
            try:
                service.import_modele(s, a, "Modèle", doc)
            except DomainError as err:
                assert err.code == code, (doc, err.code)
                if field:
                    assert err.params["field"] == field
            else:
                raise AssertionError(doc)
        for name, code in (
            ("", "text_empty"),
            ("   ", "text_empty"),
            ("x" * 81, "text_too_long"),
            (None, "text_empty"),
            (42, "text_invalid"),
        ):
            try:
                service.save_modele(s, a, name)
            except DomainError as err:
                assert err.code == code
            else:
                raise AssertionError(name)
        try:
            service.save_modele(s, empty, "Rien")
        except DomainError as err:
            assert err.code == "deroule_modele_empty"
        for mid in (10**9, "1", None):
            try:
                service.delete_modele(s, a, mid)
            except DomainError as err:
                assert err.code == "deroule_unknown_modele"
            else:
                raise AssertionError(mid)
        assert _count(s) == start


def test_at_most_max_modeles(app, monkeypatch):
    from workshop.domain import deroule as rules

    with db(app).session() as s:
        start = _count(s)
    monkeypatch.setattr(rules, "MAX_MODELES", start + 2)
    with db(app).session() as s:
        a = _atelier(s)
        service.save_modele(s, a, "Un")
        service.save_modele(s, a, "Deux")
        service.save_modele(s, a, "Deux")  # replacing is still allowed
        try:
            service.save_modele(s, a, "Trois")
        except DomainError as err:
            assert err.code == "deroule_modele_too_many" and err.params["max"] == start + 2
        else:
            raise AssertionError("a third modèle")
        assert _count(s) == start + 2


def test_the_migration_adds_the_table_and_keeps_every_row(fresh_db_url):
    """On a database at the previous head of the déroulé branch: the table
    appears, empty, and nothing else changes."""
    from alembic.script import ScriptDirectory
    from test_deroule_migration import rows

    from workshop.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    heads = [h for h in script.get_heads() if h != "0014_deroule_modele_owner"]
    assert "0014_deroule_modele_owner" in script.get_heads()
    for rev in heads + ["0006_deroule"]:
        upgrade(fresh_db_url, rev)
    engine = sa.create_engine(fresh_db_url)
    try:
        assert "deroule_modele" not in sa.inspect(engine).get_table_names()
        from sqlalchemy.orm import Session

        with Session(engine) as s:
            a, _ = atelier_service.create_atelier(s, {"title": "Avant les modèles"})
            service.import_document(s, a, modele("ptit_dej"))
            s.commit()
        before = rows(engine, skip=("alembic_version",))
        upgrade(fresh_db_url, "heads")
        after = rows(engine, skip=("alembic_version",))
        assert after.pop("deroule_modele") == []
        assert after == before
        cols = {c["name"]: c for c in sa.inspect(engine).get_columns("deroule_modele")}
        assert set(cols) == {"id", "name", "document", "created_at", "updated_at", "atelier_id"}
        assert cols["atelier_id"]["nullable"]
        [fk] = sa.inspect(engine).get_foreign_keys("deroule_modele")
        assert fk["referred_table"] == "atelier" and fk["options"].get("ondelete") == "SET NULL"
        assert not cols["name"]["nullable"]
        uniques = sa.inspect(engine).get_unique_constraints("deroule_modele")
        assert [u["column_names"] for u in uniques] == [["name"]]
        with Session(engine) as s:
            a = s.scalar(select(Atelier))
            row, created = service.save_modele(s, a, "Après la migration")
            s.commit()
            assert created and row.id
    finally:
        engine.dispose()
