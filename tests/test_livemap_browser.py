"""The live map in Chromium: a phone adds an actor and a contribution, the
console validates, the projection shows it (image redrawn, table updated).
Screenshots go to docs/screenshots/."""

import re

from playwright.sync_api import expect

from support import LAPTOP, PHONE, PROJECTOR, SCREENSHOTS


def test_phone_adds_actor_console_validates_projection_shows(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Portrait croisé", place="Mulhouse")
    code = atelier["code"]
    fac = server.facilitator(atelier)
    assert fac.call("atelier:scene", {"scene": "livemap"})["ok"]
    assert fac.call("livemap:settings", {"open": True, "view": "table"})["ok"]
    known = fac.call(
        "livemap:actor:add",
        {"client_id": "seed-actor-0001", "name": "Unis-Cité", "kind": "association"},
    )
    assert known["ok"]

    proj_ctx = browser.new_context(**PROJECTOR)
    projection = proj_ctx.new_page()
    projection.goto(f"{server.url}/a/{code}/projection")
    expect(projection.locator('.scene[data-scene="livemap"]')).to_be_visible()

    console_ctx = browser.new_context(**LAPTOP)
    console = console_ctx.new_page()
    console.goto(f"{server.url}/a/{code}/console/{atelier['secret']}")
    expect(console.locator("#conn-dot")).to_have_class(re.compile("on"))

    phone_ctx = browser.new_context(**PHONE)
    phone = phone_ctx.new_page()
    phone.goto(f"{server.url}/j/{code}")
    phone.fill("#name", "Awa")
    phone.click("#join-form button")
    expect(phone.locator("#livemap-participant")).to_be_visible()
    # an existing actor is suggested while typing (accents and case ignored)
    phone.fill("#lm-actor-name", "unis cite")
    expect(phone.locator(".lm-suggestion")).to_have_text("Unis-Cité")
    phone.fill("#lm-actor-name", "Tubà")
    phone.select_option("#lm-actor-kind", "association")
    phone.fill("#lm-actor-territory", "Mulhouse")
    phone.click("#lm-actor-form button[type=submit]")
    expect(phone.locator("#lm-contribution-form")).to_be_visible()
    expect(phone.locator("#lm-c-actor option:checked")).to_contain_text("Tubà")
    expect(phone.locator('[data-stage-description="declencher"]')).not_to_be_empty()
    phone.check('#lm-contribution-form input[value="declencher"]')
    phone.fill("#lm-c-text", "faire émerger des coopérations")
    phone.click("#lm-contribution-form button[type=submit]")
    expect(phone.locator("#lm-mine li")).to_have_count(2)
    # a contribution sent by mistake is taken back before validation
    phone.check('#lm-contribution-form input[value="organiser"]')
    phone.fill("#lm-c-text", "envoyé par erreur")
    phone.click("#lm-contribution-form button[type=submit]")
    expect(phone.locator("#lm-mine li")).to_have_count(3)
    expect(console.locator("#livemap-console")).to_contain_text("envoyé par erreur")
    phone.once("dialog", lambda d: d.accept())
    phone.locator("#lm-mine li", has_text="par erreur").locator("[data-withdraw]").click()
    expect(phone.locator("#lm-mine li")).to_have_count(2)
    expect(console.locator("#livemap-console")).not_to_contain_text("envoyé par erreur")

    # pending: on the console, not yet on the projector
    pending = console.locator("#lm-pending [data-validate-actor]")
    expect(pending).to_have_count(1)
    expect(projection.locator("#lm-proj-table-body")).not_to_contain_text("Tubà")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "livemap-phone.png"))
    console.locator("#livemap-console").screenshot(path=str(SCREENSHOTS / "livemap-console.png"))
    pending.click()
    expect(console.locator("#lm-actors li[data-actor]")).to_have_count(2)
    expect(projection.locator("#lm-proj-table-body")).to_contain_text("Tubà")
    expect(projection.locator("#lm-proj-table-body")).to_contain_text(
        "faire émerger des coopérations"
    )
    # validated: listed as on the map, and still the participant's to take back
    expect(phone.locator("#lm-mine li .pill")).to_have_text(["sur la carte", "sur la carte"])

    # the stage view: the drawing of the new version is loaded
    console.click('[data-lm-setview="stage"]')
    scene = projection.locator('.scene[data-scene="livemap"]')
    expect(projection.locator('[data-lm-view="stage"]')).to_be_visible()
    version = scene.get_attribute("data-version")
    expect(projection.locator("#lm-img-stage")).to_have_attribute(
        "data-loaded-version", version, timeout=15000
    )
    natural = projection.locator("#lm-img-stage").evaluate("img => img.naturalWidth")
    assert natural > 100
    projection.screenshot(path=str(SCREENSHOTS / "livemap-projection.png"))
    # the facilitator's live notes go straight onto the map
    console.fill("#lm-fac-actor", "tubà")
    console.select_option("#lm-fac-stage", "animer")
    console.fill("#lm-fac-text", "animation des coopérations")
    console.click("#lm-fac-form button[type=submit]")
    console.click('[data-lm-setview="table"]')
    expect(projection.locator("#lm-proj-table-body")).to_contain_text("animation des coopérations")
    expect(console.locator("#lm-actors li[data-actor]")).to_have_count(2)
    console.select_option("#lm-highlight", label="Tubà")
    expect(projection.locator("#lm-proj-highlight")).to_contain_text("Tubà")
    # the participant takes back a contribution that is already on the map
    phone.once("dialog", lambda d: d.accept())
    phone.locator("#lm-mine li", has_text="faire émerger").locator("[data-withdraw]").click()
    expect(projection.locator("#lm-proj-table-body")).not_to_contain_text("faire émerger")
    expect(projection.locator("#lm-proj-table-body")).to_contain_text("animation des coopérations")
    expect(phone.locator("#lm-mine li")).to_have_count(1)
    for ctx in (proj_ctx, console_ctx, phone_ctx):
        ctx.close()
