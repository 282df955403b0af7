"""Words and in-between states in Chromium: the atelier's language reaches
open phones live, the offline message stays until the network is back, the
banner never hides the title."""

import re

from playwright.sync_api import expect

from board_helpers import new_prompt
from support import PHONE, SCREENSHOTS


def _phone(browser, server, atelier, name="Awa"):
    ctx = browser.new_context(**PHONE)
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
