"""Helpers for the post-it board tests."""

import uuid

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<svg/onload=alert(3)>",
    '"><iframe src="javascript:alert(4)"></iframe>',
    '<a href="javascript:alert(5)">clic</a>',
    '=HYPERLINK("http://evil.example","x")',
    "{{7*7}} ${alert(6)} &lt;b&gt;",
]


def stored_note(s, atelier, who, prompt, text, **kw):
    """A note written through the service (no socket), as a ``BoardNote``."""
    from workshop.board import service
    from workshop.board.models import BoardNote

    data = {"client_id": str(uuid.uuid4()), "prompt_id": prompt.id, "text": text, **kw}
    row, created = service.create_note(s, atelier, who, **data)
    assert created
    s.flush()
    return s.get(BoardNote, row.id)


def new_prompt(fac, text="Quels besoins ?", **fields):
    ack = fac.call("board:prompt:create", {"text": text, **fields})
    assert ack["ok"], ack
    return ack["data"]


def post(client, prompt_id, text, client_id=None, timeout=10, **fields):
    payload = {
        "client_id": client_id or str(uuid.uuid4()),
        "prompt_id": prompt_id,
        "text": text,
        **fields,
    }
    return client.call("board:note:create", payload, timeout=timeout)


def board_notes(client, timeout=10):
    """The notes in a fresh snapshot of the board (``sync``)."""
    ack = client.call("sync", timeout=timeout)
    assert ack["ok"], ack
    return ack["data"]["board"]["notes"]


def phone_page(browser, server, atelier, name="Awa", **context_args):
    """A phone (390 px) already joined: its device token is put in localStorage."""
    import json

    from support import PHONE

    joined = server.join(atelier["code"], name)
    ctx = browser.new_context(**{**PHONE, **context_args})
    key = f"workshop:token:{atelier['code']}"
    ctx.add_init_script(
        f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(joined['token']))});"
    )
    page = ctx.new_page()
    page.goto(f"{server.url}/a/{atelier['code']}/p")
    return ctx, page, joined
