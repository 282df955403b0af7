"""The transport in Chromium: refused connections (removed participant,
rotated console secret) and the order of broadcasts on a phone."""

import re

from playwright.sync_api import expect

from support import LAPTOP, PHONE, SCREENSHOTS


def test_removed_participant_phone_goes_back_to_join_page_with_the_message(
    browser, live_server_sqlite
):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Retrait")
    code = atelier["code"]
    fac = server.facilitator(atelier)
    ctx = browser.new_context(**PHONE)
    phone = ctx.new_page()
    phone.goto(f"{server.url}/j/{code}")
    phone.fill("#name", "Awa")
    phone.click("#join-form button")
    expect(phone).to_have_url(re.compile(f"/a/{code}/p$"))
    expect(phone.locator("#me-name")).to_have_text("Awa")
    # The phone is away (screen off, page closed) while it is removed...
    phone.goto("about:blank")
    pid = fac.wait_event("participant:joined")["id"]
    assert fac.call("participant:remove", {"participant_id": pid})["ok"]
    # ...then comes back: refused with bad_token, it forgets its token and
    # shows the join page with the reason, instead of "Reconnexion…".
    phone.goto(f"{server.url}/a/{code}/p")
    expect(phone).to_have_url(re.compile(f"/j/{code}$"))
    notice = phone.locator("#join-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("n’est plus valide")
    assert phone.evaluate(f"localStorage.getItem('workshop:token:{code}')") is None
    for width, height in ((390, 844), (360, 640)):
        phone.set_viewport_size({"width": width, "height": height})
        # the reason and the way back in are both on the first screen
        for sel in ("#join-notice", "#join-form button"):
            box = phone.locator(sel).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, sel
            assert box["y"] + box["height"] <= height, (sel, box, height)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "phone-join-refused.png"))
    # the notice is said once: a reload shows the plain join page
    phone.reload()
    expect(phone.locator("#join-notice")).to_be_hidden()
    # a forged token takes the same way
    phone.evaluate(f"localStorage.setItem('workshop:token:{code}', JSON.stringify('forged'))")
    phone.goto(f"{server.url}/a/{code}/p")
    expect(phone).to_have_url(re.compile(f"/j/{code}$"))
    expect(phone.locator("#join-notice")).to_contain_text("n’est plus valide")
    ctx.close()


def test_console_with_rotated_secret_says_so(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Rotation")
    code, secret = atelier["code"], atelier["secret"]
    ctx = browser.new_context(**LAPTOP)
    console = ctx.new_page()
    console.goto(f"{server.url}/a/{code}/console/{secret}")
    expect(console.locator("#conn-dot")).to_have_class(re.compile("on"))
    other = server.facilitator(atelier)
    # The console is offline (its socket closed) when the secret is rotated
    # elsewhere, so it misses "console:revoked"...
    console.evaluate("Workshop.socket.disconnect()")
    expect(console.locator("#conn-dot")).not_to_have_class(re.compile("on"))
    assert other.call("atelier:rotate_secret")["ok"]
    # ...and, when it connects again with the old secret, it is refused and
    # says why (no endless "Reconnexion…").
    console.evaluate("Workshop.socket.connect()")
    banner = console.locator("#banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Ce lien de console n’est pas valide")
    console.wait_for_timeout(1500)  # it does not try again
    expect(banner).to_contain_text("Ce lien de console n’est pas valide")
    expect(console.locator("#conn-dot")).not_to_have_class(re.compile("on"))
    assert console.evaluate("Workshop.socket.io.reconnection()") is False
    # opened again with the old link: the page itself says so
    console.reload()
    expect(console.locator("main")).to_contain_text("Ce lien de console n’est pas valide")
    ctx.close()


def test_codev_phone_shows_the_right_step_after_start_and_next_within_50_ms(browser, tmp_path):
    import json
    import time

    from codev_helpers import setup_group
    from support import LiveServer

    # Each flush counts as being written for 250 ms: start and next land in
    # one batch for the phone, after a broadcast still in flight (the case
    # of the report), however fast the machine.
    server = LiveServer(
        tmp_path / "order",
        f"sqlite:///{tmp_path / 'order.sqlite3'}",
        env={"WORKSHOP_BROADCAST_SOCKET_US": "100000"},
    ).start()
    try:
        atelier = server.create_atelier(title="Étapes")
        code = atelier["code"]
        fac, gid, porteur, animateur, contribs = setup_group(server, atelier, contributors=2)
        joined = server.join(code, "Karim")
        ctx = browser.new_context(**PHONE)
        ctx.add_init_script(
            f"localStorage.setItem({json.dumps('workshop:token:' + code)}, "
            f"{json.dumps(json.dumps(joined['token']))});"
        )
        phone = ctx.new_page()
        phone.goto(f"{server.url}/a/{code}/p")
        expect(phone.locator("#me-name")).to_have_text("Karim")
        phone.click("[data-codev-join]")
        expect(phone.locator("#codev-group-name")).to_be_visible()
        group = next(g for g in fac.call("sync")["data"]["codev"]["groups"] if g["id"] == gid)
        steps = fac.snapshot["codev"]["templates"][group["template"]]["steps"]
        time.sleep(0.5)

        assert fac.call("atelier:update", {"title": "On commence"})["ok"]  # in flight
        acks = []
        fac.sio.emit("codev:timer", {"group_id": gid, "action": "start"}, callback=acks.append)
        fac.sio.emit("codev:timer", {"group_id": gid, "action": "next"}, callback=acks.append)
        deadline = time.monotonic() + 10
        while len(acks) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [a["ok"] for a in acks] == [True, True], acks

        expect(phone.locator("#codev-step-name")).to_have_text(steps[1]["name"])
        phone.wait_for_timeout(1000)  # nothing older comes to replace it
        expect(phone.locator("#codev-step-name")).to_have_text(steps[1]["name"])
        expect(phone.locator("#codev-step-of")).to_contain_text("2")
        ctx.close()
    finally:
        server.stop()
        server.close_clients()
