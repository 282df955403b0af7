"""One mapping from error codes to HTTP statuses (``domain.errors.http_status``),
applied to every route by the app's error handler: the same code gives the
same status whatever the route, as a page or as JSON."""

import pytest

from workshop.domain.errors import http_status


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("bad_secret", 403),
        ("bad_token", 403),
        ("forbidden", 403),
        ("prompt_not_found", 404),
        ("codev_group_not_found", 404),
        ("export_format", 404),
        ("report_format", 404),
        ("livemap_export_format", 404),
        ("rate_limited", 429),
        ("invalid_payload", 400),
        ("confirm_mismatch", 400),
        ("livemap_empty", 400),
    ],
)
def test_mapping(code, status):
    assert http_status(code) == status


def test_every_route_answers_a_code_with_its_status(app):
    http = app.test_client()
    made = http.post("/api/ateliers", json={"title": "Statuts"})
    assert made.status_code == 201
    code, secret = made.json["code"], made.json["secret"]
    wrong = "x" * 43
    pages = [
        f"/a/{code}/console/{wrong}/board/export.csv",
        f"/a/{code}/console/{wrong}/livemap/export.json",
        f"/a/{code}/console/{wrong}/report/compte-rendu",
        f"/a/{code}/console/{wrong}/data.json",
    ]
    for url in pages:  # the same refusal, the same status, as a page
        res = http.get(url)
        assert res.status_code == 403, (url, res.status_code)
        assert b"<html" in res.data.lower()
    res = http.get(f"/a/{code}/console/{wrong}/codev/1/summary.md")  # a JSON route
    assert res.status_code == 403 and res.json["error"] == "bad_secret"
    res = http.post(f"/a/{code}/console/{wrong}/delete", json={"confirm": code})
    assert res.status_code == 403 and res.json["error"] == "bad_secret"
    # an empty map: the client's request, 400, page and JSON alike
    res = http.get(f"/a/{code}/console/{secret}/livemap/export.json")
    assert res.status_code == 400
    res = http.post(f"/a/{code}/console/{secret}/livemap/import")
    assert res.status_code == 400 and res.json["error"] == "livemap_import_files"
    # what the address names does not exist: 404
    res = http.get(f"/a/{code}/console/{secret}/codev/999999/summary.md")
    assert res.status_code == 404 and res.json["error"] == "codev_group_not_found"
    res = http.get(f"/a/{code}/console/{secret}/board/export.csv?prompt=999999")
    assert res.status_code == 404
    res = http.post(f"/a/{code}/console/{secret}/delete", json={"confirm": "NOPE"})
    assert res.status_code == 400 and res.json["error"] == "confirm_mismatch"
