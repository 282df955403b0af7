"""The live actor map over real WebSockets against the real server process."""

import json
import threading

import requests_shim as http
from livemap_helpers import (
    actor_by_name,
    add_actor,
    add_contribution,
    add_link,
    cid,
    fresh_state,
    ok,
    state_of,
)

STAGES = ("declencher", "organiser", "animer")


def test_five_phones_build_the_map_while_the_projector_follows(live_server):
    atelier = live_server.create_atelier(title="Portrait croisé")
    fac = live_server.facilitator(atelier)
    fac2 = live_server.facilitator(atelier)  # a second console, open at once
    proj = live_server.projector(atelier)
    assert proj.snapshot["livemap"]["actors"] == []
    phones = [live_server.participant(atelier, f"P{i}") for i in range(5)]
    # closed activity: a phone's submission is refused, nothing stored
    ack = add_actor(phones[0], "Trop tôt")
    assert not ack["ok"] and ack["error"] == "livemap_closed"
    ok(fac.call("livemap:settings", {"open": True, "view": "stage"}))
    for p in phones:
        p.wait_event("livemap:public", lambda d: d["settings"]["open"])
    hub = ok(add_actor(fac, "Ville de Mulhouse", kind="collectivite"))
    assert hub["status"] == "validated"
    proj.wait_event("livemap:map", lambda d: len(d["actors"]) == 1)

    errors = []

    def phone_work(i, phone):
        try:
            actor = ok(add_actor(phone, f"Structure {i}", territory="Mulhouse"))
            assert actor["status"] == "pending" and actor["created"]
            for stage in STAGES:
                ok(add_contribution(phone, actor["id"], stage, f"apport {i} {stage}"))
            ok(add_link(phone, actor["id"], hub["id"], "membre"))
        except Exception as err:  # reported in the main thread
            errors.append(err)

    threads = [threading.Thread(target=phone_work, args=(i, p)) for i, p in enumerate(phones)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert not errors, errors

    # each phone sees its own pending items, not the others'; the projector none
    mine = phones[0].wait_event("livemap:mine", lambda d: len(d["contributions"]) == 3)
    assert [a["name"] for a in mine["actors"]] == ["Structure 0"]
    assert len(proj.received("livemap:map")[-1]["actors"]) == 1
    public = phones[1].received("livemap:public")
    assert all(a["name"] != "Structure 0" for d in public for a in d["actors"])
    st = fac.wait_event("livemap:state", lambda d: len(d["actors"]) == 6 and len(d["links"]) == 5)
    assert sum(1 for c in st["contributions"] if c["status"] == "pending") == 15

    # a resend of the same submission is stored once
    again_id = cid()
    first = ok(add_contribution(phones[0], mine["actors"][0]["id"], "animer", "relais", again_id))
    second = ok(add_contribution(phones[0], mine["actors"][0]["id"], "animer", "relais", again_id))
    assert first["id"] == second["id"] and not second["created"]

    # the console validates; the projector receives the map within a second
    proj.clear()
    done = ok(fac.call("livemap:validate", {"what": "all"}))
    assert len(done["actors"]) == 5 and len(done["contributions"]) == 16
    got = proj.wait_event("livemap:map", lambda d: len(d["actors"]) == 6, timeout=1.5)
    assert len(got["contributions"]) == 16 and len(got["links"]) == 5
    assert got["analysis"]["stages"][0]["actors"] == 5
    assert got["analysis"]["paragraphs"][0].startswith("La cartographie compte 6 acteurs")
    version = got["settings"]["version"]
    status, body, headers = http.get(
        f"{live_server.url}/a/{atelier['code']}/livemap/map.svg?v={version}"
    )
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in body[:600] and b"Structure 3" in body
    phones[3].wait_event("livemap:public", lambda d: len(d["actors"]) == 6)

    # the suggestion: the same actor typed differently is not created twice
    same = ok(add_actor(phones[2], "structure 0"))
    assert not same["created"] and same["name"] == "Structure 0"

    # two phones create the same actor before validation; the console merges
    a = ok(add_actor(phones[0], "Unis-Cité"))
    b = ok(add_actor(phones[1], "Unis Cite", territory=""))
    assert a["id"] != b["id"]
    ok(add_contribution(phones[0], a["id"], "declencher", "service civique"))
    ok(add_contribution(phones[1], b["id"], "organiser", "ingénierie pour les structures"))
    ok(add_link(phones[1], b["id"], hub["id"], "partenaire"))
    st = fac.wait_event("livemap:state", lambda d: len(d["actors"]) == 8)
    va, vb = actor_by_name(st, "Unis-Cité")["version"], actor_by_name(st, "Unis Cite")["version"]
    stale = state_of(fac2)  # the second console's (older) view
    fac.clear()
    merged = ok(
        fac.call(
            "livemap:merge",
            {
                "source_id": b["id"],
                "target_id": a["id"],
                "source_version": vb,
                "target_version": va,
            },
        )
    )
    assert merged["status"] == "pending"  # merging does not validate
    st = fac.wait_event("livemap:state", lambda d: len(d["actors"]) == 7)
    va = merged["version"]
    kept = [c for c in st["contributions"] if c["actor_id"] == a["id"]]
    assert sorted(c["stage"] for c in kept) == ["declencher", "organiser"]
    assert any(lk["source_id"] == a["id"] for lk in st["links"])
    ok(fac.call("livemap:validate", {"what": "actor", "id": a["id"]}))
    ok(fac.call("livemap:validate", {"what": "all"}))
    got = proj.wait_event(
        "livemap:map", lambda d: any(x["name"] == "Unis-Cité" for x in d["actors"])
    )
    assert {c["text"] for c in got["contributions"] if c["actor_id"] == a["id"]} == {
        "service civique",
        "ingénierie pour les structures",
    }

    # the second console, still on old versions: clear errors, no overwrite
    old_a = (
        next(x for x in stale["actors"] if x["id"] == a["id"])
        if any(x["id"] == a["id"] for x in stale["actors"])
        else {"id": a["id"], "version": va}
    )
    ack = fac2.call(
        "livemap:actor:update",
        {"actor_id": a["id"], "version": old_a["version"], "name": "Unis-Cité Alsace"},
    )
    assert not ack["ok"] and ack["error"] == "conflict"
    assert "Unis-Cité" in ack["message"] and "quelqu" in ack["message"].lower()
    ack = fac2.call(
        "livemap:merge",
        {
            "source_id": b["id"],
            "target_id": hub["id"],
            "source_version": vb,
            "target_version": actor_by_name(fresh_state(fac), "Ville de Mulhouse")["version"],
        },
    )
    assert not ack["ok"] and ack["error"] == "livemap_actor_merged"
    assert "Unis-Cité" in ack["message"]

    # bad input: a clear French message, nothing changed
    target = actor_by_name(fresh_state(fac), "Structure 4")
    ok(
        fac.call(
            "livemap:delete", {"what": "actor", "id": target["id"], "version": target["version"]}
        )
    )
    ack = add_link(phones[0], mine["actors"][0]["id"], target["id"])
    assert not ack["ok"] and ack["error"] == "livemap_actor_deleted"
    assert "supprimé" in ack["message"]
    ack = add_contribution(phones[0], mine["actors"][0]["id"], "planifier", "x")
    assert not ack["ok"] and ack["error"] == "livemap_invalid_stage"
    ack = add_contribution(phones[0], mine["actors"][0]["id"], "animer", "x" * 501)
    assert not ack["ok"] and ack["error"] == "livemap_text_too_long" and "500" in ack["message"]
    ack = add_actor(phones[0], "")
    assert not ack["ok"] and ack["error"] == "text_empty"
    ack = fac.call("livemap:validate", {"what": "actor", "id": 10**9})
    assert not ack["ok"] and ack["error"] == "livemap_actor_not_found"
    # participants cannot validate
    ack = phones[0].call("livemap:validate", {"what": "all"})
    assert not ack["ok"] and ack["error"] == "forbidden"
    final = fresh_state(fac)
    assert len([a for a in final["actors"]]) == 6

    # highlight: the projector gets the actor's chain and links
    ok(fac.call("livemap:settings", {"highlight": hub["id"], "view": "network"}))
    got = proj.wait_event("livemap:map", lambda d: d["highlight"] is not None)
    assert got["highlight"]["actor"] == "Ville de Mulhouse" and got["highlight"]["links"]
    assert got["settings"]["view"] == "network"


def test_reconnecting_phone_gets_its_pending_items(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    ok(fac.call("livemap:settings", {"open": True}))
    phone = live_server.participant(atelier, "Awa")
    actor = ok(add_actor(phone, "Tubà"))
    ok(add_contribution(phone, actor["id"], "declencher", "faire émerger"))
    phone.sio.disconnect()
    again = live_server.connect(
        {"role": "participant", "code": atelier["code"], "token": phone.token}
    )
    mine = again.snapshot["livemap"]["mine"]
    assert [a["name"] for a in mine["actors"]] == ["Tubà"]
    assert [c["text"] for c in mine["contributions"]] == ["faire émerger"]


def test_a_phone_withdraws_its_own_items_only(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    ok(fac.call("livemap:settings", {"open": True}))
    awa = live_server.participant(atelier, "Awa")
    bruno = live_server.participant(atelier, "Bruno")
    tuba = ok(add_actor(awa, "Tubà"))
    fonda = ok(add_actor(bruno, "La Fonda"))
    contrib = ok(add_contribution(awa, tuba["id"], "declencher", "faire émerger"))
    kept = ok(add_contribution(awa, tuba["id"], "animer", "animer le réseau"))
    # someone else's submission, bad payloads: refused, nothing changes
    ack = bruno.call("livemap:withdraw", {"what": "contribution", "id": contrib["id"]})
    assert ack["error"] == "livemap_not_yours", ack
    for payload in (
        {"what": "note", "id": 1},
        {"what": "actor"},
        {"what": "actor", "id": 1, "x": 1},
    ):
        assert not awa.call("livemap:withdraw", payload)["ok"]
    # one's own pending contribution: gone for the console, gone from "mine"
    ok(awa.call("livemap:withdraw", {"what": "contribution", "id": contrib["id"]}))
    fac.wait_for(
        lambda: [c["text"] for c in state_of(fac)["contributions"]] == ["animer le réseau"],
        "the console without the withdrawn contribution",
    )
    awa.wait_event("livemap:mine", lambda d: [c["id"] for c in d["contributions"]] == [kept["id"]])
    # validated items stay hers to take back (see the next test)
    ok(fac.call("livemap:validate", {"what": "actor", "id": tuba["id"]}))
    names = {a["name"]: a["status"] for a in fresh_state(fac)["actors"]}
    assert names == {"Tubà": "validated", "La Fonda": "pending"}
    assert [a["status"] for a in ok(awa.call("sync"))["livemap"]["mine"]["actors"]] == ["validated"]
    # Bruno takes back his own pending actor
    ok(bruno.call("livemap:withdraw", {"what": "actor", "id": fonda["id"]}))
    fac.wait_for(
        lambda: (
            {a["name"]: a["status"] for a in state_of(fac)["actors"]}.get("La Fonda")
            in (None, "deleted")
        ),
        "La Fonda withdrawn",
    )


def test_a_phone_takes_back_what_is_already_on_the_map(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    ok(fac.call("livemap:settings", {"open": True}))
    awa = live_server.participant(atelier, "Awa")
    bruno = live_server.participant(atelier, "Bruno")
    tuba = ok(add_actor(awa, "Tubà", kind="association", territory="Mulhouse"))
    mine_c = ok(add_contribution(awa, tuba["id"], "declencher", "faire émerger"))
    hub = ok(add_actor(fac, "Ville de Mulhouse"))
    link = ok(add_link(awa, tuba["id"], hub["id"]))
    theirs = ok(add_contribution(bruno, tuba["id"], "animer", "animer le réseau"))
    ok(fac.call("livemap:validate", {"what": "all"}))
    proj.wait_event("livemap:map", lambda d: len(d["contributions"]) == 2 and d["links"])
    # her phone lists them as on the map
    mine = awa.wait_event(
        "livemap:mine",
        lambda d: d["links"] and all(a["status"] == "validated" for a in d["actors"]),
    )
    assert [(a["name"], a["status"]) for a in mine["actors"]] == [("Tubà", "validated")]
    assert [c["status"] for c in mine["contributions"]] == ["validated"]
    # Bruno wrote on her actor: it stays, she is told why
    ack = awa.call("livemap:withdraw", {"what": "actor", "id": tuba["id"]})
    assert ack["error"] == "livemap_actor_in_use" and "Tubà" in ack["message"], ack
    assert bruno.call("livemap:withdraw", {"what": "link", "id": link["id"]})["error"] == (
        "livemap_not_yours"
    )
    # her validated contribution and link: gone from the map and the exports
    ok(awa.call("livemap:withdraw", {"what": "contribution", "id": mine_c["id"]}))
    ok(awa.call("livemap:withdraw", {"what": "link", "id": link["id"]}))
    proj.wait_event(
        "livemap:map",
        lambda d: (
            [c["text"] for c in d["contributions"]] == ["animer le réseau"] and not d["links"]
        ),
    )
    bruno.wait_event("livemap:public", lambda d: not d["links"])
    # once Bruno took his contribution back, the actor itself can go
    ok(bruno.call("livemap:withdraw", {"what": "contribution", "id": theirs["id"]}))
    done = ok(awa.call("livemap:withdraw", {"what": "actor", "id": tuba["id"]}))
    assert done["actor"] == tuba["id"]
    proj.wait_event("livemap:map", lambda d: [a["name"] for a in d["actors"]] == [hub["name"]])
    awa.wait_event("livemap:mine", lambda d: not d["actors"] and not d["contributions"])
    gone = [a for a in fresh_state(fac)["actors"] if a["id"] == tuba["id"]]
    assert gone == []
    status, body, _ = http.get(
        f"{live_server.url}/a/{atelier['code']}/console/{atelier['secret']}/livemap/export.json"
    )
    exported = str(json.loads(body))
    assert status == 200 and "Ville de Mulhouse" in exported
    assert "Tubà" not in exported and "faire émerger" not in exported


def test_phones_naming_the_same_actor_at_once_get_distinct_keys(live_server):
    """Twelve phones submit « CAF » at the same instant: each one's pending
    actor is its own (pending actors are visible to their author only), so
    twelve actors are stored, each with its own key, with no error; once the
    console validates them, the map holds twelve distinct actors."""
    atelier = live_server.create_atelier(title="Course aux clés")
    fac = live_server.facilitator(atelier)
    ok(fac.call("livemap:settings", {"open": True}))
    phones = [live_server.participant(atelier, f"P{i}") for i in range(12)]
    assert all(p.snapshot["livemap"]["settings"]["open"] for p in phones)
    barrier = threading.Barrier(len(phones))
    acks, errors = [None] * len(phones), []

    def submit(i, phone):
        try:
            barrier.wait(10)
            acks[i] = add_actor(phone, "CAF" if i % 2 else "C.A.F.")
        except Exception as err:  # reported in the main thread
            errors.append(err)

    threads = [threading.Thread(target=submit, args=(i, p)) for i, p in enumerate(phones)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert not errors, errors
    stored = [ok(a) for a in acks]
    assert all(a["created"] and a["status"] == "pending" for a in stored)
    assert len({a["id"] for a in stored}) == len(phones)
    ok(fac.call("livemap:validate", {"what": "all"}))
    state = fac.wait_event(
        "livemap:state",
        lambda d: sum(a["status"] == "validated" for a in d["actors"]) == len(phones),
    )
    keys = [a["key"] for a in state["actors"]]
    assert len(set(keys)) == len(phones), keys
    assert all(a["status"] == "validated" for a in state["actors"])
