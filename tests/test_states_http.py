"""In-between states served as pages: an old date is questioned on the
creation form before anything is created."""

import datetime as dt
import re


def _token(client):
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_an_old_date_is_questioned_before_creating(client):
    token = _token(client)
    old = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    res = client.post("/ateliers", data={"csrf_token": token, "title": "Ancien", "date": old})
    page = res.get_data(as_text=True)
    assert res.status_code == 200 and "Location" not in res.headers
    assert 'id="date-warning"' in page and "prochaine purge" in page
    assert 'name="confirm_old_date"' in page and 'value="Ancien"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = client.post(
        "/ateliers",
        data={"csrf_token": token, "title": "Ancien", "date": old, "confirm_old_date": "1"},
    )
    assert res.status_code == 302 and "/console/" in res.headers["Location"]


def test_a_date_close_to_the_purge_names_the_day(client):
    token = _token(client)
    day = dt.date.today() - dt.timedelta(days=350)
    res = client.post("/ateliers", data={"csrf_token": token, "title": "Presque", "date": day})
    page = res.get_data(as_text=True)
    assert 'id="date-warning"' in page and "seront supprimés le" in page


def test_a_recent_date_creates_at_once_and_the_form_says_how_long_data_stay(client):
    page = client.get("/").get_data(as_text=True)
    assert "effacées 12\u00a0mois" in page or "effacées 12 mois" in page
    token = _token(client)
    recent = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    res = client.post("/ateliers", data={"csrf_token": token, "title": "Récent", "date": recent})
    assert res.status_code == 302


def test_an_empty_projection_counts_zero_people_in_each_language(client):
    """The projection's first paint, before its script runs: French takes the
    singular for 0 (« 0 personne connectée »), English the plural."""
    token = _token(client)
    res = client.post("/ateliers", data={"csrf_token": token, "title": "Vide"})
    code = re.search(r"/a/([^/]+)/console/", res.headers["Location"]).group(1)
    page = client.get(f"/a/{code}/projection").get_data(as_text=True)
    label = re.search(r'id="participant-count-label">([^<]*)<', page).group(1)
    assert label == "personne connectée"
    from workshop.i18n import texts

    assert texts("en").ngettext("personne connectée", "personnes connectées", 0) == (
        "people connected"
    )
