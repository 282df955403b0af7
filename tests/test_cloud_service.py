"""Word cloud and poll services on the database: the migrations build the
models' schema, exports (CSV, XLSX, PNG) follow moderation and never make a
formula, the demo is idempotent."""

import csv
import io
import uuid

from sqlalchemy import func, select


def db(app):
    return app.extensions["workshop_db"]


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
        diff = [
            d
            for d in compare_metadata(ctx, Base.metadata)
            if "cloud" in repr(d) or "poll" in repr(d)
        ]
    engine.dispose()
    assert diff == []


def _atelier(s):
    from workshop.ateliers import service as atelier_service

    atelier, _secret = atelier_service.create_atelier(
        s, {"title": "Essai", "allow_anonymous": True}
    )
    s.flush()
    return atelier


def _participant(s, atelier, name):
    from workshop.ateliers import service as atelier_service

    p, _token = atelier_service.join(s, atelier, name)
    s.flush()
    return p


def test_exports_follow_moderation_and_stay_text(app):
    from openpyxl import load_workbook
    from PIL import Image

    from workshop.cloud import exports, service
    from workshop.domain.cloud import group_key

    with db(app).session() as s:
        atelier = _atelier(s)
        act = service.create_activity(s, atelier, {"question": "Un mot ?"})
        people = [_participant(s, atelier, f"P{i}") for i in range(4)]
        for p, text in zip(people, ["vélo", "bicyclette", "=HYPERLINK(1)", "Vélos"], strict=True):
            service.add_answer(s, atelier, act.id, str(uuid.uuid4()), text, p)
        service.merge_word(s, atelier, act.id, "bicyclette", "velo")
        service.hide_word(s, atelier, act.id, group_key("=HYPERLINK(1)"), True)
        clouds = exports.collect(s, atelier)
    rows = list(csv.reader(io.StringIO(exports.to_csv(clouds).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["question", "mot", "nombre", "réponses"]
    assert rows[1:] == [["Un mot ?", "vélo", "3", "Vélos, bicyclette, vélo"]]
    wb = load_workbook(io.BytesIO(exports.to_xlsx(clouds)))
    assert [c.value for c in wb.active[2]] == ["Un mot ?", "vélo", 3, "Vélos, bicyclette, vélo"]
    png = exports.to_png(clouds[0]["layout"])
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size[0] > 1000
    # a formula stays text
    assert (
        exports.to_csv(
            [{**clouds[0], "words": [{"label": "=1+1", "count": 1, "spellings": [("=1+1", 1)]}]}]
        )
        .decode("utf-8-sig")
        .splitlines()[1]
        .split(";")[1]
        == "'=1+1"
    )


def test_poll_export_rows(app):
    from workshop.poll import exports, service

    with db(app).session() as s:
        atelier = _atelier(s)
        single = service.create_poll(
            s, atelier, {"question": "Q1 ?", "kind": "single", "options": ["Oui", "Non"]}
        )
        scale = service.create_poll(
            s,
            atelier,
            {
                "question": "Q2 ?",
                "kind": "scale",
                "scale_max": 5,
                "label_low": "bof",
                "label_high": "top",
            },
        )
        for i, p in enumerate(_participant(s, atelier, f"P{i}") for i in range(3)):
            service.vote(s, atelier, single.id, str(uuid.uuid4()), p, choices=[1 if i else 2])
            service.vote(s, atelier, scale.id, str(uuid.uuid4()), p, value=i + 3)
        rows = list(exports.rows(exports.collect(s, atelier)))
    assert rows[0] == ["Q1 ?", "choix unique", "Oui", 2, 67, 3]
    assert rows[1] == ["Q1 ?", "choix unique", "Non", 1, 33, 3]
    assert rows[2] == ["Q2 ?", "échelle", "1 (bof)", 0, 0, 3]
    assert rows[6] == ["Q2 ?", "échelle", "5 (top)", 1, 33, 3]
    assert rows[7] == ["Q2 ?", "échelle", "moyenne", 4.0, "", 3]


def test_demo_is_idempotent_and_groups_its_spellings(app):
    from workshop.cloud import service
    from workshop.cloud.demo import ANSWERS
    from workshop.cloud.models import CloudAnswer
    from workshop.demo import ensure_demo
    from workshop.poll.models import PollBallot

    code, _ = ensure_demo(app)
    ensure_demo(app)
    with db(app).session() as s:
        from workshop.ateliers import service as atelier_service

        atelier = atelier_service.find_atelier(s, code)
        assert s.scalar(
            select(func.count(CloudAnswer.id)).where(CloudAnswer.atelier_id == atelier.id)
        ) == len(ANSWERS)
        assert (
            s.scalar(select(func.count(PollBallot.id)).where(PollBallot.atelier_id == atelier.id))
            > 20
        )
        act = service.activities(s, atelier)[0]
        words = {w.label: w.count for w in service.words(s, act)}
    assert 35 <= len(ANSWERS) <= 45
    assert words["Entraide"] == 6  # « entr'aide » included (an elision inside the word)
    assert words["Solidarité"] == 4 and words["Réseau"] == 3


def test_word_keys_lose_their_spaces_in_the_migration(fresh_db_url):
    """Answers and moderation stored with the old keys (words joined by
    spaces) follow the new rule: two moderated words that become one keep
    one row (hidden if either was); a merge into itself is dropped."""
    import sqlalchemy as sa

    from workshop.domain.cloud import group_key
    from workshop.migrate import upgrade

    sys_path_tests = __import__("pathlib").Path(__file__).parent
    __import__("sys").path.insert(0, str(sys_path_tests))
    from test_client_id_migration import _fill

    upgrade(fresh_db_url, "0010_cloud")
    engine = sa.create_engine(fresh_db_url)
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    with engine.begin() as conn:
        aid = _fill(conn, meta.tables["atelier"], code="MIGR18")
        act = _fill(conn, meta.tables["cloud_activity"], atelier_id=aid)
        for i, (text, key) in enumerate(
            [
                ("entr’aide", "entr aide"),
                ("entraide", "entraide"),
                ("Vivre-ensemble", "vivre ensemble"),
            ]
        ):
            _fill(
                conn,
                meta.tables["cloud_answer"],
                atelier_id=aid,
                activity_id=act,
                client_id=f"c-{i}",
                text=text,
                key=key,
            )
        words = meta.tables["cloud_word"]
        for key, hidden, into, label in [
            ("entr aide", False, None, "Entraide"),
            ("entraide", True, "entr aide", None),
            ("vivre ensemble", False, None, None),
        ]:
            _fill(conn, words, atelier_id=aid, activity_id=act, key=key, hidden=hidden,
                  merged_into=into, label=label)  # fmt: skip
    upgrade(fresh_db_url)
    with engine.connect() as conn:
        keys = [r[0] for r in conn.execute(sa.text("SELECT key FROM cloud_answer ORDER BY id"))]
        rows = conn.execute(
            sa.text("SELECT key, hidden, merged_into, label FROM cloud_word ORDER BY id")
        ).all()
    engine.dispose()
    assert keys == [group_key("entr’aide"), group_key("entraide"), group_key("Vivre-ensemble")]
    assert keys == ["entraide", "entraide", "vivreensemble"]
    assert [tuple(r) for r in rows] == [
        ("entraide", True, None, "Entraide"),
        ("vivreensemble", False, None, None),
    ]
