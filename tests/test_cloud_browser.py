"""Word cloud and quick poll in Chromium: three phones answer, the projector
draws the cloud (readable, no overlap, stable), the facilitator merges two
words from the console, and the projector and the exports follow; a poll
voted from a phone, results hidden until shown."""

import csv
import io
import uuid

from playwright.sync_api import expect

import requests_shim as http
from board_helpers import phone_page
from support import LAPTOP, PROJECTOR, SCREENSHOTS, held

SMALL_PROJECTOR = {"viewport": {"width": 1024, "height": 768}, "locale": "fr-FR"}
BACKGROUND = [
    "Entraide", "entraide", "Entraide !", "l’entraide", "Confiance", "confiance",
    "la confiance", "Partage", "partages", "Solidarité", "solidarite", "Ensemble",
    "Faire ensemble", "Réseau", "réseaux", "Écoute", "Territoire", "Co-construction",
    "co construction", "Lien", "Bienveillance", "Temps", "Engagement", "Complémentarité",
]  # fmt: skip


def _open(browser, ctx_args, url):
    ctx = browser.new_context(**ctx_args)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.goto(url)
    page.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    return ctx, page, errors


WORDS_JS = """() => [...document.querySelectorAll('.cloud-word')].map((el) => {
  const r = el.getBoundingClientRect();
  const s = document.getElementById('cloud-stage').getBoundingClientRect();
  const label = el.querySelector('.cloud-label');
  const lr = label.getBoundingClientRect();
  const count = el.querySelector('.cloud-count');
  return {key: el.dataset.key, text: label.textContent, count: +el.dataset.count,
          x: r.left, y: r.top, w: r.width, h: r.height,
          lw: lr.width, lh: lr.height, lx: lr.left, ly: lr.top,
          font: parseFloat(getComputedStyle(label).fontSize),
          countFont: count.hidden ? null : parseFloat(getComputedStyle(count).fontSize),
          colour: getComputedStyle(el).color,
          // the centre's offset from the stage's centre, in font sizes (zoom-free)
          ox: (r.left + r.width / 2 - s.left - s.width / 2) / parseFloat(el.dataset.font),
          oy: (r.top + r.height / 2 - s.top - s.height / 2) / parseFloat(el.dataset.font)};
})"""


def _check_readable(page, height):
    """Inside the screen, no two words overlap, every word ≥ 2.2 % of the
    screen height (its count ≥ 1.6 %), nothing cut."""
    words = page.evaluate(WORDS_JS)
    vw = page.viewport_size["width"]
    assert words
    for i, a in enumerate(words):
        assert a["font"] >= 0.022 * height - 0.5, a
        if a["countFont"] is not None:
            assert a["countFont"] >= 0.016 * height - 0.5, a
        assert a["x"] >= 0 and a["x"] + a["w"] <= vw + 0.5, a
        assert a["y"] >= 0 and a["y"] + a["h"] <= height + 0.5, a
        assert a["lw"] <= a["w"] + 0.5, a  # the text fits its box
        for b in words[i + 1 :]:
            overlap_x = min(a["lx"] + a["lw"], b["lx"] + b["lw"]) - max(a["lx"], b["lx"])
            overlap_y = min(a["ly"] + a["lh"], b["ly"] + b["lh"]) - max(a["ly"], b["ly"])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a["text"], b["text"])
    return {w["key"]: w for w in words}


def test_three_phones_the_projector_and_a_merge(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="P’tit Déj de la coopération")
    code, secret = atelier["code"], atelier["secret"]
    fac = server.facilitator(atelier)
    assert fac.call("atelier:scene", {"scene": "cloud"})["ok"]
    console_ctx, console, console_errors = _open(
        browser, LAPTOP, f"{server.url}/a/{code}/console/{secret}"
    )
    console.fill("#cloud-question", "Un mot pour dire la coopération ?")
    console.click("#cloud-form button[type=submit]")
    expect(console.locator(".cloud-item")).to_have_count(1)
    cloud_id = int(console.locator(".cloud-item").get_attribute("data-activity"))
    big_ctx, big, big_errors = _open(browser, PROJECTOR, f"{server.url}/a/{code}/projection")
    small_ctx, small, small_errors = _open(
        browser, SMALL_PROJECTOR, f"{server.url}/a/{code}/projection"
    )
    expect(big.locator("#cloud-proj-question")).to_have_text("Un mot pour dire la coopération ?")
    # background answers from other phones (python clients)
    for i, text in enumerate(BACKGROUND):
        p = server.participant(atelier, f"P{i}")
        ack = p.call(
            "cloud:answer", {"client_id": str(uuid.uuid4()), "activity_id": cloud_id, "text": text}
        )
        assert ack["ok"], ack
    phones = []
    for name, text in (("Awa", "Vélo"), ("Bruno", "vélos !"), ("Chloé", "bicyclette")):
        ctx, page, _ = phone_page(browser, server, atelier, name)
        card = page.locator(".cloud-card")
        expect(card.locator("h2")).to_have_text("Un mot pour dire la coopération ?")
        expect(page.locator("#welcome")).to_be_hidden()  # no « activités apparaîtront ici »
        card.locator(".cloud-input").fill(text)
        card.locator("button[type=submit]").click()
        expect(card.locator(".cloud-mine-item .pill.ok")).to_have_count(1)
        phones.append((ctx, page))
    # bad input on the phone: a clear message, nothing sent
    awa = phones[0][1].locator(".cloud-card")
    awa.locator(".cloud-input").fill("un deux trois quatre")
    expect(awa.locator(".cloud-counter")).to_contain_text("Trop de mots")
    awa.locator(".cloud-input").fill("")
    phones[0][1].screenshot(path=str(SCREENSHOTS / "cloud-phone.png"))

    total = len(BACKGROUND) + 3
    expect(big.locator("#cloud-foot")).to_contain_text(f"{total} réponses")
    expect(big.locator('.cloud-word[data-key="velo"]')).to_have_attribute("data-count", "2")
    big.wait_for_timeout(800)  # transitions
    before = _check_readable(big, 1080)
    small.wait_for_timeout(800)
    _check_readable(small, 768)
    # honest sizes: a word said twice is about √2 taller than one said once
    once, twice = before["bicyclette"], before["velo"]
    assert 1.3 < twice["font"] / once["font"] < 1.5
    big.screenshot(path=str(SCREENSHOTS / "cloud-projection-1920.png"))
    small.screenshot(path=str(SCREENSHOTS / "cloud-projection-1024.png"))

    # a new word: the others keep their places (the zoom may shrink, the
    # arrangement stays: offsets in font sizes unchanged)
    late = server.participant(atelier, "Tardif")
    ack = late.call(
        "cloud:answer",
        {"client_id": str(uuid.uuid4()), "activity_id": cloud_id, "text": "Convivialité"},
    )
    assert ack["ok"]
    expect(big.locator('.cloud-word[data-key="convivialite"]')).to_have_count(1)
    big.wait_for_timeout(800)
    after = _check_readable(big, 1080)
    for key, w in before.items():
        assert abs(after[key]["ox"] - w["ox"]) < 0.05 and abs(after[key]["oy"] - w["oy"]) < 0.05, (
            key
        )

    # the facilitator merges « bicyclette » into « vélo » from the console
    row = console.locator('.cloud-row[data-key="bicyclette"]')
    row.locator("select").select_option("velo")
    row.get_by_role("button", name="Fusionner").click()
    expect(big.locator('.cloud-word[data-key="bicyclette"]')).to_have_count(0)
    expect(big.locator('.cloud-word[data-key="velo"]')).to_have_attribute("data-count", "3")
    expect(small.locator('.cloud-word[data-key="velo"]')).to_have_attribute("data-count", "3")
    expect(console.locator('.cloud-row[data-key="velo"] td.num')).to_have_text("3")
    # counts on demand
    console.locator(".cloud-item").get_by_role("button", name="Afficher les nombres").click()
    expect(big.locator('.cloud-word[data-key="velo"] .cloud-count')).to_be_visible()
    big.wait_for_timeout(800)
    _check_readable(big, 1080)
    big.screenshot(path=str(SCREENSHOTS / "cloud-projection-counts.png"))
    console.set_viewport_size({"width": 1366, "height": 768})
    console.locator("#cloud-console").screenshot(path=str(SCREENSHOTS / "cloud-console.png"))

    # the exports follow the merge
    href = console.locator('.cloud-item a[data-export="csv"]').get_attribute("href")
    status, body, _ = http.get(server.url + href)
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    velo = next(r for r in rows if r[1] == "Vélo")
    assert velo[2] == "3" and "bicyclette" in velo[3]
    assert not any(r[1] == "bicyclette" for r in rows)
    status, png, _ = http.get(server.url + href.replace("export.csv", "export.png"))
    assert status == 200 and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert not console_errors and not big_errors and not small_errors
    for ctx in (console_ctx, big_ctx, small_ctx, *(c for c, _ in phones)):
        ctx.close()


def test_a_poll_from_the_phone_results_hidden_then_shown(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="P’tit Déj de la coopération")
    code, secret = atelier["code"], atelier["secret"]
    fac = server.facilitator(atelier)
    assert fac.call("atelier:scene", {"scene": "poll"})["ok"]
    ack = fac.call(
        "poll:create",
        {
            "question": "Dans votre structure, la coopération, c’est plutôt…",
            "kind": "single",
            "options": ["Une habitude", "Un projet en cours", "Une envie", "Un défi"],
            "on_screen": True,
        },
    )
    assert ack["ok"], ack
    poll_id = ack["data"]["id"]
    for i, choice in enumerate([1, 2, 2, 3, 2, 4, 1, 3, 2]):
        p = server.participant(atelier, f"P{i}")
        vote = {"client_id": str(uuid.uuid4()), "poll_id": poll_id, "choices": [choice]}
        assert p.call("poll:vote", vote)["ok"]
    proj_ctx, proj, proj_errors = _open(browser, PROJECTOR, f"{server.url}/a/{code}/projection")
    phone_ctx, phone, _ = phone_page(browser, server, atelier, "Awa")
    card = phone.locator(".poll-card")
    expect(phone.locator("#welcome")).to_be_hidden()  # the poll is shown, not « en attente »
    card.get_by_label("Un projet en cours").check()
    card.get_by_role("button", name="Voter").click()
    expect(card.locator(".poll-state")).to_contain_text("enregistré")
    expect(proj.locator("#poll-foot")).to_contain_text("10 votes")
    expect(proj.locator(".poll-wait")).to_be_visible()
    assert proj.locator(".poll-bar").count() == 0  # hidden: no groupthink
    # she changes her mind
    card.get_by_label("Une envie").check()
    card.get_by_role("button", name="Changer mon vote").click()
    expect(card.locator(".poll-state")).to_contain_text("enregistré")
    console_ctx, console, console_errors = _open(
        browser, LAPTOP, f"{server.url}/a/{code}/console/{secret}"
    )
    console.locator(".poll-item").get_by_role("button", name="Afficher les résultats").click()
    expect(proj.locator(".poll-bar")).to_have_count(4)
    expect(proj.locator(".poll-bar").nth(1)).to_contain_text("4 (40 %)")
    expect(proj.locator(".poll-bar").nth(2)).to_contain_text("3 (30 %)")
    expect(card.locator(".poll-phone-results .poll-bar")).to_have_count(4)
    proj.screenshot(path=str(SCREENSHOTS / "poll-projection.png"))
    phone.screenshot(path=str(SCREENSHOTS / "poll-phone.png"))
    assert not proj_errors and not console_errors
    for ctx in (proj_ctx, phone_ctx, console_ctx):
        ctx.close()


def test_a_scale_poll_on_small_phones(browser, live_server_sqlite):
    """A 1–10 scale voted on a 390x844 and a 360x640 phone: every value
    reachable without sideways scroll, the vote button on the first screen,
    the results (one column a value, the mean) inside the screen once shown."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="P’tit Déj de la coopération")
    fac = server.facilitator(atelier)
    ack = fac.call(
        "poll:create",
        {
            "question": "Votre énergie ce matin ?",
            "kind": "scale",
            "scale_max": 10,
            "label_low": "Au plus bas",
            "label_high": "Au plus haut",
            "on_screen": True,
        },
    )
    assert ack["ok"], ack
    poll_id = ack["data"]["id"]
    for w, h in ((390, 844), (360, 640)):
        ctx, phone, _ = phone_page(
            browser, server, atelier, f"Awa {w}", viewport={"width": w, "height": h}
        )
        card = phone.locator(".poll-card")
        expect(card).to_be_visible()
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= w
        button = card.get_by_role("button", name="Voter")
        box = button.bounding_box()
        assert box["y"] + box["height"] <= h, ("vote button below the first screen", w, h, box)
        card.locator(".poll-option", has_text="7").first.click()
        button.click()
        expect(card.locator(".poll-state")).to_contain_text("enregistré")
        phone.screenshot(path=str(SCREENSHOTS / f"poll-scale-phone-{w}x{h}.png"))
        ctx.close()
    assert fac.call("poll:update", {"poll_id": poll_id, "results_shown": True})["ok"]
    ctx, phone, _ = phone_page(
        browser, server, atelier, "Bruno", viewport={"width": 360, "height": 640}
    )
    results = phone.locator(".poll-phone-results")
    expect(results.locator(".poll-col")).to_have_count(10)
    expect(results.locator(".poll-mean")).to_contain_text("7")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    # every column, its count and its value inside the card
    outside = phone.evaluate(
        """() => {
          const card = document.querySelector('.poll-card').getBoundingClientRect();
          return [...document.querySelectorAll('.poll-phone-results .poll-col *')]
            .filter((e) => e.offsetParent !== null)
            .map((e) => e.getBoundingClientRect())
            .filter((r) => r.left < card.left - 1 || r.right > card.right + 1).length;
        }"""
    )
    assert outside == 0
    results.scroll_into_view_if_needed()
    phone.screenshot(path=str(SCREENSHOTS / "poll-scale-phone-results-360x640.png"))
    ctx.close()


def test_an_answer_arriving_during_a_click_in_the_console_does_not_lose_it(
    browser, live_server_sqlite
):
    """Answers re-render the console's table of words; a re-render between
    the press and the release of « Masquer » would replace the button and
    lose the click. It waits for the release, then shows the new answer."""
    server = live_server_sqlite
    atelier = server.create_atelier(title="Clic pendant les réponses")
    code, secret = atelier["code"], atelier["secret"]
    fac = server.facilitator(atelier)
    ack = fac.call("cloud:create", {"question": "Un mot ?"})
    assert ack["ok"], ack
    cloud_id = ack["data"]["id"]
    answer = server.participant(atelier, "P0").call(
        "cloud:answer",
        {"client_id": str(uuid.uuid4()), "activity_id": cloud_id, "text": "Entraide"},
    )
    assert answer["ok"], answer
    ctx, console, errors = _open(browser, LAPTOP, f"{server.url}/a/{code}/console/{secret}")
    try:
        row = console.locator('.cloud-row[data-key="entraide"]')
        hide = row.get_by_role("button", name="Masquer")
        expect(hide).to_be_visible()
        with held(console, hide):
            ack = server.participant(atelier, "P1").call(
                "cloud:answer",
                {"client_id": str(uuid.uuid4()), "activity_id": cloud_id, "text": "Confiance"},
            )
            assert ack["ok"], ack
            console.wait_for_timeout(800)  # the view is published within 100 ms
            expect(console.locator(".cloud-row")).to_have_count(1)
        expect(row).to_have_class("cloud-row hidden-word")
        expect(console.locator('.cloud-row[data-key="confiance"]')).to_have_count(1)
        assert not errors, errors
    finally:
        ctx.close()
