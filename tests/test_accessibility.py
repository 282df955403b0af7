"""Accessibility in Chromium: axe-core on every page in every state the tests
reach (gate: 0 violations, every impact level), keyboard-only paths, live
regions, reflow at 320 px and 200 % zoom, the accessibility statement."""

import json
import re
import time
import uuid

import pytest
from a11y_helpers import axe_path, axe_violations, summarise
from playwright.sync_api import expect

from support import LAPTOP, PHONE, PROJECTOR, LiveServer


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The real server with the demo atelier (post-it, codev groups, live map)."""
    from workshop import create_app
    from workshop.demo import ensure_demo

    tmp = tmp_path_factory.mktemp("a11y")
    db_url = f"sqlite:///{tmp / 'a11y.sqlite3'}"
    app = create_app(
        {"INSTANCE_PATH": tmp / "app", "DATABASE_URL": db_url, "SECRET_KEY": "live-test-secret"}
    )
    code, secret = ensure_demo(app)
    app.extensions["workshop_db"].dispose()
    server = LiveServer(tmp / "instance", db_url).start()
    yield server, {"code": code, "secret": secret}
    server.close_clients()
    server.stop()


def _context(browser, size, locale="fr-FR", **extra):
    return browser.new_context(**{**size, "locale": locale, "bypass_csp": True, **extra})


def _phone(browser, server, atelier, name, locale="fr-FR", **extra):
    joined = server.join(atelier["code"], name)
    ctx = _context(browser, PHONE, locale, **extra)
    key = f"workshop:token:{atelier['code']}"
    ctx.add_init_script(
        f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(joined['token']))});"
    )
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{atelier['code']}/p")
    page.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    return ctx, page, joined


def _connected(page):
    page.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    page.wait_for_timeout(400)  # the snapshot's rendering


def test_axe_every_page_every_state_french_and_english(browser, demo_server):
    """axe-core's WCAG 2.0/2.1 A and AA rules and its RGAA rules: 0 violations."""
    axe_path()
    server, atelier = demo_server
    code, secret = atelier["code"], atelier["secret"]
    fac = server.facilitator(atelier)
    groups = fac.call("sync")["data"]["codev"]["groups"]
    checked, problems = [], []

    def assert_no_violations(page, where):
        problems.extend(summarise(axe_violations(page), where))

    for locale in ("fr-FR", "en-US"):
        ctx = _context(browser, PHONE, locale)
        page = ctx.new_page()
        for url in (
            "/",
            "/accessibilite",
            f"/j/{code}",
            "/j/ZZZZZZ",  # unknown atelier
            f"/a/{code}/console/not-the-secret",  # refused console
            "/j?code=%3Cscript%3E",  # invalid code
        ):
            page.goto(server.url + url)
            assert_no_violations(page, f"{url} [{locale}]")
            checked.append(url)
        ctx.close()

    for lang in ("fr", "en"):
        assert fac.call("atelier:update", {"locale": lang})["ok"]
        loc = "fr-FR" if lang == "fr" else "en-US"
        phone_ctx, phone, joined = _phone(browser, server, atelier, f"Axe {lang}", loc)
        member = server.connect({"role": "participant", "code": code, "token": joined["token"]})
        assert member.call("codev:join", {"group_id": groups[0]["id"]})["ok"]
        console_ctx = _context(browser, LAPTOP, loc)
        console = console_ctx.new_page()
        console.goto(f"{server.url}/a/{code}/console/{secret}")
        _connected(console)
        proj_ctx = _context(browser, PROJECTOR, loc)
        projection = proj_ctx.new_page()
        projection.goto(f"{server.url}/a/{code}/projection")
        _connected(projection)
        join_ctx = _context(browser, PHONE, loc)
        join = join_ctx.new_page()
        join.goto(f"{server.url}/j/{code}")
        assert_no_violations(join, f"join [{lang}]")
        scenes = console.eval_on_selector_all(
            "#scene-buttons [data-scene]", "els => els.map(e => e.dataset.scene)"
        )
        assert {"home", "board", "codev", "livemap"} <= set(scenes), scenes
        for scene in scenes:
            assert fac.call("atelier:scene", {"scene": scene})["ok"]
            for name, page in (("phone", phone), ("console", console), ("projection", projection)):
                page.wait_for_function(
                    "(s) => !document.body.dataset.scene || document.body.dataset.scene === s "
                    "|| document.body.dataset.role !== 'projector'",
                    arg=scene,
                )
                page.wait_for_timeout(300)
                assert_no_violations(page, f"{name}, scene {scene} [{lang}]")
                checked.append(f"{name}:{scene}:{lang}")
        # the phone's own data panel opened, the console's settings opened
        phone.locator("details.my-data summary").click()
        assert_no_violations(phone, f"phone, my data open [{lang}]")
        for ctx in (phone_ctx, console_ctx, proj_ctx, join_ctx):
            ctx.close()
    assert fac.call("atelier:update", {"locale": "fr"})["ok"]
    assert len(checked) >= 30, checked
    assert not problems, "\n".join(problems)


def test_every_page_has_a_skip_link_and_the_statement_in_its_footer(browser, demo_server):
    server, atelier = demo_server
    code, secret = atelier["code"], atelier["secret"]
    ctx = _context(browser, LAPTOP)
    page = ctx.new_page()
    for url in (
        "/",
        f"/j/{code}",
        f"/a/{code}/console/{secret}",
        f"/a/{code}/projection",
        "/j/ZZZZZZ",
        "/accessibilite",
    ):
        page.goto(server.url + url)
        link = page.locator("footer.site-footer a[href='/accessibilite']")
        expect(link).to_have_count(1)
        assert re.search(r"Accessibilité\s*:\s*non conforme", link.inner_text()), url
        # the first Tab reaches the skip link, visible, and Enter moves to <main>
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.className")
        assert "skip-link" in focused, (url, focused)
        box = page.locator(".skip-link").bounding_box()
        assert box and box["y"] >= 0 and box["height"] > 10, (url, box)
        page.keyboard.press("Enter")
        target = page.evaluate("() => document.activeElement.tagName")
        assert target == "MAIN", (url, target)
    ctx.close()


def test_statement_follows_the_rgaa_structure_and_the_operator_contact(browser, tmp_path):
    server = LiveServer(
        tmp_path / "instance",
        f"sqlite:///{tmp_path / 'a.sqlite3'}",
        env={
            "WORKSHOP_ACCESSIBILITY_CONTACT": "accessibilite@exemple.org",
            "WORKSHOP_ACCESSIBILITY_ENTITY": "La Ville de Mulhouse",
        },
    ).start()
    try:
        ctx = _context(browser, PHONE)
        page = ctx.new_page()
        page.goto(server.url + "/accessibilite")
        headings = page.locator("h2").all_inner_texts()
        for h in (
            "État de conformité",
            "Contenus non accessibles",
            "Établissement de cette déclaration",
            "Retour d’information et contact",
            "Voies de recours",
        ):
            assert h in headings, headings
        text = page.locator("main").inner_text()
        assert "La Ville de Mulhouse s’engage" in text
        assert "RGAA 4.1" in text and "non conforme" in text
        assert "PDF" in text and ".docx" in text  # the untagged PDF, and where to go instead
        assert "rien ne se termine tout seul" in text
        expect(page.locator("a[href='mailto:accessibilite@exemple.org']")).to_have_count(1)
        page.goto(server.url + "/lang/en?next=/accessibilite")
        assert "Accessibility statement" in page.locator("h1").inner_text()
        ctx.close()
    finally:
        server.stop()


def test_phone_pages_reflow_at_320px_and_200_percent_zoom(browser, demo_server):
    """No horizontal scrolling and nothing cut: 320 CSS px wide, and a 640 px
    phone at 200 % zoom (the same 320 CSS px), in every activity."""
    server, atelier = demo_server
    code = atelier["code"]
    fac = server.facilitator(atelier)
    for label, extra in (
        ("320px", {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 1}),
        ("200%", {"viewport": {"width": 320, "height": 400}, "device_scale_factor": 4}),
    ):
        ctx, page, _ = _phone(browser, server, atelier, f"Reflow {label}", **extra)
        join_ctx = _context(browser, PHONE, **extra)
        join = join_ctx.new_page()
        for scene in ("home", "board", "codev", "livemap"):
            assert fac.call("atelier:scene", {"scene": scene})["ok"]
            page.wait_for_timeout(500)
            for where, p, url in (
                ("phone", page, None),
                ("join", join, f"/j/{code}"),
                ("home", join, "/"),
                ("statement", join, "/accessibilite"),
            ):
                if url:
                    p.goto(server.url + url)
                overflow = p.evaluate(
                    """() => {
                        const d = document.documentElement;
                        const wide = [...document.querySelectorAll('body *')].filter((el) => {
                            const r = el.getBoundingClientRect();
                            const s = getComputedStyle(el);
                            return r.width > 0 && r.right > d.clientWidth + 1 && s.position !== 'fixed'
                                && !el.closest('[hidden], .sr-only, .sr-only-focusable, .skip-link');
                        }).slice(0, 5).map((el) => el.tagName + '.' + el.className + ' ' +
                            Math.round(el.getBoundingClientRect().right));
                        return {scroll: d.scrollWidth, client: d.clientWidth, wide};
                    }"""
                )
                assert overflow["scroll"] <= overflow["client"], (label, scene, where, overflow)
                assert not overflow["wide"], (label, scene, where, overflow)
        ctx.close()
        join_ctx.close()
    assert fac.call("atelier:scene", {"scene": "home"})["ok"]


def _tab_to(page, selector, limit=400):
    """Press Tab until the focus is on ``selector`` (reachable by keyboard);
    check on the way that every focused element shows a visible focus."""
    unseen, trail = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """(sel) => {
                const a = document.activeElement;
                const s = getComputedStyle(a);
                const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                    || (s.boxShadow && s.boxShadow !== 'none');
                return {hit: a.matches(sel), visible, what: a.tagName + '.' + a.className + '[' + (a.type || '') + '] ' + s.outlineStyle + ' ' + s.outlineWidth + ' ' + (a.closest('[id]') || {}).id};
            }""",
            selector,
        )
        trail.append(info["what"])
        if not info["visible"] and not info["what"].startswith("BODY."):  # BODY: Tab wrapped around
            unseen.append(info["what"])
        if info["hit"]:
            assert not unseen, f"focus not visible on: {unseen[:5]} in {trail[-30:]}"
            return
    raise AssertionError(f"{selector} not reached with Tab: {trail[-40:]}")


def _ok(ack):
    assert ack["ok"], ack
    return ack["data"]


def test_console_by_keyboard_only(browser, live_server_sqlite):
    """Filing a post-it in a category and reordering categories: Tab, arrows
    and Enter only; the focus stays with the moved category."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Clavier")
    fac = server.facilitator(atelier)
    prompt = _ok(fac.call("board:prompt:create", {"text": "Quels besoins ?"}))
    cat_a = _ok(fac.call("board:category:create", {"prompt_id": prompt["id"], "title": "Alpha"}))
    cat_b = _ok(fac.call("board:category:create", {"prompt_id": prompt["id"], "title": "Bêta"}))
    phone = server.participant(atelier, "Awa")
    notes = []
    for text in ("Un local", "Des bénévoles", "Des bénévoles formés"):
        ack = phone.call(
            "board:note:create",
            {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": text},
        )
        notes.append(_ok(ack))
    _ok(fac.call("livemap:settings", {"open": True}))
    _ok(
        phone.call(
            "livemap:actor:add",
            {
                "client_id": str(uuid.uuid4()),
                "name": "Centre social Papin",
                "kind": "association",
                "territory": "Mulhouse",
            },
        )
    )
    ctx = browser.new_context(**LAPTOP)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    _connected(page)
    expect(page.locator(".board-note-card")).to_have_count(3)

    def board():
        return fac.call("sync")["data"]["board"]

    # 1. file the first post-it in « Alpha » with the move list (arrow keys)
    n1 = notes[0]["id"]
    _tab_to(page, f'.board-note-card[data-note="{n1}"] select.board-move')
    page.keyboard.press("ArrowDown")  # from « sans catégorie » to the first category
    page.keyboard.press("Tab")
    fac.wait_for(
        lambda: any(n["id"] == n1 and n["category_id"] == cat_a["id"] for n in board()["notes"]),
        "note filed by keyboard",
    )

    # 2. move « Alpha » after « Bêta » with its ↓ button; the focus stays with Alpha
    _tab_to(
        page, f'[data-drop-category="{cat_a["id"]}"] .board-col-head button[aria-label="Descendre"]'
    )
    page.keyboard.press("Enter")
    fac.wait_for(
        lambda: (
            [c["id"] for c in sorted(board()["categories"], key=lambda c: c["position"])]
            == [cat_b["id"], cat_a["id"]]
        ),
        "categories reordered by keyboard",
    )
    page.wait_for_timeout(500)
    owner = page.evaluate(
        "() => (document.activeElement.closest('[data-drop-category]') || {}).dataset?.dropCategory"
    )
    assert owner == str(cat_a["id"]), owner

    ctx.close()


def test_console_merges_post_it_by_keyboard_only(browser, live_server_sqlite):
    """Merging two post-it: Tab to « Fusionner… », Enter, Tab to « Fusionner
    ici » on the one to keep, Enter; Échap and « Annuler » leave the mode."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Clavier fusion")
    fac = server.facilitator(atelier)
    prompt = _ok(fac.call("board:prompt:create", {"text": "Quels besoins ?"}))
    phone = server.participant(atelier, "Awa")
    notes = [
        _ok(
            phone.call(
                "board:note:create",
                {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": text},
            )
        )
        for text in ("Un local", "Des bénévoles", "Des bénévoles formés")
    ]
    ctx = browser.new_context(**LAPTOP)
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    _connected(page)
    expect(page.locator(".board-note-card")).to_have_count(3)
    n2, n3 = notes[1]["id"], notes[2]["id"]

    def board():
        return fac.call("sync")["data"]["board"]

    def merged_into(note_id):
        return next(n for n in board()["notes"] if n["id"] == note_id)["merged_into"]

    # entering the mode is announced; Échap leaves it, the focus stays on the card
    _tab_to(page, f'.board-note-card[data-note="{n2}"] button[data-action="merge"]')
    page.keyboard.press("Enter")
    expect(page.locator('button[data-action="merge-here"]')).to_have_count(2)
    expect(page.locator("#announcer")).to_contain_text("Fusionner ici", timeout=4000)
    expect(
        page.locator(f'.board-note-card[data-note="{n2}"] button[data-action="merge-cancel"]')
    ).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator('button[data-action="merge-here"]')).to_have_count(0)
    assert page.evaluate(
        "() => (document.activeElement.closest('[data-note]') || {}).dataset?.note"
    ) == str(n2)
    # « Annuler » on the post-it being merged also leaves the mode
    _tab_to(page, f'.board-note-card[data-note="{n2}"] button[data-action="merge"]')
    page.keyboard.press("Enter")
    expect(
        page.locator(f'.board-note-card[data-note="{n2}"] button[data-action="merge-cancel"]')
    ).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator('button[data-action="merge-here"]')).to_have_count(0)
    assert merged_into(n2) is None
    # the real merge: « Des bénévoles » into « Des bénévoles formés »
    _tab_to(page, f'.board-note-card[data-note="{n2}"] button[data-action="merge"]')
    page.keyboard.press("Enter")
    _tab_to(page, f'.board-note-card[data-note="{n3}"] button[data-action="merge-here"]')
    page.keyboard.press("Enter")
    fac.wait_for(lambda: merged_into(n2) == n3, "post-it merged by keyboard")
    expect(page.locator(".board-note-card")).to_have_count(2)
    # and separated again with « Séparer », by keyboard
    _tab_to(page, f'.board-note-card[data-note="{n3}"] .board-merged button')
    page.keyboard.press("Enter")
    fac.wait_for(lambda: merged_into(n2) is None, "post-it separated by keyboard")
    ctx.close()


def test_console_validates_and_rejects_map_items_by_keyboard_only(browser, live_server_sqlite):
    """The live map's queue on the console: validating an actor, a
    contribution and a link, and rejecting an actor, with Tab and Enter only
    (the confirmation is the browser's own dialog, answered with Enter)."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Clavier carte")
    fac = server.facilitator(atelier)
    _ok(fac.call("livemap:settings", {"open": True}))
    phone = server.participant(atelier, "Awa")

    def add_actor(name):
        return _ok(
            phone.call(
                "livemap:actor:add",
                {"client_id": str(uuid.uuid4()), "name": name, "kind": "association"},
            )
        )

    papin = add_actor("Centre social Papin")
    spam = add_actor("Publicité")
    known = _ok(
        fac.call(
            "livemap:actor:add",
            {"client_id": str(uuid.uuid4()), "name": "Ville de Mulhouse", "kind": "collectivite"},
        )
    )
    ctx = browser.new_context(**LAPTOP)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    _connected(page)

    def livemap():
        return fac.call("sync")["data"]["livemap"]

    def status(kind, item_id):
        found = [x for x in livemap()[kind] if x["id"] == item_id]
        return found[0]["status"] if found else None

    _tab_to(page, f'#lm-pending button[data-validate-actor="{papin["id"]}"]')
    page.keyboard.press("Enter")
    fac.wait_for(lambda: status("actors", papin["id"]) == "validated", "actor validated")
    _tab_to(page, f'#lm-pending button[data-delete-actor="{spam["id"]}"]')
    page.keyboard.press("Enter")
    fac.wait_for(lambda: status("actors", spam["id"]) is None, "actor rejected")
    # new pending items arrive while the console is open: announced, then validated
    contrib = _ok(
        phone.call(
            "livemap:contribution:add",
            {
                "client_id": str(uuid.uuid4()),
                "actor_id": papin["id"],
                "stage": "organiser",
                "text": "Prête une salle",
            },
        )
    )
    link = _ok(
        phone.call(
            "livemap:link:add",
            {
                "client_id": str(uuid.uuid4()),
                "source_id": papin["id"],
                "target_id": known["id"],
                "kind": "financement",
            },
        )
    )
    expect(page.locator("#announcer")).to_contain_text("à valider", timeout=6000)
    _tab_to(page, f'#lm-pending button[data-validate-contribution="{contrib["id"]}"]')
    page.keyboard.press("Enter")
    fac.wait_for(
        lambda: status("contributions", contrib["id"]) == "validated", "contribution validated"
    )
    _tab_to(page, f'#lm-pending button[data-validate-link="{link["id"]}"]')
    page.keyboard.press("Enter")
    fac.wait_for(lambda: status("links", link["id"]) == "validated", "link validated")
    expect(page.locator("#lm-pending .empty")).to_have_count(1)
    ctx.close()


def test_console_orders_the_deroule_by_keyboard_only(browser, live_server_sqlite):
    """The déroulé's order: Tab to an activity, Alt+↑ and Alt+↓ on it, then
    Enter to choose it and the editor's « Descendre » button; no mouse, no
    focus set by script."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Clavier déroulé")
    fac = server.facilitator(atelier)
    ids = [
        _ok(fac.call("deroule:activity:create", {"type": kind}))["id"]
        for kind in ("message", "question", "map")
    ]
    ctx = browser.new_context(**LAPTOP)
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    _connected(page)
    expect(page.locator("#dr-list .dr-item")).to_have_count(3)

    def order():
        return [a["id"] for a in fac.call("sync")["data"]["deroule"]["activities"]]

    def focused_activity():
        return page.evaluate("() => document.activeElement.dataset.activity || null")

    assert order() == ids
    third = ids[2]
    _tab_to(page, f'#dr-list .dr-pick[data-activity="{third}"]')
    page.keyboard.press("Alt+ArrowUp")
    fac.wait_for(lambda: order() == [ids[0], ids[2], ids[1]], "moved up with Alt+↑")
    expect(page.locator("#dr-list .dr-item:nth-child(2) .dr-pick")).to_be_focused()
    page.keyboard.press("Alt+ArrowUp")
    fac.wait_for(lambda: order() == [ids[2], ids[0], ids[1]], "moved up again")
    assert focused_activity() == str(third)
    page.keyboard.press("Alt+ArrowDown")
    fac.wait_for(lambda: order() == [ids[0], ids[2], ids[1]], "moved down with Alt+↓")
    # choose it with Enter, then the editor's « Descendre » button
    page.keyboard.press("Enter")
    expect(page.locator("#dr-editor")).to_be_visible()
    _tab_to(page, "#dr-ed-down")
    page.keyboard.press("Enter")
    fac.wait_for(lambda: order() == [ids[0], ids[1], ids[2]], "moved down with the button")
    ctx.close()


# Every text the live region speaks, in order, with its time: a
# MutationObserver set before the page's scripts run (it only listens).
ANNOUNCE_GAP_S = 1.5  # live.js: ANNOUNCE_GAP, the least time between two announcements

RECORD_ANNOUNCEMENTS = """
window.__said = [];
new MutationObserver((records) => {
  const region = document.getElementById('announcer');
  if (!region || !records.some((r) => region === r.target || region.contains(r.target))) return;
  window.__said.push({text: region.textContent, at: Date.now()});
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _said(page):
    return page.evaluate("() => window.__said.map((s) => s.text)")


def _wait_said(page, fragment, timeout=8000):
    page.wait_for_function(
        "(f) => window.__said.some((s) => s.text.includes(f))", arg=fragment, timeout=timeout
    )


def _recording_phone(browser, server, atelier, name):
    joined = server.join(atelier["code"], name)
    ctx = browser.new_context(**PHONE)
    key = f"workshop:token:{atelier['code']}"
    ctx.add_init_script(
        f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(joined['token']))});"
    )
    ctx.add_init_script(RECORD_ANNOUNCEMENTS)
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{atelier['code']}/p")
    _connected(page)
    me = server.connect({"role": "participant", "code": atelier["code"], "token": joined["token"]})
    return ctx, page, me


def test_phone_announces_sent_errors_new_activity_and_last_minute(browser, live_server_sqlite):
    """The phone's polite live region speaks « envoyée » after a post-it, the
    server's refusal of an answer, each new activity, and « Plus qu’une
    minute » once on the group's codev timer."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Annonces")
    fac = server.facilitator(atelier)
    question = _ok(fac.call("deroule:activity:create", {"type": "question"}))
    cloud = _ok(fac.call("deroule:activity:create", {"type": "cloud"}))
    codev = _ok(fac.call("deroule:activity:create", {"type": "codev"}))
    _ok(fac.call("deroule:goto", {"activity_id": question["id"]}))
    ctx, page, me = _recording_phone(browser, server, atelier, "Awa")
    assert page.locator("#announcer").get_attribute("aria-live") == "polite"

    # « envoyée »
    page.locator(".board-write textarea").fill("Un local partagé")
    page.locator(".board-write button[type=submit]").click()
    _wait_said(page, "envoyée")

    # a new activity
    _ok(fac.call("deroule:goto", {"activity_id": cloud["id"]}))
    _wait_said(page, "Nouvelle activité")
    title = next(
        a["title"]
        for a in fac.call("sync")["data"]["deroule"]["activities"]
        if a["id"] == cloud["id"]
    )
    assert any(title in t for t in _said(page)), (title, _said(page))

    # the server refuses an answer: its message is spoken
    page.locator(".cloud-input").first.fill("les")
    page.locator(".cloud-input").first.press("Enter")
    _wait_said(page, "ne compte pas dans le nuage")

    # codev: a group with one-minute steps; started, the last minute is spoken once
    _ok(fac.call("deroule:goto", {"activity_id": codev["id"]}))
    group = _ok(fac.call("codev:group:create", {"name": "Bleu", "colour": "bleu"}))
    steps = len(group["durations_ms"]) if "durations_ms" in group else len(group["durations"])
    _ok(fac.call("codev:group:update", {"group_id": group["id"], "durations": [1] * steps}))
    _ok(me.call("codev:join", {"group_id": group["id"]}))
    _ok(me.call("codev:role", {"role": "animateur"}))
    porteur = server.participant(atelier, "Nadia")
    _ok(porteur.call("codev:join", {"group_id": group["id"]}))
    _ok(porteur.call("codev:role", {"role": "porteur"}))
    _ok(server.participant(atelier, "Karim").call("codev:join", {"group_id": group["id"]}))
    _wait_said(page, "Nouvelle activité")
    _ok(me.call("codev:timer", {"action": "start"}))
    _wait_said(page, "Plus qu’une minute")
    page.wait_for_timeout(2000)
    assert sum("Plus qu’une minute" in t for t in _said(page)) == 1, _said(page)
    ctx.close()


def _spoken(page):
    return page.evaluate("() => window.__said")


def test_console_announces_a_burst_of_pending_items_a_bounded_number_of_times(
    browser, live_server_sqlite
):
    """50 post-it waiting for approval arrive at once: the console speaks a
    few messages at least 1.5 s apart, whose counts add up to 50 (the last
    one carries the latest state), not 50 messages."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Rafale")
    fac = server.facilitator(atelier)
    prompt = _ok(fac.call("board:prompt:create", {"text": "Vos idées ?", "approval": True}))
    phones = [server.participant(atelier, f"Personne {i}") for i in range(5)]
    ctx = browser.new_context(**LAPTOP)
    ctx.add_init_script(RECORD_ANNOUNCEMENTS)
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    _connected(page)
    assert page.locator("#announcer").get_attribute("aria-live") == "polite"
    for i in range(50):
        _ok(
            phones[i % 5].call(
                "board:note:create",
                {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": f"Idée {i}"},
            )
        )
    expect(page.locator("#board-queue .board-queue-item")).to_have_count(50, timeout=15000)
    page.wait_for_timeout(4000)  # every waiting message has had its turn
    spoken = [s for s in _spoken(page) if "à valider" in s["text"]]
    assert 1 <= len(spoken) <= 4, spoken
    counts = [int(re.search(r"\d+", s["text"]).group()) for s in spoken]
    assert sum(counts) == 50, spoken
    gaps = [b["at"] - a["at"] for a, b in zip(spoken, spoken[1:], strict=False)]
    assert all(g >= 1400 for g in gaps), gaps
    # one more: spoken alone, with its own count
    _ok(
        phones[0].call(
            "board:note:create",
            {"client_id": str(uuid.uuid4()), "prompt_id": prompt["id"], "text": "Encore une"},
        )
    )
    page.wait_for_function(
        "() => window.__said.at(-1).text.startsWith('1 nouveau post-it à valider')", timeout=6000
    )
    ctx.close()


def test_phone_announces_only_the_latest_of_a_burst_of_activities(browser, live_server_sqlite):
    """The facilitator goes through 50 activities in a burst: the phone speaks
    a « Nouvelle activité » at most once per announcement gap while the
    burst lasts (two when it is quick), the last one being the activity now
    on screen."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Rafale d’activités")
    fac = server.facilitator(atelier)
    ids = []
    for i in range(50):
        a = _ok(fac.call("deroule:activity:create", {"type": "message"}))
        _ok(fac.call("deroule:activity:update", {"activity_id": a["id"], "title": f"Étape {i}"}))
        ids.append(a["id"])
    _ok(fac.call("deroule:goto", {"activity_id": ids[0]}))
    ctx, page, _me = _recording_phone(browser, server, atelier, "Awa")
    started = time.monotonic()
    for activity_id in ids[1:]:
        _ok(fac.call("deroule:goto", {"activity_id": activity_id}))
    burst = time.monotonic() - started
    page.wait_for_timeout(4000)
    said = [s for s in _spoken(page) if "Nouvelle activité" in s["text"]]
    spoken = [s["text"] for s in said]
    # one at once, then at most one per gap while the burst goes on, then the last
    assert 1 <= len(spoken) <= 2 + int(burst / ANNOUNCE_GAP_S), (spoken, burst)
    gaps = [b["at"] - a["at"] for a, b in zip(said, said[1:], strict=False)]
    assert all(gap >= ANNOUNCE_GAP_S * 1000 - 50 for gap in gaps), gaps
    assert spoken[-1].endswith("Étape 49"), spoken
    ctx.close()


def _distinct_shapes(page, selector, prop="backgroundImage", pseudo=None):
    """{data key: computed shape} of the elements; every one must have a shape."""
    return page.evaluate(
        """([sel, prop, pseudo]) => Object.fromEntries([...document.querySelectorAll(sel)].map((n) => [
            n.dataset.colour || n.closest('[class*="codev-c-"]').className.match(/codev-c-(\\w+)/)[1],
            getComputedStyle(n, pseudo)[prop]]))""",
        [selector, prop, pseudo],
    )


def test_colour_is_never_the_only_cue_post_it_and_codev_groups(browser, live_server_sqlite):
    """Each post-it colour has its own shape on the console, the projector
    and the phone's colour picker; each codev group colour has its own shape
    on the console and the projector, beside the group's name."""
    from workshop.domain.board import PALETTE
    from workshop.domain.codev import COLOURS

    server = live_server_sqlite
    atelier = server.create_atelier(title="Formes")
    fac = server.facilitator(atelier)
    prompt = _ok(
        fac.call(
            "board:prompt:create",
            {"text": "Vos idées ?", "colours": list(PALETTE), "visibility": "live"},
        )
    )
    _ok(fac.call("board:prompt:update", {"prompt_id": prompt["id"], "on_screen": True}))
    phone = server.participant(atelier, "Awa")
    for colour in PALETTE:
        _ok(
            phone.call(
                "board:note:create",
                {
                    "client_id": str(uuid.uuid4()),
                    "prompt_id": prompt["id"],
                    "text": f"Idée {colour}",
                    "colour": colour,
                },
            )
        )
    for colour in COLOURS:
        _ok(fac.call("codev:group:create", {"name": f"Groupe {colour}", "colour": colour}))
    _ok(fac.call("atelier:scene", {"scene": "board"}))
    ctx = browser.new_context(**LAPTOP)
    console = ctx.new_page()
    console.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    _connected(console)
    expect(console.locator(".board-note-card")).to_have_count(len(PALETTE))
    cards = _distinct_shapes(console, ".board-note-card")
    assert set(cards) == set(PALETTE), cards
    assert "none" not in cards.values() and len(set(cards.values())) == len(PALETTE), cards
    # the console's colour choice for a new question shows the same shapes
    choice = _distinct_shapes(console, ".colour-choice .swatch")
    assert choice == cards, (choice, cards)
    groups = _distinct_shapes(console, ".codev-group-card .codev-swatch", "clipPath")
    assert set(groups) == set(COLOURS), groups
    assert len(set(groups.values())) == len(COLOURS), groups

    proj = ctx.new_page()
    proj.set_viewport_size({"width": 1280, "height": 720})
    proj.goto(f"{server.url}/a/{atelier['code']}/projection")
    expect(proj.locator(".wall-note")).to_have_count(len(PALETTE))
    assert _distinct_shapes(proj, ".wall-note") == cards
    _ok(fac.call("atelier:scene", {"scene": "codev"}))
    expect(proj.locator(".codev-tile")).to_have_count(len(COLOURS))
    tiles = _distinct_shapes(proj, ".codev-tile h2", "clipPath", "::before")
    assert tiles == groups, (tiles, groups)
    ctx.close()

    ctx, page, _ = _phone(browser, server, {"code": atelier["code"]}, "Binta")
    _ok(fac.call("atelier:scene", {"scene": "board"}))
    expect(page.locator(".colour-radio .swatch")).to_have_count(len(PALETTE))
    assert _distinct_shapes(page, ".colour-radio .swatch") == cards
    ctx.close()


@pytest.mark.parametrize("view", ["stage", "network"])
def test_projected_map_legend_shows_the_shapes_of_the_drawing(browser, live_server_sqlite, view):
    """Beside the projected map, each type (stage view) or stage (network
    view) of the legend has the shape the drawing gives it, and its name."""
    from maps.draw import STAGE_SHAPES, kind_shape

    server = live_server_sqlite
    atelier = server.create_atelier(title="Légende")
    fac = server.facilitator(atelier)
    _ok(fac.call("livemap:settings", {"open": True, "view": view}))
    for name, kind, stage in (
        ("Centre social Papin", "association", "declencher"),
        ("Ville de Mulhouse", "collectivite", "organiser"),
        ("Réseau des CSC", "reseau", "animer"),
    ):
        actor = _ok(
            fac.call(
                "livemap:actor:add", {"client_id": str(uuid.uuid4()), "name": name, "kind": kind}
            )
        )
        _ok(
            fac.call(
                "livemap:contribution:add",
                {
                    "client_id": str(uuid.uuid4()),
                    "actor_id": actor["id"],
                    "stage": stage,
                    "text": "Un apport",
                },
            )
        )
    _ok(fac.call("atelier:scene", {"scene": "livemap"}))
    ctx = browser.new_context(**PROJECTOR)
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{atelier['code']}/projection")
    legend = page.locator("#lm-proj-legend")
    expect(legend).to_be_visible(timeout=15000)
    entries = page.evaluate(
        """() => [...document.querySelectorAll('#lm-proj-legend li')]
            .filter((li) => li.querySelector('svg.lm-swatch'))
            .map((li) => [li.textContent.trim(), li.querySelector('svg.lm-swatch').dataset.shape])"""
    )
    shapes = dict(entries)
    if view == "stage":
        expected = {
            "Association": kind_shape("association"),
            "Collectivité": kind_shape("collectivite"),
        }
    else:
        expected = {"Déclencher": STAGE_SHAPES["declencher"], "Animer": STAGE_SHAPES["animer"]}
    for label, shape in expected.items():
        assert shapes.get(label) == shape, (label, entries)
    assert len(set(shapes.values())) == len(shapes), entries
    ctx.close()
