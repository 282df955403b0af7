"""The déroulé over real WebSockets against the real server process."""

import time


def build(fac, modele="ptit_dej"):
    ack = fac.call("deroule:template:apply", {"template": modele})
    assert ack["ok"], ack
    state = fac.wait_event(
        "deroule:state", lambda d: len(d["activities"]) >= ack["data"]["created"]
    )
    return [a["id"] for a in state["activities"]]


def test_navigation_reaches_every_surface_and_late_joiners(live_server):
    atelier = live_server.create_atelier(title="P’tit Déj")
    fac = live_server.facilitator(atelier)
    ids = build(fac)
    proj = live_server.projector(atelier)
    phone = live_server.participant(atelier, "Awa")
    assert phone.snapshot["deroule"]["current_id"] is None
    assert "types" not in phone.snapshot["deroule"]
    assert {t["key"] for t in fac.snapshot["deroule"]["types"]} >= {
        "welcome",
        "message",
        "question",
        "vote",
        "codev",
        "map",
        "close",
    }

    ack = fac.call("deroule:next")
    assert ack["ok"] and ack["data"]["current_id"] == ids[0]
    ack = fac.call("deroule:next")
    assert ack["data"]["current_id"] == ids[1]
    for c in (phone, proj, fac):
        state = c.wait_event("deroule:state", lambda d: d["current_id"] == ids[1])
        assert state["activities"][1]["panel"] == "board"
    proj.wait_event("atelier", lambda d: d["scene"] == "board")
    prompt_id = state["activities"][1]["prompt_id"]
    phone.wait_event(
        "board:state",
        lambda d: any(p["id"] == prompt_id and p["status"] == "open" for p in d["prompts"]),
    )
    # the phone can write on the question at once
    ack = phone.call(
        "board:note:create",
        {"client_id": "note-live-0001", "prompt_id": prompt_id, "text": "Du temps"},
    )
    assert ack["ok"], ack

    # a phone that joins now lands on the current activity
    late = live_server.participant(atelier, "Léa")
    assert late.snapshot["deroule"]["current_id"] == ids[1]

    # a participant and a projector cannot drive the déroulé
    for c in (phone, proj):
        for name, payload in (
            ("deroule:next", {}),
            ("deroule:prev", {}),
            ("deroule:goto", {"activity_id": ids[0]}),
            ("deroule:overlay", {"overlay": "blank"}),
            ("deroule:reorder", {"ids": ids[::-1]}),
            ("deroule:activity:delete", {"activity_id": ids[0]}),
        ):
            ack = c.call(name, payload)
            assert ack["error"] == "forbidden" and ack["message"], (name, ack)
    assert fac.call("sync")["data"]["deroule"]["current_id"] == ids[1]

    # blank, join screen, then back to the activity
    assert fac.call("deroule:overlay", {"overlay": "blank"})["ok"]
    proj.wait_event("deroule:state", lambda d: d["overlay"] == "blank")
    assert fac.call("deroule:overlay", {"overlay": "join"})["ok"]
    proj.wait_event("deroule:state", lambda d: d["overlay"] == "join")
    assert fac.call("deroule:next")["ok"]  # the vote; changing activity takes the overlay down
    state = phone.wait_event("deroule:state", lambda d: d["current_id"] == ids[2])
    assert state["overlay"] == "none"

    # bad input: named, nothing changed
    seq = state["seq"]
    assert fac.call("deroule:reorder", {"ids": ids[:-1]})["error"] == "deroule_bad_order"
    assert fac.call("deroule:reorder", {"ids": ids + [10**6]})["error"] == "deroule_bad_order"
    assert (
        fac.call("deroule:activity:delete", {"activity_id": ids[2]})["error"]
        == "deroule_delete_current"
    )
    assert fac.call("deroule:goto", {"activity_id": ids[-1]})["ok"]
    ack = fac.call("deroule:next")
    assert ack["error"] == "deroule_at_end" and "dernière" in ack["message"]
    bad = fac.call(
        "deroule:import",
        {
            "document": {
                "format": "workshop-deroule",
                "version": 1,
                "activities": [{"type": "vote", "title": "V", "settings": {"dots": "trois"}}],
            }
        },
    )
    assert bad["error"] == "deroule_bad_field" and "activities[1].settings.dots" in bad["message"]
    newer = fac.call(
        "deroule:import",
        {"document": {"format": "workshop-deroule", "version": 7, "activities": []}},
    )
    assert newer["error"] == "deroule_newer_version" and "7" in newer["message"]
    notafile = fac.call("deroule:import", {"document": {"activities": []}})
    assert notafile["error"] == "deroule_not_a_file"
    now = fac.call("sync")["data"]["deroule"]
    assert [a["id"] for a in now["activities"]] == ids and now["seq"] == seq + 1  # only the goto


def test_phone_reconnecting_mid_activity_lands_on_the_current_one(live_server):
    atelier = live_server.create_atelier(title="Reconnexion")
    fac = live_server.facilitator(atelier)
    ids = build(fac, "portrait_croise")
    phone = live_server.participant(atelier, "Karim")
    assert fac.call("deroule:goto", {"activity_id": ids[1]})["ok"]
    phone.wait_event("deroule:state", lambda d: d["current_id"] == ids[1])
    phone.sio.disconnect()
    assert fac.call("deroule:next")["ok"]  # while the phone is away
    phone.clear()
    phone.connect()
    assert phone.snapshot["deroule"]["current_id"] == ids[2]
    # and the server keeps the time spent
    time.sleep(0.2)
    state = fac.call("sync")["data"]["deroule"]
    assert state["activities"][1]["spent_ms"] > 0
    assert state["since_ms"] <= state["server_time"]


def test_room_screens_from_a_short_address(live_server):
    import urllib.error
    import urllib.request

    atelier = live_server.create_atelier(title="Journée régionale")
    fac = live_server.facilitator(atelier)
    build(fac, "journee_cooperations")
    groups = [a for a in fac.call("sync")["data"]["deroule"]["activities"] if a["type"] == "codev"][
        0
    ]["groups"]
    assert [g["room"] for g in groups] == [
        "Salle Chardon",
        "Salle Myrtilles",
        "Espace Lorraine",
        "Salle Gruber",
    ]
    with urllib.request.urlopen(f"{live_server.url}/s/{atelier['code']}/2") as res:
        page = res.read().decode()
    assert f'data-codev-group="{groups[1]["id"]}"' in page
    try:
        urllib.request.urlopen(f"{live_server.url}/s/{atelier['code']}/9")
        raise AssertionError("no room 9")
    except urllib.error.HTTPError as err:
        assert err.code == 404


def test_saved_modeles_over_the_wire(live_server):
    """Save, list on another atelier's console, apply, refuse bad input, delete."""
    one = live_server.create_atelier(title="Atelier de mars")
    fac = live_server.facilitator(one)
    build(fac)
    other_console = live_server.facilitator(one)
    ack = fac.call("deroule:modele:save", {"name": "Matinée type"})
    assert ack["ok"], ack
    mid = ack["data"]["id"]
    assert ack["data"]["created"] is True
    assert any(m["id"] == mid and m["activities"] == 4 for m in ack["data"]["modeles"])
    # the atelier's other console gets the new list
    other_console.wait_event("deroule:modeles", lambda d: any(m["id"] == mid for m in d["modeles"]))
    # a participant may not save, import, apply nor delete
    phone = live_server.participant(one, "Awa")
    for event, payload in (
        ("deroule:modele:save", {"name": "x"}),
        ("deroule:modele:import", {"name": "x", "document": {"format": "workshop-deroule"}}),
        ("deroule:modele:apply", {"modele_id": mid}),
        ("deroule:modele:delete", {"modele_id": mid}),
    ):
        refused = phone.call(event, payload)
        assert not refused["ok"] and refused["error"] == "forbidden", (event, refused)
    assert "modeles" not in phone.snapshot["deroule"]
    # another atelier of the instance lists it beside the shipped ones, and uses it
    two = live_server.create_atelier(title="Atelier d’avril")
    fac2 = live_server.facilitator(two)
    assert [m["mine"] for m in fac2.snapshot["deroule"]["modeles"] if m["id"] == mid] == [False]
    applied = fac2.call("deroule:modele:apply", {"modele_id": mid})
    assert applied["ok"] and applied["data"]["created"] == 4, applied
    state = fac2.wait_event("deroule:state", lambda d: len(d["activities"]) == 4)
    assert [a["type"] for a in state["activities"]] == ["welcome", "question", "vote", "close"]
    # ... but can neither overwrite it under its name nor delete it
    for event, payload, code in (
        ("deroule:modele:save", {"name": "Matinée type"}, "deroule_modele_name_taken"),
        ("deroule:modele:delete", {"modele_id": mid}, "deroule_modele_not_yours"),
    ):
        refused = fac2.call(event, payload)
        assert not refused["ok"] and refused["error"] == code, (event, refused)
        assert "autre atelier" in refused["message"]
    # bad input: a clear message that names the field, nothing created
    before = len(fac2.call("sync")["data"]["deroule"]["modeles"])
    bad = fac2.call(
        "deroule:modele:import",
        {
            "name": "Cassé",
            "document": {
                "format": "workshop-deroule",
                "version": 1,
                "activities": [{"type": "vote", "title": "Vote", "settings": {"dots": 99}}],
            },
        },
    )
    assert not bad["ok"] and bad["error"] == "deroule_bad_field", bad
    assert "activities[1].settings.dots" in bad["message"]
    empty_name = fac2.call("deroule:modele:save", {"name": "   "})
    assert not empty_name["ok"] and empty_name["error"] == "text_empty"
    unknown = fac2.call("deroule:modele:apply", {"modele_id": 10**9})
    assert not unknown["ok"] and unknown["error"] == "deroule_unknown_modele"
    assert len(fac2.call("sync")["data"]["deroule"]["modeles"]) == before
    # deleted: gone from every list; the atelier built with it keeps its activities
    gone = fac.call("deroule:modele:delete", {"modele_id": mid})
    assert gone["ok"] and all(m["id"] != mid for m in gone["data"]["modeles"])
    again = fac.call("deroule:modele:delete", {"modele_id": mid})
    assert not again["ok"] and again["error"] == "deroule_unknown_modele"
    assert len(fac2.call("sync")["data"]["deroule"]["activities"]) == 4


def test_editing_a_question_on_the_board_edits_its_activity(live_server):
    """✎ on the board's question changes the déroulé activity's question
    too: every console sees it, and a later edit of the activity's settings
    does not put the old text back on the board."""
    atelier = live_server.create_atelier(title="P’tit Déj")
    fac = live_server.facilitator(atelier)
    other = live_server.facilitator(atelier)
    ids = build(fac)
    question = next(
        a for a in fac.call("sync")["data"]["deroule"]["activities"] if a["type"] == "question"
    )
    assert question["id"] in ids
    prompt_id = question["prompt_id"]
    ack = fac.call("board:prompt:update", {"prompt_id": prompt_id, "text": "Un café, et ensuite ?"})
    assert ack["ok"], ack
    state = other.wait_event(
        "deroule:state",
        lambda d: any(
            a["id"] == question["id"] and a["settings"]["prompt"] == "Un café, et ensuite ?"
            for a in d["activities"]
        ),
    )
    assert state
    ack = fac.call(
        "deroule:activity:update",
        {"activity_id": question["id"], "settings": {"visibility": "reveal"}},
    )
    assert ack["ok"], ack
    prompts = fac.call("sync")["data"]["board"]["prompts"]
    assert next(p for p in prompts if p["id"] == prompt_id)["text"] == "Un café, et ensuite ?"
