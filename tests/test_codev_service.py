"""Co-développement on the database: schema, service rules, exports, demo."""

import io

import pytest
from sqlalchemy import func, select

from workshop.ateliers import service as atelier_service
from workshop.codev import service
from workshop.codev.models import CodevGroup, CodevItem, CodevMember, CodevTextWrite
from workshop.domain.errors import DomainError


def db(app):
    return app.extensions["workshop_db"]


def test_migration_builds_the_models_schema(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from workshop.db import Base

    with db(app).engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        diff = compare_metadata(ctx, Base.metadata)
    ours = [d for d in diff if "codev" in repr(d)]
    assert ours == []


@pytest.fixture
def world(app):
    with db(app).session() as s:
        atelier, secret = atelier_service.create_atelier(s, {"title": "Journée régionale"})
        people = [
            atelier_service.join(s, atelier, n)[0] for n in ("Nadia", "Karim", "Léa", "Emilie")
        ]
        g = service.create_group(s, atelier, name="Bleu", room="Salle Chardon")
        ids = dict(
            atelier=atelier.id,
            code=atelier.code,
            secret=secret,
            group=g.id,
            people=[p.id for p in people],
        )
    return ids


def _atelier(s, world):
    return atelier_service.get_atelier(s, world["code"])


def _everyone_joins(s, a, world):
    """All four join the group; Nadia is porteur, Emilie animateur."""
    nadia, _, _, emilie = world["people"]
    for pid in world["people"]:
        service.join(s, a, world["group"], pid)
    service.set_role(s, a, nadia, "porteur", actor_pid=nadia)
    service.set_role(s, a, emilie, "animateur", actor_pid=emilie)


def test_session_rules_through_the_service(app, world):
    nadia, karim, lea, emilie = world["people"]
    with db(app).session() as s:
        a = _atelier(s, world)
        _everyone_joins(s, a, world)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_porteur_taken"):
        service.set_role(s, _atelier(s, world), karim, "porteur", actor_pid=karim)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_role_by_animateur"):
        service.set_role(s, _atelier(s, world), lea, "secretaire", actor_pid=karim)
    with db(app).session() as s:
        service.set_role(s, _atelier(s, world), lea, "secretaire", actor_pid=emilie)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_not_animateur"):
        service.control_timer(s, _atelier(s, world), 0, action="start", actor_pid=karim)
    with db(app).session() as s:
        g, before = service.control_timer(
            s, _atelier(s, world), 1_000, action="start", actor_pid=emilie
        )
        assert (before, g.status, g.deadline_ms) == ("setup", "running", 301_000)
    # closed once started
    with db(app).session() as s:
        a = _atelier(s, world)
        late, _ = atelier_service.join(s, a, "Tardif")
        late_id = late.id
    with db(app).session() as s, pytest.raises(DomainError, match="codev_group_closed"):
        service.join(s, _atelier(s, world), world["group"], late_id)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_roles_locked"):
        service.set_role(s, _atelier(s, world), karim, "secretaire")
    # exactly once
    with db(app).session() as s:
        a = _atelier(s, world)
        service.write(
            s, a, nadia, kind="subject", text="Parcours changeants", client_id="subject-01"
        )
        service.control_timer(s, a, 2_000, action="next", actor_pid=emilie)
        service.control_timer(s, a, 3_000, action="next", actor_pid=emilie)
        _, _, item, created = service.write(
            s, a, karim, kind="question", text="Combien de jeunes ?", client_id="client-01"
        )
        assert created
    with db(app).session() as s:
        _, _, again, created = service.write(
            s, _atelier(s, world), karim, kind="question", text="autre", client_id="client-01"
        )
        assert not created and again.text == "Combien de jeunes ?"
        n = s.scalar(
            select(func.count())
            .select_from(CodevItem)
            .where(CodevItem.atelier_id == world["atelier"])
        )
        assert n == 1
    with db(app).session() as s, pytest.raises(DomainError, match="codev_only_contributors"):
        service.write(
            s, _atelier(s, world), nadia, kind="question", text="?", client_id="write-0001"
        )
    with db(app).session() as s, pytest.raises(DomainError, match="codev_not_in_group"):
        service.write(
            s,
            _atelier(s, world),
            karim,
            kind="question",
            text="?",
            group_id=999,
            client_id="write-0002",
        )
    with db(app).session() as s:
        qid = s.scalar(select(CodevItem.id).where(CodevItem.atelier_id == world["atelier"]))
        service.answer(s, _atelier(s, world), nadia, item_id=qid, text="Quinze")
    with db(app).session() as s, pytest.raises(DomainError, match="codev_only_porteur"):
        service.answer(s, _atelier(s, world), karim, item_id=qid, text="moi")
    with db(app).session() as s, pytest.raises(DomainError, match="codev_item_not_found"):
        service.retain(s, _atelier(s, world), nadia, item_id=qid)
    with db(app).session() as s:
        a = _atelier(s, world)
        service.control_timer(s, a, 4_000, action="next", actor_pid=emilie)
        _, _, prop, _ = service.write(
            s, a, karim, kind="proposal", text="Des parrains", client_id="write-0003"
        )
        pid = prop.id
    with db(app).session() as s, pytest.raises(DomainError, match="codev_porteur_listens"):
        service.write(
            s, _atelier(s, world), nadia, kind="proposal", text="moi aussi", client_id="write-0004"
        )
    with db(app).session() as s, pytest.raises(DomainError, match="codev_only_secretary"):
        service.write(
            s, _atelier(s, world), karim, kind="note", text="note", client_id="write-0005"
        )
    with db(app).session() as s:
        a = _atelier(s, world)
        service.write(
            s, a, lea, kind="note", text="Le porteur semble soulagé", client_id="write-0006"
        )
        service.control_timer(s, a, 5_000, action="next", actor_pid=emilie)
        service.retain(s, a, nadia, item_id=pid, retained=True)
        service.write(
            s, a, nadia, kind="action_plan", text="Appeler deux entreprises", client_id="write-0007"
        )
        g = service.get_group(s, a, world["group"])
        summ = service.summary(s, a, g)
    assert summ["subject"] == "Parcours changeants"
    assert summ["questions"] == [
        {"text": "Combien de jeunes ?", "answer": "Quinze", "author": "Karim"}
    ]
    assert summ["proposals"][0]["retained"] and summ["porteur"] == "Nadia"
    assert summ["action_plan"] == "Appeler deux entreprises"


def test_group_full_and_move_and_limits(app, world):
    nadia, karim, lea, emilie = world["people"]
    with db(app).session() as s:
        a = _atelier(s, world)
        service.update_group(s, a, group_id=world["group"], max_members=2)
        other = service.create_group(s, a, name="Rouge", colour="rouge")
        other_id = other.id
        service.join(s, a, world["group"], nadia)
        service.join(s, a, world["group"], karim)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_group_full"):
        service.join(s, _atelier(s, world), world["group"], lea)
    with db(app).session() as s:
        m, left = service.join(s, _atelier(s, world), other_id, karim)
        assert (m.group_id, left) == (other_id, world["group"])
    with db(app).session() as s:
        service.join(s, _atelier(s, world), world["group"], lea)
        n = s.scalar(
            select(func.count())
            .select_from(CodevMember)
            .where(CodevMember.atelier_id == world["atelier"])
        )
        assert n == 3
    with db(app).session() as s, pytest.raises(DomainError, match="codev_group_not_found"):
        service.join(s, _atelier(s, world), 10**9, lea)


def test_other_atelier_ids_are_refused(app, world):
    with db(app).session() as s:
        other, _ = atelier_service.create_atelier(s, {"title": "Autre"})
        stranger, _ = atelier_service.join(s, other, "Zoé")
        sid = stranger.id
    with db(app).session() as s, pytest.raises(DomainError, match="participant_not_found"):
        service.join(s, _atelier(s, world), world["group"], sid)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_group_not_found"):
        from workshop.models import Atelier

        other = s.scalar(select(Atelier).where(Atelier.title == "Autre"))
        service.get_group(s, other, world["group"])
    # a member of this atelier's group acting through another atelier
    nadia = world["people"][0]
    with db(app).session() as s:
        service.join(s, _atelier(s, world), world["group"], nadia)
        service.set_role(s, _atelier(s, world), nadia, "animateur", actor_pid=nadia)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_not_member"):
        other = s.scalar(select(Atelier).where(Atelier.title == "Autre"))
        service.control_timer(s, other, 0, action="start", actor_pid=nadia)
    with db(app).session() as s, pytest.raises(DomainError, match="codev_not_member"):
        other = s.scalar(select(Atelier).where(Atelier.title == "Autre"))
        service.write(s, other, nadia, kind="note", text="x", client_id="note-0001")


def test_deleting_the_atelier_deletes_everything(app, world):
    nadia = world["people"][0]
    with db(app).session() as s:
        a = _atelier(s, world)
        service.join(s, a, world["group"], nadia)
    with db(app).session() as s:
        atelier_service.delete_atelier(s, _atelier(s, world))
    with db(app).session() as s:
        for model in (CodevGroup, CodevMember, CodevItem):
            n = s.scalar(
                select(func.count()).select_from(model).where(model.atelier_id == world["atelier"])
            )
            assert n == 0


def _demo_atelier(app):
    """An atelier with the codev demo loaded twice (the loader is idempotent)."""
    from workshop.codev import CAPABILITY

    with db(app).session() as s:
        atelier, secret = atelier_service.create_atelier(s, {"title": "Démo"})
        CAPABILITY.demo(s, atelier)
        code = atelier.code
    with db(app).session() as s:
        CAPABILITY.demo(s, atelier_service.get_atelier(s, code))
    return code, secret


def test_summary_downloads(app, client):
    code, secret = _demo_atelier(app)
    with db(app).session() as s:
        a = atelier_service.get_atelier(s, code)
        groups = service.groups(s, a)
        assert [g.name for g in groups] == ["Bleu – Salle Chardon"]
        g = groups[0]
        assert (g.room, g.colour) == ("Salle Chardon", "bleu")
        assert "En route vers l’insertion" in g.subject
        mem = service.members(s, a, g.id)
        assert len(mem) == 8 and sum(m["role"] == "porteur" for m in mem) == 1
        gid = g.id
        porteur_id = next(m["participant_id"] for m in mem if m["role"] == "porteur")
        # give the porteur a device token we know, to test the phone download
        from workshop.domain.codes import hash_secret
        from workshop.models import Participant

        s.get(Participant, porteur_id).token_hash = hash_secret("porteur-token")
        contrib = next(m["participant_id"] for m in mem if m["role"] == "contributeur")
        s.get(Participant, contrib).token_hash = hash_secret("contrib-token")
    base = f"/a/{code}/console/{secret}/codev/{gid}/summary"
    r = client.get(base + ".md")
    assert r.status_code == 200 and r.mimetype == "text/markdown"
    md = r.get_data(as_text=True)
    assert "# Synthèse de co-développement\u00a0: Bleu – Salle Chardon" in md
    assert "En route vers l’insertion" in md and "Quinze" not in md
    assert "attachment" in r.headers["Content-Disposition"]
    r = client.get(base + ".html")
    assert r.status_code == 200 and "Parcours" not in r.get_data(as_text=True)[:10]
    assert "<script" not in r.get_data(as_text=True)
    r = client.get(base + ".pdf")
    assert r.status_code == 200 and r.data[:4] == b"%PDF"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    assert "Salle Chardon" in text and "insertion" in text
    assert client.get(base.replace(secret, "forged") + ".md").status_code == 403
    assert client.get(base + ".exe").status_code == 400
    # phone: token in a header, porteur only
    r = client.get(f"/a/{code}/codev/summary.md", headers={"X-Workshop-Token": "porteur-token"})
    assert r.status_code == 200 and "Synthèse" in r.get_data(as_text=True)
    r = client.get(f"/a/{code}/codev/summary.pdf", headers={"X-Workshop-Token": "contrib-token"})
    assert r.status_code == 400 and r.json["error"] == "codev_summary_porteur"
    r = client.get(f"/a/{code}/codev/summary.md")
    assert r.status_code == 403 and r.json["error"] == "bad_token"


def test_summary_markdown_puts_retained_first():
    from workshop.codev.summary import filename, to_markdown

    data = {
        "atelier": "A",
        "date": None,
        "group": "Bleu – Salle Chardon",
        "room": None,
        "template": "T",
        "porteur": "Nadia",
        "members": [],
        "subject": "S",
        "contract": None,
        "questions": [{"text": "Q", "answer": None, "author": None}],
        "proposals": [
            {"text": "R", "retained": True, "author": None},
            {"text": "N", "retained": False, "author": None},
        ],
        "action_plan": None,
        "learnings": [],
        "notes": [],
    }
    md = to_markdown(data)
    assert md.index("[x] R") < md.index("[ ] N")
    assert "(pas de réponse)" in md
    assert filename(data, "pdf") == "codev-bleu-salle-chardon.pdf"


def test_pages_render_the_codev_partials(app, client):
    code, secret = _demo_atelier(app)
    for url, marker in [
        (f"/a/{code}/console/{secret}", b'id="codev-console"'),
        (f"/a/{code}/projection", b'data-scene="codev"'),
        (f"/a/{code}/p", b'id="codev-phone"'),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert marker in r.data and b'id="codev-i18n"' in r.data
        assert b"style=" not in r.data.split(b'id="codev-i18n"')[0][-3000:]


def test_same_client_id_arriving_twice_at_once_is_stored_once(app, world, monkeypatch):
    """Two copies of one item racing (a resend while the first is being
    stored): the second sees no item by its client_id, then its insert finds
    the first one's row and returns that one."""
    nadia, karim, lea, emilie = world["people"]
    with db(app).session() as s:
        a = _atelier(s, world)
        _everyone_joins(s, a, world)
        service.control_timer(s, a, 1_000, action="start", actor_pid=emilie)
        for at in (2_000, 3_000):
            service.control_timer(s, a, at, action="next", actor_pid=emilie)
    payload = {"kind": "question", "text": "Combien de jeunes ?", "client_id": "race-0001"}
    with db(app).session() as s:
        _, _, first, created = service.write(s, _atelier(s, world), karim, **payload)
        assert created and first.text == "Combien de jeunes ?"
    lookups = []
    real_find = service.find_by_client_id

    def find_late(s, atelier, client_id, actor_pid):  # the first lookup misses the other copy
        lookups.append(client_id)
        return None if len(lookups) == 1 else real_find(s, atelier, client_id, actor_pid)

    monkeypatch.setattr(service, "find_by_client_id", find_late)
    with db(app).session() as s:
        _, _, again, created = service.write(
            s, _atelier(s, world), karim, **dict(payload, text="b")
        )
        assert not created and again.id == first.id and again.text == "Combien de jeunes ?"
    lookups.clear()
    with db(app).session() as s, pytest.raises(DomainError, match="invalid_client_id"):
        service.write(s, _atelier(s, world), lea, **dict(payload, text="c"))  # not Léa's item
    with db(app).session() as s:
        stored = s.scalars(select(CodevItem).where(CodevItem.client_id == "race-0001")).all()
        assert [i.text for i in stored] == ["Combien de jeunes ?"]


def test_a_group_text_resent_after_a_newer_one_is_not_applied_again(app, world):
    """The porteur writes the subject twice; the first write's copy arrives
    again afterwards (an outbox replayed on a poor network): the subject
    stays the newer text, the resend is answered as a duplicate, and the
    same client id from another participant is refused."""
    nadia, karim, _, emilie = world["people"]
    with db(app).session() as s:
        a = _atelier(s, world)
        _everyone_joins(s, a, world)
        service.control_timer(s, a, 1_000, action="start", actor_pid=emilie)
    first = {"kind": "subject", "text": "Premier sujet", "client_id": "subject-a1"}
    with db(app).session() as s:
        _, kind, texts, created = service.write(s, _atelier(s, world), nadia, **first)
        assert created and kind == "subject" and texts["subject"] == "Premier sujet"
    with db(app).session() as s:
        _, _, texts, created = service.write(
            s,
            _atelier(s, world),
            nadia,
            kind="subject",
            text="Sujet précisé",
            client_id="subject-a2",
        )
        assert created and texts["subject"] == "Sujet précisé"
    with db(app).session() as s:
        _, kind, texts, created = service.write(s, _atelier(s, world), nadia, **first)
        assert not created and kind == "subject" and texts["subject"] == "Sujet précisé"
    with db(app).session() as s, pytest.raises(DomainError, match="invalid_client_id"):
        service.write(s, _atelier(s, world), karim, **first)
    with db(app).session() as s:
        group = s.get(CodevGroup, world["group"])
        assert group.subject == "Sujet précisé"
        writes = s.scalars(
            select(CodevTextWrite.client_id)
            .where(CodevTextWrite.atelier_id == _atelier(s, world).id)
            .order_by(CodevTextWrite.id)
        ).all()
        assert writes == ["subject-a1", "subject-a2"]
