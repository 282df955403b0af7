"""The déroulé on the database: building it, running it, files, copies, bad input."""

import pytest
from sqlalchemy import func, select

from workshop.ateliers import service as atelier_service
from workshop.board.models import BoardNote, BoardPrompt
from workshop.codev.models import CodevGroup
from workshop.deroule import service
from workshop.deroule.modeles import MODELES, modele
from workshop.deroule.models import DerouleActivity
from workshop.domain.errors import DomainError
from workshop.models import Atelier


def db(app):
    return app.extensions["workshop_db"]


def test_migration_builds_the_models_schema(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from workshop.db import Base

    with db(app).engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "deroule" in repr(d)] == []


@pytest.fixture
def atelier_id(app):
    with db(app).session() as s:
        atelier, _ = atelier_service.create_atelier(s, {"title": "P’tit Déj"})
        return atelier.id


def rows(s, aid):
    return list(
        s.scalars(
            select(DerouleActivity)
            .where(DerouleActivity.atelier_id == aid)
            .order_by(DerouleActivity.position)
        )
    )


def snapshot(s, aid):
    """Every déroulé row and board/codev count of the atelier (to prove nothing changed)."""
    acts = [(a.id, a.position, a.type, a.title, a.duration_min, a.settings) for a in rows(s, aid)]
    st = service.get_state(s, s.get(Atelier, aid))
    prompts = s.scalar(select(func.count(BoardPrompt.id)).where(BoardPrompt.atelier_id == aid))
    groups = s.scalar(select(func.count(CodevGroup.id)).where(CodevGroup.atelier_id == aid))
    return acts, (st.current_id, st.overlay), prompts, groups


def test_modeles_create_their_activities_and_capability_rows(app, atelier_id):
    with db(app).session() as s:
        a = s.get(Atelier, atelier_id)
        service.import_document(s, a, modele("journee_cooperations"))
        acts = rows(s, atelier_id)
        assert [x.type for x in acts] == ["welcome", "message", "codev", "message", "close"]
        codev = acts[2]
        groups = [s.get(CodevGroup, i) for i in codev.ref["group_ids"]]
        assert [(g.name, g.room, g.colour) for g in groups] == [
            ("Co-développement", "Salle Chardon", "bleu"),
            ("Coop ou pas coop", "Salle Myrtilles", "rouge"),
            ("Anarchaise", "Espace Lorraine", "jaune"),
            ("Serious Game", "Salle Gruber", "vert"),
        ]
        assert service.room_group(s, a, 3) == groups[2].id
        assert service.room_group(s, a, 5) is None
    for key in MODELES:
        with db(app).session() as s:
            other, _ = atelier_service.create_atelier(s, {"title": key})
            assert service.import_document(s, other, modele(key))


def test_navigation_question_then_vote_drives_the_board(app, atelier_id):
    with db(app).session() as s:
        a = s.get(Atelier, atelier_id)
        service.import_document(s, a, modele("ptit_dej"))
        welcome, question, vote, close = rows(s, atelier_id)
        prompt = s.get(BoardPrompt, question.ref["prompt_id"])
        assert prompt.status == "closed" and not prompt.on_screen  # prepared, not open yet
        assert service.go(s, a, delta=1, now=0).id == welcome.id
        assert a.scene == "home"
        assert service.go(s, a, delta=1, now=120_000).id == question.id
        assert a.scene == "board" and prompt.status == "open" and prompt.on_screen
        assert service.go(s, a, delta=1, now=1_800_000).id == vote.id
        assert prompt.status == "closed" and prompt.vote_status == "open"
        view = service.view(s, a, now=1_800_000)
        assert view["current_id"] == vote.id
        # accueil 2 min instead of 10 (-8), question 28 min instead of 20 (+8): on time
        assert view["drift_ms"] == 0
        view = service.view(s, a, now=1_800_000 + 13 * 60_000)  # vote 3 min over
        assert view["drift_ms"] == 3 * 60_000
        by_id = {x["id"]: x for x in view["activities"]}
        assert by_id[vote.id]["prompt_id"] == prompt.id and by_id[vote.id]["open"]
        assert by_id[question.id]["open"] is False  # closed for writing by the vote
        assert service.go(s, a, delta=1, now=1_900_000).id == close.id and a.scene == "close"
        assert service.go(s, a, delta=-1, now=2_000_000).id == vote.id


def test_bad_input_changes_nothing(app, atelier_id):
    with db(app).session() as s:
        a = s.get(Atelier, atelier_id)
        service.import_document(s, a, modele("ptit_dej"))
        ids = [x.id for x in rows(s, atelier_id)]
        service.go(s, a, target_id=ids[-1])
    cases = [
        ("deroule_bad_order", lambda s, a: service.reorder(s, a, ids[:-1])),
        ("deroule_bad_order", lambda s, a: service.reorder(s, a, ids[:-1] + [ids[0]])),
        ("deroule_bad_order", lambda s, a: service.reorder(s, a, ids + [999])),
        ("deroule_delete_current", lambda s, a: service.delete_activity(s, a, ids[-1])),
        ("deroule_at_end", lambda s, a: service.go(s, a, delta=1)),
        ("deroule_activity_not_found", lambda s, a: service.go(s, a, target_id=10**9)),
        ("deroule_not_a_file", lambda s, a: service.import_document(s, a, {"nom": "x"})),
        (
            "deroule_newer_version",
            lambda s, a: service.import_document(
                s, a, {"format": "workshop-deroule", "version": 99, "activities": []}
            ),
        ),
        (
            "deroule_file_unknown_type",
            lambda s, a: service.import_document(
                s,
                a,
                {
                    "format": "workshop-deroule",
                    "version": 1,
                    "activities": [
                        {"type": "message", "title": "ok"},
                        {"type": "karaoke", "title": "?"},
                    ],
                },
            ),
        ),
        (
            "deroule_bad_field",
            lambda s, a: service.import_document(
                s,
                a,
                {
                    "format": "workshop-deroule",
                    "version": 1,
                    "activities": [
                        {"type": "question", "title": "Q", "settings": {"prompt": "Q ?"}},
                        {"type": "vote", "title": "V", "settings": {"dots": 500}},
                    ],
                },
            ),
        ),
        ("deroule_unknown_type", lambda s, a: service.create_activity(s, a, "karaoke")),
        (
            "deroule_bad_duration",
            lambda s, a: service.create_activity(s, a, "message", duration_min=-5),
        ),
    ]
    for code, fn in cases:
        with db(app).session() as s:
            before = snapshot(s, atelier_id)
        with pytest.raises(DomainError) as err, db(app).session() as s:
            fn(s, s.get(Atelier, atelier_id))
        assert err.value.code == code, (code, err.value)
        with db(app).session() as s:
            assert snapshot(s, atelier_id) == before, code
    # the bad field is named
    with db(app).session() as s, pytest.raises(DomainError) as err:
        service.import_document(
            s,
            s.get(Atelier, atelier_id),
            {
                "format": "workshop-deroule",
                "version": 1,
                "activities": [{"type": "vote", "title": "V", "settings": {"dots": 500}}],
            },
        )
    assert err.value.params["field"] == "activities[1].settings.dots"
    with db(app).session() as s:
        a = s.get(Atelier, atelier_id)
        service.go(s, a, target_id=ids[0])
    with db(app).session() as s, pytest.raises(DomainError) as err:
        service.go(s, s.get(Atelier, atelier_id), delta=-1)
    assert err.value.code == "deroule_at_start"


def test_edit_reorder_duplicate_delete(app, atelier_id):
    with db(app).session() as s:
        a = s.get(Atelier, atelier_id)
        m = service.create_activity(s, a, "message", title="Pause", settings={"text": "Café"})
        q = service.create_activity(s, a, "question", settings={"prompt": "Vos idées ?"})
        w = service.create_activity(s, a, "welcome", after_id=None)
        service.reorder(s, a, [w.id, m.id, q.id])
        assert [x.id for x in rows(s, atelier_id)] == [w.id, m.id, q.id]
        d = service.duplicate_activity(s, a, q.id)
        assert [x.id for x in rows(s, atelier_id)] == [w.id, m.id, q.id, d.id]
        assert d.ref["prompt_id"] != q.ref["prompt_id"]  # its own prompt
        service.update_activity(s, a, q.id, settings={"prompt": "Vos idées pour 2026 ?"})
        assert s.get(BoardPrompt, q.ref["prompt_id"]).text == "Vos idées pour 2026 ?"
        with pytest.raises(DomainError) as err:
            service.update_activity(s, a, q.id, settings={"couleur": "rouge"})
        assert err.value.params["field"] == "settings.couleur"
        service.delete_activity(s, a, m.id)
        assert [x.position for x in rows(s, atelier_id)] == [0, 1, 2]


def test_export_import_round_trip_and_copy_without_contributions(app, atelier_id):
    with db(app).session() as s:
        a = s.get(Atelier, atelier_id)
        service.import_document(s, a, modele("portrait_croise"))
        q = rows(s, atelier_id)[1]
        s.add(
            BoardNote(
                atelier_id=a.id,
                prompt_id=q.ref["prompt_id"],
                client_id="note-000001",
                text="Un besoin",
                colour="jaune",
                status="visible",
            )
        )
        doc = service.export_document(s, a)
        assert doc["format"] == "workshop-deroule" and doc["version"] == 1
        copy, secret = service.copy_atelier(s, a)
        copy_id = copy.id
    with db(app).session() as s:
        copy_acts = rows(s, copy_id)
        assert [(x.type, x.title, x.settings) for x in copy_acts] == [
            (x["type"], x["title"], x["settings"]) for x in doc["activities"]
        ]
        notes = s.scalar(select(func.count(BoardNote.id)).where(BoardNote.atelier_id == copy_id))
        assert notes == 0
        assert (
            service.export_document(s, s.get(Atelier, copy_id))["activities"] == doc["activities"]
        )


def test_demo_deroule(app):
    from workshop.demo import ensure_demo

    code, _ = ensure_demo(app)
    ensure_demo(app)  # idempotent
    with db(app).session() as s:
        a = atelier_service.find_atelier(s, code)
        import datetime as dt

        assert a.date == dt.date.today()
        acts = rows(s, a.id)
        types = [x.type for x in acts]
        # the demo opens with its word cloud and a quick poll (issue 18)
        assert types[:4] == ["welcome", "cloud", "poll", "message"] and types[-1] == "close"
        assert {"question", "vote", "codev", "map"} <= set(types)
        assert len(types) == len(set(x.id for x in acts))
        notes = s.scalar(select(func.count(BoardNote.id)).where(BoardNote.atelier_id == a.id))
        assert notes == 50
        for x in acts:
            service.go(s, a, target_id=x.id)


def test_a_single_group_codev_activity_projects_its_group(app, atelier_id):
    """One group: the main projector shows that group (step, timer, items);
    several groups: the overview."""
    with db(app).session() as s:
        a = s.get(Atelier, atelier_id)
        service.import_document(s, a, modele("journee_cooperations"))
        one = service.create_activity(
            s,
            a,
            "codev",
            title="Un seul groupe",
            settings={"groups": [{"name": "Bleu", "room": "Salle Chardon", "colour": "bleu"}]},
        )
        four = next(x for x in rows(s, atelier_id) if x.type == "codev" and x.id != one.id)
        service.go(s, a, target_id=one.id)
        [gid] = one.ref["group_ids"]
        projected = [
            g.id
            for g in s.scalars(select(CodevGroup).where(CodevGroup.atelier_id == a.id))
            if g.projected
        ]
        assert projected == [gid]
        service.go(s, a, target_id=four.id)
        assert [
            g.id
            for g in s.scalars(select(CodevGroup).where(CodevGroup.atelier_id == a.id))
            if g.projected
        ] == []
