"""Co-développement over real WebSockets against the real server process."""

import time
import urllib.request

from codev_helpers import remaining_ms, setup_group, timer, write


def server_now(client):
    t0 = time.time()
    ack = client.call("clock")
    t1 = time.time()
    return ack["data"]["server_time"] + (time.time() - t1) * 1000, (t1 - t0) * 1000


def test_whole_session_porteur_six_contributors_animateur(live_server):
    atelier = live_server.create_atelier(title="Testons les coopérations")
    fac, gid, porteur, animateur, contribs = setup_group(live_server, atelier)
    proj = live_server.projector(atelier)
    assert fac.call("atelier:scene", {"scene": "codev"})["ok"]
    assert fac.call("codev:projection", {"group_id": gid})["ok"]
    proj.wait_event("codev:projection", lambda d: d["group_id"] == gid)

    # roles seen by everyone; the console sees the members
    fac.wait_event("codev:members", lambda d: any(m["role"] == "animateur" for m in d["members"]))
    members = fac.received("codev:members")[-1]["members"]
    roles = {m["name"]: m["role"] for m in members}
    assert roles["Nadia"] == "porteur" and roles["Emilie"] == "animateur"
    assert fac.received("codev:members")[-1]["warning"] is None  # 6 contributors: fine

    # a contributor cannot drive the timer; the animateur (a participant) can
    ack = timer(contribs[0], "start")
    assert ack["error"] == "codev_not_animateur" and "anime le groupe" in ack["message"]
    assert timer(animateur, "start")["ok"]
    for c in (porteur, *contribs, proj, fac):
        c.wait_event("codev:timer", lambda d: d["status"] == "running" and d["step_index"] == 0)

    # step 1: subject
    assert write(contribs[0], "subject", "pas moi")["error"] == "codev_only_porteur"
    ack = write(porteur, "subject", "Parcours de jeunes changeants")
    assert ack["ok"]
    contribs[5].wait_event("codev:text", lambda d: d["texts"]["subject"].startswith("Parcours"))
    assert timer(animateur, "next")["ok"]  # 2: présentation
    assert write(contribs[1], "question", "trop tôt ?")["error"] == "codev_not_this_step"
    assert timer(animateur, "next")["data"]["step_index"] == 2  # 3: clarification

    # step 3: contributors ask, the porteur answers
    questions = []
    for i, c in enumerate(contribs):
        ack = write(c, "question", f"Question {i} ?")
        assert ack["ok"], ack
        questions.append(ack["data"]["item"])
    ack = write(porteur, "question", "moi ?")
    assert ack["error"] == "codev_only_contributors"
    assert "Clarification" in ack["message"]
    porteur.wait_event("codev:item", lambda d: d["text"] == "Question 5 ?")
    proj.wait_event("codev:item", lambda d: d["text"] == "Question 5 ?")
    ack = porteur.call("codev:answer", {"item_id": questions[0]["id"], "text": "Quinze jeunes"})
    assert ack["ok"] and ack["data"]["item"]["answer"] == "Quinze jeunes"
    contribs[0].wait_event("codev:item", lambda d: d.get("answer") == "Quinze jeunes")
    ack = contribs[1].call("codev:answer", {"item_id": questions[0]["id"], "text": "x"})
    assert ack["error"] == "codev_only_porteur"

    # pause / resume / extend keep the clock right
    t = timer(animateur, "pause")["data"]
    assert t["deadline_ms"] is None and 0 < t["remaining_ms"] <= 15 * 60_000
    t = timer(animateur, "extend", minutes=5)["data"]
    assert t["remaining_ms"] > 15 * 60_000
    assert timer(animateur, "extend", minutes=3)["error"] == "codev_invalid_extend"
    assert timer(animateur, "resume")["ok"]

    assert timer(animateur, "next")["data"]["step_index"] == 3  # 4: réactions
    proposals = []
    for i, c in enumerate(contribs):
        ack = write(c, "proposal", f"Proposition {i}")
        assert ack["ok"]
        proposals.append(ack["data"]["item"])
    ack = write(porteur, "proposal", "je réponds")
    assert ack["error"] == "codev_porteur_listens"
    assert "écoute" in ack["message"]
    porteur.wait_event("codev:item", lambda d: d["text"] == "Proposition 5")

    # exactly once: the same client_id twice
    first = write(contribs[0], "proposal", "Doublon", client_id="dup-00001")
    again = write(contribs[0], "proposal", "Doublon", client_id="dup-00001")
    assert first["data"]["item"]["id"] == again["data"]["item"]["id"] and again["data"]["duplicate"]

    assert timer(animateur, "next")["data"]["step_index"] == 4  # 5: feedback
    for p in proposals[:2]:
        assert porteur.call("codev:retain", {"item_id": p["id"], "retained": True})["ok"]
    assert write(porteur, "action_plan", "Je retiens : des relais. Je vais : appeler.")["ok"]
    assert timer(animateur, "next")["data"]["status"] == "finished"
    fac.wait_event("codev:group", lambda d: d["id"] == gid and d["timer"]["status"] == "finished")

    # a fresh console sees everything
    fac.sio.disconnect()
    fac.connect()
    det = fac.snapshot["codev"]["details"][str(gid)]
    assert sum(i["kind"] == "question" for i in det["items"]) == 6
    assert sum(i["kind"] == "proposal" for i in det["items"]) == 7
    assert sum(i["retained"] for i in det["items"]) == 2
    assert det["texts"]["action_plan"].startswith("Je retiens")
    # the porteur downloads the summary with the device token
    req = urllib.request.Request(
        f"{live_server.url}/a/{atelier['code']}/codev/summary.md",
        headers={"X-Workshop-Token": porteur.token},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
        text = resp.read().decode()
    assert text.index("Proposition 0") < text.index("Proposition 2")


def test_bad_input_is_refused_and_changes_nothing(live_server):
    atelier = live_server.create_atelier()
    fac, gid, porteur, animateur, contribs = setup_group(live_server, atelier, contributors=2)
    ack = fac.call("codev:group:create", {"name": "Rouge", "colour": "rouge", "max_members": 2})
    other = ack["data"]["id"]
    # a second porteur
    ack = contribs[0].call("codev:role", {"role": "porteur"})
    assert ack["error"] == "codev_porteur_taken" and "porte déjà un sujet" in ack["message"]
    # fill the other group, then a third person cannot join
    extra = [live_server.participant(atelier, n) for n in ("Zoé", "Yann", "Xavier")]
    assert extra[0].call("codev:join", {"group_id": other})["ok"]
    assert extra[1].call("codev:join", {"group_id": other})["ok"]
    ack = extra[2].call("codev:join", {"group_id": other})
    assert ack["error"] == "codev_group_full" and "complet" in ack["message"]
    # a closed group
    assert fac.call("codev:group:update", {"group_id": other, "closed": True})["ok"]
    assert extra[2].call("codev:join", {"group_id": other})["error"] == "codev_group_closed"
    # moving steps without being animateur; acting in another group
    assert timer(porteur, "start")["error"] == "codev_not_animateur"
    assert timer(animateur, "start", group_id=other)["error"] == "codev_not_in_group"
    assert timer(animateur, "start")["ok"]
    # a started group is closed
    assert extra[2].call("codev:join", {"group_id": gid})["error"] == "codev_group_closed"
    assert contribs[0].call("codev:role", {"role": "secretaire"})["error"] == "codev_roles_locked"
    # empty, oversized, malformed texts
    assert write(porteur, "subject", "   ")["error"] == "text_empty"
    assert write(porteur, "subject", "x" * 1001)["error"] == "text_too_long"
    ack = write(porteur, "subject", ["x"])
    assert ack["error"] == "invalid_payload" and ack["field"] == "text"
    assert write(porteur, "bogus", "x")["error"] == "invalid_payload"
    assert (
        porteur.call("codev:write", {"kind": "subject", "text": "x", "client_id": 5})["error"]
        == "invalid_client_id"
    )
    # the client id is required, and unknown fields are refused (nothing stored)
    ack = porteur.call("codev:write", {"kind": "subject", "text": "x"})
    assert ack["error"] == "invalid_payload" and ack["field"] == "client_id"
    ack = porteur.call(
        "codev:write",
        {"kind": "subject", "text": "x", "client_id": "abcdefgh-1", "couleur": "rouge"},
    )
    assert ack["error"] == "invalid_payload" and ack["field"] == "couleur"
    cid = "abcdefgh-2"
    assert (
        extra[0].call(
            "codev:write", {"kind": "subject", "text": "x", "group_id": gid, "client_id": cid}
        )["error"]
        == "codev_not_in_group"
    )
    assert extra[2].call("codev:write", {"kind": "subject", "text": "x", "client_id": cid})[
        "error"
    ] == ("codev_not_member")
    assert porteur.call("codev:group:create", {"name": "x"})["error"] == "forbidden"
    assert fac.call("codev:timer", {"group_id": "1; drop", "action": "next"})["error"] == (
        "invalid_payload"
    )
    for bad in (2**70, -(2**70)):  # ids beyond 64 bits: a clean refusal, not "internal"
        ack = fac.call("codev:timer", {"group_id": bad, "action": "next"})
        assert ack["error"] == "invalid_payload" and ack["field"] == "group_id"
    ack = fac.call("codev:timer", {"group_id": gid, "action": "extend", "minutes": 1, "x": 1})
    assert ack["error"] == "invalid_payload" and ack["field"] == "x"
    # nothing was written by the refusals
    fac.sio.disconnect()
    fac.connect()
    assert fac.snapshot["codev"]["details"][str(gid)]["texts"]["subject"] is None
    assert [g["member_count"] for g in fac.snapshot["codev"]["groups"]] == [4, 2]


def test_phone_that_sleeps_comes_back_in_the_right_group_step_and_role(live_server):
    atelier = live_server.create_atelier()
    fac, gid, porteur, animateur, contribs = setup_group(live_server, atelier, contributors=2)
    assert timer(animateur, "start")["ok"]
    assert timer(animateur, "next")["ok"]
    t = timer(animateur, "next")["data"]
    contribs[0].sio.disconnect()
    assert write(contribs[1], "question", "Pendant le sommeil ?")["ok"]
    contribs[0].connect()
    part = contribs[0].snapshot["codev"]
    assert part["me"] == {"group_id": gid, "role": "contributeur"}
    g = part["groups"][0]
    assert g["timer"]["step_index"] == 2 and g["timer"]["deadline_ms"] == t["deadline_ms"]
    items = part["details"][str(gid)]["items"]
    assert [i["text"] for i in items] == ["Pendant le sommeil ?"]
    # back in the group's room: live items arrive
    assert write(contribs[1], "question", "Et maintenant ?")["ok"]
    contribs[0].wait_event("codev:item", lambda d: d["text"] == "Et maintenant ?")
    # other groups' phones do not get this group's traffic
    lone = live_server.participant(atelier, "Ailleurs")
    assert write(contribs[1], "question", "Privé ?")["ok"]
    contribs[0].wait_event("codev:item", lambda d: d["text"] == "Privé ?")
    time.sleep(0.3)
    assert not lone.received("codev:item") and not lone.received("codev:timer")
    assert "details" in lone.snapshot["codev"] and lone.snapshot["codev"]["details"] == {}


def test_assigned_during_the_session_joins_the_room(live_server):
    atelier = live_server.create_atelier()
    fac, gid, porteur, animateur, contribs = setup_group(live_server, atelier, contributors=1)
    late = live_server.participant(atelier, "Tardive")
    ack = fac.call("codev:join", {"group_id": gid, "participant_id": late.participant["id"]})
    assert ack["ok"], ack
    state = late.wait_event("codev:state")
    assert state["me"] == {"group_id": gid, "role": "contributeur"}
    assert timer(animateur, "start")["ok"]
    late.wait_event("codev:timer", lambda d: d["status"] == "running")


def test_server_restart_in_step_four_loses_nothing(live_server):
    atelier = live_server.create_atelier()
    fac, gid, porteur, animateur, contribs = setup_group(live_server, atelier, contributors=3)
    assert timer(animateur, "start")["ok"]
    assert write(porteur, "subject", "Sujet avant panne")["ok"]
    for _ in range(3):
        assert timer(animateur, "next")["ok"]
    t = timer(animateur, "extend", minutes=1)["data"]
    assert t["step_index"] == 3 and t["deadline_ms"]
    for i, c in enumerate(contribs):
        assert write(c, "proposal", f"Avant panne {i}")["ok"]
    now, _ = server_now(fac)
    left_before = remaining_ms(t, now)
    phones = [porteur, animateur, *contribs, fac]
    n = [len(c.snapshots) for c in phones]
    live_server.restart(kill=True)
    for c, before in zip(phones, n, strict=True):
        c.wait_for(lambda c=c, before=before: len(c.snapshots) > before, "resync", timeout=30)
    snap = contribs[0].snapshot
    g = snap["codev"]["groups"][0]
    assert g["timer"]["step_index"] == 3 and g["timer"]["status"] == "running"
    now2, rtt = server_now(contribs[0])
    left_after = remaining_ms(g["timer"], now2)
    elapsed = now2 - now
    # the deadline survived the crash exactly, so the time left is right
    assert g["timer"]["deadline_ms"] == t["deadline_ms"]
    assert abs((left_before - elapsed) - left_after) < 1000 + rtt
    assert abs(left_after - remaining_ms(g["timer"], snap["server_time"])) <= elapsed + 1000
    det = snap["codev"]["details"][str(gid)]
    assert sorted(i["text"] for i in det["items"]) == [f"Avant panne {i}" for i in range(3)]
    assert det["texts"]["subject"] == "Sujet avant panne"
    assert snap["codev"]["me"]["role"] == "contributeur"
    # the session goes on after the restart, in the rooms
    time.sleep(0.2)
    assert write(contribs[1], "proposal", "Après panne")["ok"]
    porteur.wait_event("codev:item", lambda d: d["text"] == "Après panne")
    assert timer(animateur, "next")["data"]["step_index"] == 4


def test_author_deletes_own_item_and_nobody_else_can(live_server):
    atelier = live_server.create_atelier()
    fac, gid, porteur, animateur, contribs = setup_group(live_server, atelier, contributors=2)
    assert timer(animateur, "start")["ok"]
    for _ in range(2):
        assert timer(animateur, "next")["ok"]  # step 3: clarification questions
    ack = write(contribs[0], "question", "Depuis quand ?")
    assert ack["ok"], ack
    item_id = ack["data"]["item"]["id"]
    # someone else's item: refused, nothing changes
    for other in (contribs[1], porteur):
        ack = other.call("codev:item:delete", {"item_id": item_id})
        assert ack["error"] == "codev_not_your_item", ack
    assert other.call("codev:item:delete", {"item_id": "x"})["error"] == "invalid_payload"
    assert other.call("codev:item:delete", {"item_id": 10**9})["error"] == "codev_item_not_found"
    ack = contribs[0].call("codev:item:delete", {"item_id": item_id})
    assert ack["ok"] and ack["data"] == {"group_id": gid, "item_id": item_id}, ack
    for c in (porteur, contribs[1], fac):
        c.wait_event("codev:item:gone", lambda d: d["item_id"] == item_id)
    snap = fac.call("sync")["data"]
    assert snap["codev"]["details"][str(gid)]["items"] == []
    assert contribs[0].call("codev:item:delete", {"item_id": item_id})["error"] == (
        "codev_item_not_found"
    )


def erase(phone, kind, **extra):
    return phone.call("codev:erase", {"kind": kind, **extra})


def test_porteur_erases_texts_and_answers_at_any_moment(live_server):
    atelier = live_server.create_atelier()
    fac, gid, porteur, animateur, contribs = setup_group(live_server, atelier, contributors=2)
    stranger = live_server.participant(atelier, "Zoé")
    proj = live_server.projector(atelier)
    assert timer(animateur, "start")["ok"]
    assert write(porteur, "subject", "Parcours de jeunes changeants")["ok"]
    # only the role that writes a text may erase it; bad payloads change nothing
    for who in (contribs[0], animateur):
        ack = erase(who, "subject")
        assert ack["error"] == "codev_not_your_text" and "effacer" in ack["message"], ack
    assert erase(stranger, "subject")["error"] == "codev_not_member"
    for payload in (
        {"kind": "question"},
        {"kind": "subject", "text": ""},
        {"kind": None},
        {"kind": "answer", "item_id": "x"},
    ):
        assert not porteur.call("codev:erase", payload)["ok"], payload
    assert fac.call("sync")["data"]["codev"]["details"][str(gid)]["texts"]["subject"]
    # the porteur erases the subject: everyone sees it gone, it can be written again
    ack = erase(porteur, "subject")
    assert ack["ok"] and ack["data"]["texts"]["subject"] is None, ack
    for c in (contribs[1], fac, proj):
        c.wait_event("codev:text", lambda d: d["texts"]["subject"] is None)
    assert write(porteur, "subject", "Un autre sujet")["ok"]
    # a question's answer
    assert timer(animateur, "next")["ok"] and timer(animateur, "next")["ok"]
    question = write(contribs[0], "question", "Combien de jeunes ?")["data"]["item"]
    assert porteur.call("codev:answer", {"item_id": question["id"], "text": "Quinze"})["ok"]
    ack = erase(contribs[0], "answer", item_id=question["id"])
    assert ack["error"] == "codev_not_your_text", ack
    ack = erase(porteur, "answer", item_id=question["id"])
    assert ack["ok"] and ack["data"]["item"]["answer"] is None, ack
    assert ack["data"]["item"]["text"] == "Combien de jeunes ?"
    contribs[1].wait_event(
        "codev:item", lambda d: d["id"] == question["id"] and d["answer"] is None
    )
    # after the end too: the action plan
    assert timer(animateur, "next")["ok"] and timer(animateur, "next")["ok"]  # step 5
    assert write(porteur, "action_plan", "Appeler la mission locale")["ok"]
    while timer(animateur, "next")["ok"]:
        pass
    snap = fac.call("sync")["data"]["codev"]
    assert [g["timer"]["status"] for g in snap["groups"]] == ["finished"]
    assert erase(porteur, "action_plan")["ok"]
    assert erase(porteur, "subject")["ok"]
    texts = fac.call("sync")["data"]["codev"]["details"][str(gid)]["texts"]
    assert texts == {"subject": None, "contract": None, "action_plan": None}
    req = urllib.request.Request(
        f"{live_server.url}/a/{atelier['code']}/codev/summary.md",
        headers={"X-Workshop-Token": porteur.token},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        summary = resp.read().decode()
    assert "Combien de jeunes ?" in summary
    for gone in ("Appeler la mission locale", "Un autre sujet", "Quinze"):
        assert gone not in summary
