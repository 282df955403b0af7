"""Access hardening: origin check, CSRF, secure cookies, instance password,
per-IP rate limits and rotation of the console secret."""

import json

import pytest
import socketio
import websocket

import requests_shim as http
from support import Client, LiveServer


def _polling_handshake(url, headers):
    import urllib.request

    req = urllib.request.Request(url + "/socket.io/?EIO=4&transport=polling", headers=headers)
    return http._do(req, 10)[0]


@pytest.fixture
def proxied_server(tmp_path):
    server = LiveServer(
        tmp_path / "proxied",
        f"sqlite:///{tmp_path / 'proxied.sqlite3'}",
        env={"WORKSHOP_PROXY": "1"},
    )
    server.start()
    yield server
    server.stop()  # first: clients then close at once (no 3 s close handshake)
    server.close_clients()


def test_socketio_handshake_refuses_a_foreign_origin(live_server):
    evil = {"Origin": "http://evil.example"}
    assert _polling_handshake(live_server.url, evil) == 400
    assert _polling_handshake(live_server.url, {"Origin": live_server.url}) == 200
    assert _polling_handshake(live_server.url, {}) == 200  # non-browser clients send none
    ws_url = live_server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(ws_url, origin="http://evil.example", timeout=5)
    ws = websocket.create_connection(ws_url, origin=live_server.url, timeout=5)
    assert ws.recv().startswith("0{")  # Engine.IO open packet
    ws.close()


def test_origin_check_behind_a_tls_proxy(proxied_server):
    """What nginx forwards: Host, X-Forwarded-Proto https, X-Forwarded-For."""
    site = {
        "Host": "ateliers.example.org",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.7",
    }
    ok = _polling_handshake(proxied_server.url, {**site, "Origin": "https://ateliers.example.org"})
    assert ok == 200
    bad = _polling_handshake(proxied_server.url, {**site, "Origin": "https://evil.example"})
    assert bad == 400
    # Links built behind the proxy use the public https address.
    status, data = http.post_json(proxied_server.url + "/api/ateliers", {"title": "x"})
    assert status == 201


def test_json_api_requires_a_json_content_type(client):
    # A cross-site HTML form can only send these types without a preflight.
    for ctype in ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data"):
        res = client.post("/api/ateliers", data=json.dumps({"title": "Piège"}), content_type=ctype)
        assert res.status_code == 400, ctype
    res = client.post("/api/ateliers", json={"title": "Vrai"})
    assert res.status_code == 201


def test_create_form_requires_the_csrf_token(client):
    res = client.post("/ateliers", data={"title": "Sans jeton"})
    assert res.status_code == 400
    client.get("/")
    with client.session_transaction() as sess:
        token = sess["csrf"]
    res = client.post("/ateliers", data={"title": "Avec jeton", "csrf_token": token})
    assert res.status_code == 302


def test_cookies_are_secure_over_https(tmp_path, monkeypatch):
    from workshop import create_app

    for https, expected in (("1", True), ("0", False)):
        monkeypatch.setenv("WORKSHOP_HTTPS", https)
        app = create_app(
            {
                "INSTANCE_PATH": tmp_path / f"i{https}",
                "DATABASE_URL": f"sqlite:///{tmp_path / f'c{https}.sqlite3'}",
                "SECRET_KEY": "k",
            }
        )
        assert app.config["SESSION_COOKIE_SECURE"] is expected
        res = app.test_client().get("/")
        cookie = res.headers.get("Set-Cookie", "")
        assert "session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is expected
        app.extensions["workshop_db"].dispose()


def test_instance_password_restricts_creation(app, client):
    app.config["INSTANCE_PASSWORD"] = "mot-de-passe-du-réseau"
    assert 'name="instance_password"' in client.get("/").get_data(as_text=True)
    res = client.post("/api/ateliers", json={"title": "Sans mot de passe"})
    assert res.status_code == 400 and res.get_json()["error"] == "instance_password"
    res = client.post("/api/ateliers", json={"title": "Faux", "instance_password": "non"})
    assert res.status_code == 400
    res = client.post("/api/ateliers", json={"title": "x", "instance_password": ["liste"]})
    assert res.status_code == 400
    res = client.post(
        "/api/ateliers", json={"title": "Bon", "instance_password": "mot-de-passe-du-réseau"}
    )
    assert res.status_code == 201
    # The form too.
    with client.session_transaction() as sess:
        sess["csrf"] = "tok"
    res = client.post("/ateliers", data={"title": "Form", "csrf_token": "tok"})
    assert res.status_code == 400
    assert "Mot de passe de l’instance incorrect" in res.get_data(as_text=True)
    res = client.post(
        "/ateliers",
        data={"title": "Form", "csrf_token": "tok", "instance_password": "mot-de-passe-du-réseau"},
    )
    assert res.status_code == 302


def test_per_ip_rate_limits_on_creations_and_joins(tmp_path):
    server = LiveServer(
        tmp_path / "limited",
        f"sqlite:///{tmp_path / 'limited.sqlite3'}",
        env={"WORKSHOP_RATE_LIMITS": "1"},
    )
    server.start()
    try:
        statuses = [
            http.post_json(server.url + "/api/ateliers", {"title": f"A{i}"})[0] for i in range(14)
        ]
        assert statuses[:10] == [201] * 10
        assert 429 in statuses[10:]
        status, body = http.post_json(server.url + "/api/ateliers", {"title": "encore"})
        assert status == 429 and body["error"] == "rate_limited"
        # Joins: a burst of 30 per address, then refused.
        import sqlalchemy as sa

        engine = sa.create_engine(server.db_url)
        with engine.connect() as conn:
            code = conn.scalar(sa.text("SELECT code FROM atelier ORDER BY id LIMIT 1"))
        engine.dispose()
        joins = [
            http.post_json(server.url + f"/api/ateliers/{code}/participants", {"name": f"P{i}"})[0]
            for i in range(36)
        ]
        assert joins[:30] == [201] * 30 and 429 in joins[30:]
    finally:
        server.stop()


def test_console_secret_rotation(live_server):
    atelier = live_server.create_atelier(title="Rotation")
    fac = live_server.facilitator(atelier)
    other = live_server.facilitator(atelier)
    phone = live_server.participant(atelier)
    assert phone.call("atelier:rotate_secret")["error"] == "forbidden"

    ack = fac.call("atelier:rotate_secret")
    assert ack["ok"], ack
    new_secret = ack["data"]["secret"]
    assert new_secret != atelier["secret"]
    assert ack["data"]["console_url"].endswith(f"/a/{atelier['code']}/console/{new_secret}")
    # The other console is told, and its commands are refused from now on.
    revoked = other.wait_event("console:revoked")
    assert "changé" in revoked["message"]
    assert other.call("atelier:status", {"status": "locked"})["error"] == "bad_secret"
    # The rotating console goes on.
    assert fac.call("atelier:status", {"status": "locked"})["ok"]
    # The old link no longer works, the new one does.
    old = Client(
        live_server.url,
        {"role": "facilitator", "code": atelier["code"], "secret": atelier["secret"]},
        reconnection=False,
    )
    with pytest.raises(socketio.exceptions.ConnectionError):
        old.connect()
    new = live_server.connect(
        {"role": "facilitator", "code": atelier["code"], "secret": new_secret}
    )
    assert new.call("atelier:status", {"status": "open"})["ok"]
    base = f"{live_server.url}/a/{atelier['code']}/console/"
    assert http.get(base + atelier["secret"])[0] == 403
    assert http.get(base + atelier["secret"] + "/data.json")[0] == 403
    assert http.get(base + new_secret + "/data.json")[0] == 200
