"""The post-it board over real WebSockets against the real server process."""

import time
import uuid

import pytest

from board_helpers import XSS_PAYLOADS, board_notes, new_prompt, post
from support import LiveServer


def _ids(events):
    return [d["id"] for d in events]


def test_live_flow_each_note_once_to_every_screen(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    awa = live_server.participant(atelier, "Awa")
    bob = live_server.participant(atelier, "Bob")
    prompt = new_prompt(fac, colours=["vert", "rose"])
    awa.wait_event("board:prompt", lambda d: d["id"] == prompt["id"])
    cid = str(uuid.uuid4())
    ack = post(awa, prompt["id"], "Plus de moyens", client_id=cid, colour="rose")
    assert ack["ok"] and ack["data"]["created"] and ack["data"]["status"] == "visible"
    note = ack["data"]
    assert note["author"] == "Awa" and note["colour"] == "rose" and note["mine"]
    for c in (proj, bob, fac):
        got = c.wait_event("board:note", lambda d: d["id"] == note["id"])
        assert got["text"] == "Plus de moyens"
    assert "participant_id" not in proj.received("board:note")[0]
    awa.wait_event("board:note:mine", lambda d: d["id"] == note["id"])
    # a resend (lost ack) is stored once and not broadcast again
    again = post(awa, prompt["id"], "Plus de moyens", client_id=cid, colour="rose")
    assert again["ok"] and not again["data"]["created"] and again["data"]["id"] == note["id"]
    time.sleep(0.3)
    assert len(proj.received("board:note")) == 1
    assert [n["text"] for n in board_notes(fac)] == ["Plus de moyens"]
    # anonymous note: no name anywhere public
    anon = post(bob, prompt["id"], "Sans nom", anonymous=True)["data"]
    got = proj.wait_event("board:note", lambda d: d["id"] == anon["id"])
    assert got["author"] is None
    # edit and delete one's own note
    ack = awa.call("board:note:update", {"note_id": note["id"], "text": "Plus de moyens humains"})
    assert ack["ok"], ack
    proj.wait_event("board:note", lambda d: d["text"] == "Plus de moyens humains")
    assert awa.call("board:note:delete", {"note_id": note["id"]})["ok"]
    proj.wait_event("board:note:gone", lambda d: d["id"] == note["id"])
    assert [n["text"] for n in board_notes(proj)] == ["Sans nom"]


def test_reveal_mode_hides_notes_until_revealed(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    awa = live_server.participant(atelier, "Awa")
    bob = live_server.participant(atelier, "Bob")
    prompt = new_prompt(fac, visibility="reveal")
    note = post(awa, prompt["id"], "Secret jusqu’à la révélation")["data"]
    fac.wait_event("board:note", lambda d: d["id"] == note["id"])
    awa.wait_event("board:note:mine", lambda d: d["id"] == note["id"])
    time.sleep(0.3)
    assert not proj.received("board:note") and not bob.received("board:note")
    assert board_notes(proj) == [] and board_notes(bob) == []
    assert [n["id"] for n in awa.call("sync")["data"]["board"]["mine"]] == [note["id"]]
    ack = fac.call("board:prompt:update", {"prompt_id": prompt["id"], "revealed": True})
    assert ack["ok"], ack
    for c in (proj, bob):
        state = c.wait_event("board:state", lambda d: d["notes"])
        assert [n["text"] for n in state["notes"]] == ["Secret jusqu’à la révélation"]


def test_approval_queue_and_moderation(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    awa = live_server.participant(atelier, "Awa")
    bob = live_server.participant(atelier, "Bob")
    prompt = new_prompt(fac, approval=True)
    note = post(awa, prompt["id"], "À valider")["data"]
    assert note["status"] == "pending"
    fac.wait_event("board:note", lambda d: d["id"] == note["id"] and d["status"] == "pending")
    time.sleep(0.3)
    assert not proj.received("board:note") and not bob.received("board:note")
    assert fac.call("board:note:moderate", {"note_id": note["id"], "action": "approve"})["ok"]
    proj.wait_event("board:note", lambda d: d["id"] == note["id"])
    bob.wait_event("board:note", lambda d: d["id"] == note["id"])
    awa.wait_event("board:note:mine", lambda d: d["status"] == "visible")
    assert fac.call("board:note:moderate", {"note_id": note["id"], "action": "hide"})["ok"]
    proj.wait_event("board:note:gone", lambda d: d["id"] == note["id"])
    awa.wait_event("board:note:mine", lambda d: d["status"] == "hidden")
    assert board_notes(bob) == []
    assert fac.call("board:note:moderate", {"note_id": note["id"], "action": "show"})["ok"]
    assert [n["id"] for n in board_notes(bob)] == [note["id"]]
    # a participant cannot moderate
    assert (
        awa.call("board:note:moderate", {"note_id": note["id"], "action": "hide"})["error"]
        == "forbidden"
    )


def test_grouping_is_mirrored_and_merge_folds_duplicates(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    awa = live_server.participant(atelier, "Awa")
    prompt = new_prompt(fac)
    n1 = post(awa, prompt["id"], "Se coordonner")["data"]
    n2 = post(awa, prompt["id"], "Se coordonner mieux")["data"]
    n3 = post(awa, prompt["id"], "Des moyens")["data"]
    c1 = fac.call("board:category:create", {"prompt_id": prompt["id"], "title": "Coordination"})
    c2 = fac.call("board:category:create", {"prompt_id": prompt["id"], "title": "Moyens"})
    assert c1["ok"] and c2["ok"]
    c1, c2 = c1["data"], c2["data"]
    proj.wait_event("board:categories", lambda d: len(d["categories"]) == 2)
    assert fac.call("board:note:move", {"note_id": n1["id"], "category_id": c1["id"]})["ok"]
    proj.wait_event("board:note", lambda d: d["id"] == n1["id"] and d["category_id"] == c1["id"])
    assert fac.call("board:note:move", {"note_id": n3["id"], "category_id": c2["id"]})["ok"]
    ack = fac.call("board:category:update", {"category_id": c1["id"], "title": "Se coordonner"})
    assert ack["ok"]
    ack = fac.call(
        "board:category:reorder", {"prompt_id": prompt["id"], "order": [c2["id"], c1["id"]]}
    )
    assert ack["ok"]
    got = proj.wait_event(
        "board:categories", lambda d: [c["id"] for c in d["categories"]] == [c2["id"], c1["id"]]
    )
    assert got["categories"][1]["title"] == "Se coordonner"
    # merge n2 into n1: the projector shows one note counting two
    assert fac.call("board:note:merge", {"note_id": n2["id"], "into_id": n1["id"]})["ok"]
    state = proj.wait_event("board:state", lambda d: len(d["notes"]) == 2)
    kept = next(n for n in state["notes"] if n["id"] == n1["id"])
    assert kept["merged_count"] == 1 and kept["category_id"] == c1["id"]
    # deleting a category sends its notes back to "uncategorised"
    assert fac.call("board:category:delete", {"category_id": c2["id"]})["ok"]
    proj.wait_event("board:note", lambda d: d["id"] == n3["id"] and d["category_id"] is None)
    # bad ids
    assert (
        fac.call("board:note:move", {"note_id": n3["id"], "category_id": 999999})["error"]
        == "category_not_found"
    )
    assert (
        fac.call("board:category:reorder", {"prompt_id": prompt["id"], "order": [1, 2, 3]})["error"]
        == "invalid_order"
    )
    assert (
        fac.call("board:note:merge", {"note_id": n1["id"], "into_id": n1["id"]})["error"]
        == "merge_invalid"
    )


def test_dot_vote_hidden_until_closed_then_ranked(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    awa = live_server.participant(atelier, "Awa")
    bob = live_server.participant(atelier, "Bob")
    prompt = new_prompt(fac)
    a = post(awa, prompt["id"], "A")["data"]
    b = post(bob, prompt["id"], "B")["data"]
    assert awa.call("board:vote:cast", {"note_id": a["id"], "dots": 1})["error"] == "vote_not_open"
    assert fac.call("board:vote:open", {"prompt_id": prompt["id"], "dots": 3})["ok"]
    bob.wait_event("board:prompt", lambda d: d["vote_status"] == "open")
    ack = awa.call("board:vote:cast", {"note_id": b["id"], "dots": 2})
    assert ack["ok"] and ack["data"]["votes"] == {str(b["id"]): 2}
    assert awa.call("board:vote:cast", {"note_id": b["id"], "dots": 2})["ok"]  # idempotent
    over = awa.call("board:vote:cast", {"note_id": a["id"], "dots": 2})
    assert over["error"] == "vote_over_budget" and "3 points" in over["message"]
    assert awa.call("board:vote:cast", {"note_id": a["id"], "dots": 1})["ok"]
    assert bob.call("board:vote:cast", {"note_id": b["id"], "dots": 3})["ok"]
    live = fac.wait_event(
        "board:prompt", lambda d: d.get("results") and d["results"][0]["votes"] == 5
    )
    assert live["results"][0]["note_id"] == b["id"]
    for c in (proj, bob):
        snap = c.call("sync")["data"]["board"]
        assert all("results" not in p for p in snap["prompts"])
    assert fac.call("board:vote:close", {"prompt_id": prompt["id"]})["ok"]
    got = proj.wait_event("board:prompt", lambda d: d["vote_status"] == "closed")
    assert got["results"] == [{"note_id": b["id"], "votes": 5}, {"note_id": a["id"], "votes": 1}]
    assert awa.call("board:vote:cast", {"note_id": a["id"], "dots": 0})["error"] == "vote_not_open"
    assert awa.call("sync")["data"]["board"]["my_votes"] == {
        str(prompt["id"]): {str(a["id"]): 1, str(b["id"]): 2}
    }


def test_bad_input_gets_french_messages_and_changes_nothing(live_server):
    atelier = live_server.create_atelier()
    other = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    other_fac = live_server.facilitator(other)
    awa = live_server.participant(atelier, "Awa")
    bob = live_server.participant(atelier, "Bob")
    prompt = new_prompt(fac)
    closed = new_prompt(fac, text="Fermée", status="closed")
    foreign = new_prompt(other_fac, text="Ailleurs")
    cases = {
        "   ": ("text_empty", "vide"),
        "x" * 281: ("text_too_long", "280"),
        "bonjour\x00\x07": ("text_control_chars", "invisibles"),
    }
    for text, (code, word) in cases.items():
        ack = post(awa, prompt["id"], text)
        assert ack["error"] == code and word in ack["message"], ack
    ack = post(awa, closed["id"], "trop tard")
    assert ack["error"] == "prompt_closed" and "fermée" in ack["message"]
    ack = post(awa, foreign["id"], "mauvais atelier")
    assert ack["error"] == "prompt_not_found" and "n’existe pas" in ack["message"]
    assert post(awa, prompt["id"], "x", client_id="<bad>")["error"] == "invalid_client_id"
    assert post(awa, prompt["id"], "x", colour="fuchsia")["error"] == "invalid_colour"
    assert post(awa, prompt["id"], "x", extra=1)["error"] == "invalid_payload"
    assert post(awa, "1", "x")["error"] == "invalid_payload"
    mine = post(awa, prompt["id"], "Le mien")["data"]
    for event, payload in [
        ("board:note:update", {"note_id": mine["id"], "text": "piraté"}),
        ("board:note:delete", {"note_id": mine["id"]}),
    ]:
        ack = bob.call(event, payload)
        assert ack["error"] == "not_your_note" and "propres post-it" in ack["message"]
    # a client id already used by someone else is not a way to read their note
    assert post(bob, prompt["id"], "x", client_id=mine["client_id"])["error"] == "invalid_client_id"
    assert fac.call("board:prompt:update", {"prompt_id": prompt["id"], "status": "closed"})["ok"]
    assert awa.call("board:note:update", {"note_id": mine["id"], "text": "tard"})["error"] == (
        "prompt_closed"
    )
    # a participant may not create prompts or categories
    assert awa.call("board:prompt:create", {"text": "x"})["error"] == "forbidden"
    notes = board_notes(fac)
    assert [(n["text"], n["status"]) for n in notes] == [("Le mien", "visible")]


def test_html_is_stored_and_sent_as_text(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    awa = live_server.participant(atelier, "Awa")
    prompt = new_prompt(fac)
    for payload in XSS_PAYLOADS:
        ack = post(awa, prompt["id"], payload)
        assert ack["ok"] and ack["data"]["text"] == payload
    assert [n["text"] for n in board_notes(fac)] == XSS_PAYLOADS


def test_sigkill_restart_keeps_acknowledged_notes_and_clients_resync(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    awa = live_server.participant(atelier, "Awa")
    prompt = new_prompt(fac)
    acked = []
    for i in range(20):
        ack = post(awa, prompt["id"], f"Note {i}")
        assert ack["ok"]
        acked.append(ack["data"])
    before = [len(c.snapshots) for c in (fac, proj, awa)]
    live_server.restart(kill=True)
    for c, n in zip((fac, proj, awa), before, strict=True):
        c.wait_for(lambda c=c, n=n: len(c.snapshots) > n, "resync", timeout=20)
    ids = {n["id"] for n in acked}
    assert {n["id"] for n in proj.snapshot["board"]["notes"]} == ids
    assert {n["id"] for n in awa.snapshot["board"]["mine"]} == ids
    # the phone resends one whose ack it may have missed: still stored once
    time.sleep(0.2)
    again = post(awa, prompt["id"], "Note 19", client_id=acked[-1]["client_id"])
    assert again["ok"] and not again["data"]["created"]
    assert len(board_notes(fac)) == 20


def test_flood_is_rate_limited_without_slowing_the_others(db_url, tmp_path):
    server = LiveServer(tmp_path / "rl", db_url, env={"WORKSHOP_RATE_LIMITS": "1"}).start()
    try:
        atelier = server.create_atelier()
        fac = server.facilitator(atelier)
        prompt = new_prompt(fac)
        flooder = server.participant(atelier, "Flood")
        calm = server.participant(atelier, "Calme")
        # 60 notes sent at once, without waiting for each acknowledgement
        # (sending them one by one would let the bucket refill on a slow machine)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(30) as pool:
            results = list(pool.map(lambda i: post(flooder, prompt["id"], f"spam {i}"), range(60)))
        refused = [r for r in results if not r["ok"]]
        assert len(refused) >= 20
        assert all(r["error"] == "rate_limited" for r in refused)
        assert "Ralentissez" in refused[0]["message"]
        for i in range(5):
            t0 = time.monotonic()
            ack = post(calm, prompt["id"], f"calme {i}")
            assert ack["ok"], ack
            assert time.monotonic() - t0 < 2
        stored = [n["text"] for n in board_notes(fac)]
        assert len(stored) == 60 - len(refused) + 5
    finally:
        server.stop()  # first: clients then close at once (no 3 s close handshake)
        server.close_clients()


def test_notes_of_one_window_arrive_as_one_batch_in_commit_order(db_url, tmp_path):
    # Each flush counts as being written for 400 ms (100 ms a socket, at most the
    # window): what follows it is coalesced however fast the machine.
    env = {"WORKSHOP_BROADCAST_WINDOW_MS": "400", "WORKSHOP_BROADCAST_SOCKET_US": "100000"}
    server = LiveServer(tmp_path / "batch", db_url, env=env).start()
    try:
        atelier = server.create_atelier()
        fac = server.facilitator(atelier)
        proj = server.projector(atelier)
        awa = server.participant(atelier, "Awa")
        bob = server.participant(atelier, "Bob")
        prompt = new_prompt(fac)
        proj.wait_event("board:prompt", lambda d: d["id"] == prompt["id"])
        acks = [post(awa if i % 2 else bob, prompt["id"], f"note {i}") for i in range(8)]
        assert all(a["ok"] for a in acks), acks
        ids = [a["data"]["id"] for a in acks]
        for c in (proj, fac, awa, bob):
            c.wait_for(lambda c=c: len(c.received("board:note")) >= 8, "8 notes")
            assert _ids(c.received("board:note")) == ids  # each once, in commit order
        assert proj.batches >= 1 and awa.batches >= 1
        # each author's own copies too
        awa.wait_for(lambda: len(awa.received("board:note:mine")) == 4, "4 own notes")
        assert _ids(awa.received("board:note:mine")) == ids[1::2]
        time.sleep(0.6)
        assert len(proj.received("board:note")) == 8
    finally:
        server.stop()
        server.close_clients()


@pytest.mark.parametrize("dummy", [None])
def test_projector_and_phone_cannot_write_other_roles_events(live_server, dummy):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    prompt = new_prompt(fac)
    assert post(proj, prompt["id"], "x")["error"] == "forbidden"
    assert fac.call("board:vote:cast", {"note_id": 1, "dots": 1})["error"] == "forbidden"
