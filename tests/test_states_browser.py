"""Every in-between state, on phones (390x844, 360x640) and on the console
(1366x768): a sentence says what is happening, no empty heading, no button
that can do nothing yet, nothing hidden under the banner. Screenshots go to
docs/screenshots/state-*.png (small: device pixel ratio 1)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from board_helpers import new_prompt
from support import SCREENSHOTS

PHONES = {
    "390": {"viewport": {"width": 390, "height": 844}},
    "360": {"viewport": {"width": 360, "height": 640}},
}
PHONE_BASE = {"device_scale_factor": 1, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}
CONSOLE = {"viewport": {"width": 1366, "height": 768}, "locale": "fr-FR"}


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"state-{name}.png"))


def visible_headings_have_text(page):
    """No visible heading is empty, and none is followed only by empty lists."""
    empty = page.evaluate(
        """() => [...document.querySelectorAll('h1,h2,h3,h4')]
             .filter((h) => h.offsetParent !== null && !h.textContent.trim())
             .map((h) => h.outerHTML)"""
    )
    assert not empty, empty


def visible_buttons_have_text(page):
    empty = page.evaluate(
        """() => [...document.querySelectorAll('button')]
             .filter((b) => b.offsetParent !== null && !b.textContent.trim()
                     && !b.getAttribute('aria-label'))
             .map((b) => b.outerHTML)"""
    )
    assert not empty, empty


def french_typography(page):
    """What the page says has typographic apostrophes and non-breaking spaces
    before : ; ! ? (docs/style.md); the test's own texts are typographic too."""
    text = page.evaluate("document.body.innerText")
    assert not re.search(r"[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]", text), re.findall(r"\S*'\S*", text)
    assert not re.search(r"[^\S\u00a0\u202f][:;!?](\s|$)", text), re.findall(r".{20} [:;!?]", text)


def nothing_overflows(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def join(browser, server, atelier, size, name="Awa"):
    ctx = browser.new_context(**PHONE_BASE, **PHONES[size])
    page = ctx.new_page()
    page.goto(f"{server.url}/j/{atelier['code']}")
    page.fill("#name", name)
    page.click("#join-form button")
    expect(page.locator("#conn-dot")).to_have_class(re.compile("on"))
    return ctx, page


@pytest.mark.parametrize("size", ["390", "360"])
def test_phone_states(browser, live_server_sqlite, size):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Structurer les coopérations")
    fac = server.facilitator(atelier)
    ctx, phone = join(browser, server, atelier, size)

    # waiting: nothing open yet
    expect(phone.locator("#welcome")).to_contain_text("apparaîtront ici")
    french_typography(phone)
    visible_headings_have_text(phone)
    visible_buttons_have_text(phone)
    nothing_overflows(phone)
    # no empty room between the sentence and « Mes données » (panels of closed activities)
    welcome = phone.locator("#welcome").bounding_box()
    mine = phone.locator("details.my-data").bounding_box()
    assert mine["y"] - (welcome["y"] + welcome["height"]) <= 20, (welcome, mine)
    shot(phone, f"phone-waiting-{size}")

    # offline: the reassuring sentence stays, above the title
    ctx.set_offline(True)
    banner = phone.locator("#banner")
    expect(banner).to_contain_text("Hors connexion")
    phone.wait_for_timeout(1500)
    expect(banner).to_contain_text("Hors connexion")
    b, t = banner.bounding_box(), phone.locator("#atelier-title").bounding_box()
    assert b["y"] + b["height"] <= t["y"] + 1
    shot(phone, f"phone-offline-{size}")
    ctx.set_offline(False)
    expect(banner).to_be_hidden(timeout=15000)

    # codev before it starts
    ack = fac.call(
        "codev:group:create", {"name": "Groupe Chardon", "room": "Salle Chardon", "colour": "bleu"}
    )
    assert ack["ok"], ack
    choice = phone.locator(".codev-choice").first
    expect(choice).to_be_visible(timeout=10000)
    choice.locator("button").click()
    expect(phone.locator("#codev-setup")).to_be_visible()
    expect(phone.locator("#codev-step-name")).to_contain_text("attendez que l’animation")
    french_typography(phone)
    for hidden in ("#codev-q-title", "#codev-p-title", "#codev-downloads", "#codev-phone-timer"):
        expect(phone.locator(hidden)).to_be_hidden()
    leave = phone.locator("#codev-leave").bounding_box()
    after = phone.locator("#codev-step-name").bounding_box()
    assert after["y"] - (leave["y"] + leave["height"]) >= 12, (leave, after)
    visible_headings_have_text(phone)
    nothing_overflows(phone)
    phone.locator("#codev-phone").scroll_into_view_if_needed()
    shot(phone, f"phone-codev-before-start-{size}")

    # a question open, nothing written yet
    new_prompt(fac, text="Quels besoins pour les projets jeunesse ?")
    card = phone.locator(".board-prompt-card").first
    expect(card).to_be_visible(timeout=10000)
    card.scroll_into_view_if_needed()
    visible_headings_have_text(phone)
    shot(phone, f"phone-question-open-{size}")

    # reconnecting: the server is gone for a moment
    server.stop(kill=True)
    expect(banner).to_contain_text("Reconnexion en cours", timeout=15000)
    expect(banner).to_contain_text("Gardez cette page ouverte")
    phone.evaluate("window.scrollTo(0, 0)")
    shot(phone, f"phone-reconnecting-{size}")
    server.start()
    expect(banner).to_be_hidden(timeout=20000)

    # finished
    fac = server.facilitator(atelier)
    assert fac.call("atelier:status", {"status": "closed"})["ok"]
    expect(phone.locator("body")).to_contain_text("L’atelier est terminé", timeout=10000)
    expect(phone.locator("#atelier-state")).to_contain_text("Vous pouvez fermer cette page")
    expect(phone.locator(".board-prompt-card")).to_be_hidden()  # nothing left to send
    expect(phone.locator("#codev-phone")).to_be_hidden()
    visible_buttons_have_text(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    shot(phone, f"phone-finished-{size}")
    ctx.close()


@pytest.mark.parametrize("size", ["390", "360"])
def test_phone_refused_and_unknown_code(browser, live_server_sqlite, size):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Atelier complet")
    fac = server.facilitator(atelier)
    assert fac.call("atelier:status", {"status": "locked"})["ok"]
    ctx = browser.new_context(**PHONE_BASE, **PHONES[size])
    page = ctx.new_page()
    page.goto(f"{server.url}/j/{atelier['code']}")
    expect(page.locator(".error[role=alert]").first).to_contain_text("verrouillé")
    nothing_overflows(page)
    shot(page, f"phone-refused-locked-{size}")

    page.goto(f"{server.url}/j/ZZZZZZ")
    card = page.locator("main.card")
    expect(card).to_contain_text("Oups")
    box = card.bounding_box()
    assert box["x"] >= 8 and box["x"] + box["width"] <= page.viewport_size["width"] - 8, box
    field = page.locator("#code").bounding_box()
    button = page.locator(".join-code-form button").bounding_box()
    assert button["y"] - (field["y"] + field["height"]) >= 6, (field, button)
    nothing_overflows(page)
    shot(page, f"phone-unknown-code-{size}")
    ctx.close()


def test_console_states(browser, live_server_sqlite):
    server = live_server_sqlite
    ctx = browser.new_context(**CONSOLE)
    page = ctx.new_page()

    # creating an atelier dated more than 12 months back: a word first
    page.goto(f"{server.url}/")
    expect(page.locator("#date-hint")).to_contain_text("12")
    page.fill("#title", "Atelier de l’an dernier")
    page.fill("#date", (dt.date.today() - dt.timedelta(days=400)).isoformat())
    page.click("#create-form button[type=submit]")
    warning = page.locator("#date-warning")
    expect(warning).to_contain_text("prochaine purge")
    warning.scroll_into_view_if_needed()
    shot(page, "console-create-old-date")
    page.check("input[name=confirm_old_date]")
    page.click("#create-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console/"))

    # a new atelier: nobody yet, the badge says what it counts
    expect(page.locator("#participant-count")).to_have_text(re.compile(r"0 en ligne sur 0"))
    expect(page.locator("body")).to_contain_text("Personne n’a encore rejoint l’atelier.")
    french_typography(page)
    visible_headings_have_text(page)
    visible_buttons_have_text(page)
    shot(page, "console-new")

    # codev group before it starts: « en préparation » once, and what to do
    page.fill("#codev-create input[name=name]", "Groupe Chardon")
    page.click("#codev-create button[type=submit]")
    group = page.locator(".codev-group-card").first
    expect(group).to_be_visible()
    expect(group).to_contain_text("commencez la séance")
    assert group.inner_text().count("en préparation") == 1
    french_typography(page)
    expect(group.locator("a[href$='summary.pdf']")).to_have_count(0)  # no summary yet
    expect(group.locator("[data-timer=start]")).to_have_count(0)  # nobody to start with
    group.scroll_into_view_if_needed()
    shot(page, "console-codev-before-start")
    ctx.close()
