"""The three surfaces in Chromium: a phone joins by code, the projection
counts it, the console removes it. Screenshots go to docs/screenshots/."""

import datetime as dt
import re

from playwright.sync_api import expect

from support import LAPTOP, PHONE, PROJECTOR, SCREENSHOTS


def test_phone_joins_projection_counts_console_removes(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(
        title="Structurer les coopérations", place="Mulhouse", date=dt.date.today().isoformat()
    )
    code = atelier["code"]

    proj_ctx = browser.new_context(**PROJECTOR)
    projection = proj_ctx.new_page()
    projection.goto(f"{server.url}/a/{code}/projection")
    expect(projection.locator("#join-code")).to_have_text(code)
    expect(projection.locator("#participant-count")).to_have_text("0")

    console_ctx = browser.new_context(**LAPTOP)
    console = console_ctx.new_page()
    console.goto(f"{server.url}/a/{code}/console/{atelier['secret']}")
    expect(console.locator("#conn-dot")).to_have_class(re.compile("on"))

    phone_ctx = browser.new_context(**PHONE)
    phone = phone_ctx.new_page()
    phone.goto(server.url + "/")
    phone.fill("#code", code.lower())
    phone.click("form.join-code-form button")
    expect(phone).to_have_url(re.compile(f"/j/{code}$"))
    phone.fill("#name", "Awa")
    phone.click("#join-form button")
    expect(phone).to_have_url(re.compile(f"/a/{code}/p$"))
    expect(phone.locator("#me-name")).to_have_text("Awa")

    expect(projection.locator("#participant-count")).to_have_text("1")
    console.click("#tab-people")  # the console's « Participants » tab
    expect(console.locator("#participant-list li[data-participant]")).to_have_count(1)
    expect(console.locator("#participant-list li.online .name")).to_have_text("Awa")

    # reloading brings the phone back as the same participant, without typing
    phone.reload()
    expect(phone.locator("#me-name")).to_have_text("Awa")
    expect(console.locator("#participant-list li[data-participant]")).to_have_count(1)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    projection.screenshot(path=str(SCREENSHOTS / "projection.png"))
    console.screenshot(path=str(SCREENSHOTS / "console.png"), full_page=True)
    phone.screenshot(path=str(SCREENSHOTS / "phone.png"))

    console.on("dialog", lambda d: d.accept())
    console.click("#participant-list [data-remove]")
    expect(console.locator("#participant-list li[data-participant]")).to_have_count(0)
    expect(projection.locator("#participant-count")).to_have_text("0")
    expect(phone.locator("#banner")).to_be_visible()
    for ctx in (proj_ctx, console_ctx, phone_ctx):
        ctx.close()


def test_phone_shows_reconnecting_banner_and_resyncs(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Avant")
    ctx = browser.new_context(**PHONE)
    phone = ctx.new_page()
    phone.goto(f"{server.url}/j/{atelier['code']}")
    phone.click("#join-form button")  # anonymous
    expect(phone.locator("#conn-dot")).to_have_class(re.compile("on"))
    server.stop(kill=True)
    expect(phone.locator("#banner")).to_have_text(re.compile("Reconnexion"))
    server.start()
    fac = server.facilitator(atelier)
    assert fac.call("atelier:update", {"title": "Après"})["ok"]
    expect(phone.locator("#banner")).to_be_hidden(timeout=15000)
    expect(phone.locator("#atelier-title")).to_have_text("Après")
    ctx.close()


def test_unknown_code_page_in_browser(browser, live_server_sqlite):
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    page.goto(f"{live_server_sqlite.url}/j/ZZZZZZ")
    expect(page.locator(".error-message")).to_contain_text("Aucun atelier")
    ctx.close()
