"""Foundation events through Flask-SocketIO's test client (no network)."""

import time

from workshop.extensions import socketio


def make(client):
    return client.post("/api/ateliers", json={"title": "Unitaire"}).json


def test_test_client_connect_and_control(app, client):
    atelier = make(client)
    fac = socketio.test_client(
        app, auth={"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]}
    )
    assert fac.is_connected()
    received = fac.get_received()
    snapshot = next(r["args"][0] for r in received if r["name"] == "snapshot")
    assert snapshot["atelier"]["code"] == atelier["code"]
    assert snapshot["participants"] == []
    ack = fac.emit("atelier:status", {"status": "locked"}, callback=True)
    assert ack["ok"] and ack["data"]["status"] == "locked"
    assert any(r["name"] == "atelier" for r in fac.get_received())
    assert fac.emit("atelier:scene", {"scene": "nowhere"}, callback=True)["error"] == (
        "invalid_scene"
    )
    fac.disconnect()


def test_test_client_refuses_bad_secret(app, client):
    atelier = make(client)
    bad = socketio.test_client(
        app, auth={"role": "facilitator", "code": atelier["code"], "secret": "nope"}
    )
    assert not bad.is_connected()


def test_english_atelier_gets_english_errors(app, client):
    atelier = client.post("/api/ateliers", json={"title": "EN", "locale": "en"}).json
    token = client.post(f"/api/ateliers/{atelier['code']}/participants", json={"name": "Sam"}).json[
        "token"
    ]
    phone = socketio.test_client(
        app, auth={"role": "participant", "code": atelier["code"], "token": token}
    )
    ack = phone.emit("atelier:status", {"status": "closed"}, callback=True)
    assert ack["error"] == "forbidden"
    assert "facilitator" in ack["message"].lower()


def test_the_socket_gate_refuses_before_any_handler(db_url, tmp_path, monkeypatch):
    """A socket over its budget is answered ``rate_limited`` in the atelier's
    language by the gate, without the handler running; below it, handlers run."""
    from workshop import create_app
    from workshop.ateliers import events as atelier_events

    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "DATABASE_URL": db_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "BROADCAST_WINDOW_MS": 0,
        }
    )
    try:
        client = app.test_client()
        atelier = client.post("/api/ateliers", json={"title": "Gate", "locale": "en"}).json
        projector = socketio.test_client(app, auth={"role": "projector", "code": atelier["code"]})
        calls = []
        real_snapshot = atelier_events.build_snapshot
        monkeypatch.setattr(
            atelier_events,
            "build_snapshot",
            lambda *a: calls.append(1) or real_snapshot(*a),
        )
        # A read costs 10 of a burst of 60 (refilled at 20 a second): the
        # first six syncs pass, then the gate answers.
        acks = [projector.emit("sync", {}, callback=True) for _ in range(20)]
        passed = [a for a in acks if a["ok"]]
        assert all(a["ok"] for a in acks[:6]) and 6 <= len(passed) < 20
        assert len(calls) == len(passed)  # the refused ones never reached the handler
        refused = next(a for a in acks if not a["ok"])
        assert refused["error"] == "rate_limited" and "slow down" in refused["message"].lower()
        # unknown events cost 1: once the bucket has refilled a little (20 a
        # second; refusals are so cheap that 80 of them may take under 50 ms),
        # the first ones pass and the rest are refused
        time.sleep(0.2)
        errors = {projector.emit("nope:nope", {}, callback=True)["error"] for _ in range(80)}
        assert errors == {"unknown_event", "rate_limited"}
        projector.emit("sync", {})  # no ack asked: refused silently, nothing breaks
        assert projector.is_connected()
        projector.disconnect()
    finally:
        app.extensions["workshop_db"].dispose()
