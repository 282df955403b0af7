"""Foundation events through Flask-SocketIO's test client (no network)."""

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
