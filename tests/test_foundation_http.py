"""Pages and JSON API of the foundation, through the Flask test client."""

import datetime as dt
import re

import pytest

from workshop.domain.codes import JOIN_ALPHABET

# the atelier's date is today: a fixed date would one day be past the retention period
TODAY = dt.date.today().isoformat()


def create(client, **fields):
    res = client.post("/api/ateliers", json={"title": "Atelier test", **fields})
    assert res.status_code == 201, res.json
    return res.json


def test_home_is_french_by_default_and_english_on_request(client):
    res = client.get("/")
    assert res.status_code == 200
    assert "Créer l’atelier" in res.get_data(as_text=True)
    res = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Create the workshop" in res.get_data(as_text=True)
    client.get("/lang/fr")
    assert "Créer l’atelier" in client.get("/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


def test_create_atelier_form_gives_console_with_secret(client):
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = client.post(
        "/ateliers",
        data={
            "csrf_token": token,
            "title": "Coopérations",
            "date": TODAY,
            "place": "Mulhouse",
            "allow_anonymous": "on",
        },
    )
    assert res.status_code == 302
    console = res.headers["Location"]
    m = re.match(r"/a/([A-Z0-9]{6})/console/([\w-]+)\?new=1", console)
    assert m, console
    code = m.group(1)
    assert set(code) <= set(JOIN_ALPHABET)
    page = client.get(console).get_data(as_text=True)
    assert "Coopérations" in page and f"/a/{code}/projection" in page and f"/j/{code}" in page
    assert client.get(f"/a/{code}/console/wrong-secret").status_code == 403


def test_create_form_without_csrf_is_refused(client):
    res = client.post("/ateliers", data={"title": "x"})
    assert res.status_code == 400
    assert "formulaire a expiré" in res.get_data(as_text=True)


def test_create_form_bad_fields_get_a_message(client):
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = client.post("/ateliers", data={"csrf_token": token, "title": "", "date": TODAY})
    assert res.status_code == 400
    assert "Le texte est vide" in res.get_data(as_text=True)
    res = client.post("/ateliers", data={"csrf_token": token, "title": "x", "date": "demain"})
    assert "date n’est pas valide" in res.get_data(as_text=True)


def test_api_create_and_join(client):
    data = create(client, place="Mulhouse", date=TODAY)
    assert len(data["code"]) == 6
    assert data["secret"] and data["console_url"].endswith(f"/console/{data['secret']}")
    res = client.post(f"/api/ateliers/{data['code'].lower()}/participants", json={"name": " Awa "})
    assert res.status_code == 201
    assert res.json["participant"]["name"] == "Awa"
    assert len(res.json["token"]) >= 40
    info = client.get(f"/api/ateliers/{data['code']}").json
    assert info["atelier"]["title"] == "Atelier test"
    assert "secret" not in info and "console_url" not in info


@pytest.mark.parametrize(
    "name,code",
    [
        ("x" * 41, "name_too_long"),
        ("Awa\u0007", "name_control_chars"),
        ("Awa\nBob", "name_control_chars"),
        (12, "text_invalid"),
    ],
)
def test_join_bad_names_are_rejected(client, name, code):
    data = create(client)
    res = client.post(f"/api/ateliers/{data['code']}/participants", json={"name": name})
    assert res.status_code == 400
    assert res.json["error"] == code
    assert res.json["message"]


def test_empty_name_needs_anonymous_atelier(client):
    named = create(client, allow_anonymous=False)
    res = client.post(f"/api/ateliers/{named['code']}/participants", json={"name": "  "})
    assert res.json["error"] == "name_required"
    anon = create(client, allow_anonymous=True)
    res = client.post(f"/api/ateliers/{anon['code']}/participants", json={"name": ""})
    assert res.status_code == 201 and res.json["participant"]["name"] is None


def test_unknown_code_gets_a_friendly_french_page(client):
    res = client.get("/j/ZZZZZZ")
    assert res.status_code == 404
    assert "Aucun atelier ne correspond à ce code" in res.get_data(as_text=True)
    res = client.get("/j?code=abc 234")
    assert res.headers["Location"].endswith("/j/ABC234")
    res = client.post("/api/ateliers/ZZZZZZ/participants", json={"name": "x"})
    assert res.status_code == 404 and res.json["error"] == "atelier_not_found"


def test_projection_page_has_code_qr_and_short_url(client):
    data = create(client)
    page = client.get(f"/a/{data['code']}/projection").get_data(as_text=True)
    assert data["code"] in page and f"/a/{data['code']}/qr.svg" in page and "/j</p>" in page
    svg = client.get(f"/a/{data['code']}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).startswith("<svg")


def test_security_headers(client):
    res = client.get("/")
    csp = res.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert res.headers["Referrer-Policy"] == "no-referrer"


def test_no_page_loads_anything_from_outside(client):
    data = create(client)
    for path in [
        "/",
        f"/j/{data['code']}",
        f"/a/{data['code']}/p",
        f"/a/{data['code']}/projection",
        data["console_url"].split("localhost")[-1],
    ]:
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r'(src="(https?:)?//|<link[^>]+href="(https?:)?//)', page), path
        assert "<script>" not in page  # no inline script (CSP)


def test_locked_and_closed_ateliers_refuse_joins(app, client):
    from workshop.ateliers import service

    data = create(client)
    with app.extensions["workshop_db"].session() as s:
        service.set_status(s, service.get_atelier(s, data["code"]), "locked")
    res = client.post(f"/api/ateliers/{data['code']}/participants", json={"name": "x"})
    assert res.json["error"] == "atelier_locked"
    with app.extensions["workshop_db"].session() as s:
        service.set_status(s, service.get_atelier(s, data["code"]), "closed")
    assert client.get(f"/j/{data['code']}").status_code == 410


def test_static_assets_are_served_locally(client):
    assert client.get("/static/vendor/socket.io.min.js").status_code == 200
    assert client.get("/static/js/live.js").status_code == 200
