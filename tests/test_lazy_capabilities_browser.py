"""The phone page loads only the capabilities its atelier uses, and fetches
another one when the déroulé gains an activity of it, without a reload
(Chromium, the network log)."""

import re

from playwright.sync_api import expect

LAZY = ("codev", "livemap", "cloud", "poll")


def _ok(ack):
    assert ack["ok"], ack
    return ack["data"]


def _assets(urls):
    """{'js/cloud.js', 'css/cloud.css', …} of the requested static URLs."""
    out = set()
    for url in urls:
        m = re.search(r"/static/((?:js|css)/[\w-]+)\.[0-9a-f]{12}\.(js|css)$", url)
        if m:
            out.add(f"{m[1]}.{m[2]}")
    return out


def _phone(browser, server, atelier, name):
    """A joined phone whose every request and page error is recorded from the start."""
    import json

    from support import PHONE

    joined = server.join(atelier["code"], name)
    ctx = browser.new_context(**PHONE)
    key = f"workshop:token:{atelier['code']}"
    ctx.add_init_script(
        f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(joined['token']))});"
    )
    page = ctx.new_page()
    urls, errors = [], []
    page.on("request", lambda r: urls.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/a/{atelier['code']}/p")
    page.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    return ctx, page, urls, errors


def test_question_only_phone_loads_cloud_when_the_deroule_gains_one(browser, live_server_sqlite):
    """An atelier with only a question: the phone loads no codev, map, cloud
    or poll file. The facilitator adds a cloud and makes it current: the
    phone fetches cloud.js and cloud.css, shows the answer field, and an
    answer is stored; a reload then loads the cloud up front."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Une question")
    fac = server.facilitator(atelier)
    question = _ok(fac.call("deroule:activity:create", {"type": "question"}))
    _ok(fac.call("deroule:goto", {"activity_id": question["id"]}))
    ctx, page, urls, errors = _phone(browser, server, atelier, "Awa")
    expect(page.locator(".board-write textarea")).to_be_visible()
    loaded = _assets(urls)
    assert "js/board.js" in loaded and "js/participant.js" in loaded, loaded
    for cap in LAZY:
        assert f"js/{cap}.js" not in loaded and f"css/{cap}.css" not in loaded, (cap, loaded)
    lazy = page.evaluate("() => JSON.parse(document.getElementById('lazy-assets').textContent)")
    assert set(lazy) == set(LAZY), lazy
    assert all(re.search(r"\.[0-9a-f]{12}\.js$", u) for c in lazy.values() for u in c["scripts"])

    # the facilitator adds a cloud with its question, then makes it current
    cloud = _ok(fac.call("deroule:activity:create", {"type": "cloud"}))
    _ok(
        fac.call(
            "deroule:activity:update",
            {"activity_id": cloud["id"], "settings": {"question": "Un mot pour demain ?"}},
        )
    )
    _ok(fac.call("deroule:goto", {"activity_id": cloud["id"]}))
    card = page.locator(".cloud-card")
    expect(card.locator("h2")).to_have_text("Un mot pour demain ?")
    expect(card.locator(".cloud-input")).to_be_visible()
    loaded = _assets(urls)
    assert {"js/cloud.js", "css/cloud.css"} <= loaded, loaded
    for cap in ("codev", "livemap", "poll"):
        assert f"js/{cap}.js" not in loaded, (cap, loaded)
    # its style sheet applies (the card is laid out by cloud.css, not unstyled)
    assert page.evaluate(
        "() => [...document.styleSheets].some((s) => /cloud\\.[0-9a-f]{12}\\.css$/.test(s.href || ''))"
    )
    card.locator(".cloud-input").fill("Confiance")
    card.locator("button[type=submit]").click()
    expect(card.locator(".cloud-mine-item .pill.ok")).to_have_count(1)
    assert page.evaluate("() => document.querySelectorAll('script[src*=\"/cloud.\"]').length") == 1
    assert not errors, errors

    # a reload (or a phone that joins now) gets the cloud up front
    urls.clear()
    page.reload()
    expect(page.locator(".cloud-card .cloud-input")).to_be_visible()
    loaded = _assets(urls)
    assert "js/cloud.js" in loaded and "js/codev.js" not in loaded, loaded
    lazy = page.evaluate("() => JSON.parse(document.getElementById('lazy-assets').textContent)")
    assert "cloud" not in lazy, lazy
    assert not errors, errors
    ctx.close()


def test_events_before_the_script_ran_are_replayed(browser, live_server_sqlite):
    """A poll created while its script is still on the way (the script's
    response held back): the cloud:/poll: events received meanwhile reach
    the script once it runs, so the phone shows the poll's latest question."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Retard")
    fac = server.facilitator(atelier)
    question = _ok(fac.call("deroule:activity:create", {"type": "question"}))
    _ok(fac.call("deroule:goto", {"activity_id": question["id"]}))
    ctx, page, urls, errors = _phone(browser, server, atelier, "Bruno")
    held = []
    page.route(
        re.compile(r".*/static/js/poll\.[0-9a-f]{12}\.js$"), lambda route: held.append(route)
    )
    poll = _ok(fac.call("deroule:activity:create", {"type": "poll"}))
    page.wait_for_function("() => document.querySelector('script[src*=\"/poll.\"]') !== null")
    assert _assets(urls) >= {"css/poll.css"}, _assets(urls)
    # while the script is held: the poll goes current and changes its question
    _ok(fac.call("deroule:goto", {"activity_id": poll["id"]}))
    _ok(
        fac.call(
            "deroule:activity:update",
            {"activity_id": poll["id"], "settings": {"question": "Quel jour vous convient ?"}},
        )
    )
    page.wait_for_timeout(500)
    assert held, "poll.js was not requested"
    held[0].continue_()
    expect(page.locator("#poll-participant")).to_contain_text("Quel jour vous convient ?")
    assert not errors, errors
    ctx.close()


def test_projection_loads_the_cloud_when_it_goes_on_screen(browser, live_server_sqlite):
    """The projection of an atelier with only a question loads no codev,
    map, cloud or poll file; a cloud made current is fetched and drawn
    with its question, without a reload."""
    from support import PROJECTOR

    server = live_server_sqlite
    atelier = server.create_atelier(title="Projection légère")
    fac = server.facilitator(atelier)
    question = _ok(fac.call("deroule:activity:create", {"type": "question"}))
    _ok(fac.call("deroule:goto", {"activity_id": question["id"]}))
    ctx = browser.new_context(**PROJECTOR)
    page = ctx.new_page()
    urls, errors = [], []
    page.on("request", lambda r: urls.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/a/{atelier['code']}/projection")
    page.wait_for_function("() => window.Workshop && window.Workshop.state")
    loaded = _assets(urls)
    assert "js/board.js" in loaded, loaded
    for cap in LAZY:
        assert f"js/{cap}.js" not in loaded and f"css/{cap}.css" not in loaded, (cap, loaded)
    cloud = _ok(fac.call("deroule:activity:create", {"type": "cloud"}))
    _ok(
        fac.call(
            "deroule:activity:update",
            {"activity_id": cloud["id"], "settings": {"question": "Un mot pour demain ?"}},
        )
    )
    _ok(fac.call("deroule:goto", {"activity_id": cloud["id"]}))
    expect(page.locator(".scene[data-scene=cloud]")).to_be_visible()
    expect(page.locator("#cloud-proj-question")).to_have_text("Un mot pour demain ?")
    assert {"js/cloud.js", "css/cloud.css"} <= _assets(urls), _assets(urls)
    assert not errors, errors
    ctx.close()
