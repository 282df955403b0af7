"""Grouping suggestions in Chromium: the console flow at 1366x768, and the
projector that sees only what was accepted."""

from playwright.sync_api import expect

from board_helpers import new_prompt, post
from support import PROJECTOR, SCREENSHOTS, held

CONSOLE = {"viewport": {"width": 1366, "height": 768}, "locale": "fr-FR"}
NOTES = [
    "Manque de temps",
    "manque de temps pour se voir",
    "Trop de réunions le soir",
    "Des réunions plus courtes",
    "Réunions trop tardives",
    "Un local plus grand",
    "Le local est mal chauffé",
    "Former les bénévoles",
    "Formation des nouveaux bénévoles",
    "Une fête de fin d’année",
]


def _open(browser, ctx_args, url):
    ctx = browser.new_context(**ctx_args)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(url)
    page.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    return ctx, page, errors


def human_click(page, locator, hold_ms=150):
    """A click as a hand makes it: the button held down for a moment."""
    with held(page, locator):
        page.wait_for_timeout(hold_ms)


def _atelier_with_notes(server, question):
    """An atelier whose question holds NOTES, all from Awa."""
    atelier = server.create_atelier(title="Bénévolat")
    fac = server.facilitator(atelier)
    prompt = new_prompt(fac, question)
    awa = server.participant(atelier, "Awa")
    for text in NOTES:
        assert post(awa, prompt["id"], text)["ok"]
    return atelier, fac, prompt, awa


def test_console_suggest_accept_undo_and_projector(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier, fac, prompt, awa = _atelier_with_notes(server, "Qu’est-ce qui freine le bénévolat ?")
    assert fac.call("atelier:scene", {"scene": "board"})["ok"]
    console_ctx, console, console_errors = _open(
        browser, CONSOLE, f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}"
    )
    proj_ctx, proj, proj_errors = _open(
        browser, PROJECTOR, f"{server.url}/a/{atelier['code']}/projection"
    )
    expect(proj.locator(".wall-note")).to_have_count(len(NOTES))
    expect(console.locator(".board-note-card")).to_have_count(len(NOTES))

    action = console.get_by_role("button", name="Suggérer des regroupements")
    expect(action).to_be_visible()
    # It sits right under the sorting toolbar, so it is on screen with it.
    action.scroll_into_view_if_needed()
    box = action.bounding_box()
    bar = console.locator(".board-toolbar").bounding_box()
    assert 0 <= box["y"] - (bar["y"] + bar["height"]) < 80, (box, bar)
    action.click()
    groups = console.locator(".suggest-group[data-group]")
    expect(groups.first).to_be_visible()
    expect(console.locator("#board-suggest-status")).to_contain_text("groupes suggérés")
    names = [groups.nth(i).locator(".suggest-name").input_value() for i in range(groups.count())]
    assert "Réunion" in names and "Local" in names, names
    expect(console.locator(".suggest-dups")).to_contain_text("manque de temps pour se voir")
    # Nothing changed on the projector.
    expect(proj.locator(".wall-cat")).to_have_count(0)

    reunion = groups.nth(names.index("Réunion"))
    reunion.scroll_into_view_if_needed()
    # Nothing cut or too small in the panel.
    small = console.evaluate(
        """() => [...document.querySelectorAll('#board-suggest *')]
            .filter((n) => n.offsetParent && n.childNodes.length && [...n.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
            .filter((n) => parseFloat(getComputedStyle(n).fontSize) < 13).map((n) => n.textContent)"""
    )
    assert not small, small
    console.screenshot(path=str(SCREENSHOTS / "board-suggest-console-1366.png"))
    reunion.locator(".suggest-name").fill("Les réunions")
    # Move one note out, locally, straight from the name field: it joins
    # « Post-it sans groupe ».
    human_click(
        console,
        reunion.locator(".suggest-note", has_text="Réunions trop tardives").get_by_role("button"),
    )
    expect(console.locator(".suggest-unplaced")).to_contain_text("Réunions trop tardives")
    reunion = console.locator(".suggest-group[data-group]", has=console.locator(".suggest-name"))
    reunion = console.locator(".suggest-group[data-group]").filter(
        has=console.locator("input[value='Les réunions']")
    )
    reunion.get_by_role("button", name="Accepter").click()
    expect(console.locator("#board-suggest-undo")).to_contain_text(
        "2 post-it rangés dans « Les réunions »."
    )
    # The projector shows the accepted category, with the two notes only.
    expect(proj.locator(".wall-cat", has_text="Les réunions")).to_be_visible()
    group = proj.locator(".wall-group", has=proj.locator(".wall-cat", has_text="Les réunions"))
    expect(group.locator(".wall-note")).to_have_count(2)
    expect(proj.locator(".wall-cat", has_text="Local")).to_have_count(0)
    proj.screenshot(path=str(SCREENSHOTS / "board-suggest-projector-accepted.png"))
    # Reject another group: nothing is sent.
    local = console.locator(".suggest-group[data-group]").filter(
        has=console.locator("input[value='Local']")
    )
    local.get_by_role("button", name="Rejeter").click()
    expect(local).to_have_count(0)
    # Merge the near-duplicates through the board's merge.
    console.locator(".suggest-dups").get_by_role("button", name="Fusionner").click()
    expect(proj.locator(".wall-note")).to_have_count(len(NOTES) - 1)
    # A reload of the console keeps what undoing needs (this tab's session).
    console.reload()
    console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    expect(console.locator("#board-suggest-undo")).to_contain_text(
        "2 post-it rangés dans « Les réunions »."
    )
    console.locator("#board-suggest-undo").scroll_into_view_if_needed()
    console.screenshot(path=str(SCREENSHOTS / "board-suggest-undo-after-reload-1366.png"))
    # One action undoes the whole acceptance.
    console.get_by_role("button", name="Annuler cette acceptation").click()
    expect(console.locator("#board-suggest-status")).to_contain_text("Acceptation annulée")
    expect(proj.locator(".wall-cat", has_text="Les réunions")).to_have_count(0)
    expect(proj.locator(".wall-note")).to_have_count(len(NOTES) - 1)
    expect(console.locator("#board-suggest-undo")).to_be_hidden()
    # Undone is forgotten: another reload offers nothing to undo.
    console.reload()
    console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    expect(console.locator(".board-note-card")).to_have_count(len(NOTES) - 1)
    expect(console.locator("#board-suggest-undo")).to_be_hidden()
    assert not console_errors and not proj_errors, (console_errors, proj_errors)
    console_ctx.close()
    proj_ctx.close()


def test_a_note_arriving_while_a_group_is_renamed_loses_no_click(browser, live_server_sqlite):
    """The panel does not re-render under the facilitator's typing; what
    arrived meanwhile is shown once the field is left, after the click that
    left it, which still does what it says."""
    server = live_server_sqlite
    atelier, fac, prompt, awa = _atelier_with_notes(server, "Qu’est-ce qui freine le bénévolat ?")
    ctx, console, errors = _open(
        browser, CONSOLE, f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}"
    )
    try:
        expect(console.locator(".board-note-card")).to_have_count(len(NOTES))
        console.get_by_role("button", name="Suggérer des regroupements").click()
        local = console.locator(".suggest-group[data-group]").filter(
            has=console.locator("input[value='Local']")
        )
        expect(local).to_have_count(1)
        name = local.locator(".suggest-name")
        name.fill("Nos locaux")
        # a note comes from a phone while the field has the focus
        assert post(awa, prompt["id"], "Pas de parking près du local")["ok"]
        console.wait_for_function(f"() => Workshop.board.store.notes.size === {len(NOTES) + 1}")
        expect(name).to_be_focused()
        expect(name).to_have_value("Nos locaux")
        human_click(
            console, local.locator(".suggest-note", has_text="mal chauffé").get_by_role("button")
        )
        expect(console.locator(".suggest-unplaced")).to_contain_text("Le local est mal chauffé")
        renamed = console.locator(".suggest-group[data-group]").filter(
            has=console.locator("input[value='Nos locaux']")
        )
        expect(renamed.locator(".suggest-note")).to_have_count(1)
        # the field left, the board shows the post-it that came meanwhile
        expect(console.locator(".board-note-card")).to_have_count(len(NOTES) + 1)
        assert not errors, errors
    finally:
        ctx.close()


def test_too_few_notes_message_in_console(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier()
    fac = server.facilitator(atelier)
    prompt = new_prompt(fac, "Une idée ?")
    awa = server.participant(atelier, "Awa")
    for text in ["Local", "Temps"]:
        post(awa, prompt["id"], text)
    ctx, console, errors = _open(
        browser, CONSOLE, f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}"
    )
    console.get_by_role("button", name="Suggérer des regroupements").click()
    expect(console.locator("#board-suggest-status")).to_contain_text(
        "Trop peu de post-it à regrouper"
    )
    expect(console.locator("#board-suggest-panel")).to_be_hidden()
    assert not errors, errors
    ctx.close()


def test_panel_fits_a_1024_console(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier()
    fac = server.facilitator(atelier)
    prompt = new_prompt(fac, "Une idée ?")
    awa = server.participant(atelier, "Awa")
    for text in NOTES:
        post(awa, prompt["id"], text)
    ctx, console, errors = _open(
        browser,
        {"viewport": {"width": 1024, "height": 768}, "locale": "fr-FR"},
        f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}",
    )
    console.get_by_role("button", name="Suggérer des regroupements").click()
    expect(console.locator(".suggest-group[data-group]").first).to_be_visible()
    width = console.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1024, width
    for box in console.locator(".suggest-group").all():
        b = box.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 1024, b
    assert not errors, errors
    ctx.close()
