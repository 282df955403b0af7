"""Live map: service rules on the database, import, exports read back, demo."""

import io
import json
import uuid
import zipfile

import pytest
from openpyxl import load_workbook
from PIL import Image

import maps
from workshop.ateliers import service as ateliers
from workshop.domain.errors import DomainError
from workshop.livemap import service
from workshop.models import Participant


def _cid():
    return str(uuid.uuid4())


@pytest.fixture
def atelier_ctx(app):
    db = app.extensions["workshop_db"]
    with db.session() as s:
        atelier, secret = ateliers.create_atelier(s, {"title": "Carte test"})
        code = atelier.code
    return app, db, code, secret


def _atelier(s, code):
    return ateliers.find_atelier(s, code)


def _participant(s, atelier, name="Awa"):
    p, _token = ateliers.join(s, atelier, name)
    s.flush()
    return p


def test_pending_until_validated_and_merge_keeps_everything(atelier_ctx):
    app, db, code, _ = atelier_ctx
    with db.session() as s:
        a = _atelier(s, code)
        service.get_settings(s, a).open = True
        p = _participant(s, a)
        x, created = service.create_actor(s, a, p, client_id=_cid(), name="Tubà")
        assert created and x.status == "pending"
        y, _ = service.create_actor(s, a, None, client_id=_cid(), name="Tuba Mulhouse")
        assert y.status == "validated"
        service.add_contribution(
            s, a, p, client_id=_cid(), actor_id=x.id, stage="declencher", text="idées"
        )
        service.add_contribution(
            s, a, None, client_id=_cid(), actor_id=y.id, stage="animer", text="lien"
        )
        service.add_link(s, a, p, client_id=_cid(), source_id=x.id, target_id=y.id)
        m = service.build_actor_map(s, a)
        assert m.n_actors == 1 and m.n_contributions == 1  # pending items do not show
        v = service.get_settings(s, a).version
        service.validate(s, a, "actor", x.id)
        assert service.get_settings(s, a).version > v
        m = service.build_actor_map(s, a)
        assert m.n_actors == 2 and m.n_contributions == 2 and m.n_links == 0
        service.merge(
            s, a, source_id=x.id, target_id=y.id, source_version=x.version, target_version=y.version
        )
        m = service.build_actor_map(s, a)
        assert m.n_actors == 1
        assert sorted(c["text"] for c in m.contributions) == ["idées", "lien"]
        # a second merge of the same duplicate is refused with a clear code
        with pytest.raises(DomainError) as err:
            service.merge(
                s,
                a,
                source_id=x.id,
                target_id=y.id,
                source_version=x.version,
                target_version=y.version,
            )
        assert err.value.code == "livemap_actor_merged"
        assert err.value.params["into"] == "Tuba Mulhouse"


def test_stale_edit_is_a_conflict_and_changes_nothing(atelier_ctx):
    _, db, code, _ = atelier_ctx
    with db.session() as s:
        a = _atelier(s, code)
        x, _ = service.create_actor(s, a, None, client_id=_cid(), name="RNMA")
        c, _ = service.add_contribution(
            s, a, None, client_id=_cid(), actor_id=x.id, stage="organiser", text="appui"
        )
        service.update_contribution(s, a, contribution_id=c.id, version=1, stage="animer")
        with pytest.raises(DomainError) as err:
            service.update_contribution(s, a, contribution_id=c.id, version=1, text="x")
        assert err.value.code == "conflict" and "appui" in err.value.params["current"]
        assert c.text == "appui" and c.stage == "animer"


def test_participant_limits_and_closed_activity(atelier_ctx):
    _, db, code, _ = atelier_ctx
    with db.session() as s:
        a = _atelier(s, code)
        p = _participant(s, a)
        with pytest.raises(DomainError) as err:
            service.create_actor(s, a, p, client_id=_cid(), name="X")
        assert err.value.code == "livemap_closed"
    # another atelier's actor id is refused
    with db.session() as s:
        other, _ = ateliers.create_atelier(s, {"title": "Autre"})
        foreign, _ = service.create_actor(s, other, None, client_id=_cid(), name="Z")
        a = _atelier(s, code)
        with pytest.raises(DomainError) as err:
            service.add_contribution(
                s, a, None, client_id=_cid(), actor_id=foreign.id, stage="animer", text="x"
            )
        assert err.value.code == "livemap_actor_not_found"


def _upload(client, code, secret, files):
    data = {"files": [(io.BytesIO(body), name) for name, body in files]}
    return client.post(
        f"/a/{code}/console/{secret}/livemap/import",
        data=data,
        content_type="multipart/form-data",
    )


def test_import_csv_files_then_export_every_format(atelier_ctx, tmp_path):
    app, db, code, secret = atelier_ctx
    client = app.test_client()
    from workshop.paths import DEMO_DATA_DIR

    files = [
        (f.name, f.read_bytes())
        for f in sorted(DEMO_DATA_DIR.glob("*.csv"))
        if f.name != "postits.csv"
    ]
    res = _upload(client, code, secret, files)
    assert res.status_code == 200, res.json
    assert res.json["counts"]["actors"] == 20 and res.json["counts"]["links"] == 23
    # importing again does not duplicate
    res = _upload(client, code, secret, files)
    assert res.json["counts"] == {"actors": 0, "contributions": 0, "links": 0, "projects": 0}
    base = f"/a/{code}/console/{secret}/livemap/export"
    got = {}
    for fmt in ("png", "svg", "pdf", "gexf", "graphml", "json", "kumu", "workbook", "csv"):
        r = client.get(f"{base}.{fmt}?view=network")
        assert r.status_code == 200, fmt
        assert "attachment" in r.headers["Content-Disposition"]
        got[fmt] = r.data
    Image.open(io.BytesIO(got["png"])).verify()
    assert b"<svg" in got["svg"][:500]
    assert got["pdf"].startswith(b"%PDF")
    assert b"<gexf" in got["gexf"][:500] and b"<graphml" in got["graphml"][:800]
    assert len(json.loads(got["json"])["nodes"]) == 20
    assert "Elements" in load_workbook(io.BytesIO(got["kumu"])).sheetnames
    wb_path = tmp_path / "classeur.xlsx"
    wb_path.write_bytes(got["workbook"])
    again = maps.read_map(wb_path)
    assert again.n_actors == 20 and again.n_links == 23 and again.n_contributions == 19
    names = zipfile.ZipFile(io.BytesIO(got["csv"])).namelist()
    assert "carte/actors.csv" in names
    # the projector image is public by atelier code and cached per version
    r = client.get(f"/a/{code}/livemap/map.png?view=stage")
    Image.open(io.BytesIO(r.data)).verify()
    r = client.get(f"{base}.docx")
    assert r.status_code == 404


def test_bad_import_shows_the_maps_message_and_changes_nothing(atelier_ctx):
    app, db, code, secret = atelier_ctx
    client = app.test_client()
    actors = "id,name\na,Alpha\nb,Bêta\n".encode()
    contributions = "actor_id,stage,text\na,planifier,idées\n".encode()
    res = _upload(
        client, code, secret, [("actors.csv", actors), ("contributions.csv", contributions)]
    )
    assert res.status_code == 400
    body = res.json
    assert body["error"] == "livemap_import_error"
    assert "contributions.csv" in body["message"] and "planifier" in body["message"]
    assert "rien n’a été importé" in body["message"]
    res = _upload(client, code, secret, [("notes.txt", b"x")])
    assert res.status_code == 400 and body["message"]
    res = _upload(client, code, "wrong-secret", [("actors.csv", actors)])
    assert res.status_code == 403
    with db.session() as s:
        assert service.build_actor_map(s, _atelier(s, code)) is None
    r = client.get(f"/a/{code}/console/{secret}/livemap/export.gexf")
    assert r.status_code == 400 and "aucun acteur" in r.get_data(as_text=True)


def test_import_error_in_an_english_atelier_is_english(atelier_ctx):
    app, db, code, secret = atelier_ctx
    with db.session() as s:
        _atelier(s, code).locale = "en"
    actors = "id,name\na,Alpha\nb,Bêta\n".encode()
    contributions = "actor_id,stage,text\na,planifier,idées\n".encode()
    res = _upload(
        app.test_client(),
        code,
        secret,
        [("actors.csv", actors), ("contributions.csv", contributions)],
    )
    assert res.status_code == 400
    detail = res.json["detail"]
    assert detail.startswith("contributions.csv, row 2: unknown stage"), detail
    assert "(value: “planifier”)" in detail and "ligne" not in res.json["message"]


def test_demo_is_idempotent(app):
    from workshop.demo import ensure_demo

    code, _ = ensure_demo(app)
    ensure_demo(app)
    db = app.extensions["workshop_db"]
    with db.session() as s:
        a = _atelier(s, code)
        m = service.build_actor_map(s, a)
        assert (m.n_actors, m.n_contributions, m.n_links) == (20, 19, 23)
        assert service.get_settings(s, a).open


def test_deleting_the_atelier_deletes_its_map(atelier_ctx):
    _, db, code, _ = atelier_ctx
    from sqlalchemy import func, select

    from workshop.livemap.models import LivemapActor, LivemapContribution

    with db.session() as s:
        a = _atelier(s, code)
        x, _ = service.create_actor(s, a, None, client_id=_cid(), name="X")
        service.add_contribution(
            s, a, None, client_id=_cid(), actor_id=x.id, stage="animer", text="t"
        )
        p = _participant(s, a)
        service.get_settings(s, a).open = True
        service.create_actor(s, a, p, client_id=_cid(), name="Y")
    with db.session() as s:
        s.delete(s.get(Participant, p.id))
    with db.session() as s:
        y = s.scalar(select(LivemapActor).where(LivemapActor.name == "Y"))
        assert y.submitted_by is None  # the submission stays, without its author
        atelier_id = _atelier(s, code).id
        ateliers.delete_atelier(s, _atelier(s, code))
    with db.session() as s:
        for model in (LivemapActor, LivemapContribution):
            count = select(func.count(model.id)).where(model.atelier_id == atelier_id)
            assert s.scalar(count) == 0


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
        diff = [d for d in compare_metadata(ctx, Base.metadata) if "livemap" in repr(d)]
    engine.dispose()
    assert diff == []


def test_withdrawn_actor_keeps_only_its_name_and_takes_its_author_contributions(atelier_ctx):
    app, db, code, _ = atelier_ctx
    with db.session() as s:
        a = _atelier(s, code)
        service.get_settings(s, a).open = True
        p = _participant(s, a)
        x, _ = service.create_actor(
            s, a, p, client_id=_cid(), name="Tubà", kind="association", territory="68"
        )
        c, _ = service.add_contribution(
            s, a, p, client_id=_cid(), actor_id=x.id, stage="animer", text="idées"
        )
        service.validate(s, a, "all")
        s.flush()
        # a validated contribution: off the map at once
        done, on_map = service.withdraw(s, a, p.id, "contribution", c.id)
        assert done == {"contribution": c.id} and on_map
        c2, _ = service.add_contribution(
            s, a, p, client_id=_cid(), actor_id=x.id, stage="animer", text="encore"
        )
        done, on_map = service.withdraw(s, a, p.id, "actor", x.id)
        assert on_map and done["contributions"] == [c2.id]
        s.flush()
        assert (x.status, x.name, x.kind, x.territory, x.extra) == ("deleted", "Tubà", "", "", "{}")
        assert service.mine(s, a, p.id) == {"actors": [], "contributions": [], "links": []}
        assert service.build_actor_map(s, a) is None or service.build_actor_map(s, a).n_actors == 0
