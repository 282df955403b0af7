"""The whole demo déroulé in Chromium, driven from the console's keyboard:
a console (1366×768), a projector (1920×1080) and three phones (390×844)."""

import json

from playwright.sync_api import expect

from support import PHONE, SCREENSHOTS

CONSOLE = {"viewport": {"width": 1366, "height": 768}, "locale": "fr-FR"}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "fr-FR"}
PHONE_H = PHONE["viewport"]["height"]


def demo_on(server):
    """The demo atelier, loaded into the live server's database."""
    from workshop import create_app
    from workshop.demo import ensure_demo

    app = create_app(
        {
            "INSTANCE_PATH": server.instance,
            "DATABASE_URL": server.db_url,
            "SECRET_KEY": "live-test-secret",
            "AUTO_MIGRATE": False,
        }
    )
    code, secret = ensure_demo(app)
    app.extensions["workshop_db"].dispose()
    return code, secret


def phone(browser, server, code, name):
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


def main_control_on_first_screen(page, selector):
    loc = page.locator(selector).first
    expect(loc).to_be_visible()
    box = loc.bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + min(box["height"], 44) <= PHONE_H, (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["viewport"]["width"] + 1, (
        selector,
        box,
    )
    return box


def visible_scenes(projection):
    return projection.evaluate(
        "() => [...document.querySelectorAll('.scene')].filter((s) => !s.hidden)"
        ".map((s) => s.dataset.scene)"
    )


def page_does_not_scroll(page):
    """The console is a workspace: the page itself never scrolls (its side
    list and its open activity scroll on their own)."""
    height = page.evaluate("() => document.documentElement.scrollHeight - window.innerHeight")
    if height > 1:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().bottom > innerHeight + 1)
               .filter((e) => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                 if (['auto', 'hidden', 'scroll'].includes(getComputedStyle(p).overflowY)) return false; } return true; })
               .slice(0, 4).map((e) => e.tagName + '#' + e.id + '.' + e.className)"""
        )
        raise AssertionError(f"the console page scrolls by {height} px: {culprits}")
    return True


def shot(page, name):
    """A small PNG: at most 960 px wide, 64 colours (docs/screenshots)."""
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(page.screenshot(scale="css")))
    if img.width > 960:
        img = img.resize((960, round(img.height * 960 / img.width)), Image.LANCZOS)
    img.convert("RGB").quantize(64).save(SCREENSHOTS / f"deroule-{name}.png", optimize=True)


def test_whole_demo_deroule_with_the_keyboard(browser, live_server_sqlite):
    from workshop.domain.deroule import ACTIVITY_TYPES

    server = live_server_sqlite
    code, secret = demo_on(server)
    contexts = []
    try:
        cctx = browser.new_context(**CONSOLE)
        contexts.append(cctx)
        console = cctx.new_page()
        console.goto(f"{server.url}/a/{code}/console/{secret}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        expect(console.locator("#dr-list .dr-item").first).to_be_visible()
        acts = console.evaluate("() => window.Workshop.state.deroule.activities")
        assert len(acts) >= 7
        # the first screen says what to press
        expect(console.locator("#dr-start")).to_be_visible()
        expect(console.locator("#dr-start")).to_contain_text("→")
        assert page_does_not_scroll(console)
        shot(console, "00-console-start")

        pctx = browser.new_context(**PROJECTOR)
        contexts.append(pctx)
        projection = pctx.new_page()
        projection.goto(f"{server.url}/a/{code}/projection")
        expect(projection.locator("#join-code")).to_have_text(code)

        phones = []
        for name in ("Awa", "Karim", "Léa"):
            ctx, page = phone(browser, server, code, name)
            contexts.append(ctx)
            phones.append(page)

        # nothing focused: keys go to the page (a click could land on a link)
        console.evaluate("document.activeElement && document.activeElement.blur()")
        for i, act in enumerate(acts):
            console.keyboard.press("ArrowRight" if i % 2 == 0 else "PageDown")
            expect(console.locator("#dr-now-title")).to_have_text(act["title"])
            expect(console.locator(f'#dr-list [data-activity="{act["id"]}"]')).to_have_attribute(
                "aria-current", "step"
            )
            kind = ACTIVITY_TYPES[act["type"]]
            tag = f"{i + 1:02d}-{act['type']}"
            # the projector: this activity's scene, alone
            expect(projection.locator("body")).to_have_attribute("data-scene", kind.scene)
            assert visible_scenes(projection) == [kind.scene], (tag, visible_scenes(projection))
            if act["type"] == "message":
                expect(projection.locator("#dr-msg-title")).to_have_text(act["title"])
            if act["type"] == "codev" and len(act["groups"]) == 1:
                # one group: its own projection fills the screen, not an overview of one tile
                from scene_checks import assert_readable

                expect(projection.locator("#codev-focus")).to_be_visible()
                expect(projection.locator("#codev-overview")).to_be_hidden()
                focus = projection.locator("#codev-focus").bounding_box()
                assert focus["height"] >= 0.6 * 1080 and focus["width"] >= 0.8 * 1920, focus
                assert_readable(projection, '.scene[data-scene="codev"]', label="codev 1920x1080")
            if act["type"] in ("question", "vote"):
                others = [
                    a
                    for a in acts
                    if a["type"] == "question" and a["prompt_id"] != act["prompt_id"]
                ]
                prompt = next(
                    a
                    for a in acts
                    if a["type"] == "question" and a["prompt_id"] == act["prompt_id"]
                )
                wall = projection.locator('.scene[data-scene="board"]')
                expect(wall).to_contain_text(prompt["settings"]["prompt"])
                for other in others:
                    expect(wall).not_to_contain_text(other["settings"]["prompt"])
            # every phone: the activity's main control on its first screen
            for page in phones:
                expect(page.locator("body")).to_have_attribute("data-activity", act["type"])
                main_control_on_first_screen(page, kind.main_control)
            if i == 3:  # a phone that joins at activity 4 lands on activity 4
                ctx, late = phone(browser, server, code, "Nadia")
                contexts.append(ctx)
                expect(late.locator("body")).to_have_attribute("data-activity", act["type"])
                main_control_on_first_screen(late, kind.main_control)
                assert late.evaluate("window.Workshop.focus.id") == act["id"]
                ctx.close()
                contexts.remove(ctx)
            second_question = [a for a in acts if a["type"] == "question"][1:2]
            if second_question and act["id"] == second_question[0]["id"]:
                # the small menu goes back to a question still open, then follows the room
                other = phones[1]
                other.click("#dr-menu-btn")
                first_q = next(a for a in acts if a["type"] == "question")
                other.locator("#dr-menu-list button", has_text=first_q["title"]).click()
                expect(other.locator(".board-prompt-text")).to_have_text(
                    first_q["settings"]["prompt"]
                )
                main_control_on_first_screen(other, ".board-textarea")
                other.click("#dr-menu-btn")
                other.locator("#dr-menu-list button", has_text=act["title"]).click()
                expect(other.locator(".board-prompt-text")).to_have_text(act["settings"]["prompt"])
            if act["type"] in ("question", "vote", "codev", "map"):
                # the open activity's panel fits the console (its lists scroll on their own)
                console.wait_for_timeout(300)
                panel = console.evaluate(
                    "() => Math.round([...document.querySelectorAll('.dr-cap-panel')]"
                    ".find((p) => !p.hidden).getBoundingClientRect().height)"
                )
                assert panel <= 720, (tag, panel)
            shot(console, f"{tag}-console")
            shot(projection, f"{tag}-projection")
            shot(phones[0], f"{tag}-phone")
            assert page_does_not_scroll(console)

        # past the end: a clear message, nothing changes
        console.keyboard.press("ArrowRight")
        expect(console.locator("#console-error")).to_contain_text("dernière activité")
        expect(console.locator("#dr-now-title")).to_have_text(acts[-1]["title"])

        # B blanks the projector, J shows the big join screen, over any activity
        console.keyboard.press("b")
        expect(projection.locator("#dr-blank-screen")).to_be_visible()
        console.keyboard.press("b")
        expect(projection.locator("#dr-blank-screen")).to_be_hidden()
        console.keyboard.press("j")
        expect(projection.locator("body")).to_have_attribute("data-overlay", "join")
        assert visible_scenes(projection) == ["home"]
        qr = projection.locator(".qr").bounding_box()
        assert qr["width"] >= 600, qr  # scannable from the back of the room
        shot(projection, "join-projection")
        console.keyboard.press("j")
        expect(projection.locator("body")).to_have_attribute("data-overlay", "none")

        # back with the clicker's PageUp: phones follow
        console.keyboard.press("PageUp")
        expect(console.locator("#dr-now-title")).to_have_text(acts[-2]["title"])
        for page in phones:
            expect(page.locator("body")).to_have_attribute("data-activity", acts[-2]["type"])
    finally:
        for ctx in contexts:
            ctx.close()


def test_console_builds_a_deroule_mouse_and_keyboard(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="P’tit Déj de mars")
    ctx = browser.new_context(**CONSOLE)
    try:
        console = ctx.new_page()
        console.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        expect(console.locator("#dr-list-empty")).to_be_visible()
        # every activity type's whole name shows in the add form's select
        cut = console.evaluate(
            """() => {
              const sel = document.getElementById("dr-add-type");
              const cs = getComputedStyle(sel);
              const ctx = document.createElement("canvas").getContext("2d");
              ctx.font = cs.font;
              const room = sel.clientWidth - parseFloat(cs.paddingLeft)
                - parseFloat(cs.paddingRight) - 16;  // the arrow
              return [...sel.options].map(o => o.text)
                .filter(t => ctx.measureText(t).width > room);
            }"""
        )
        assert cut == [], cut
        console.click("#tab-plan")
        console.select_option("#dr-modele", "ship:journee_cooperations")
        console.click("#dr-modele-form button[type=submit]")
        expect(console.locator("#dr-list .dr-item")).to_have_count(5)
        expect(console.locator("#dr-plan-status")).to_contain_text("5 activités")
        # open the codev activity: its four rooms, in their colours
        console.click("#dr-list .dr-item:nth-child(3) .dr-pick")
        expect(console.locator("#tab-activity")).to_have_attribute("aria-selected", "true")
        names = console.locator(".dr-group-row [data-key=name]")
        expect(names).to_have_count(4)
        rooms = [
            console.locator(".dr-group-row [data-key=room]").nth(i).input_value() for i in range(4)
        ]
        assert rooms == ["Salle Chardon", "Salle Myrtilles", "Espace Lorraine", "Salle Gruber"]
        expect(console.locator('[data-console-panel="codev"]')).to_be_visible()
        expect(console.locator('[data-console-panel="board"]')).to_be_hidden()
        shot(console, "editor-codev-console")
        # keyboard reorder: Alt+↑ moves the chosen activity up
        titles = lambda: console.locator("#dr-list .dr-item-title").all_text_contents()  # noqa: E731
        before = titles()
        console.locator("#dr-list .dr-item:nth-child(3) .dr-pick").focus()
        console.keyboard.press("Alt+ArrowUp")
        expect(console.locator("#dr-list .dr-item:nth-child(2) .dr-item-title")).to_have_text(
            before[2]
        )
        # mouse: drag the last activity onto the first
        console.locator("#dr-list .dr-item:nth-child(5)").drag_to(
            console.locator("#dr-list .dr-item:nth-child(1)")
        )
        expect(console.locator("#dr-list .dr-item:nth-child(1) .dr-item-title")).to_have_text(
            before[4]
        )
        # edit: title and duration; duplicate; delete
        console.click("#dr-list .dr-item:nth-child(2) .dr-pick")
        console.fill("#dr-ed-title", "Accueil café")
        console.fill("#dr-ed-duration", "25")
        console.click("#dr-editor button[type=submit]")
        expect(console.locator("#dr-list .dr-item:nth-child(2) .dr-item-title")).to_have_text(
            "Accueil café"
        )
        console.click("#dr-ed-duplicate")
        expect(console.locator("#dr-list .dr-item")).to_have_count(6)
        console.once("dialog", lambda d: d.accept())
        console.click("#dr-ed-delete")
        expect(console.locator("#dr-list .dr-item")).to_have_count(5)
        # data and privacy live in their own tab, with readable links
        console.click("#tab-data")
        expect(console.locator("#gdpr-console")).to_be_visible()
        links = console.locator("#gdpr-console a").all_text_contents()
        assert not any("/" in t for t in links), links
        expect(console.locator("#board-console")).to_be_hidden()
        assert page_does_not_scroll(console)
    finally:
        ctx.close()


def _in_view(page, locator, height):
    # rendered first (a panel re-renders when the selected activity's
    # broadcast arrives), then measured
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, box
    return box


def test_board_panel_holds_one_question_on_a_1366x768_console(browser, live_server_sqlite):
    """The board's console panel, on the demo's question (its ~27 notes and 6
    categories): the selected question alone, its main actions on the first
    screen, its columns scrolling on their own, settings behind a disclosure."""
    server = live_server_sqlite
    code, secret = demo_on(server)
    ctx = browser.new_context(**CONSOLE)
    try:
        console = ctx.new_page()
        errors = []
        console.on("pageerror", lambda e: errors.append(str(e)))
        console.goto(f"{server.url}/a/{code}/console/{secret}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        acts = console.evaluate("() => window.Workshop.state.deroule.activities")
        question = next(a for a in acts if a["type"] == "question")
        vote = next(a for a in acts if a["type"] == "vote")
        notes = [
            n
            for n in console.evaluate("() => window.Workshop.state.board.notes")
            if n["prompt_id"] == question["prompt_id"] and not n.get("merged_into")
        ]
        assert len(notes) >= 20, len(notes)
        # on the day: the question is the current activity
        console.click(f'#dr-list [data-activity="{question["id"]}"]')
        console.click("#dr-ed-go")
        expect(console.locator("#dr-now-title")).to_have_text(question["title"])
        panel = console.locator("#board-console")
        expect(panel).to_be_visible()
        # that question only
        expect(console.locator(".board-prompt-ctl")).to_have_count(1)
        expect(console.locator(".board-prompt-ctl .board-prompt-title")).to_have_text(
            question["settings"]["prompt"]
        )
        expect(console.locator("#board-new-prompt")).to_be_hidden()
        expect(console.locator("#board-current-box")).to_be_hidden()
        expect(console.locator(".board-note-card")).to_have_count(len(notes))
        console.wait_for_timeout(300)
        height = CONSOLE["viewport"]["height"]
        box = _in_view(console, panel, height)
        assert box["height"] <= 560, box  # was about 2,770 px before
        # nothing scrolls but the lists: the page, nor the open activity
        assert page_does_not_scroll(console)
        overflow = console.evaluate(
            "() => { const m = document.querySelector('.dr-main'); return m.scrollHeight - m.clientHeight; }"
        )
        assert overflow <= 1, overflow
        # the main actions on the first screen
        for button in console.locator(".board-main-actions > .btn").all():
            _in_view(console, button, height)
        _in_view(console, console.locator("#board-cat-title"), height)
        _in_view(console, console.get_by_role("button", name="Suggérer des regroupements"), height)
        cols = console.locator(".board-col")
        assert cols.count() >= 3
        for i in range(3):
            head = _in_view(console, cols.nth(i).locator(".board-col-head"), height)
            assert head["x"] + head["width"] <= CONSOLE["viewport"]["width"], head
        _in_view(console, console.locator(".board-note-card").first, height)
        # long columns scroll in their own region
        scrolling = console.evaluate(
            """() => [...document.querySelectorAll('.board-col-notes')].filter((b) =>
                b.scrollHeight > b.clientHeight + 1 && getComputedStyle(b).overflowY === 'auto').length"""
        )
        assert scrolling >= 1, scrolling
        # a category title is read whole (two lines at most), not cut to a few letters
        title = console.locator('.board-col:not([data-drop-category=""]) .board-col-title').first
        assert title.evaluate("(e) => e.getBoundingClientRect().width") >= 180
        # no text smaller than 13 px in the panel
        small = console.evaluate(
            """() => [...document.querySelectorAll('#board-console *')]
                .filter((n) => n.offsetParent && [...n.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
                .filter((n) => parseFloat(getComputedStyle(n).fontSize) < 13).map((n) => n.textContent)"""
        )
        assert not small, small
        shot(console, "board-console-1366x768")
        # settings and exports wait behind their disclosure
        more = console.locator(".board-prompt-more")
        expect(more.locator(".board-visibility")).to_be_hidden()
        more.locator("summary").click()
        expect(more.locator(".board-visibility")).to_be_visible()
        expect(more.locator("a[href*='prompt=']").first).to_be_visible()
        expect(more.get_by_role("link", name="PDF")).to_have_count(2)  # this question, all
        # kept open across the panel's re-renders
        n_cols = cols.count()
        server.facilitator({"code": code, "secret": secret}).call(
            "board:category:create", {"prompt_id": question["prompt_id"], "title": "Nouvelle"}
        )
        expect(console.locator(".board-col")).to_have_count(n_cols + 1)
        expect(more.locator(".board-visibility")).to_be_visible()
        # the vote: its control is the main action, on the first screen
        console.click(f'#dr-list [data-activity="{vote["id"]}"]')
        expect(console.locator(".board-prompt-ctl")).to_have_count(1)
        _in_view(console, console.locator(".board-main-actions [data-action=vote-open]"), height)
        shot(console, "board-console-vote-1366x768")
        assert not errors, errors
    finally:
        ctx.close()


def test_console_saves_modeles_on_the_server_and_brings_browser_ones_over(
    browser, live_server_sqlite
):
    from workshop.deroule.modeles import modele

    server = live_server_sqlite
    atelier = server.create_atelier(title="Modèles")
    fac = server.facilitator(atelier)
    assert fac.call("deroule:template:apply", {"template": "ptit_dej"})["ok"]
    kept = [
        {"name": "Portrait (navigateur)", "document": modele("portrait_croise")},
        {
            "name": "Abîmé",
            "document": {
                "format": "workshop-deroule",
                "version": 1,
                "activities": [{"type": "vote", "title": "Vote", "settings": {"dots": 99}}],
            },
        },
    ]
    ctx = browser.new_context(**CONSOLE)
    ctx.add_init_script(
        "if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); "
        f"localStorage.setItem('workshop:modeles', {json.dumps(json.dumps(kept))}); }}"
    )
    try:
        console = ctx.new_page()
        console.on("dialog", lambda d: d.accept())
        console.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        console.click("#tab-plan")
        # the browser's good modèle is now on the server; the broken one stays, with why
        saved = console.locator("#dr-saved li")
        expect(saved).to_have_count(1)
        expect(saved.first).to_contain_text("Portrait (navigateur)")
        expect(saved.first).to_contain_text("4 activités")
        expect(console.locator("#dr-plan-status")).to_contain_text("activities[1].settings.dots")
        left = json.loads(console.evaluate("() => localStorage.getItem('workshop:modeles')"))
        assert [m["name"] for m in left] == ["Abîmé"]
        server_list = fac.call("sync")["data"]["deroule"]["modeles"]
        assert [m["name"] for m in server_list] == ["Portrait (navigateur)"]
        # a reload does not bring it over twice
        console.reload()
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        console.click("#tab-plan")
        expect(console.locator("#dr-saved li")).to_have_count(1)
        assert len(fac.call("sync")["data"]["deroule"]["modeles"]) == 1
        # save this déroulé as a modèle: listed beside the shipped ones
        console.fill("#dr-save-name", "P’tit Déj maison")
        console.click("#dr-save-form button[type=submit]")
        expect(console.locator("#dr-plan-status")).to_contain_text(
            "« P’tit Déj maison » enregistré"
        )
        expect(console.locator("#dr-saved li")).to_have_count(2)
        options = console.locator("#dr-modele option").all_text_contents()
        assert "P’tit Déj maison" in options and any("Journée coopérations" in o for o in options)
        # bad input: a blank name changes nothing
        console.fill("#dr-save-name", "   ")
        console.click("#dr-save-form button[type=submit]")
        expect(console.locator("#dr-saved li")).to_have_count(2)
        # apply a saved one
        mine = next(
            m
            for m in fac.call("sync")["data"]["deroule"]["modeles"]
            if m["name"] == "P’tit Déj maison"
        )
        console.select_option("#dr-modele", f"saved:{mine['id']}")
        console.click("#dr-modele-form button[type=submit]")
        expect(console.locator("#dr-plan-status")).to_contain_text("4 activités ajoutées")
        expect(console.locator("#dr-list .dr-item")).to_have_count(8)
        assert page_does_not_scroll(console)
        shot(console, "modeles-console")
        # delete one
        console.click(f'#dr-saved [data-modele="{mine["id"]}"]')
        expect(console.locator("#dr-saved li")).to_have_count(1)
        expect(console.locator("#dr-plan-status")).to_contain_text("supprimé")
        assert [m["name"] for m in fac.call("sync")["data"]["deroule"]["modeles"]] == [
            "Portrait (navigateur)"
        ]
    finally:
        ctx.close()


def test_another_ateliers_modele_in_the_console(browser, live_server_sqlite):
    """A modèle saved by another atelier is listed in this console, marked as
    such, without a delete button, and can be applied; saving under its name
    is refused with the reason, and changes nothing."""
    from a11y_helpers import assert_no_violations

    server = live_server_sqlite
    owner = server.create_atelier(title="Atelier propriétaire")
    owner_fac = server.facilitator(owner)
    assert owner_fac.call("deroule:template:apply", {"template": "ptit_dej"})["ok"]
    name = "Matinée des partenaires (autre atelier)"
    ack = owner_fac.call("deroule:modele:save", {"name": name})
    assert ack["ok"], ack
    theirs = ack["data"]["id"]
    atelier = server.create_atelier(title="Atelier invité")
    fac = server.facilitator(atelier)
    ctx = browser.new_context(**CONSOLE, bypass_csp=True)  # axe-core is injected
    try:
        console = ctx.new_page()
        console.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        console.click("#tab-plan")
        item = console.locator(f'#dr-saved [data-modele-item="{theirs}"]')
        expect(item).to_contain_text(name)
        expect(item).to_contain_text("enregistré par un autre atelier")
        expect(item.locator("button")).to_have_count(0)  # no delete for this console
        assert_no_violations(console, "console, another atelier's modèle")
        # applied here: its activities come in, the owner's modèle is unchanged
        console.select_option("#dr-modele", f"saved:{theirs}")
        console.click("#dr-modele-form button[type=submit]")
        expect(console.locator("#dr-plan-status")).to_contain_text("4 activités ajoutées")
        expect(console.locator("#dr-list .dr-item")).to_have_count(4)
        # saving under its name: refused, said in the console, nothing replaced
        console.fill("#dr-save-name", name)
        console.click("#dr-save-form button[type=submit]")
        expect(console.locator("#dr-plan-status")).to_contain_text(
            "enregistré par un autre atelier : choisissez un autre nom"
        )
        expect(item.locator("button")).to_have_count(0)
        listed = [m for m in fac.call("sync")["data"]["deroule"]["modeles"] if m["id"] == theirs]
        assert [(m["name"], m["mine"], m["activities"]) for m in listed] == [(name, False, 4)]
        # deleting it from this console, by the protocol: refused
        ack = fac.call("deroule:modele:delete", {"modele_id": theirs})
        assert not ack["ok"] and ack["error"] == "deroule_modele_not_yours", ack
        assert page_does_not_scroll(console)
        shot(console, "modele-other-atelier")
    finally:
        ctx.close()


SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 640}}
SMALL_PROJECTORS = ((1280, 720), (1024, 768))


def _phone_fits(page, selector, width, height, tag):
    loc = page.locator(selector).first
    expect(loc).to_be_visible()
    box = loc.bounding_box()
    assert box["y"] >= 0 and box["y"] + min(box["height"], 44) <= height, (tag, selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (tag, selector, box)
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, (tag, "the phone scrolls sideways", scroll)


def test_every_activity_on_a_360x640_phone_and_small_projectors(browser, live_server_sqlite):
    """The demo déroulé on a small phone (its main control on the first
    screen) and on 1280×720 and 1024×768 projectors (each scene readable:
    nothing cut or overlapping, texts large enough, contrast), with the big
    join screen (J) and the blank screen (B)."""
    from scene_checks import assert_readable

    from workshop.domain.deroule import ACTIVITY_TYPES

    server = live_server_sqlite
    code, secret = demo_on(server)
    fac = server.facilitator({"code": code, "secret": secret})
    acts = fac.snapshot["deroule"]["activities"]
    contexts = []
    try:
        projectors = []
        for w, h in SMALL_PROJECTORS:
            ctx = browser.new_context(viewport={"width": w, "height": h}, locale="fr-FR")
            contexts.append(ctx)
            page = ctx.new_page()
            page.goto(f"{server.url}/a/{code}/projection")
            expect(page.locator("#join-code")).to_have_text(code)
            projectors.append((page, w, h))
        joined = server.join(code, "Petit écran")
        pctx = browser.new_context(**SMALL_PHONE)
        contexts.append(pctx)
        pctx.add_init_script(
            f"localStorage.setItem({json.dumps('workshop:token:' + code)}, "
            f"{json.dumps(json.dumps(joined['token']))});"
        )
        phone_page = pctx.new_page()
        phone_page.goto(f"{server.url}/a/{code}/p")
        expect(phone_page.locator("#me-name")).to_have_text("Petit écran")
        pw, ph = SMALL_PHONE["viewport"]["width"], SMALL_PHONE["viewport"]["height"]
        for i, act in enumerate(acts):
            assert fac.call("deroule:next")["ok"]
            kind = ACTIVITY_TYPES[act["type"]]
            tag = f"{i + 1:02d}-{act['type']}"
            scene = f'.scene[data-scene="{kind.scene}"]'
            if act["type"] == "codev":  # the session runs: its step and timer show
                gid = act["groups"][0]["id"]
                assert fac.call("codev:timer", {"action": "start", "group_id": gid})["ok"]
            for page, w, h in projectors:
                expect(page.locator("body")).to_have_attribute("data-scene", kind.scene)
                assert visible_scenes(page) == [kind.scene], (tag, w, visible_scenes(page))
                page.wait_for_timeout(800)  # the scene fits itself to the screen
                assert_readable(page, scene, label=f"{tag} {w}x{h}")
                if act["type"] == "codev":
                    # one group: the projector shows that group, not an overview of one tile
                    expect(page.locator("#codev-focus")).to_be_visible()
                    expect(page.locator("#codev-overview")).to_be_hidden()
                    group = act["groups"][0]["name"]
                    expect(page.locator("#codev-focus-name")).to_have_text(group)
                    expect(page.locator("#codev-focus-step")).not_to_be_empty()
                    expect(page.locator("#codev-focus-timer")).to_contain_text(":")
                    focus = page.locator("#codev-focus").bounding_box()
                    assert focus["height"] >= 0.6 * h and focus["width"] >= 0.8 * w, (w, focus)
                shot(page, f"size-{w}x{h}-{tag}")
            expect(phone_page.locator("body")).to_have_attribute("data-activity", act["type"])
            _phone_fits(phone_page, kind.main_control, pw, ph, tag)
            shot(phone_page, f"size-360x640-{tag}")
        # J: the big join screen; B: the blank screen, on both projectors
        assert fac.call("deroule:overlay", {"overlay": "join"})["ok"]
        for page, w, h in projectors:
            expect(page.locator("body")).to_have_attribute("data-overlay", "join")
            page.wait_for_timeout(300)
            assert_readable(page, '.scene[data-scene="home"]', label=f"join {w}x{h}")
            qr = page.locator(".qr").bounding_box()
            assert qr["height"] >= 0.5 * h, (w, qr)  # scannable from the back of the room
            assert qr["y"] >= 0 and qr["y"] + qr["height"] <= h, (w, qr)
            shot(page, f"size-{w}x{h}-join")
        assert fac.call("deroule:overlay", {"overlay": "blank"})["ok"]
        for page, w, h in projectors:
            blank = page.locator("#dr-blank-screen")
            expect(blank).to_be_visible()
            box = blank.bounding_box()
            assert box["width"] >= w and box["height"] >= h, box
        assert fac.call("deroule:overlay", {"overlay": "none"})["ok"]
    finally:
        for ctx in contexts:
            ctx.close()


HEADER_CLASHES = """() => {
  const parts = [...document.querySelectorAll(
    '.console-top .console-id, .run-bar > .btn, .run-now, .console-top .topbar-right > *')]
    .filter((n) => n.offsetParent && n.getBoundingClientRect().width > 0);
  const out = [];
  const now = document.querySelector('.run-now').getBoundingClientRect();
  const time = document.querySelector('#dr-now-time').getBoundingClientRect();
  if (time.width && time.right > now.right + 1) out.push(['cut', 'run time']);
  parts.forEach((n, i) => {
    if (n.matches('.btn, .pill') && n.scrollWidth > n.clientWidth + 1) out.push(['cut', n.textContent.trim()]);
    const a = n.getBoundingClientRect();
    parts.slice(i + 1).forEach((m) => {
      const b = m.getBoundingClientRect();
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        out.push([n.textContent.trim().slice(0, 20), m.textContent.trim().slice(0, 20)]);
    });
  });
  return out;
}"""


def test_codev_panel_fits_a_1366x768_console(browser, live_server_sqlite):
    """The codev console panel, on the demo's codev activity (its group of
    eight): compact group cards (name, room, colour and shape, step, timer,
    members, main actions) on the first screen, the group form and each
    group's settings behind disclosures, the member list scrolling on its own."""
    server = live_server_sqlite
    code, secret = demo_on(server)
    ctx = browser.new_context(**CONSOLE)
    try:
        console = ctx.new_page()
        errors = []
        console.on("pageerror", lambda e: errors.append(str(e)))
        console.goto(f"{server.url}/a/{code}/console/{secret}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        acts = console.evaluate("() => window.Workshop.state.deroule.activities")
        codev = next(a for a in acts if a["type"] == "codev")
        console.click(f'#dr-list [data-activity="{codev["id"]}"]')
        console.click("#dr-ed-go")
        expect(console.locator("#dr-now-title")).to_have_text(codev["title"])
        panel = console.locator("#codev-console")
        expect(panel).to_be_visible()
        card = console.locator("[data-group-card]")
        expect(card).to_have_count(1)
        expect(card.locator(".codev-member")).to_have_count(8)
        console.wait_for_timeout(300)
        height = CONSOLE["viewport"]["height"]
        box = console.evaluate(
            "() => Math.round([...document.querySelectorAll('.dr-cap-panel')]"
            ".find((p) => !p.hidden).getBoundingClientRect().height)"
        )
        assert box <= 600, box  # was 1,294 px before
        _in_view(console, panel, height)
        assert page_does_not_scroll(console)
        overflow = console.evaluate(
            "() => { const m = document.querySelector('.dr-main'); return m.scrollHeight - m.clientHeight; }"
        )
        assert overflow <= 1, overflow
        # the group's name, room, colour and shape, step, timer, members, main action
        for part in (".codev-swatch", "h3", ".codev-card-step", ".codev-card-count"):
            _in_view(console, card.locator(part), height)
        expect(card.locator("h3")).to_have_text(codev["groups"][0]["name"])
        expect(card.locator(".codev-card-head")).to_contain_text("Salle Chardon")
        expect(card.locator(".codev-card-count")).to_have_text("8 membres")
        _in_view(console, card.locator("[data-timer=start]"), height)
        _in_view(console, console.locator("#codev-projection-choice"), height)
        # the member list scrolls in its own region
        members = card.locator(".codev-members")
        assert members.evaluate(
            "(b) => b.scrollHeight > b.clientHeight + 1 && getComputedStyle(b).overflowY === 'auto'"
        )
        small = console.evaluate(
            """() => [...document.querySelectorAll('#codev-console *')]
                .filter((n) => n.offsetParent && [...n.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
                .filter((n) => parseFloat(getComputedStyle(n).fontSize) < 13).map((n) => n.textContent)"""
        )
        assert not small, small
        shot(console, "codev-console-1366x768")
        # the group form and the group's settings wait behind their disclosures
        expect(console.locator("#codev-create")).to_be_hidden()
        more = card.locator(".codev-card-more")
        expect(more.locator(".codev-duration-grid")).to_be_hidden()
        more.locator("summary").click()
        expect(more.locator(".codev-duration-grid")).to_be_visible()
        expect(more.get_by_role("button", name="Supprimer le groupe")).to_be_visible()
        # kept open across the card's re-renders
        fac = server.facilitator({"code": code, "secret": secret})
        murielle = card.locator(".codev-member.role-secretaire").get_attribute("data-member")
        ack = fac.call("codev:role", {"participant_id": int(murielle), "role": "contributeur"})
        assert ack["ok"], ack
        expect(card.locator(f'[data-role-select="{murielle}"]')).to_have_value("contributeur")
        expect(card.locator(".codev-card-more .codev-duration-grid")).to_be_visible()
        console.click("#codev-create-more > summary")
        expect(console.locator("#codev-create")).to_be_visible()
        console.click("#codev-create-more > summary")
        more.locator("summary").click()
        # the session runs: its step, timer and controls still on the first screen
        card.locator("[data-timer=start]").click()
        expect(card.locator(".codev-card-step")).to_contain_text("Étape 1 sur 5")
        expect(card.locator(".codev-timer")).to_contain_text(":")
        for size in ({"width": 1366, "height": 768}, {"width": 1024, "height": 768}):
            console.set_viewport_size(size)
            console.wait_for_timeout(300)
            for control in card.locator(".codev-controls > .btn").all():
                b = _in_view(console, control, size["height"])
                assert b["x"] + b["width"] <= size["width"], b
            _in_view(console, card.locator(".codev-card-count"), size["height"])
            assert page_does_not_scroll(console)
            # the run bar's buttons, the title, the drift and the status do not
            # overlap one another, and each shows its whole text
            clash = console.evaluate(HEADER_CLASHES)
            assert clash == [], (size, clash)
            shot(console, f"codev-console-running-{size['width']}x{size['height']}")
        assert not errors, errors
    finally:
        ctx.close()


def test_before_the_start_the_open_activity_keeps_the_first_screen(browser, live_server_sqlite):
    """« Pour commencer » sits beside the déroulé, not above the open
    activity: on the demo's question, before anything started, the board's
    main actions are on the first screen of a 1366x768 console and nothing but
    the lists scrolls; the tip can be hidden, and stays hidden on a reload."""
    server = live_server_sqlite
    code, secret = demo_on(server)
    ctx = browser.new_context(**CONSOLE)
    try:
        console = ctx.new_page()
        console.goto(f"{server.url}/a/{code}/console/{secret}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        start = console.locator("#dr-start")
        expect(start).to_be_visible()
        expect(start).to_contain_text("→")
        expect(start.locator("#dr-start-projection")).to_be_visible()
        acts = console.evaluate("() => window.Workshop.state.deroule.activities")
        question = next(a for a in acts if a["type"] == "question")
        console.click(f'#dr-list [data-activity="{question["id"]}"]')
        expect(console.locator(".board-prompt-ctl")).to_have_count(1)
        expect(start).to_be_visible()  # nothing has started yet
        console.wait_for_timeout(300)
        height = CONSOLE["viewport"]["height"]
        _in_view(console, start.locator("h3"), height)
        assert page_does_not_scroll(console)
        overflow = console.evaluate(
            "() => { const m = document.querySelector('.dr-main'); return m.scrollHeight - m.clientHeight; }"
        )
        assert overflow <= 1, overflow  # was about 166 px
        for button in console.locator(".board-main-actions > .btn").all():
            _in_view(console, button, height)
        _in_view(console, console.locator("#board-console"), height)
        shot(console, "start-question-console-1366x768")
        # hidden on demand, and on the next visit from this browser
        console.click("#dr-start-hide")
        expect(start).to_be_hidden()
        console.reload()
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        expect(console.locator("#dr-list .dr-item").first).to_be_visible()
        console.wait_for_timeout(300)
        expect(start).to_be_hidden()
    finally:
        ctx.close()


def test_opening_the_vote_of_another_activity_makes_it_the_current_one(browser, live_server_sqlite):
    """« Ouvrir le vote » on a vote activity that is not the current one
    goes to that activity (the room follows it, with the dots chosen in the
    panel), rather than opening a vote outside the déroulé."""
    server = live_server_sqlite
    code, secret = demo_on(server)
    ctx = browser.new_context(**CONSOLE)
    try:
        console = ctx.new_page()
        console.goto(f"{server.url}/a/{code}/console/{secret}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        acts = console.evaluate("() => window.Workshop.state.deroule.activities")
        question = next(a for a in acts if a["type"] == "question")
        vote = next(a for a in acts if a["type"] == "vote")
        console.click(f'#dr-list [data-activity="{question["id"]}"]')
        console.click("#dr-ed-go")
        expect(console.locator("#dr-now-title")).to_have_text(question["title"])
        console.click(f'#dr-list [data-activity="{vote["id"]}"]')
        expect(console.locator(".board-prompt-ctl")).to_have_count(1)
        console.locator(".board-main-actions .board-dots-input").fill("4")
        console.click(".board-main-actions [data-action=vote-open]")
        expect(console.locator("#dr-now-title")).to_have_text(vote["title"])
        expect(console.locator(f'#dr-list [data-activity="{vote["id"]}"]')).to_have_attribute(
            "aria-current", "step"
        )
        expect(console.locator(".board-main-actions [data-action=vote-close]")).to_be_visible()
        state = server.facilitator({"code": code, "secret": secret}).snapshot
        prompt = next(p for p in state["board"]["prompts"] if p["id"] == vote["prompt_id"])
        assert prompt["vote_status"] == "open" and prompt["vote_dots"] == 4, prompt
        assert prompt["status"] == "closed", prompt  # the question stopped taking post-it
        voted = next(a for a in state["deroule"]["activities"] if a["id"] == vote["id"])
        assert voted["settings"]["dots"] == 4, voted
        assert state["deroule"]["current_id"] == vote["id"]
    finally:
        ctx.close()


def test_cloud_and_poll_panels_hold_their_own_activity_on_a_1366x768_console(
    browser, live_server_sqlite
):
    """The demo's word cloud and poll activities: each panel shows its own
    cloud or poll alone (not the form to add another), fits the workspace at
    1366×768 (the cloud's words scroll in their own region), and nothing else
    scrolls."""
    server = live_server_sqlite
    code, secret = demo_on(server)
    ctx = browser.new_context(**CONSOLE)
    try:
        console = ctx.new_page()
        console.goto(f"{server.url}/a/{code}/console/{secret}")
        console.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
        acts = console.evaluate("() => window.Workshop.state.deroule.activities")
        height = CONSOLE["viewport"]["height"]
        for kind, panel, item in (
            ("cloud", "#cloud-console", ".cloud-item"),
            ("poll", "#poll-console", ".poll-item"),
        ):
            act = next(a for a in acts if a["type"] == kind)
            console.click(f'#dr-list [data-activity="{act["id"]}"]')
            expect(console.locator(f"{panel} {item}")).to_have_count(1)
            expect(console.locator(f"#{kind}-new")).to_be_hidden()
            console.wait_for_timeout(300)
            box = _in_view(console, console.locator(panel), height)
            assert box["height"] <= 600, (kind, box)  # the cloud's was about 2,660 px
            assert page_does_not_scroll(console)
            overflow = console.evaluate(
                "() => { const m = document.querySelector('.dr-main'); return m.scrollHeight - m.clientHeight; }"
            )
            assert overflow <= 1, (kind, overflow)
            _in_view(console, console.locator(f"{panel} {item} .btn-row .btn").first, height)
        words = console.locator("#cloud-console .cloud-table-box")
        console.click(
            f'#dr-list [data-activity="{next(a for a in acts if a["type"] == "cloud")["id"]}"]'
        )
        expect(words).to_be_visible()  # the panel follows the click at the next frame
        scroll = words.evaluate(
            "(b) => [b.scrollHeight, b.clientHeight, getComputedStyle(b).overflowY]"
        )
        assert scroll[0] > scroll[1] and scroll[2] == "auto", scroll
        console.screenshot(path=str(SCREENSHOTS / "deroule-cloud-console-1366x768.png"))
    finally:
        ctx.close()
