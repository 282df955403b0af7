"""The board snapshot cache: a view is reused only while the board's revision
(raised in the same transaction as every board change) has not moved."""

import pytest
from sqlalchemy import select

from board_helpers import stored_note
from workshop.ateliers import service as ateliers
from workshop.board import service
from workshop.board.models import BoardRevision
from workshop.db import Database
from workshop.models import Atelier, Participant
from workshop.wire import Prepared


def cached_view(s, atelier, role, participant_id=None):
    """What the snapshot carries (``service.board_snapshot``), decoded."""
    part = service.board_snapshot(s, atelier, role, participant_id)
    return part.value() if isinstance(part, Prepared) else part


@pytest.fixture
def db(app):
    service.VIEW_CACHE.clear()
    return app.extensions["workshop_db"]


def _views_agree(db, aid, participant_ids):
    """Every audience's cached view is the view built from scratch."""
    with db.session(write=False) as s:
        atelier = s.get(Atelier, aid)
        cases = [("facilitator", None), ("projector", None)]
        cases += [("participant", pid) for pid in participant_ids]
        for role, pid in cases:
            fresh = service.board_view(s, atelier, role, pid)
            assert cached_view(s, atelier, role, pid) == fresh, (role, pid)
            # and again, from the cache this time
            assert cached_view(s, atelier, role, pid) == fresh, (role, pid)


def test_every_kind_of_change_refreshes_the_cached_views(db):
    with db.session() as s:
        atelier, _ = ateliers.create_atelier(s, {"title": "Cache"})
        awa, _ = ateliers.join(s, atelier, "Awa")
        bob, _ = ateliers.join(s, atelier, "Bob")
        aid, people = atelier.id, [awa.id, bob.id]
    _views_agree(db, aid, people)  # empty board, revision 0
    state = {}

    def step(change):
        with db.session() as s:
            atelier = s.get(Atelier, aid)
            awa, bob = (s.get(Participant, pid) for pid in people)
            change(s, atelier, awa, bob, state)
        _views_agree(db, aid, people)

    def add_prompt(s, atelier, awa, bob, st):
        st["p"] = service.create_prompt(s, atelier, text="Besoins ?").id

    def add_notes(s, atelier, awa, bob, st):
        p = service.get_prompt(s, atelier, st["p"])
        st["a"] = stored_note(s, atelier, awa, p, "A").id
        st["b"] = stored_note(s, atelier, bob, p, "B", anonymous=True).id
        st["c"] = stored_note(s, atelier, bob, p, "C").id

    def edit(s, atelier, awa, bob, st):
        service.update_note(s, atelier, awa, note_id=st["a"], text="A modifié")

    def category(s, atelier, awa, bob, st):
        st["cat"] = service.create_category(s, atelier, prompt_id=st["p"], title="T").id
        service.move_note(s, atelier, note_id=st["a"], category_id=st["cat"])

    def hide(s, atelier, awa, bob, st):
        service.moderate_note(s, atelier, note_id=st["c"], action="hide")

    def merge(s, atelier, awa, bob, st):
        service.merge_note(s, atelier, note_id=st["b"], into_id=st["a"])

    def vote(s, atelier, awa, bob, st):
        service.open_vote(s, atelier, prompt_id=st["p"], dots=3)
        service.cast_vote(s, atelier, bob, note_id=st["a"], dots=2)

    def close_vote(s, atelier, awa, bob, st):
        service.close_vote(s, atelier, prompt_id=st["p"])

    def reveal_mode(s, atelier, awa, bob, st):
        service.update_prompt(s, atelier, prompt_id=st["p"], visibility="reveal")

    def archive(s, atelier, awa, bob, st):
        service.update_prompt(s, atelier, prompt_id=st["p"], status="archived")

    def rename_and_delete(s, atelier, awa, bob, st):
        service.update_prompt(s, atelier, prompt_id=st["p"], status="open")
        service.rename_category(s, atelier, category_id=st["cat"], title="U")
        service.delete_note(s, atelier, None, note_id=st["a"])
        service.delete_category(s, atelier, category_id=st["cat"])

    for change in (
        add_prompt,
        add_notes,
        edit,
        category,
        hide,
        merge,
        vote,
        close_vote,
        reveal_mode,
        archive,
        rename_and_delete,
    ):
        before = service.VIEW_CACHE.misses
        step(change)
        # the change was seen: the cache was rebuilt for the new revision
        assert service.VIEW_CACHE.misses > before, change.__name__


def test_revision_moves_with_the_commit_and_not_with_a_rollback(db):
    with db.session() as s:
        atelier, _ = ateliers.create_atelier(s, {"title": "Rev"})
        aid = atelier.id
    with db.session() as s:
        atelier = s.get(Atelier, aid)
        assert service.revision(s, atelier) == 0
        service.create_prompt(s, atelier, text="Q")
    with db.session() as s:
        atelier = s.get(Atelier, aid)
        assert service.revision(s, atelier) == 1
        view = cached_view(s, atelier, "projector")
        assert [p["text"] for p in view["prompts"]] == ["Q"]

    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.session() as s:
        atelier = s.get(Atelier, aid)
        service.create_prompt(s, atelier, text="jamais")
        # a session that changed the board builds its own view, never cached
        assert len(cached_view(s, atelier, "projector")["prompts"]) == 2
        raise Boom
    with db.session(write=False) as s:
        atelier = s.get(Atelier, aid)
        assert service.revision(s, atelier) == 1
        view = cached_view(s, atelier, "projector")
        assert [p["text"] for p in view["prompts"]] == ["Q"]


def test_a_change_made_by_another_process_is_seen(db, db_url):
    """Another process (here: another engine on the same database) changes
    the board; this process's cache must not serve the old view."""
    with db.session() as s:
        atelier, _ = ateliers.create_atelier(s, {"title": "Deux"})
        awa, _ = ateliers.join(s, atelier, "Awa")
        p = service.create_prompt(s, atelier, text="Q")
        aid, pid, prompt_id = atelier.id, awa.id, p.id
    with db.session(write=False) as s:
        atelier = s.get(Atelier, aid)
        hits = service.VIEW_CACHE.hits
        assert cached_view(s, atelier, "participant", pid)["notes"] == []
        cached_view(s, atelier, "projector")
        assert service.VIEW_CACHE.hits == hits + 1  # participants and projector share
    other = Database(db_url)
    try:
        with other.session() as s:
            atelier = s.get(Atelier, aid)
            prompt = service.get_prompt(s, atelier, prompt_id)
            stored_note(s, atelier, s.get(Participant, pid), prompt, "d’ailleurs")
    finally:
        other.dispose()
    with db.session(write=False) as s:
        atelier = s.get(Atelier, aid)
        view = cached_view(s, atelier, "participant", pid)
        assert [n["text"] for n in view["notes"]] == ["d’ailleurs"]
        assert [n["text"] for n in view["mine"]] == ["d’ailleurs"]


def test_a_deleted_ateliers_views_never_reach_a_new_atelier(db):
    with db.session() as s:
        atelier, _ = ateliers.create_atelier(s, {"title": "Ancien"})
        p = service.create_prompt(s, atelier, text="Ancienne question")
        awa, _ = ateliers.join(s, atelier, "Awa")
        stored_note(s, atelier, awa, p, "donnée personnelle")
        aid = atelier.id
    with db.session(write=False) as s:
        atelier = s.get(Atelier, aid)
        assert cached_view(s, atelier, "projector")["notes"]
    with db.session() as s:
        ateliers.delete_atelier(s, s.get(Atelier, aid))
    with db.session() as s:
        assert s.scalar(select(BoardRevision).where(BoardRevision.atelier_id == aid)) is None
        fresh, _ = ateliers.create_atelier(s, {"title": "Nouveau"})
        # even if the id comes back (SQLite may give it again), the code differs
        view = cached_view(s, fresh, "projector")
        assert view["notes"] == [] and view["prompts"] == []


def test_prepared_json_is_spliced_in_place():
    import doctest
    import json

    from workshop import wire
    from workshop.extensions import Packet

    assert doctest.testmod(wire).failed == 0
    view = {"notes": [{"id": 1, "text": "« été » \u2028 </script>"}], "palette": ["jaune"]}
    prepared = wire.Prepared.of(view)
    mine = {"mine": [{"id": 1}], "my_votes": {"3": {"1": 2}}}
    snap = {"a": "\x00P:0\x00", "board": prepared.extended(**mine), "z": [prepared]}
    text = Packet(data=["snapshot", snap]).encode()
    assert text.startswith("2[")
    event, decoded = json.loads(text[1:])
    assert event == "snapshot"
    assert decoded == {"a": "\x00P:0\x00", "board": {**view, **mine}, "z": [view]}
    # bytes are never sent as binary attachments: they cannot be encoded
    with pytest.raises(TypeError):
        Packet(data=["x", {"b": b"\x00"}]).encode()


def test_a_phone_snapshot_over_the_wire_is_the_board_view(db):
    """The prepared snapshot part, decoded, equals the view built from scratch."""
    import json

    from workshop.extensions import Packet

    with db.session() as s:
        atelier, _ = ateliers.create_atelier(s, {"title": "Fil"})
        awa, _ = ateliers.join(s, atelier, "Awa")
        p = service.create_prompt(s, atelier, text="Q")
        a = stored_note(s, atelier, awa, p, "à moi")
        service.open_vote(s, atelier, prompt_id=p.id, dots=2)
        service.cast_vote(s, atelier, awa, note_id=a.id, dots=2)
        aid, pid = atelier.id, awa.id
    with db.session(write=False) as s:
        atelier = s.get(Atelier, aid)
        for role, who in (("participant", pid), ("projector", None), ("facilitator", None)):
            for _ in range(2):  # built, then from the cache
                part = service.board_snapshot(s, atelier, role, who)
                text = Packet(data=["snapshot", {"board": part}]).encode()
                decoded = json.loads(text[1:])[1]["board"]
                assert decoded == service.board_view(s, atelier, role, who)
