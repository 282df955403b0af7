"""Plurals on every screen, in French and in English: "1 vote", "2 votes",
"1 acteur" on the projector's ranking, the phone's results and the console."""

import re

import pytest
from playwright.sync_api import expect

from board_helpers import new_prompt, phone_page, post
from livemap_helpers import add_actor, ok
from support import LAPTOP, PROJECTOR

# (locale, one vote, no vote, two votes, one actor, one member)
CASES = {
    "fr": ("1 vote", "0 vote", "2 votes", "1 acteur"),
    "en": ("1 vote", "0 votes", "2 votes", "1 actor"),
}


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_counts_take_the_right_plural(browser, live_server_sqlite, locale):
    one, zero, two, one_actor = CASES[locale]
    server = live_server_sqlite
    atelier = server.create_atelier(title="Pluriels", locale=locale)
    fac = server.facilitator(atelier)
    prompt = new_prompt(fac, "Quels besoins ?")
    phones = [server.participant(atelier, f"P{i}") for i in range(2)]
    ids = [ok(post(phones[0], prompt["id"], text))["id"] for text in ("Alpha", "Bêta", "Gamma")]
    assert fac.call("board:vote:open", {"prompt_id": prompt["id"], "dots": 3})["ok"]
    assert phones[0].call("board:vote:cast", {"note_id": ids[0], "dots": 2})["ok"]
    assert phones[1].call("board:vote:cast", {"note_id": ids[1], "dots": 1})["ok"]
    assert fac.call("board:vote:close", {"prompt_id": prompt["id"]})["ok"]
    assert fac.call("atelier:scene", {"scene": "board"})["ok"]

    proj_ctx = browser.new_context(**PROJECTOR)
    proj = proj_ctx.new_page()
    proj.goto(f"{server.url}/a/{atelier['code']}/projection")
    expect(proj.locator(".wall-votes")).to_have_text([two, one, zero])

    phone_ctx, phone, _ = phone_page(browser, server, atelier, "Lu")
    expect(phone.locator(".board-votes")).to_have_count(3)
    texts = sorted(phone.locator(".board-votes").all_text_contents())
    assert texts == sorted([two, one, zero])

    console_ctx = browser.new_context(**LAPTOP)
    console = console_ctx.new_page()
    console.goto(f"{server.url}/a/{atelier['code']}/console/{atelier['secret']}")
    expect(console.locator(".board-note-meta").first).to_be_visible()
    meta = " | ".join(console.locator(".board-note-meta").all_text_contents())
    assert re.search(rf"\b{one}\b", meta) and re.search(rf"\b{two}\b", meta), meta
    assert "1 votes" not in meta

    # one actor on the map: "1 acteur" on the projector
    ok(add_actor(fac, "Unis-Cité"))
    assert fac.call("atelier:scene", {"scene": "livemap"})["ok"]
    expect(proj.locator("#lm-proj-counts")).to_contain_text(one_actor)
    expect(proj.locator("#lm-proj-counts")).not_to_contain_text(one_actor + "s")
    for ctx in (proj_ctx, phone_ctx, console_ctx):
        ctx.close()
