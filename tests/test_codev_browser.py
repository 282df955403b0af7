"""A codev group on phone-sized pages, followed by the projection and the console."""

import json
import re

from playwright.sync_api import expect

from support import LAPTOP, PHONE, PROJECTOR, SCREENSHOTS


def _phone(browser, server, code, name):
    joined = server.join(code, name)
    ctx = browser.new_context(**PHONE)
    ctx.add_init_script(
        f"localStorage.setItem({json.dumps('workshop:token:' + code)}, "
        f"{json.dumps(json.dumps(joined['token']))});"
    )
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{code}/p")
    expect(page.locator("#me-name")).to_have_text(name)
    return ctx, page


def test_group_on_phones_with_projection(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Testons les coopérations")
    code = atelier["code"]
    contexts = []

    console_ctx = browser.new_context(**LAPTOP)
    contexts.append(console_ctx)
    console = console_ctx.new_page()
    console.goto(f"{server.url}/a/{code}/console/{atelier['secret']}")
    console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    form = console.locator("#codev-create")
    form.locator("[name=name]").fill("Co-développement")
    form.locator("[name=room]").fill("Salle Chardon")
    form.locator("[name=colour]").select_option("bleu")
    form.locator("button[type=submit]").click()
    expect(console.locator("[data-group-card]")).to_have_count(1)

    proj_ctx = browser.new_context(**PROJECTOR)
    contexts.append(proj_ctx)
    projection = proj_ctx.new_page()
    projection.goto(f"{server.url}/a/{code}/projection")
    console.click("#tab-settings")  # the manual scene buttons live with the atelier's settings
    console.click('#scene-buttons [data-scene="codev"]')
    console.click("#tab-activity")
    expect(projection.locator("#codev-overview-grid [data-tile]")).to_have_count(1)
    expect(projection.locator("[data-tile] h2")).to_have_text("Co-développement")

    phones = {}
    for name, role in [
        ("Nadia", "porteur"),
        ("Karim", "contributeur"),
        ("Léa", "contributeur"),
        ("Emilie", "animateur"),
    ]:
        ctx, page = _phone(browser, server, code, name)
        contexts.append(ctx)
        page.click("[data-codev-join]")
        expect(page.locator("#codev-group-name")).to_have_text("Co-développement")
        if role != "contributeur":
            page.click(f'[data-codev-role="{role}"]')
        expect(page.locator("#codev-my-role")).to_have_text(re.compile(role[:6], re.I))
        phones[name] = page
    porteur, karim, lea, anim = (phones[n] for n in ("Nadia", "Karim", "Léa", "Emilie"))
    expect(console.locator("[data-group-card] .codev-member")).to_have_count(4)
    expect(console.locator("[data-group-card] .codev-warning")).to_be_visible()  # < 5

    gid = console.locator("[data-group-card]").get_attribute("data-group-card")
    console.select_option("#codev-projection-choice", gid)
    expect(projection.locator("#codev-focus")).to_be_visible()
    expect(projection.locator("#codev-focus-name")).to_have_text("Co-développement")

    # the contributors have no timer buttons; the animateur starts
    expect(karim.locator("#codev-phone-controls")).to_be_hidden()
    anim.click('[data-timer="start"]')
    expect(projection.locator("#codev-focus-step")).to_have_text("Identifier le sujet")
    expect(projection.locator("#codev-focus-timer")).to_have_text(re.compile(r"^[45]:\d\d"))
    expect(karim.locator("#codev-step-name")).to_have_text("Identifier le sujet")
    expect(karim.locator("#codev-forms form")).to_have_count(0)

    porteur.fill('#codev-forms form[data-kind="subject"] textarea', "Parcours de jeunes changeants")
    porteur.click('#codev-forms form[data-kind="subject"] button')
    expect(projection.locator("#codev-focus-subject")).to_contain_text("Parcours de jeunes")
    expect(lea.locator('[data-text="subject"]')).to_contain_text("Parcours de jeunes")
    # the porteur can take the subject back (and only the porteur sees the button)
    expect(lea.locator('[data-text="subject"] [data-erase]')).to_have_count(0)
    porteur.once("dialog", lambda d: d.accept())
    porteur.click('[data-text="subject"] [data-erase="subject"]')
    expect(lea.locator('[data-text="subject"]')).to_have_count(0)
    expect(projection.locator("#codev-focus-subject")).to_have_text("")
    expect(porteur.locator('#codev-forms form[data-kind="subject"] textarea')).to_have_value("")
    porteur.fill('#codev-forms form[data-kind="subject"] textarea', "Parcours de jeunes changeants")
    porteur.click('#codev-forms form[data-kind="subject"] button')
    expect(lea.locator('[data-text="subject"]')).to_contain_text("Parcours de jeunes")

    anim.click('[data-timer="next"]')
    expect(anim.locator('[data-timer="next"]')).to_be_enabled()
    anim.click('[data-timer="next"]')
    expect(projection.locator("#codev-focus-step")).to_have_text("Clarification")
    expect(karim.locator("#codev-step-name")).to_have_text("Clarification")
    karim.fill('form[data-kind="question"] textarea', "Combien de jeunes suivez-vous ?")
    karim.click('form[data-kind="question"] button')
    expect(porteur.locator("#codev-questions li")).to_have_count(1)
    expect(projection.locator("#codev-focus-items li")).to_have_count(1)
    porteur.fill("#codev-questions form textarea", "Une quinzaine")
    porteur.click("#codev-questions form button")
    expect(karim.locator("#codev-questions .codev-answer")).to_have_text("Une quinzaine")
    expect(porteur.locator('form[data-kind="question"]')).to_have_count(0)
    # an author can take back their own question (and only theirs)
    expect(porteur.locator("#codev-questions [data-delete-item]")).to_have_count(0)
    karim.fill('form[data-kind="question"] textarea', "Question envoyée par erreur")
    karim.click('form[data-kind="question"] button')
    expect(porteur.locator("#codev-questions li")).to_have_count(2)
    karim.once("dialog", lambda d: d.accept())
    karim.locator("#codev-questions li", has_text="par erreur").locator(
        "[data-delete-item]"
    ).click()
    expect(porteur.locator("#codev-questions li")).to_have_count(1)
    expect(projection.locator("#codev-focus-items li")).to_have_count(1)

    anim.click('[data-timer="next"]')
    expect(projection.locator("#codev-focus-step")).to_have_text("Réactions")
    lea.fill('form[data-kind="proposal"] textarea', "Un réseau de parrains en entreprise")
    lea.click('form[data-kind="proposal"] button')
    expect(porteur.locator("#codev-proposals li")).to_have_count(1)
    expect(porteur.locator("#codev-forms form")).to_have_count(0)  # the porteur listens
    expect(porteur.locator("#codev-cando")).to_contain_text("écoute")
    expect(projection.locator("#codev-focus-items li")).to_contain_text("parrains")

    # all devices show the same time left (within 1 s)
    anim.click('[data-timer="pause"]')
    expect(projection.locator("#codev-focus-timer")).to_have_class(re.compile("paused"))
    expect(lea.locator("#codev-phone-timer")).to_have_class(re.compile("paused"))
    values = [
        int(p.locator(sel).get_attribute("data-remaining-ms"))
        for p, sel in [
            (projection, "#codev-focus-timer"),
            (lea, "#codev-phone-timer"),
            (porteur, "#codev-phone-timer"),
            (console, "[data-group-card] .codev-timer"),
        ]
    ]
    assert max(values) - min(values) < 1000, values
    anim.click('[data-timer="resume"]')

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    projection.screenshot(path=str(SCREENSHOTS / "codev-projection.png"))
    porteur.screenshot(path=str(SCREENSHOTS / "codev-phone-porteur.png"), full_page=True)
    lea.screenshot(path=str(SCREENSHOTS / "codev-phone-contributeur.png"), full_page=True)
    console.screenshot(path=str(SCREENSHOTS / "codev-console.png"), full_page=True)

    # back to the overview: the group's tile shows its step and time left
    console.select_option("#codev-projection-choice", "")
    expect(projection.locator("[data-tile] .codev-tile-step")).to_contain_text("Réactions")
    expect(projection.locator("[data-tile] .codev-timer")).to_have_text(re.compile(r"\d+:\d\d"))

    # feedback: the porteur retains and downloads the summary
    anim.click('[data-timer="next"]')
    porteur.click("#codev-proposals [data-retain]")
    expect(porteur.locator("#codev-proposals li.retained")).to_have_count(1)
    with porteur.expect_download() as dl:
        porteur.click('[data-codev-download="md"]')
    path = dl.value.path()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert "Parcours de jeunes changeants" in text and "Une quinzaine" in text
    for ctx in contexts:
        ctx.close()
