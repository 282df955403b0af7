"""Every projected scene holds at 1920x1080, 1280x720 and 1024x768.

One server, one atelier per family of scenes, one Chromium page per
resolution: the facilitator switches what is projected and the three pages
are measured (``scene_checks``): nothing overflows or is cut, nothing covers
anything (the join strip has its own row), texts at or above 2.2 % (body) and
1.6 % (labels) of the screen's height, no contrast violation by axe; paged
scenes are measured page by page, each page with its heading. Data is made
through the events and the map import, not through pages.

Volumes: walls of 0, 10, 50 and 300 notes (live, by category, vote results);
codev groups of 0, 8 and 30 proposals and an overview of 12 groups; maps of
5, 21 (the demo), 60 and 150 actors in every view; 60-character French names.
Screenshots of the worst case of each scene at each resolution, and of
representative cases at 1920x1080, go to docs/screenshots/.
"""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from scene_checks import RESOLUTIONS, SECONDARY, assert_readable, check_no_overflow, svg_text_sizes

from board_helpers import new_prompt, post
from codev_helpers import timer, write
from support import ROOT, SCREENSHOTS, LiveServer

sys.path.insert(0, str(Path(__file__).parent / "cartography"))
from maps_synth import synthetic_records  # noqa: E402

LONG = "Fédération départementale des associations des jeunes ruraux"  # 60 characters
assert len(LONG) == 60
NOTE_TEXTS = [
    "Mieux se connaître entre structures du territoire",
    "Un lieu ressource pour les porteurs de projets jeunesse",
    "Des financements pluriannuels plutôt que des appels à projets",
    "Partager les calendriers des actions pour ne pas se marcher dessus",
    "Former les bénévoles à l’accueil des jeunes en difficulté",
    "Un annuaire à jour des acteurs et de leurs missions",
    LONG,
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scenes")
    srv = LiveServer(tmp / "instance", f"sqlite:///{tmp / 'scenes.sqlite3'}")
    srv.start()
    yield srv
    srv.stop()
    srv.close_clients()


@pytest.fixture(scope="module")
def screens(browser):
    """One page per projector resolution, reduced motion (no arrival animation)."""
    contexts = [
        browser.new_context(
            viewport={"width": w, "height": h}, locale="fr-FR", reduced_motion="reduce"
        )
        for w, h in RESOLUTIONS
    ]
    pages = [ctx.new_page() for ctx in contexts]
    yield pages
    for ctx in contexts:
        ctx.close()


def project(pages, server, atelier, scene="home"):
    for page in pages:
        page.goto(f"{server.url}/a/{atelier['code']}/projection")
        expect(page.locator("body")).to_have_attribute("data-scene", scene)


def shot(page, name):
    """A screenshot, stored small (256 colours)."""
    import io

    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    img = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        SCREENSHOTS / name, optimize=True
    )


def res(page):
    v = page.viewport_size
    return f"{v['width']}x{v['height']}"


def each_page(page, pager: str):
    """Show each page of a paged box in turn (yields page numbers, from 1).

    Each page is held while it is checked: the automatic turn (every 12 s)
    would otherwise move on under a slow check.
    """
    n = page.evaluate(
        "(name) => Workshop.pagers[name] ? Workshop.pagers[name].pages.length : 1", pager
    )
    for i in range(n):
        page.evaluate(
            """([name, i]) => { const p = Workshop.pagers[name]; if (!p) return;
                 p.opts.interval = 3600000; p.goTo(i); }""",
            [pager, i],
        )
        yield i + 1, n


# ---------------------------------------------------------------- join screen


def test_join_screen(server, screens):
    atelier = server.create_atelier(title=LONG)
    project(screens, server, atelier)
    for page in screens:
        m = assert_readable(
            page,
            '.scene[data-scene="home"]',
            body=[".join-step", ".count"],
            label=f"join {res(page)}",
        )
        assert m["min_font"] >= SECONDARY * page.viewport_size["height"]
        shot(page, f"projection-join-{res(page)}.png")


# ---------------------------------------------------------------- wall


def _fill_prompt(server, atelier, fac, text, n, phones):
    p = new_prompt(fac, text)
    for i in range(n):
        body = NOTE_TEXTS[i % len(NOTE_TEXTS)] + (f" ({i + 1})" if i >= len(NOTE_TEXTS) else "")
        ack = post(phones[i % len(phones)], p["id"], body)
        assert ack["ok"], ack
    return p


def _on_screen(fac, prompts, chosen):
    for p in prompts:
        if p["id"] != chosen["id"]:
            assert fac.call("board:prompt:update", {"prompt_id": p["id"], "on_screen": False})["ok"]
    assert fac.call("board:prompt:update", {"prompt_id": chosen["id"], "on_screen": True})["ok"]


WALL_JS = """([n]) => {
  const wall = document.getElementById("board-wall");
  return document.querySelectorAll("#board-wall .wall-unit").length === n && !!wall.dataset.pages;
}"""

HEADINGS_JS = """() => {
  /* every note shown sits under its question, and under its category when there are some */
  const vis = (e) => e && !e.closest("[hidden]") && e.getBoundingClientRect().height > 0;
  const question = document.querySelector("#board-wall-head .wall-question, #board-wall .wall-question");
  const problems = [];
  if (!vis(question) && !vis(document.querySelector("#board-wall-head"))) problems.push("no question");
  for (const u of document.querySelectorAll("#board-wall .wall-unit")) {
    if (!vis(u)) continue;
    const group = u.closest(".wall-group");
    const cat = group && group.querySelector(".wall-cat");
    if (cat && !vis(cat)) problems.push("note without its category: " + u.textContent.slice(0, 30));
    const block = u.closest(".wall-prompt");
    const head = block && block.querySelector(".wall-question");
    if (head && !vis(head)) problems.push("note without its question");
  }
  return problems;
}"""


def _check_wall(pages, n, case):
    for page in pages:
        page.wait_for_function(WALL_JS, arg=[n], timeout=20000)
        for i, total in each_page(page, "board"):
            label = f"wall {case} {res(page)} page {i}/{total}"
            assert not page.evaluate(HEADINGS_JS), label
            if total > 1:
                expect(page.locator("#board-pager")).to_have_text(f"page {i} / {total}")
            if i in (1, total):
                assert_readable(
                    page,
                    '.scene[data-scene="board"]',
                    containers=["#board-wall"],
                    body=["#board-wall .wall-text"] if n else [],
                    label=label,
                )
            else:
                assert not check_no_overflow(page, "#board-wall"), label
            worst = case in ("live-300", "categories-50", "results-50")
            if i == 1 and (worst or (case == "live-10" and res(page) == "1920x1080")):
                shot(page, f"board-projection-{case}-{res(page)}.png")


def test_wall_live_by_category_and_results(server, screens):
    atelier = server.create_atelier(title="Mur de post-it")
    fac = server.facilitator(atelier)
    phones = [server.participant(atelier, f"Participant {i}") for i in range(12)]
    prompts = {}
    for n in (0, 10, 50, 300):
        prompts[f"live-{n}"] = (_fill_prompt(server, atelier, fac, f"{LONG} ({n})", n, phones), n)
    cat_prompt = _fill_prompt(
        server, atelier, fac, "Quels besoins pour mieux coopérer ?", 50, phones
    )
    notes = [
        nt
        for nt in fac.call("sync")["data"]["board"]["notes"]
        if nt["prompt_id"] == cat_prompt["id"]
    ]
    cats = []
    for title in ("Se coordonner", "Se connaître", "Moyens", LONG, "Communication"):
        ack = fac.call("board:category:create", {"prompt_id": cat_prompt["id"], "title": title})
        assert ack["ok"], ack
        cats.append(ack["data"]["id"])
    for i, nt in enumerate(notes[:45]):
        ack = fac.call("board:note:move", {"note_id": nt["id"], "category_id": cats[i % 5]})
        assert ack["ok"], ack
    prompts["categories-50"] = (cat_prompt, 50)
    for n in (10, 50):
        p = _fill_prompt(server, atelier, fac, f"Que retenir en priorité ? ({n})", n, phones)
        assert fac.call("board:vote:open", {"prompt_id": p["id"], "dots": 3})["ok"]
        ids = [
            nt["id"]
            for nt in fac.call("sync")["data"]["board"]["notes"]
            if nt["prompt_id"] == p["id"]
        ]
        for k, phone in enumerate(phones[:6]):
            assert phone.call("board:vote:cast", {"note_id": ids[k % len(ids)], "dots": 1 + k % 3})[
                "ok"
            ]
        assert fac.call("board:vote:close", {"prompt_id": p["id"]})["ok"]
        prompts[f"results-{n}"] = (p, n)
    all_prompts = [p for p, _ in prompts.values()]
    project(screens, server, atelier)
    assert fac.call("atelier:scene", {"scene": "board"})["ok"]
    for case, (p, n) in prompts.items():
        _on_screen(fac, all_prompts, p)
        _check_wall(screens, n, case)
    # the pages turn by themselves (here every 0.3 s), from the page shown
    page = screens[-1]
    assert page.evaluate("() => Workshop.pagers.board.pages.length") > 2
    page.evaluate("() => { const p = Workshop.pagers.board; p.opts.interval = 300; p.goTo(0); }")
    page.wait_for_function("() => document.getElementById('board-wall').dataset.page === '2'")
    page.wait_for_function("() => document.getElementById('board-wall').dataset.page === '3'")
    expect(page.locator("#board-pager")).to_contain_text("page 3 /")


# ---------------------------------------------------------------- codev


def _codev_group(server, atelier, fac, name, proposals, colour="bleu"):
    ack = fac.call(
        "codev:group:create",
        {"name": name, "room": "Salle Chardon", "colour": colour, "max_members": 30},
    )
    assert ack["ok"], ack
    gid = ack["data"]["id"]
    members = [server.participant(atelier, f"{name[:20]} {i}") for i in range(5)]
    for phone in members:
        assert phone.call("codev:join", {"group_id": gid})["ok"]
    assert members[0].call("codev:role", {"role": "porteur"})["ok"]
    assert members[1].call("codev:role", {"role": "animateur"})["ok"]
    assert timer(members[1], "start")["ok"]
    for _ in range(3):  # to "Réactions": the proposals are on the screen
        assert timer(members[1], "next")["ok"]
    for i in range(proposals):
        text = NOTE_TEXTS[i % len(NOTE_TEXTS)] + f" : proposition {i + 1}"
        ack = write(members[2 + i % 3], "proposal", text)
        assert ack["ok"], ack
    return gid


CODEV_JS = """([n]) => document.querySelectorAll("#codev-focus-items .codev-item").length === n
  && !!document.getElementById("codev-focus-items").dataset.pages"""


def test_codev_group_and_overview(server, screens):
    atelier = server.create_atelier(title="Co-développement")
    fac = server.facilitator(atelier)
    groups = {
        0: _codev_group(server, atelier, fac, "Bleu", 0),
        8: _codev_group(server, atelier, fac, LONG, 8, "rouge"),
        30: _codev_group(server, atelier, fac, "Vert", 30, "vert"),
    }
    for i in range(9):  # 12 groups on the overview
        assert fac.call(
            "codev:group:create",
            {"name": f"Groupe {i + 4}", "room": f"Salle {i + 4}", "colour": "jaune"},
        )["ok"]
    project(screens, server, atelier)
    assert fac.call("atelier:scene", {"scene": "codev"})["ok"]
    for n, gid in groups.items():
        assert fac.call("codev:projection", {"group_id": gid})["ok"]
        for page in screens:
            page.wait_for_function(CODEV_JS, arg=[n], timeout=20000)
            for i, total in each_page(page, "codev-focus"):
                label = f"codev {n} {res(page)} page {i}/{total}"
                if total > 1:
                    expect(page.locator("#codev-focus-pager")).to_have_text(f"page {i} / {total}")
                expect(page.locator("#codev-focus-name")).to_be_visible()
                assert_readable(
                    page,
                    '.scene[data-scene="codev"]',
                    containers=["#codev-focus-items"],
                    body=["#codev-focus-items .codev-item-text"] if n else [],
                    label=label,
                )
            if n == 30 or (n == 8 and res(page) == "1920x1080"):
                page.evaluate("() => Workshop.pagers['codev-focus'].goTo(0)")
                shot(page, f"codev-projection-{n}-{res(page)}.png")
    assert fac.call("codev:projection", {"group_id": None})["ok"]
    for page in screens:
        page.wait_for_function(
            "() => document.querySelectorAll('#codev-overview-grid .codev-tile').length === 12"
            " && !!document.getElementById('codev-overview-grid').dataset.pages",
            timeout=20000,
        )
        for i, total in each_page(page, "codev-overview"):
            assert_readable(
                page,
                '.scene[data-scene="codev"]',
                containers=["#codev-overview-grid"],
                label=f"codev overview {res(page)} page {i}/{total}",
            )
        page.evaluate("() => Workshop.pagers['codev-overview'].goTo(0)")
        shot(page, f"codev-overview-{res(page)}.png")


# ---------------------------------------------------------------- live map


def _post_files(url, files):
    boundary = uuid.uuid4().hex
    body = b""
    for path in files:
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + path.read_bytes()
            + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def _map_atelier(server, tmp_path, n):
    import maps

    atelier = server.create_atelier(title=f"Carte de {n} acteurs")
    if n == 21:
        folder = ROOT / "workshop" / "demo" / "mulhouse"
        files = [folder / f for f in ("actors.csv", "contributions.csv", "links.csv")]
    else:
        rec = synthetic_records(n, seed=n)
        for i, a in enumerate(rec["actors"]):
            if i % 4 == 0:
                a["name"] = (LONG[: 60 - len(str(i)) - 1] + f" {i}")[:60]
        folder = tmp_path / f"map{n}"
        maps.export(maps.from_records(**rec), folder, format="csv")
        files = sorted(folder.glob("*.csv"))
    url = f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}/livemap/import"
    answer = _post_files(url, files)
    assert answer["ok"], answer
    return atelier


def _check_drawing(page, kind, label):
    img = f"#lm-img-{kind}"
    page.wait_for_function(
        "([sel]) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth > 0"
        " && i.dataset.loadedVersion === document.querySelector('.scene-livemap').dataset.version; }",
        arg=[img],
        timeout=30000,
    )
    sizes = svg_text_sizes(page, img)
    assert sizes, label
    smallest = min(s for s, _ in sizes)
    limit = SECONDARY * page.viewport_size["height"]
    assert smallest >= limit - 0.05, (
        f"{label}: SVG text {smallest:.1f}px < {limit:.1f}px: {sorted(sizes)[:3]}"
    )
    # the drawing uses the room it has (drawn for its shape): no band left empty
    fill = page.evaluate(
        """([sel]) => { const i = document.querySelector(sel); const r = i.getBoundingClientRect();
          const s = Math.min(r.width / i.naturalWidth, r.height / i.naturalHeight);
          return (i.naturalWidth * s * i.naturalHeight * s) / (r.width * r.height); }""",
        [img],
    )
    assert fill > 0.9, f"{label}: the drawing fills {fill:.0%} of its room"
    return smallest


#: Body text of the text views (at least 2.2 % of the screen's height).
MAP_BODY = {
    "table": ["#lm-proj-table-body td p", "#lm-proj-table-body th"],
    "analysis": ["#lm-proj-analysis .lm-unit"],
    "highlight": [".lm-hl-links li", ".lm-hl-stage strong"],
}


def test_live_map_views(server, screens, tmp_path):
    for n in (5, 21, 60, 150):
        atelier = _map_atelier(server, tmp_path, n)
        fac = server.facilitator(atelier)
        assert fac.call("atelier:scene", {"scene": "livemap"})["ok"]
        project(screens, server, atelier, "livemap")
        for view in ("stage", "network", "table", "analysis", "highlight"):
            if view == "highlight":
                st = fac.call("sync")["data"]["livemap"]
                busiest = max(
                    st["actors"],
                    key=lambda a: sum(
                        a["id"] in (lk["source_id"], lk["target_id"]) for lk in st["links"]
                    ),
                )
                assert fac.call("livemap:settings", {"view": "stage", "highlight": busiest["id"]})[
                    "ok"
                ]
            else:
                assert fac.call("livemap:settings", {"view": view, "highlight": None})["ok"]
            shown = "highlight" if view == "highlight" else view
            for page in screens:
                label = f"map {n} {view} {res(page)}"
                page.wait_for_function(
                    "([v]) => document.querySelector('.scene-livemap').dataset.shown === v",
                    arg=[shown],
                )
                if view in ("stage", "network"):
                    _check_drawing(page, view, label)
                    pager = None
                else:
                    pager = {"table": "livemap-table", "analysis": "livemap-analysis"}.get(
                        view, "livemap-highlight"
                    )
                    page.wait_for_function(
                        "([p]) => Workshop.pagers[p] && !!Workshop.pagers[p].box.dataset.pages",
                        arg=[pager],
                    )
                pages = each_page(page, pager) if pager else [(1, 1)]
                for i, total in pages:
                    if total > 1:
                        expect(page.locator("#lm-proj-pager")).to_have_text(f"page {i} / {total}")
                    if i in (1, total):
                        assert_readable(
                            page,
                            '.scene[data-scene="livemap"]',
                            containers=[f'[data-lm-view="{shown}"]'],
                            body=MAP_BODY.get(shown, []),
                            label=f"{label} page {i}/{total}",
                        )
                    else:
                        assert not check_no_overflow(page, f'[data-lm-view="{shown}"]'), label
                if pager:
                    page.evaluate("([p]) => Workshop.pagers[p].goTo(0)", [pager])
                # the worst case at each resolution, the demo on a large screen
                if n == 150 or (n == 21 and res(page) == "1920x1080"):
                    shot(page, f"livemap-projection-{view}-{n}-{res(page)}.png")


# ---------------------------------------------------------------- word cloud and poll


def test_word_cloud_and_poll(server, screens):
    atelier = server.create_atelier(title="Nuage et sondage")
    fac = server.facilitator(atelier)
    ack = fac.call("cloud:create", {"question": f"{LONG} ?", "on_screen": True})
    assert ack["ok"], ack
    cloud_id = ack["data"]["id"]
    words = [
        "coopération",
        "confiance",
        "territoire",
        "réseau",
        "partage",
        "jeunesse",
        "intercommunalité",
    ]
    phones = [server.participant(atelier, f"Voix {i}") for i in range(14)]
    for i in range(40):
        text = words[i % len(words)] + ("" if i < len(words) else f" {i % 9}")
        ack = phones[i % 14].call(
            "cloud:answer", {"client_id": str(uuid.uuid4()), "activity_id": cloud_id, "text": text}
        )
        assert ack["ok"], ack
    ack = fac.call(
        "poll:create",
        {
            "question": "Dans votre structure, la coopération, c’est plutôt…",
            "kind": "single",
            "options": ["Une habitude", "Un projet en cours", "Une envie", LONG],
            "on_screen": True,
        },
    )
    assert ack["ok"], ack
    poll_id = ack["data"]["id"]
    for i, phone in enumerate(phones):
        vote = {"client_id": str(uuid.uuid4()), "poll_id": poll_id, "choices": [1 + i % 4]}
        assert phone.call("poll:vote", vote)["ok"]
    assert fac.call("poll:update", {"poll_id": poll_id, "results_shown": True})["ok"]
    project(screens, server, atelier)
    for scene, ready in (("cloud", "#cloud-canvas .cloud-label"), ("poll", ".poll-bar")):
        assert fac.call("atelier:scene", {"scene": scene})["ok"]
        for page in screens:
            expect(page.locator(ready).first).to_be_visible()
            page.wait_for_timeout(500)
            # the words are drawn in the room the scene has, not in a hidden box
            big = page.evaluate(
                "([sel]) => Math.max(...[...document.querySelectorAll(sel)]"
                ".map((e) => e.getBoundingClientRect().height))",
                [ready],
            )
            assert big > 0.03 * page.viewport_size["height"], (scene, res(page), big)
            assert_readable(page, f'.scene[data-scene="{scene}"]', label=f"{scene} {res(page)}")
            shot(page, f"{scene}-projection-{res(page)}.png")


def test_scale_poll_results(server, screens):
    """A 1–5 and a 1–10 scale: one bar per value with its count and
    percentage, the mean, the labels at the ends, readable at every size."""
    atelier = server.create_atelier(title="Sondage à échelle")
    fac = server.facilitator(atelier)
    phones = [server.participant(atelier, f"Voix {i}") for i in range(23)]
    project(screens, server, atelier)
    assert fac.call("atelier:scene", {"scene": "poll"})["ok"]
    for high, low_label, high_label in (
        (5, "Pas du tout", "Tout à fait"),
        (10, "Pas du tout engagée", "Pleinement engagée"),
    ):
        ack = fac.call(
            "poll:create",
            {
                "question": f"Sur une échelle de 1 à {high}, votre structure coopère-t-elle déjà ?",
                "kind": "scale",
                "scale_max": high,
                "label_low": low_label,
                "label_high": high_label,
                "on_screen": True,
            },
        )
        assert ack["ok"], ack
        poll_id = ack["data"]["id"]
        for i, phone in enumerate(phones):
            value = min(high, 1 + (i * 7) % high) if i % 5 else high // 2
            ballot = {"client_id": str(uuid.uuid4()), "poll_id": poll_id, "value": value}
            assert phone.call("poll:vote", ballot)["ok"]
        assert fac.call("poll:update", {"poll_id": poll_id, "results_shown": True})["ok"]
        for page in screens:
            cols = page.locator(".poll-col")
            expect(cols).to_have_count(high)
            expect(page.locator(".poll-mean")).to_contain_text("/ " + str(high))
            page.wait_for_timeout(700)
            counts = page.locator(".poll-col-count").all_inner_texts()
            assert len(counts) == high and all("%" in c for c in counts), counts
            assert sum(int(c.split()[0]) for c in counts) == len(phones)
            measures = assert_readable(
                page, '.scene[data-scene="poll"]', label=f"scale 1-{high} {res(page)}"
            )
            # the bars' counts and the values under them: body text, not labels
            height = page.viewport_size["height"]
            for sel in (".poll-col-value", ".poll-mean"):
                size = page.evaluate(
                    "([s]) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)",
                    [sel],
                )
                assert size >= 0.022 * height - 0.05, (sel, size, res(page), measures)
            shot(page, f"poll-scale-{high}-projection-{res(page)}.png")


def test_demo_cloud_at_every_size(server, screens):
    """The demo's question and its 42 answers with their spelling variants,
    sent from phones: readable at every size (the README shows it)."""
    from workshop.cloud.demo import ANSWERS, QUESTION

    atelier = server.create_atelier(title="Nuage de la démo")
    fac = server.facilitator(atelier)
    ack = fac.call("cloud:create", {"question": QUESTION, "on_screen": True})
    assert ack["ok"], ack
    cloud_id = ack["data"]["id"]
    phones = [server.participant(atelier, f"Voix {i}") for i in range(15)]
    for i, text in enumerate(ANSWERS):
        payload = {"client_id": str(uuid.uuid4()), "activity_id": cloud_id, "text": text}
        ack = phones[i % len(phones)].call("cloud:answer", payload)
        assert ack["ok"], (text, ack)
    project(screens, server, atelier)
    assert fac.call("atelier:scene", {"scene": "cloud"})["ok"]
    for page in screens:
        expect(page.locator("#cloud-canvas .cloud-label").first).to_be_visible()
        page.wait_for_timeout(500)
        labels = page.locator("#cloud-canvas .cloud-label").all_inner_texts()
        # « entr'aide » and « l’entraide » count for « Entraide »; « co-construction »
        # and « coconstruction » are one word
        assert not any("entr'aide" in t.lower() for t in labels), labels
        assert sum("construction" in t.lower() for t in labels) == 1, labels
        assert_readable(page, '.scene[data-scene="cloud"]', label=f"demo cloud {res(page)}")
        shot(page, f"cloud-projection-demo-{res(page)}.png")
