"""GDPR: anonymous participation, deletion of every row, export, retention purge."""

import datetime as dt
import json

import sqlalchemy as sa
from click.testing import CliRunner

from ops_helpers import all_rows, fill_atelier
from workshop.gdpr import retention


def _engine(app):
    return app.extensions["workshop_db"].engine


def test_anonymous_participation_stores_no_name(app, client):
    res = client.post("/api/ateliers", json={"title": "Anonymat", "allow_anonymous": True})
    code = res.get_json()["code"]
    res = client.post(f"/api/ateliers/{code}/participants", json={"name": ""})
    assert res.status_code == 201
    pid = res.get_json()["participant"]["id"]
    res = client.post(f"/api/ateliers/{code}/participants", json={})
    pid2 = res.get_json()["participant"]["id"]
    with _engine(app).connect() as conn:
        names = conn.execute(
            sa.text("SELECT display_name FROM participant WHERE id IN (:a, :b)"),
            {"a": pid, "b": pid2},
        ).all()
    assert [n for (n,) in names] == [None, None]


def test_deleting_an_atelier_removes_every_row_of_it(app, client):
    """Generic: whatever tables the capabilities add, deleting atelier A leaves
    the database exactly as it was before A existed (B untouched)."""
    fill_atelier(app, "Atelier B (témoin)")
    before = all_rows(_engine(app))
    aid, code, secret = fill_atelier(app, "Atelier A (à supprimer)")
    during = all_rows(_engine(app))
    grown = {t for t in during if len(during[t]) > len(before.get(t, ()))}
    assert {"atelier", "participant"} <= grown
    # Every capability with a demo loader wrote something for A.
    assert len(grown) >= 2 + sum(
        1 for c in app.extensions["workshop_capabilities"] if c.demo and c.name != "ateliers"
    ), grown

    res = client.post(f"/a/{code}/console/{secret}/delete", json={"confirm": code.lower()})
    assert res.status_code == 200, res.get_data(as_text=True)
    body = res.get_json()
    assert body["ok"] and body["deleted"]["atelier"] == 1
    assert all_rows(_engine(app)) == before


def test_delete_needs_the_secret_the_typed_code_and_csrf(app, client):
    aid, code, secret = fill_atelier(app, "À garder", participants=("Awa",))
    res = client.post(f"/a/{code}/console/wrong-secret/delete", json={"confirm": code})
    assert res.status_code == 403 and res.get_json()["error"] == "bad_secret"
    res = client.post(f"/a/{code}/console/{secret}/delete", json={"confirm": "ZZZZZZ"})
    assert res.status_code == 400 and res.get_json()["error"] == "confirm_mismatch"
    assert code in res.get_json()["message"]
    # The console form: without the CSRF token, refused.
    res = client.post(f"/a/{code}/console/{secret}/delete", data={"confirm": code})
    assert res.status_code == 400
    # A JSON body sent as a form (what a cross-site form could do) is refused too.
    res = client.post(
        f"/a/{code}/console/{secret}/delete",
        data=json.dumps({"confirm": code}),
        content_type="text/plain",
    )
    assert res.status_code == 400
    with _engine(app).connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM atelier WHERE id = :i"), {"i": aid}) == 1
    # With the token from the session, and the right code: deleted.
    with client.session_transaction() as sess:
        sess["csrf"] = "tok"
    res = client.post(
        f"/a/{code}/console/{secret}/delete", data={"confirm": code, "csrf_token": "tok"}
    )
    assert res.status_code == 200
    assert "supprimés définitivement" in res.get_data(as_text=True)
    with _engine(app).connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM atelier WHERE id = :i"), {"i": aid}) == 0
        assert (
            conn.scalar(
                sa.text("SELECT count(*) FROM participant WHERE atelier_id = :i"), {"i": aid}
            )
            == 0
        )


def test_export_has_every_table_of_the_atelier_and_no_secret(app, client):
    fill_atelier(app, "Autre atelier")
    before = all_rows(_engine(app))
    aid, code, secret = fill_atelier(app, "Export complet")
    after = all_rows(_engine(app))
    res = client.get(f"/a/{code}/console/{secret}/data.json")
    assert res.status_code == 200
    assert "attachment" in res.headers["Content-Disposition"]
    assert res.headers["Cache-Control"] == "no-store"
    body = res.get_json()
    assert body["format"] == "workshop-atelier-export"
    # Exactly the rows A added, table by table.
    for table in after:
        added = len(after[table]) - len(before.get(table, ()))
        assert len(body["tables"].get(table, [])) == added, table
    assert body["tables"]["atelier"][0]["code"] == code
    assert {"Awa", "Bruno", None} <= {p["display_name"] for p in body["tables"]["participant"]}
    text = res.get_data(as_text=True)
    assert "token_hash" not in text and "console_secret_hash" not in text
    assert client.get(f"/a/{code}/console/nope/data.json").status_code == 403


def _set_dates(app, code, date, created_at=None):
    with _engine(app).begin() as conn:
        conn.execute(
            sa.text("UPDATE atelier SET date = :d WHERE code = :c"), {"d": date, "c": code}
        )
        if created_at:
            conn.execute(
                sa.text("UPDATE atelier SET created_at = :t WHERE code = :c"),
                {"t": created_at, "c": code},
            )


def _codes(app):
    with _engine(app).connect() as conn:
        return {c for (c,) in conn.execute(sa.text("SELECT code FROM atelier"))}


def test_purge_deletes_only_expired_ateliers_and_is_idempotent(app, tmp_path, monkeypatch):
    today = dt.date.today()
    _, old, _ = fill_atelier(app, "Ancien")
    _, undated_old, _ = fill_atelier(app, "Sans date, créé il y a longtemps")
    _, recent, _ = fill_atelier(app, "Récent")
    _, undated_recent, _ = fill_atelier(app, "Sans date, récent")
    _set_dates(app, old, today - dt.timedelta(days=400))
    _set_dates(app, undated_old, None, dt.datetime.now() - dt.timedelta(days=800))
    _set_dates(app, recent, today - dt.timedelta(days=300))
    _set_dates(app, undated_recent, None)
    mine = {old, undated_old, recent, undated_recent}  # other tests may share the database

    from workshop.cli import cli

    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("SOCKETIO_MESSAGE_QUEUE", raising=False)
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"})  # French
    args = ["purge", "--instance", str(tmp_path / "cli-instance")]
    res = runner.invoke(cli, [*args, "--dry-run"])
    assert res.exit_code == 0, res.output
    assert old in res.output and undated_old in res.output and recent not in res.output
    assert _codes(app) & mine == {old, undated_old, recent, undated_recent}

    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "2 ateliers supprimés." in res.output
    assert _codes(app) & mine == {recent, undated_recent}
    res = runner.invoke(cli, args)  # again: nothing more
    assert res.exit_code == 0 and "0 atelier supprimé." in res.output
    # A shorter retention setting reaches the 300-day-old atelier too.
    res = runner.invoke(cli, [*args, "--months", "6"])
    assert _codes(app) & mine == {undated_recent}


def test_console_warns_before_the_purge_and_join_page_states_retention(app, client):
    today = dt.date.today()
    _, soon, secret = fill_atelier(app, "Bientôt purgé", participants=())
    _, later, secret2 = fill_atelier(app, "Tranquille", participants=())
    # 12 months after this date is within 30 days from today.
    ref = today - dt.timedelta(days=350)
    _set_dates(app, soon, ref)
    page = client.get(f"/a/{soon}/console/{secret}").get_data(as_text=True)
    assert 'id="gdpr-retention-warning"' in page
    assert retention.purge_date(ref, 12).strftime("%d/%m/%Y") in page
    assert "data.json" in page
    page = client.get(f"/a/{later}/console/{secret2}").get_data(as_text=True)
    assert 'id="gdpr-retention-warning"' not in page and 'id="gdpr-retention"' in page

    app.config["RETENTION_MONTHS"] = 6
    page = client.get(f"/j/{later}").get_data(as_text=True)
    assert "6 mois après la date de l’atelier" in page
    for words in ("Ce que nous enregistrons", "Pourquoi", "Combien de temps", "Contact"):
        assert words in page


def test_deleting_disconnects_the_open_pages(live_server):
    import requests_shim as http

    atelier = live_server.create_atelier(title="À supprimer en direct")
    phone = live_server.participant(atelier, "Awa")
    proj = live_server.projector(atelier)
    status, body = http.post_json(
        live_server.url + f"/a/{atelier['code']}/console/{atelier['secret']}/delete",
        {"confirm": atelier["code"]},
    )
    assert status == 200 and body["ok"]
    for c in (phone, proj):
        msg = c.wait_event("removed")
        assert "supprimé" in msg["message"]
    assert http.get(live_server.url + f"/j/{atelier['code']}")[0] == 404
