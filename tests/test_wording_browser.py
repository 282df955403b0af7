"""Words and in-between states in Chromium: the atelier's language reaches
open phones live, the offline message stays until the network is back, the
banner never hides the title."""

import re

from playwright.sync_api import expect

from board_helpers import new_prompt
from support import PHONE, SCREENSHOTS


def _phone(browser, server, atelier, name="Awa", **context):
    ctx = browser.new_context(**{**PHONE, **context})
    page = ctx.new_page()
    page.goto(f"{server.url}/j/{atelier['code']}")
    page.fill("#name", name)
    page.click("#join-form button")
    expect(page.locator("#conn-dot")).to_have_class(re.compile("on"))
    return ctx, page


def test_language_change_reaches_an_open_phone_without_reload(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Langues")
    fac = server.facilitator(atelier)
    prompt = new_prompt(fac, text="Quels besoins ?")
    ctx, phone = _phone(browser, server, atelier)
    card = phone.locator(f'[data-prompt="{prompt["id"]}"]').first
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    expect(phone.locator("body")).to_contain_text("Mes données")
    expect(phone.get_by_role("button", name="Envoyer")).to_be_visible()
    phone.locator("textarea").first.fill("brouillon non envoyé")
    phone.evaluate("window.__same_page = 42")

    assert fac.call("atelier:update", {"locale": "en"})["ok"]

    expect(phone.locator("html")).to_have_attribute("lang", "en", timeout=15000)
    expect(phone.get_by_role("button", name="Send")).to_be_visible(timeout=15000)
    expect(phone.locator("body")).to_contain_text("My data")  # static template text
    expect(phone.locator("body")).not_to_contain_text("Mes données")
    assert phone.evaluate("window.__same_page") == 42  # no reload
    assert phone.locator("textarea").first.input_value() == "brouillon non envoyé"
    expect(card).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "state-phone-english-after-switch.png"))

    assert fac.call("atelier:update", {"locale": "fr"})["ok"]
    expect(phone.get_by_role("button", name="Envoyer")).to_be_visible(timeout=15000)
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    assert phone.evaluate("window.__same_page") == 42
    ctx.close()


def test_offline_message_stays_and_banner_leaves_the_title_visible(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Hors connexion")
    ctx, phone = _phone(browser, server, atelier)
    ctx.set_offline(True)
    banner = phone.locator("#banner")
    expect(banner).to_contain_text("Hors connexion")
    phone.wait_for_timeout(3000)  # reconnection attempts happen meanwhile
    expect(banner).to_contain_text("Hors connexion")
    expect(banner).not_to_contain_text("Reconnexion")
    title = phone.locator("#atelier-title").bounding_box()
    box = banner.bounding_box()
    assert box["y"] + box["height"] <= title["y"] + 1, (box, title)
    ctx.set_offline(False)
    expect(banner).to_be_hidden(timeout=15000)
    ctx.close()


# French words that must not show in an English atelier (colour keys, labels)
FRENCH_ON_ENGLISH_PAGE = re.compile(
    r"\b(bleu|jaune|vert|rouge|violet|orange|rose|gris|Groupe|Sujet|Votre rôle|Anonyme"
    r"|Déclencher|Organiser|Animer|en préparation|collectivite|declencher)\b"
)
ENGLISH_SPACING = re.compile(r"[\s\u00a0\u202f][;:!?](?!\w)")
STRAIGHT_APOSTROPHE = re.compile(r"[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]")


def _visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def _add_actor(phone, name):
    phone.fill("#lm-actor-name", name)
    phone.select_option("#lm-actor-kind", "association")
    phone.click("#lm-actor-form button[type=submit]")
    expect(phone.locator("#lm-contribution-form")).to_be_visible()


def test_english_atelier_walk_phone_and_console(browser, live_server_sqlite):
    """An English atelier, on a phone (390x844) and the console (1366x768): a
    codev group and its anonymous member, the live map, the post-it list;
    no French word or French spacing, and an anonymous member is never « ? »."""
    from support import LAPTOP

    server = live_server_sqlite
    atelier = server.create_atelier(title="Cooperation in Mulhouse", allow_anonymous=True)
    fac = server.facilitator(atelier)
    assert fac.call("atelier:update", {"locale": "en"})["ok"]
    ack = fac.call("codev:group:create", {"name": "Thistle", "room": "Room 2", "colour": "bleu"})
    assert ack["ok"], ack

    ctx, phone = _phone(browser, server, atelier, name="", device_scale_factor=1)  # anonymous
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    choice = phone.locator(".codev-choice").first
    expect(choice).to_be_visible(timeout=10000)
    expect(choice).to_contain_text("Thistle")
    choice.locator("button").click()
    expect(phone.locator("#codev-setup")).to_be_visible()
    members = phone.locator(".codev-member-name")
    expect(members.first).to_contain_text("Anonymous #")
    assert "?" not in members.all_inner_texts(), members.all_inner_texts()
    text = _visible_text(phone)
    assert not FRENCH_ON_ENGLISH_PAGE.search(text), FRENCH_ON_ENGLISH_PAGE.search(text)
    assert not ENGLISH_SPACING.search(text), ENGLISH_SPACING.search(text)
    phone.locator("#codev-phone").scroll_into_view_if_needed()
    phone.screenshot(path=str(SCREENSHOTS / "state-phone-english-codev.png"))

    console_ctx = browser.new_context(**{**LAPTOP, "viewport": {"width": 1366, "height": 768}})
    console = console_ctx.new_page()
    console.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    expect(console.locator("#conn-dot")).to_have_class(re.compile("on"))
    card = console.locator(".codev-group-card").first
    expect(card).to_contain_text("Anonymous #")
    assert card.inner_text().count("in preparation") <= 1, card.inner_text()
    badge = console.locator("#participant-count")
    assert badge.get_attribute("title"), "the badge says what it counts"
    text = _visible_text(console)
    assert not FRENCH_ON_ENGLISH_PAGE.search(text), FRENCH_ON_ENGLISH_PAGE.search(text)
    assert not ENGLISH_SPACING.search(text), ENGLISH_SPACING.search(text)
    card.scroll_into_view_if_needed()
    console.screenshot(path=str(SCREENSHOTS / "state-console-english-codev.png"))

    # the live map: stage names in English, the notice box inside its card
    assert fac.call("atelier:scene", {"scene": "livemap"})["ok"]
    assert fac.call("livemap:settings", {"open": True, "view": "table"})["ok"]
    expect(phone.locator("#livemap-participant")).to_be_visible(timeout=10000)
    _add_actor(phone, "Tubà")
    phone.locator("#lm-contribution-form").scroll_into_view_if_needed()
    text = phone.locator("#livemap-participant").inner_text()
    assert "Trigger the action" in text and not FRENCH_ON_ENGLISH_PAGE.search(text), text
    assert not ENGLISH_SPACING.search(text), text
    phone.screenshot(path=str(SCREENSHOTS / "state-phone-english-livemap.png"))
    console_ctx.close()
    ctx.close()


def test_french_stage_labels_and_my_notes_order(browser, live_server_sqlite):
    """French phone: typographic apostrophes in the live map's stage labels;
    in « Mes post-it » a note keeps its place when it is delivered."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Portrait croisé")
    fac = server.facilitator(atelier)
    assert fac.call("atelier:scene", {"scene": "livemap"})["ok"]
    assert fac.call("livemap:settings", {"open": True, "view": "table"})["ok"]
    ctx, phone = _phone(browser, server, atelier, device_scale_factor=1)
    lm = phone.locator("#livemap-participant")
    expect(lm).to_be_visible(timeout=10000)
    _add_actor(phone, "Tubà")
    text = lm.inner_text()
    assert "Déclencher l’action" in text and not STRAIGHT_APOSTROPHE.search(text), text
    # the notice (« Acteur ajouté… ») lines up with the form it speaks of
    notice = phone.locator("#lm-phone-msg")
    expect(notice).to_be_visible()
    box, form = notice.bounding_box(), phone.locator("#lm-contribution-form").bounding_box()
    assert abs(box["x"] - form["x"]) <= 1 and box["width"] <= form["width"] + 1, (box, form)
    notice.scroll_into_view_if_needed()
    phone.screenshot(path=str(SCREENSHOTS / "state-phone-livemap-notice.png"))

    prompt = new_prompt(fac, text="Quels besoins ?")
    card = phone.locator(f'[data-prompt="{prompt["id"]}"]').first
    expect(card).to_be_visible(timeout=10000)
    ctx.set_offline(True)
    for word in ("premier", "second"):
        card.locator("textarea").first.fill(word)
        card.get_by_role("button", name="Envoyer").click()
    mine = card.locator(".board-mine .board-note-text")
    expect(mine).to_have_count(2)
    before = mine.all_inner_texts()
    assert before == ["second", "premier"], before
    ctx.set_offline(False)
    expect(card.locator(".board-mine .is-pending")).to_have_count(0, timeout=15000)
    assert mine.all_inner_texts() == before
    ctx.close()


FRENCH_WORDS = re.compile(
    r"[éèàùâêîôûçœ«»]|\b(le|la|les|des|du|une?|et|ou|pas|vous|votre|vos|atelier|reconnexion)\b",
    re.I,
)


def _english_text(page, allowed=()):
    text = _visible_text(page)
    for word in allowed:
        text = text.replace(word, " ")
    assert not FRENCH_WORDS.search(text), (FRENCH_WORDS.search(text), text)
    assert not ENGLISH_SPACING.search(text), (ENGLISH_SPACING.search(text), text)
    return text


def test_english_in_between_states(browser, live_server_sqlite):
    """Waiting, offline, reconnecting, finished, refused, unknown code and the
    creation form's old-date warning, in English: no French left."""
    import datetime as dt

    server = live_server_sqlite
    english = {"locale": "en-GB", "device_scale_factor": 1}
    atelier = server.create_atelier(title="Cooperation day")
    fac = server.facilitator(atelier)
    assert fac.call("atelier:update", {"locale": "en"})["ok"]
    ctx, phone = _phone(browser, server, atelier, **english)
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    _english_text(phone)
    ctx.set_offline(True)
    banner = phone.locator("#banner")
    expect(banner).to_be_visible()
    phone.wait_for_timeout(1500)
    _english_text(phone)
    ctx.set_offline(False)
    expect(banner).to_be_hidden(timeout=15000)
    server.stop(kill=True)
    expect(banner).to_be_visible(timeout=15000)
    _english_text(phone)
    server.start()
    expect(banner).to_be_hidden(timeout=20000)
    fac = server.facilitator(atelier)
    assert fac.call("atelier:status", {"status": "closed"})["ok"]
    expect(phone.locator("#atelier-state")).to_be_visible(timeout=10000)
    _english_text(phone)
    ctx.close()

    locked = server.create_atelier(title="Full workshop")
    fac = server.facilitator(locked)
    assert fac.call("atelier:update", {"locale": "en"})["ok"]
    assert fac.call("atelier:status", {"status": "locked"})["ok"]
    ctx = browser.new_context(**{**PHONE, **english})
    page = ctx.new_page()
    page.goto(f"{server.url}/j/{locked['code']}")
    expect(page.locator(".error[role=alert]").first).to_be_visible()
    _english_text(page)
    page.goto(f"{server.url}/j/ZZZZZZ")
    expect(page.locator("main.card")).to_be_visible()
    _english_text(page)
    ctx.close()

    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, **english)
    page = ctx.new_page()
    page.goto(f"{server.url}/?lang=en")
    page.fill("#title", "Last year’s workshop")
    page.fill("#date", (dt.date.today() - dt.timedelta(days=400)).isoformat())
    page.click("#create-form button[type=submit]")
    expect(page.locator("#date-warning")).to_be_visible()
    _english_text(page, allowed=("Français",))
    ctx.close()
