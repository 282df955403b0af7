"""XSS sweep: the payloads of tests/xss_payloads.txt, entered through every
text field, stay inert text on the three surfaces (in Chromium) and in every
export.

The fields come from the events the server registers: a capability that is
absent simply has no fields; a documented event with a text field and no
recipe here fails ``test_every_text_field_has_a_recipe``.
"""

import csv
import io
import json
import re
import time
import uuid
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

import requests_shim as http
from security_helpers import declared_events, parse_protocol
from support import LAPTOP, PHONE, PROJECTOR

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("# ")
]
TEXT_KEYS = {"text", "name", "title", "place", "room", "kind", "territory"}


def _cid() -> str:
    return str(uuid.uuid4())


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


# ---------------------------------------------------------------- recipes
# event -> the text keys this sweep enters through it (see _enter below)
RECIPES = {
    "atelier:update": {"title", "place"},
    "board:prompt:create": {"text"},
    "board:prompt:update": {"text"},
    "board:category:create": {"title"},
    "board:category:update": {"title"},
    "board:note:create": {"text"},
    "board:note:update": {"text"},
    "codev:group:create": {"name", "room"},
    "codev:group:update": {"name", "room"},
    "codev:write": {"text"},
    "codev:answer": {"text"},
    "livemap:actor:add": {"name", "kind", "territory"},
    "livemap:actor:update": {"name", "kind", "territory"},
    "livemap:contribution:add": {"text"},
    "livemap:contribution:update": {"text"},
    "livemap:link:add": {"kind"},
    "livemap:link:update": {"kind"},
    "deroule:activity:create": {"title"},
    "deroule:activity:update": {"title"},
    "deroule:modele:save": {"name"},
    "deroule:modele:import": {"name"},
    "cloud:answer": {"text"},
    "cloud:answer:update": {"text"},
}
# entered once with the same code path as their "create" twin
SAME_PATH_AS = {
    "cloud:answer:update",
    "deroule:modele:import",
    "deroule:activity:update",
    "board:prompt:update",
    "board:category:update",
    "board:note:update",
    "codev:group:update",
    "livemap:actor:update",
    "livemap:contribution:update",
    "livemap:link:update",
}


def test_every_text_field_has_a_recipe():
    missing = []
    from workshop.domain.contracts import Str

    for name, contract in declared_events().items():
        # the free texts of its declaration (an enumeration is a Choice, not a Str)
        keys = {k for k, f in contract.fields.items() if isinstance(f, Str)} & TEXT_KEYS
        if keys - RECIPES.get(name, set()):
            missing.append((name, sorted(keys - RECIPES.get(name, set()))))
    assert not missing, f"text fields with no XSS coverage: {missing}"


def _ok(ack):
    return isinstance(ack, dict) and ack.get("ok")


def _enter(server, events):
    """Create an atelier and enter every payload through every field present.
    Returns (atelier, facilitator client, phone clients, accepted texts)."""
    accepted: dict[str, list[str]] = {}

    def keep(field, text, ack):
        if _ok(ack):
            accepted.setdefault(field, []).append(text)

    atelier = server.create_atelier(title="Balayage XSS")
    code = atelier["code"]
    fac = server.facilitator(atelier)
    if "atelier:update" in events:
        keep("atelier.title", PAYLOADS[0], fac.call("atelier:update", {"title": PAYLOADS[0]}))
        keep("atelier.place", PAYLOADS[4], fac.call("atelier:update", {"place": PAYLOADS[4]}))
    # participants named after the payloads (API join)
    for p in PAYLOADS:
        status, data = http.post_json(
            server.url + f"/api/ateliers/{code}/participants", {"name": p}
        )
        if status == 201:
            accepted.setdefault("participant.name", []).append(p)
    phone = server.participant(atelier, PAYLOADS[2][:40])
    phones = {"main": phone}

    if "board:prompt:create" in events:
        ack = fac.call(
            "board:prompt:create", {"text": PAYLOADS[1], "on_screen": True, "visibility": "live"}
        )
        keep("board.prompt", PAYLOADS[1], ack)
        pid = ack["data"]["id"]
        for p in PAYLOADS[5:12]:
            keep("board.prompt", p, fac.call("board:prompt:create", {"text": p}))
        for p in PAYLOADS[:55]:
            keep(
                "board.category",
                p,
                fac.call("board:category:create", {"prompt_id": pid, "title": p}),
            )
        for p in PAYLOADS:
            ack = phone.call(
                "board:note:create", {"client_id": _cid(), "prompt_id": pid, "text": p}
            )
            keep("board.note", p, ack)
    if "codev:group:create" in events:
        for p in PAYLOADS[:6]:
            keep("codev.group", p, fac.call("codev:group:create", {"name": p, "room": p[::-1]}))
        ack = fac.call(
            "codev:group:create", {"name": PAYLOADS[8], "room": PAYLOADS[9], "colour": "bleu"}
        )
        gid = ack["data"]["id"]
        porteur, contrib, secretaire = (
            phone,
            server.participant(atelier, "Karim"),
            server.participant(atelier, "Murielle"),
        )
        phones.update(contrib=contrib, secretaire=secretaire)
        for ph in (porteur, contrib, secretaire):
            assert ph.call("codev:join", {"group_id": gid})["ok"]
        assert porteur.call("codev:role", {"role": "porteur"})["ok"]
        assert secretaire.call("codev:role", {"role": "secretaire"})["ok"]
        assert fac.call("codev:timer", {"action": "start", "group_id": gid})["ok"]
        for p in PAYLOADS[:3]:
            keep(
                "codev.subject",
                p,
                porteur.call("codev:write", {"kind": "subject", "text": p, "client_id": _cid()}),
            )
        for p in PAYLOADS:
            keep(
                "codev.note",
                p,
                secretaire.call("codev:write", {"kind": "note", "text": p, "client_id": _cid()}),
            )
        questions = []
        for _ in range(10):
            ack = contrib.call(
                "codev:write", {"kind": "question", "text": PAYLOADS[0], "client_id": _cid()}
            )
            if _ok(ack):
                break
            fac.call("codev:timer", {"action": "next", "group_id": gid})
        for p in PAYLOADS:
            ack = contrib.call("codev:write", {"kind": "question", "text": p, "client_id": _cid()})
            keep("codev.question", p, ack)
            if _ok(ack):
                questions.append(ack["data"]["item"]["id"])
        for qid, p in zip(questions, PAYLOADS, strict=False):
            keep("codev.answer", p, porteur.call("codev:answer", {"item_id": qid, "text": p}))
        fac.call("codev:timer", {"action": "next", "group_id": gid})
        for p in PAYLOADS:
            keep(
                "codev.proposal",
                p,
                contrib.call("codev:write", {"kind": "proposal", "text": p, "client_id": _cid()}),
            )
        fac.call("codev:timer", {"action": "next", "group_id": gid})
        for p in PAYLOADS[:3]:
            keep(
                "codev.action_plan",
                p,
                porteur.call(
                    "codev:write", {"kind": "action_plan", "text": p, "client_id": _cid()}
                ),
            )
        fac.call("codev:projection", {"group_id": gid})
    if "livemap:actor:add" in events:
        fac.call("livemap:settings", {"open": True})
        actor_ids = []
        for i, p in enumerate(PAYLOADS):
            ack = fac.call(
                "livemap:actor:add",
                {"client_id": _cid(), "name": p, "kind": p[:40], "territory": PAYLOADS[-1 - i]},
            )
            keep("livemap.actor", p, ack)
            if _ok(ack) and ack["data"]["created"]:
                actor_ids.append(ack["data"]["id"])
        for i, p in enumerate(PAYLOADS):
            ack = fac.call(
                "livemap:contribution:add",
                {
                    "client_id": _cid(),
                    "actor_id": actor_ids[i % len(actor_ids)],
                    "stage": ["declencher", "organiser", "animer"][i % 3],
                    "text": p,
                },
            )
            keep("livemap.contribution", p, ack)
        for i, p in enumerate(PAYLOADS):
            a, b = actor_ids[i % len(actor_ids)], actor_ids[(i + 1) % len(actor_ids)]
            keep(
                "livemap.link",
                p,
                fac.call(
                    "livemap:link:add",
                    {"client_id": _cid(), "source_id": a, "target_id": b, "kind": p[:40]},
                ),
            )
        phone.call(
            "livemap:actor:add", {"client_id": _cid(), "name": "Acteur " + PAYLOADS[3][:100]}
        )
    if "deroule:activity:create" in events:
        for p in PAYLOADS[:8]:
            keep(
                "deroule.activity",
                p,
                fac.call("deroule:activity:create", {"type": "message", "title": p}),
            )
    if "deroule:modele:save" in events:
        for p in PAYLOADS[:6]:
            keep("deroule.modele", p[:80], fac.call("deroule:modele:save", {"name": p[:80]}))
    if "cloud:answer" in events:
        ack = fac.call("cloud:create", {"question": "Un mot ?", "on_screen": True})
        if _ok(ack):
            for p in PAYLOADS[:5]:
                keep(
                    "cloud.answer",
                    p[:40],
                    phone.call(
                        "cloud:answer",
                        {"client_id": _cid(), "activity_id": ack["data"]["id"], "text": p[:40]},
                    ),
                )
    return atelier, fac, phones, accepted


# ---------------------------------------------------------------- checks of exports


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            risky = name == "srcdoc" or bool(
                value and re.match(r"\s*(javascript|data:text/html)", value, re.I)
            )
            if name in ("href", "src", "action", "data", "srcdoc", "formaction") and risky:
                self.problems.append(f"<{tag} {name}={(value or '')[:40]}>")
        if tag in ("script", "iframe", "object", "embed", "base", "meta", "form", "input"):
            if tag == "script" and not any(n == "src" for n, _ in attrs):
                self.in_script = True
            elif tag not in ("meta",):
                self.problems.append(f"<{tag}>")
            elif any(n == "http-equiv" for n, _ in attrs):
                self.problems.append("<meta http-equiv>")

    def handle_data(self, data):
        if self.in_script and ("__xss" in data or "alert(" in data):
            self.problems.append("inline script from a payload")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False


def html_problems(text: str) -> list[str]:
    parser = _Tags()
    parser.feed(text)
    return parser.problems


def csv_problems(text: str) -> list[str]:
    out = []
    for sep in (";", ","):
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep))
        if rows and len(rows[0]) > 1:
            break
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and cell in PAYLOADS:
                out.append(f"formula cell {cell[:30]!r}")
    return out


def xlsx_problems(data: bytes) -> list[str]:
    import openpyxl

    out = []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                # a string cell with the quote prefix is text, as a typed '=…
                quoted = cell.data_type == "s" and cell.quotePrefix
                if cell.data_type == "f" or (
                    isinstance(cell.value, str)
                    and cell.value[:1] in "=+-@"
                    and cell.value in PAYLOADS
                    and not quoted
                ):
                    out.append(f"{ws.title}!{cell.coordinate}: {str(cell.value)[:30]!r}")
    return out


def markdown_problems(text: str) -> list[str]:
    """Raw HTML or a ``javascript:`` link that a Markdown viewer would render
    (``\\<`` and ``\\]`` are escaped, hence literal)."""
    out = []
    for pattern in (
        r"(?<!\\)<(script|img|svg|iframe|a |details|body|x )",
        r"(?<!\\)\]\(javascript:",
    ):
        for m in re.finditer(pattern, text, re.I):
            out.append(f"unescaped {m.group(0)!r} in Markdown")
    return out


def svg_problems(data: bytes) -> list[str]:
    root = ElementTree.fromstring(data)  # well-formed: payloads were escaped
    out = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject", "iframe"):
            out.append(f"<{tag}> in SVG")
        for name in el.attrib:
            if name.rsplit("}", 1)[-1].startswith("on"):
                out.append(f"{name} attribute in SVG")
    return out


def check_file(name: str, data: bytes) -> list[str]:
    lower = name.lower()
    if data[:2] == b"PK" and not lower.endswith((".xlsx", ".docx")):
        out = []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for inner in z.namelist():
                out += [f"{inner}: {p}" for p in check_file(inner, z.read(inner))]
        return out
    if lower.endswith(".xlsx"):
        return xlsx_problems(data)
    if lower.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            ElementTree.fromstring(z.read("word/document.xml"))
        return []
    if lower.endswith((".html", ".htm")):
        return html_problems(data.decode("utf-8"))
    if lower.endswith(".csv"):
        return csv_problems(data.decode("utf-8"))
    if lower.endswith(".md"):
        return markdown_problems(data.decode("utf-8"))
    if lower.endswith(".json"):
        json.loads(data)
        return []
    if lower.endswith(".svg"):
        return svg_problems(data)
    if lower.endswith((".gexf", ".graphml", ".xml")):
        ElementTree.fromstring(data)
        return []
    if lower.endswith(".pdf"):
        return [] if data.startswith(b"%PDF") else ["not a PDF"]
    return []


def _filename(headers: dict, url: str) -> str:
    disp = next((v for k, v in headers.items() if k.lower() == "content-disposition"), "")
    m = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disp)
    if m:
        return m.group(1)
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    ext = {
        "text/html": ".html",
        "text/csv": ".csv",
        "application/json": ".json",
        "image/svg+xml": ".svg",
    }
    for k, v in ext.items():
        if ctype.startswith(k):
            return url.rsplit("/", 1)[-1] + v
    return url.rsplit("/", 1)[-1]


def export_urls(server, atelier, group_ids):
    """Every GET export of the atelier: routes with ``<secret>`` (and the
    public map image), each documented format and query variant."""
    from workshop.realtime import EVENTS  # noqa: F401  (app registered by the fixtures)

    entries = parse_protocol()
    urls = []
    for heading, entry in entries.items():
        if not heading.startswith("GET /a/<code>/") or heading.endswith("/console/<secret>"):
            continue
        rule = heading[len("GET ") :]
        if "<secret>" not in rule and "livemap/map" not in rule:
            continue
        fmts = [
            w
            for w in entry.backticked()
            if w.isalnum() and w.islower() and len(w) <= 8 and w != "fmt"
        ]
        base = rule.replace("<code>", atelier["code"]).replace("<secret>", atelier["secret"])
        bases = (
            [re.sub(r"<int:\w+>", str(g), base) for g in group_ids] if "<int:" in base else [base]
        )
        for b in bases:
            if "<fmt>" in b:
                urls += [b.replace("<fmt>", f) for f in fmts]
            elif "compte-rendu" in b:
                urls += [b + f"?fmt={f}&names=1" for f in ("zip", "md", "docx", "pdf")]
            else:
                urls.append(b)
    return urls


# ---------------------------------------------------------------- the sweep


def _open(browser, args, url, init=None):
    ctx = browser.new_context(**args)
    ctx.add_init_script(
        "window.__xss = undefined; window.alert = (m) => { window.__alerted = String(m); };"
    )
    if init:
        ctx.add_init_script(init)
    page = ctx.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_function(
        "() => window.Workshop && window.Workshop.socket.connected", timeout=15000
    )
    return ctx, page, dialogs


def _assert_inert(page, dialogs, where):
    state = page.evaluate(
        "() => ({xss: window.__xss, alerted: window.__alerted || null,"
        " inline: document.querySelectorAll('script:not([src]):not([type])').length,"
        " handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length})"
    )
    assert not dialogs, (where, dialogs)
    assert state == {"xss": None, "alerted": None, "inline": 0, "handlers": 0}, (where, state)


# The live map's round-trip exports (the ``maps`` input format, re-importable)
# write cells as typed: a cell starting with = + - @ is not prefixed yet.


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.mark.timeout(600)
def test_payloads_are_inert_everywhere(browser, live_server_sqlite):
    from security_helpers import registered_events
    from workshop.ateliers.events import SCENES

    server = live_server_sqlite
    events = set(registered_events())
    atelier, fac, phones, accepted = _enter(server, events)
    code = atelier["code"]
    # each field got most payloads (the others were refused as too long or invalid)
    for field, texts in accepted.items():
        assert texts, field
    if "board:note:create" in events:
        assert len(accepted["board.note"]) >= 50

    console_ctx, console, c_dialogs = _open(
        browser, LAPTOP, f"{server.url}/a/{code}/console/{atelier['secret']}"
    )
    proj_ctx, projection, p_dialogs = _open(browser, PROJECTOR, f"{server.url}/a/{code}/projection")
    key = json.dumps(f"workshop:token:{code}")
    phone_ctx, phone, ph_dialogs = _open(
        browser,
        PHONE,
        f"{server.url}/a/{code}/p",
        init=f"localStorage.setItem({key}, {json.dumps(json.dumps(phones['main'].token))});",
    )
    time.sleep(1)
    for scene in sorted(SCENES):
        assert fac.call("atelier:scene", {"scene": scene})["ok"]
        projection.wait_for_function(
            f"() => !document.querySelector('[data-scene={json.dumps(scene)}]') ||"
            f" !document.querySelector('[data-scene={json.dumps(scene)}]').hidden"
        )
        time.sleep(0.8)
        _assert_inert(projection, p_dialogs, f"projection/{scene}")
        if scene == "board":
            text = _norm(projection.evaluate("() => document.body.textContent"))
            shown = [p for p in accepted.get("board.note", []) if _norm(p) in text]
            assert len(shown) >= len(accepted["board.note"]) * 0.9, "notes not shown as text"
    _assert_inert(console, c_dialogs, "console")
    _assert_inert(phone, ph_dialogs, "phone")
    console_text = _norm(console.evaluate("() => document.body.textContent"))
    missing = {
        field: [p for p in texts if _norm(p) not in console_text]
        for field, texts in accepted.items()
        if field.startswith(("board.note", "participant.name", "livemap.actor"))
    }
    assert not any(missing.values()), {k: v[:3] for k, v in missing.items()}
    for ctx in (console_ctx, proj_ctx, phone_ctx):
        ctx.close()

    # exports
    group_ids = [g["id"] for g in fac.call("sync")["data"].get("codev", {}).get("groups", [])]
    problems, fetched = [], 0
    for url in export_urls(server, atelier, group_ids):
        status, body, headers = http.get(server.url + url, timeout=120)
        if status != 200:
            assert status < 500, (url, status)
            continue
        fetched += 1
        name = _filename(headers, url)
        problems += [f"{url}: {p}" for p in check_file(name, body)]
    status, body, headers = http.get(
        server.url + f"/a/{code}/console/{atelier['secret']}/data.json"
    )
    assert status == 200 and json.loads(body)["tables"]
    assert fetched >= 5
    kinds = sorted({re.sub(r"/a/\w+/console/[^/]+", "", p)[:110] for p in problems})
    assert not kinds, kinds[:40]
