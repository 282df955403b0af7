"""Grouping suggestions over real WebSockets against the real server (gevent):
suggest, accept, undo, stale parts, bad input, and the server answering
other events while it computes."""

import csv
import threading
import time
from pathlib import Path

from board_helpers import board_notes, new_prompt, post

ROOT = Path(__file__).resolve().parent.parent
NOTES = [
    "Manque de temps",
    "manque de temps pour se voir",
    "Trop de réunions le soir",
    "Des réunions plus courtes",
    "Un local plus grand",
    "Le local est mal chauffé",
    "Former les bénévoles",
    "Formation des nouveaux bénévoles",
]


def _setup(live_server, texts=NOTES):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    awa = live_server.participant(atelier, "Awa")
    prompt = new_prompt(fac)
    ids = [post(awa, prompt["id"], t)["data"]["id"] for t in texts]
    return atelier, fac, proj, awa, prompt, ids


def _suggest(fac, prompt_id):
    ack = fac.call("board:suggest", {"prompt_id": prompt_id}, timeout=30)
    assert ack["ok"], ack
    return ack["data"]


def _group_payload(g, title=None, category_id=None):
    return {
        "title": title or g["label"],
        "category_id": category_id,
        "notes": [{"id": n["id"], "basis": n["basis"]} for n in g["notes"]],
    }


def test_suggest_accept_undo(live_server):
    atelier, fac, proj, awa, prompt, ids = _setup(live_server)
    proj.clear()
    data = _suggest(fac, prompt["id"])
    labels = {g["label"]: [n["id"] for n in g["notes"]] for g in data["groups"]}
    assert labels["Réunion"] == ids[2:4]
    assert labels["Local"] == ids[4:6]
    assert {"kept": ids[0], "duplicate": ids[1]} in [
        {"kept": d["kept"]["id"], "duplicate": d["duplicate"]["id"]} for d in data["duplicates"]
    ]
    assert "rien ne change sur le mur" in data["message"]
    # Suggesting changes nothing and tells no other screen.
    time.sleep(0.3)
    assert not proj.received("board:categories") and not proj.received("board:state")
    # Accept one group, renamed, with one note moved out locally.
    g = next(g for g in data["groups"] if g["label"] == "Réunion")
    payload = _group_payload(g, title="Les réunions")
    ack = fac.call("board:suggest:accept", {"prompt_id": prompt["id"], "groups": [payload]})
    assert ack["ok"], ack
    res = ack["data"]
    assert res["accepted"][0]["title"] == "Les réunions" and res["accepted"][0]["created"]
    assert res["moved"] == ids[2:4] and not res["stale"]
    assert res["message"] == "2 post-it rangés dans « Les réunions »."
    cat_id = res["accepted"][0]["category_id"]
    got = proj.wait_event("board:categories", lambda d: d["prompt_id"] == prompt["id"])
    assert [c["title"] for c in got["categories"]] == ["Les réunions"]
    proj.wait_for(
        lambda: (
            {n["id"]: n["category_id"] for n in board_notes(proj)}.get(ids[2]) == cat_id
            if board_notes(proj)
            else False
        ),
        "projector sees the accepted category",
    )
    # A second suggestion proposes the existing category for a fitting note.
    extra = post(awa, prompt["id"], "Réunions trop tardives")["data"]["id"]
    again = _suggest(fac, prompt["id"])
    fits = [g for g in again["groups"] if g["category_id"] == cat_id]
    assert fits and extra in [n["id"] for n in fits[0]["notes"]]
    assert fits[0]["category_title"] == "Les réunions"
    # Undo puts the notes back and deletes the created category.
    ack = fac.call("board:suggest:undo", res["undo"])
    assert ack["ok"], ack
    assert ack["data"]["moved"] == ids[2:4] and ack["data"]["deleted_categories"] == [cat_id]
    proj.wait_event("board:categories", lambda d: d["categories"] == [])


def test_stale_parts_are_refused_and_the_rest_applies(live_server):
    atelier, fac, proj, awa, prompt, ids = _setup(live_server)
    data = _suggest(fac, prompt["id"])
    groups = {g["label"]: g for g in data["groups"]}
    # Meanwhile: one note edited, one deleted, one moved by another console.
    assert awa.call("board:note:update", {"note_id": ids[2], "text": "Réunions en visio"})["ok"]
    assert awa.call("board:note:delete", {"note_id": ids[4]})["ok"]
    other = live_server.facilitator(atelier)
    cat = other.call("board:category:create", {"prompt_id": prompt["id"], "title": "Formation"})
    assert cat["ok"]
    assert other.call("board:note:move", {"note_id": ids[6], "category_id": cat["data"]["id"]})[
        "ok"
    ]
    payload = [
        _group_payload(groups["Réunion"]),
        _group_payload(groups["Local"]),
        _group_payload(groups["Bénévole"]),
    ]
    ack = fac.call("board:suggest:accept", {"prompt_id": prompt["id"], "groups": payload})
    assert ack["ok"], ack
    res = ack["data"]
    stale = {s["id"]: s["reason"] for s in res["stale"]}
    assert stale == {ids[2]: "edited", ids[4]: "deleted", ids[6]: "moved"}
    assert sorted(res["moved"]) == [ids[3], ids[5], ids[7]]
    assert "3 post-it ont changé depuis la suggestion" in res["message"]
    # Undo after a note was moved again: that one stays, the others go back.
    local_cat = res["accepted"][1]["category_id"]
    assert other.call("board:note:move", {"note_id": ids[5], "category_id": None})["ok"]
    ack = fac.call("board:suggest:undo", res["undo"])
    assert ack["ok"], ack
    assert sorted(ack["data"]["moved"]) == [ids[3], ids[7]]
    assert ack["data"]["stale"] == [{"id": ids[5], "reason": "moved"}]
    assert local_cat in ack["data"]["deleted_categories"]


def test_existing_category_deleted_meanwhile(live_server):
    atelier, fac, proj, awa, prompt, ids = _setup(live_server)
    cat = fac.call("board:category:create", {"prompt_id": prompt["id"], "title": "Le local"})
    data = _suggest(fac, prompt["id"])
    g = next(g for g in data["groups"] if g["label"] == "Local")
    assert g["category_id"] == cat["data"]["id"]
    fac.call("board:category:delete", {"category_id": cat["data"]["id"]})
    payload = _group_payload(g, category_id=g["category_id"])
    ack = fac.call("board:suggest:accept", {"prompt_id": prompt["id"], "groups": [payload]})
    assert ack["ok"] and not ack["data"]["accepted"]
    assert ack["data"]["message"] == (
        "« Local » n’a pas été appliqué : la catégorie choisie n’existe plus."
    )


def test_bad_input_gives_clear_messages(live_server):
    atelier, fac, proj, awa, prompt, ids = _setup(live_server, ["Local", "Temps", "Budget"])
    data = _suggest(fac, prompt["id"])
    assert data["notice"] == "too_few" and data["groups"] == []
    assert data["message"].startswith("Trop peu de post-it à regrouper")
    emoji = new_prompt(fac, "Votre humeur ?")
    for t in ["🙂", "🙂", "👍👍", "?!", "..."]:
        post(awa, emoji["id"], t)
    data = _suggest(fac, emoji["id"])
    assert data["notice"] == "no_words" and "émojis" in data["message"]
    assert len(data["duplicates"]) == 1
    same = new_prompt(fac, "Même chose ?")
    for _ in range(5):
        post(awa, same["id"], "Manque de temps")
    data = _suggest(fac, same["id"])
    assert len(data["groups"]) == 1 and len(data["duplicates"]) == 4
    english = new_prompt(fac, "In English?")
    for t in ["We need more time", "Not enough time to meet", "Funding", "More funding please"]:
        post(awa, english["id"], t)
    data = _suggest(fac, english["id"])
    assert [g["label"] for g in data["groups"]] == ["Time", "Funding"]
    # Forged or foreign payloads are refused cleanly, nothing changes.
    for bad in [
        {"prompt_id": 2**60},
        {"prompt_id": "1"},
        {"prompt_id": prompt["id"], "x": 1},
    ]:
        ack = fac.call("board:suggest", bad)
        assert not ack["ok"] and ack["message"]
    ack = fac.call(
        "board:suggest:accept",
        {
            "prompt_id": prompt["id"],
            "groups": [{"title": "x", "notes": [{"id": 10**9, "basis": "0" * 12}]}],
        },
    )
    assert ack["ok"] and ack["data"]["stale"] == [{"id": 10**9, "reason": "deleted"}]
    ack = awa.call("board:suggest", {"prompt_id": prompt["id"]})
    assert not ack["ok"] and ack["error"] == "forbidden"


def test_other_events_are_answered_while_it_computes(live_server):
    """1,500 notes: the suggestion runs in a real thread, and a participant's
    notes sent meanwhile are acknowledged before it ends."""
    rows = []
    for path in (
        ROOT / "bench" / "data" / "benevolat.csv",
        ROOT / "workshop/demo/mulhouse/postits.csv",
    ):
        with path.open(encoding="utf-8") as f:
            rows += [r["text"] for r in csv.DictReader(f)]
    texts = [
        f"{a} {b.split()[-1]} {i}"
        for i, (a, b) in enumerate(zip(rows * 16, rows[1:] * 16, strict=False))
    ]
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    awa = live_server.participant(atelier, "Awa")
    prompt = new_prompt(fac)
    for t in texts[:1500]:
        fac.sio.emit(
            "board:note:create",
            {"client_id": f"bulk-{abs(hash(t))}", "prompt_id": prompt["id"], "text": t[:280]},
        )
    # Polled outside the client's lock, each sync given time: on a slow
    # machine the 1,500 creations are still being stored when it is asked.
    deadline = time.monotonic() + 180
    while len(board_notes(fac, timeout=60)) < 1500:
        assert time.monotonic() < deadline, "the 1,500 notes were not stored"
        time.sleep(0.5)
    done = {}

    def run():
        done["ack"] = fac.call("board:suggest", {"prompt_id": prompt["id"]}, timeout=120)
        done["at"] = time.monotonic()

    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.05)
    acked = []
    while t.is_alive() and len(acked) < 5:
        ack = post(awa, prompt["id"], f"Pendant le calcul {len(acked)}", timeout=60)
        assert ack["ok"]
        acked.append(time.monotonic())
    t.join()
    assert done["ack"]["ok"], done["ack"]
    # Computed on the event loop, no note would be acknowledged before the
    # suggestion's own answer; two are enough to tell, even on a busy machine.
    during = [at for at in acked if at < done["at"]]
    assert len(during) >= 2, "the server stalled during the suggestion"


def test_server_warms_the_suggestions_up_at_start(tmp_path):
    """With the warm-up on (the default of ``workshop serve``), the lemma
    dictionary and SciPy load in a pool thread at start: the server answers
    meanwhile, and the first suggestion is right."""
    from support import LiveServer

    server = LiveServer(
        tmp_path / "warm",
        f"sqlite:///{tmp_path / 'warm.sqlite3'}",
        env={"WORKSHOP_SUGGEST_WARMUP": "1"},
    ).start()
    try:
        atelier, fac, proj, awa, prompt, ids = _setup(server)
        data = _suggest(fac, prompt["id"])
        labels = {g["label"]: [n["id"] for n in g["notes"]] for g in data["groups"]}
        assert labels["Réunion"] == ids[2:4]
        assert "Traceback" not in server.read_log()
    finally:
        server.stop()
        server.close_clients()
