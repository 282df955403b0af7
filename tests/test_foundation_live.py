"""The foundation over a real WebSocket against the real server process."""

import json
import time

import pytest

import requests_shim as http
from support import LiveServer


def test_connect_gets_snapshot_for_each_role(live_server):
    atelier = live_server.create_atelier(title="Coopérations")
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    phone = live_server.participant(atelier, "Awa")
    assert fac.snapshot["atelier"]["title"] == "Coopérations"
    assert fac.snapshot["me"]["role"] == "facilitator"
    assert phone.snapshot["me"]["name"] == "Awa"
    assert "participants" not in phone.snapshot and "participants" not in proj.snapshot
    proj.wait_event("presence", lambda d: d["count"] == 1)
    fac.wait_event("presence", lambda d: d.get("participant_id") == phone.participant["id"])
    fac.call("sync")
    assert [p["name"] for p in fac.call("sync")["data"]["participants"]] == ["Awa"]


def test_bad_credentials_are_refused_without_leaking(live_server):
    atelier = live_server.create_atelier()
    other = live_server.create_atelier()
    joined_other = live_server.join(other["code"])
    import pytest
    import socketio

    for auth in [
        {"role": "facilitator", "code": atelier["code"], "secret": "forged"},
        {"role": "participant", "code": atelier["code"], "token": "forged"},
        {"role": "participant", "code": atelier["code"], "token": joined_other["token"]},
        {"role": "admin", "code": atelier["code"]},
        {"role": "projector", "code": "ZZZZZZ"},
        "garbage",
    ]:
        from support import Client

        c = Client(live_server.url, auth, reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            c.connect()
        assert not c.snapshots


def test_malformed_payloads_get_error_acks_and_handler_survives(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    assert fac.call("atelier:status", "not a dict")["error"] == "invalid_payload"
    assert fac.call("atelier:status", {"status": "bogus"})["error"] == "invalid_status"
    assert fac.call("atelier:status", {"status": "x" * 200_000})["error"] == "payload_too_large"
    assert fac.call("atelier:status", {"status": 12})["error"] == "invalid_status"
    assert fac.call("atelier:update", {"title": ["x"]})["error"] == "invalid_payload"
    assert fac.call("atelier:update", {"bogus": 1})["error"] == "invalid_payload"
    # values of the wrong type are refused, not turned into a default
    for bad in ({"allow_anonymous": "non"}, {"allow_anonymous": 1}, {"locale": {}}):
        ack = fac.call("atelier:update", bad)
        assert ack["error"] in ("invalid_payload", "invalid_locale"), (bad, ack)
        assert ack["field"] == next(iter(bad))
    assert fac.call("atelier:update", {"locale": "en"})["data"]["locale"] == "en"
    assert fac.call("atelier:update", {"locale": {}})["error"] == "invalid_locale"
    assert fac.call("sync", {})["data"]["atelier"]["locale"] == "en"
    assert fac.call("no:such:event", {})["error"] == "unknown_event"
    assert fac.call("participant:remove", {"participant_id": "1; drop"})["error"] == (
        "invalid_payload"
    )
    ack = fac.call("atelier:status", {"status": "locked"})
    assert ack["ok"] and ack["data"]["status"] == "locked"


def test_participant_cannot_control_the_atelier(live_server):
    atelier = live_server.create_atelier()
    phone = live_server.participant(atelier)
    ack = phone.call("atelier:status", {"status": "closed"})
    assert ack == {"ok": False, "error": "forbidden", "message": ack["message"]}
    assert "réservée" in ack["message"]


def test_lock_close_broadcast_and_remove_participant(live_server):
    atelier = live_server.create_atelier()
    fac = live_server.facilitator(atelier)
    proj = live_server.projector(atelier)
    phone = live_server.participant(atelier, "Bob")
    assert fac.call("atelier:status", {"status": "locked"})["ok"]
    proj.wait_event("atelier", lambda d: d["status"] == "locked")
    phone.wait_event("atelier", lambda d: d["status"] == "locked")
    ack = fac.call("participant:remove", {"participant_id": phone.participant["id"]})
    assert ack["ok"]
    phone.wait_event("removed")
    proj.wait_event("presence", lambda d: d["count"] == 0)
    # the token no longer works
    from support import Client

    again = Client(live_server.url, phone.auth, reconnection=False)
    import pytest
    import socketio

    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect()


def test_reconnect_gets_a_fresh_snapshot(live_server):
    atelier = live_server.create_atelier()
    phone = live_server.participant(atelier)
    fac = live_server.facilitator(atelier)
    phone.sio.disconnect()
    fac.call("atelier:update", {"title": "Nouveau titre"})
    phone.connect()
    assert phone.snapshot["atelier"]["title"] == "Nouveau titre"


def test_server_restart_clients_come_back_and_nothing_is_lost(live_server):
    atelier = live_server.create_atelier(title="Avant redémarrage")
    fac = live_server.facilitator(atelier)
    phone = live_server.participant(atelier, "Chloé")
    proj = live_server.projector(atelier)
    assert fac.call("atelier:update", {"place": "Salle Chardon"})["ok"]
    n = [len(c.snapshots) for c in (fac, phone, proj)]
    live_server.restart(kill=True)
    for c, before in zip((fac, phone, proj), n, strict=True):
        c.wait_for(lambda c=c, before=before: len(c.snapshots) > before, "resync", timeout=20)
    assert phone.snapshot["atelier"]["place"] == "Salle Chardon"
    assert phone.snapshot["me"]["name"] == "Chloé"
    assert [p["name"] for p in fac.snapshot["participants"]] == ["Chloé"]
    time.sleep(0.2)
    assert fac.call("atelier:status", {"status": "locked"})["ok"]


@pytest.mark.parametrize("mode", [None, "threading"])
def test_serve_runs_under_gevent_unless_told_otherwise(tmp_path, mode):
    # None: the variable unset, as on a facilitator's laptop
    env = {"WORKSHOP_ASYNC_MODE": mode}
    server = LiveServer(tmp_path / "mode", f"sqlite:///{tmp_path / 'mode.sqlite3'}", env=env)
    server.start()
    try:
        status, body, _ = http.get(server.url + "/healthz")
        assert status == 200 and json.loads(body)["mode"] == (mode or "gevent")
        atelier = server.create_atelier()
        fac = server.facilitator(atelier)
        proj = server.projector(atelier)
        ack = fac.call("atelier:update", {"title": "Mode " + (mode or "gevent")})
        assert ack["ok"], ack
        proj.wait_event("atelier", lambda d: d["title"].startswith("Mode"))
        assert "Serveur prêt" in server.read_log()
    finally:
        server.stop()
        server.close_clients()
