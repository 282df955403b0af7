"""The post-it board in Chromium: phone, console and projector together."""

import re
import time

from playwright.sync_api import expect

from board_helpers import XSS_PAYLOADS, board_notes, new_prompt, phone_page, post
from support import LAPTOP, PROJECTOR, SCREENSHOTS, LiveServer, held


def _open(browser, ctx_args, url):
    ctx = browser.new_context(**ctx_args)
    page = ctx.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    return ctx, page, dialogs


def test_three_surfaces_show_html_as_text_and_sort_vote(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Coopérations jeunesse")
    code = atelier["code"]
    fac = server.facilitator(atelier)
    assert fac.call("atelier:scene", {"scene": "board"})["ok"]
    console_ctx, console, console_dialogs = _open(
        browser, LAPTOP, f"{server.url}/a/{code}/console/{atelier['secret']}"
    )
    # the facilitator adds a prompt from the console
    console.fill("#board-prompt-text", "Les principaux besoins ?")
    console.check("#board-prompt-form input[value=vert]")
    console.check("#board-prompt-form input[value=rose]")
    console.click("#board-prompt-form button[type=submit]")
    expect(console.locator(".board-prompt-ctl")).to_have_count(1)
    proj_ctx, projection, proj_dialogs = _open(
        browser, PROJECTOR, f"{server.url}/a/{code}/projection"
    )
    expect(projection.locator(".wall-question")).to_have_text("Les principaux besoins ?")

    phone_ctx, phone, _ = phone_page(browser, server, atelier, "Awa")
    phone_dialogs = []
    phone.on("dialog", lambda d: (phone_dialogs.append(d.message), d.dismiss()))
    card = phone.locator(".board-prompt-card")
    expect(card.locator("h2")).to_have_text("Les principaux besoins ?")
    textarea = card.locator("textarea")
    textarea.fill("x" * 290)
    expect(card.locator(".board-counter")).to_contain_text("290 / 280")
    expect(card.locator(".board-send")).to_be_disabled()
    for payload in XSS_PAYLOADS:
        textarea.fill(payload)
        card.locator(".board-send").click()
    expect(card.locator(".board-my-note .board-state", has_text="envoyée")).to_have_count(
        len(XSS_PAYLOADS)
    )
    expect(projection.locator(".wall-note")).to_have_count(len(XSS_PAYLOADS))
    expect(console.locator(".board-note-card")).to_have_count(len(XSS_PAYLOADS))
    for page, selector in (
        (phone, ".board-my-note .board-note-text"),
        (projection, ".wall-text"),
        (console, ".board-note-card .board-note-text"),
    ):
        texts = page.locator(selector).all_text_contents()
        assert sorted(texts) == sorted(XSS_PAYLOADS), (selector, texts)
        assert page.locator("script:not([src]):not([type])").count() == 0
        assert page.locator("img[src=x], iframe, svg[onload]").count() == 0
    assert not (console_dialogs or proj_dialogs or phone_dialogs)

    # grouping on the console: create a category, move with the keyboard fallback
    console.fill("#board-cat-title", "Coordination")
    console.click("#board-cat-form button")
    expect(console.locator(".board-col")).to_have_count(2)
    first = console.locator(".board-note-card").first
    first.locator("select.board-move").select_option(label="Coordination")
    expect(console.locator(".board-col").nth(1).locator(".board-note-card")).to_have_count(1)
    # and with the mouse (HTML5 drag and drop)
    console.locator(".board-col").first.locator(".board-note-text").first.drag_to(
        console.locator(".board-col").nth(1)
    )
    expect(console.locator(".board-col").nth(1).locator(".board-note-card")).to_have_count(2)
    expect(projection.locator(".wall-cat", has_text="Coordination")).to_be_visible()
    expect(
        projection.locator(".wall-group", has_text="Coordination").locator(".wall-note")
    ).to_have_count(2)

    # dot vote: opened on the console, cast on the phone, ranked on the projector when closed
    console.locator(".board-prompt-ctl [data-action=vote-open]").click()
    expect(phone.locator(".board-dots-left")).to_contain_text("3 / 3")
    phone.locator(".board-others li").nth(2).locator(
        ".dot-btn[aria-label='Ajouter un point']"
    ).click()
    expect(phone.locator(".board-dots-left")).to_contain_text("2 / 3")
    phone.locator(".board-others li").nth(2).locator(
        ".dot-btn[aria-label='Ajouter un point']"
    ).click()
    expect(phone.locator(".board-dots-left")).to_contain_text("1 / 3")
    assert projection.locator(".wall-votes").count() == 0
    console.locator(".board-prompt-ctl [data-action=vote-close]").click()
    expect(projection.locator(".wall-cat", has_text="Résultats du vote")).to_be_visible()
    expect(projection.locator(".wall-votes").first).to_have_text("2 votes")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    projection.screenshot(path=str(SCREENSHOTS / "board-projection-results.png"))
    console.screenshot(path=str(SCREENSHOTS / "board-console.png"), full_page=True)
    phone.screenshot(path=str(SCREENSHOTS / "board-phone.png"), full_page=True)
    assert not (console_dialogs or proj_dialogs or phone_dialogs)
    for ctx in (console_ctx, proj_ctx, phone_ctx):
        ctx.close()


def test_projector_wall_fits_10_and_300_notes(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier()
    fac = server.facilitator(atelier)
    assert fac.call("atelier:scene", {"scene": "board"})["ok"]
    prompt = new_prompt(fac, text="Quels besoins pour les projets jeunesse ?")
    phone = server.participant(atelier, "Awa")
    for i in range(10):
        assert post(phone, prompt["id"], f"Besoin numéro {i} : plus de coordination")["ok"]
    ctx, page, _ = _open(browser, PROJECTOR, f"{server.url}/a/{atelier['code']}/projection")
    wall = page.locator("#board-wall")
    expect(page.locator(".wall-note")).to_have_count(10)
    page.wait_for_timeout(300)
    size10 = int(wall.get_attribute("data-font-size"))
    assert size10 >= 32 and wall.get_attribute("data-pages") == "1"
    page.screenshot(path=str(SCREENSHOTS / "board-projection-10.png"))
    # a new note is animated in
    assert post(phone, prompt["id"], "Une nouvelle idée")["ok"]
    expect(page.locator(".wall-note.arrive")).to_have_count(1)
    cats = [
        fac.call("board:category:create", {"prompt_id": prompt["id"], "title": f"Catégorie {i}"})[
            "data"
        ]
        for i in range(5)
    ]
    for i in range(289):
        ack = post(phone, prompt["id"], f"Note {i} avec un texte d’une longueur moyenne pour voir")
        note = ack["data"]
        assert fac.call(
            "board:note:move", {"note_id": note["id"], "category_id": cats[i % 5]["id"]}
        )["ok"]
    expect(page.locator(".wall-note")).to_have_count(300)
    page.wait_for_timeout(500)
    size300 = int(wall.get_attribute("data-font-size"))
    assert 24 <= size300 < size10
    # too many for one screen even in columns: paged, denser without columns
    assert "as-columns" not in wall.get_attribute("class")
    pages = int(wall.get_attribute("data-pages"))
    assert pages > 1
    # (the pages turn by themselves: any of them may be showing)
    expect(page.locator("#board-pager")).to_have_text(re.compile(rf"^page [1-9]\d* / {pages}$"))
    # nothing runs off the side of the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    page.screenshot(path=str(SCREENSHOTS / "board-projection-300.png"))
    ctx.close()


def test_phone_offline_60s_delivers_each_note_exactly_once(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier()
    fac = server.facilitator(atelier)
    new_prompt(fac)
    ctx, phone, _ = phone_page(browser, server, atelier, "Hors-ligne")
    card = phone.locator(".board-prompt-card")
    expect(card.locator("textarea")).to_be_visible()
    expect(phone.locator("#conn-dot")).to_have_class(re.compile("on"))
    ctx.set_offline(True)
    texts = ["Première idée", "Deuxième idée", "Troisième idée"]
    for text in texts:
        card.locator("textarea").fill(text)
        card.locator(".board-send").click()
    expect(card.locator(".board-my-note.is-pending")).to_have_count(3)
    expect(card.locator(".board-state", has_text="en attente")).to_have_count(3)
    # the notes survive a reload while offline (localStorage)
    time.sleep(60)
    assert board_notes(fac) == []
    ctx.set_offline(False)
    expect(card.locator(".board-state", has_text="envoyée")).to_have_count(3, timeout=30_000)
    expect(card.locator(".board-my-note.is-pending")).to_have_count(0)
    assert sorted(n["text"] for n in board_notes(fac)) == sorted(texts)
    # a reload does not send them again
    phone.reload()
    expect(phone.locator(".board-state", has_text="envoyée")).to_have_count(3)
    time.sleep(1)
    assert len(board_notes(fac)) == 3
    ctx.close()


def test_pages_unpack_coalesced_broadcasts(browser, tmp_path):
    # Each flush counts as being written for 400 ms (100 ms a socket, at most the
    # window): what follows it is coalesced however fast the machine.
    env = {"WORKSHOP_BROADCAST_WINDOW_MS": "400", "WORKSHOP_BROADCAST_SOCKET_US": "100000"}
    server = LiveServer(tmp_path / "batch", f"sqlite:///{tmp_path / 'b.sqlite3'}", env=env)
    server.start()
    try:
        atelier = server.create_atelier(title="Rafale")
        code = atelier["code"]
        fac = server.facilitator(atelier)
        assert fac.call("atelier:scene", {"scene": "board"})["ok"]
        prompt = new_prompt(fac, "Une idée ?")
        proj_ctx, projection, _ = _open(browser, PROJECTOR, f"{server.url}/a/{code}/projection")
        phone_ctx, phone, _ = phone_page(browser, server, atelier, "Awa")
        expect(projection.locator(".wall-question")).to_have_text("Une idée ?")
        expect(phone.locator(".board-prompt-card h2")).to_have_text("Une idée ?")
        bob = server.participant(atelier, "Bob")
        watcher = server.projector(atelier)
        for i in range(8):
            assert post(bob, prompt["id"], f"idée {i}")["ok"]
        watcher.wait_for(lambda: len(watcher.received("board:note")) == 8, "8 notes")
        assert watcher.batches >= 1  # the pages below got batches too
        expect(projection.locator(".wall-note")).to_have_count(8)
        texts = projection.locator(".wall-note .wall-text").all_inner_texts()
        assert sorted(texts) == [f"idée {i}" for i in range(8)]
        # a new prompt after the burst still arrives (the page keeps listening)
        new_prompt(fac, "Et ensuite ?")
        expect(projection.locator(".wall-question")).to_have_count(2)
        proj_ctx.close()
        phone_ctx.close()
    finally:
        server.stop()
        server.close_clients()


def test_a_note_arriving_during_a_click_does_not_lose_it(browser, live_server_sqlite):
    """The console re-renders the board when a post-it arrives; a re-render
    between the press and the release of a button would replace it and the
    click would be lost. It waits for the release, then shows the post-it."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Clic pendant l’arrivée d’un post-it")
    fac = server.facilitator(atelier)
    prompt = new_prompt(fac, "Vos besoins ?")
    awa = server.participant(atelier, "Awa")
    first = post(awa, prompt["id"], "Un local pour se réunir")["data"]
    ctx, console, _ = _open(
        browser, LAPTOP, f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}"
    )
    try:
        card = console.locator(f'.board-note-card[data-note="{first["id"]}"]')
        hide = card.locator("[data-action=hide]")
        expect(hide).to_be_visible()
        with held(console, hide):
            assert post(awa, prompt["id"], "Des réunions plus courtes")["ok"]
            console.wait_for_function("() => Workshop.board.store.notes.size === 2")
            console.wait_for_timeout(300)  # several frames: a re-render would have happened
            assert hide.evaluate("(b) => document.contains(b)")
            expect(console.locator(".board-note-card")).to_have_count(1)
        # the click did what it says, then the board shows the new post-it
        expect(console.locator(".board-note-card")).to_have_count(2)
        expect(card.locator("[data-action=show]")).to_be_visible()
        notes = {n["id"]: n for n in fac.call("sync")["data"]["board"]["notes"]}
        assert notes[first["id"]]["status"] == "hidden", notes[first["id"]]
    finally:
        ctx.close()
