"""Authorization matrix: every declared Socket.IO event and every HTTP
route, for every role relative to atelier A.

Event rows are the declarations (``workshop.domain.contracts.CONTRACTS``):
their roles and their fields, with what the server registers
(``workshop.realtime.EVENTS``); route rows are the ``url_map`` with the
entries of ``docs/protocol.md``. An event without a declaration (or a
declaration without a handler), a route without an entry, fails
``test_every_event_and_route_has_an_entry``. Atelier A is filled by every
capability's demo loader; the commands aimed at it use its real object ids.

* facilitator/participant/projector of A, allowed: the answer is ``ok`` or a
  documented error, never ``internal``.
* a role the entry does not list: ``forbidden`` for any payload, nothing changes.
* participant or facilitator of atelier B, with A's ids and client ids:
  A's rows are byte-identical afterwards and the answer shows none of A's texts.
* stranger: refused at the handshake; without a session no event is reachable.
"""

import json
import re
import uuid

import pytest

from security_helpers import (
    MATRIX_ROLES,
    PROTOCOL_ROLE,
    ack_ok_or_documented,
    build_world,
    candidate_ids,
    declared_events,
    dump,
    ids_in,
    listed_to_every_console,
    parse_protocol,
    private_strings,
    targeted_payloads,
    texts_in,
)
from support import DB_PARAMS
from workshop.realtime import EVENTS

EVENT_ENTRIES = declared_events()
ENTRIES = parse_protocol()


@pytest.fixture(scope="module", params=DB_PARAMS)
def world(request, tmp_path_factory):
    w = build_world(request, tmp_path_factory)
    yield w
    w.close()
    w.app.extensions["workshop_db"].dispose()


def routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_every_event_and_route_has_an_entry(world):
    from workshop.domain.contracts import CONTRACTS

    problems = []
    for name, meta in sorted(EVENTS.items()):
        contract = CONTRACTS.get(name)
        if contract is None:
            problems.append(f"{name}: no declaration")
        elif tuple(meta["roles"]) != contract.roles:
            problems.append(f"{name}: declared {contract.roles}, enforced {meta['roles']}")
        if name not in ENTRIES:
            problems.append(f"{name}: no entry in the protocol")
    problems += [f"{n}: declared, no handler" for n in sorted(set(CONTRACTS) - set(EVENTS))]
    for method, rule in routes(world.app):
        entry = ENTRIES.get(f"{method} {rule.rule}")
        if entry is None:
            problems.append(f"{method} {rule.rule}: no entry in the protocol")
        elif not entry.roles:
            problems.append(f"{method} {rule.rule}: no roles line")
    assert not problems, problems
    assert set(EVENT_ENTRIES) == set(EVENTS)


# ---------------------------------------------------------------- handshake


def _bad_auths(world):
    a, b = world.a, world.b
    other_token = world.auth("participant_other")["token"]
    return {
        "none": None,
        "empty": {},
        "string": "facilitator",
        "list": ["facilitator", a["code"]],
        "unknown_role": {"role": "admin", "code": a["code"], "secret": a["secret"]},
        "no_secret": {"role": "facilitator", "code": a["code"]},
        "null_secret": {"role": "facilitator", "code": a["code"], "secret": None},
        "wrong_secret": {"role": "facilitator", "code": a["code"], "secret": "x" * 43},
        "b_secret_on_a": {"role": "facilitator", "code": a["code"], "secret": b["secret"]},
        "a_secret_on_b": {"role": "facilitator", "code": b["code"], "secret": a["secret"]},
        "secret_as_object": {"role": "facilitator", "code": a["code"], "secret": {"$ne": ""}},
        "secret_as_list": {"role": "facilitator", "code": a["code"], "secret": [a["secret"]]},
        "code_as_object": {"role": "facilitator", "code": {"$ne": 1}, "secret": a["secret"]},
        "no_token": {"role": "participant", "code": a["code"]},
        "forged_token": {"role": "participant", "code": a["code"], "token": "1.abc"},
        "b_token_on_a": {"role": "participant", "code": a["code"], "token": other_token},
        "token_as_int": {"role": "participant", "code": a["code"], "token": 1},
        "unknown_code": {"role": "projector", "code": "ZZZZZZ"},
        "code_too_long": {"role": "projector", "code": "A" * 5000},
    }


BAD_AUTH_NAMES = [
    "none",
    "empty",
    "string",
    "list",
    "unknown_role",
    "no_secret",
    "null_secret",
    "wrong_secret",
    "b_secret_on_a",
    "a_secret_on_b",
    "secret_as_object",
    "secret_as_list",
    "code_as_object",
    "no_token",
    "forged_token",
    "b_token_on_a",
    "token_as_int",
    "unknown_code",
    "code_too_long",
]


@pytest.mark.parametrize("variant", BAD_AUTH_NAMES)
def test_stranger_is_refused_at_the_handshake(world, variant):
    auth = _bad_auths(world)[variant]
    sock = world.socketio.test_client(world.app, auth=auth)
    assert not sock.is_connected()


def test_removed_participant_is_refused(world):
    joined = world.join("a", "Partira")
    auth = {"role": "participant", "code": world.a["code"], "token": joined["token"]}
    sock = world.socketio.test_client(world.app, auth=auth)
    assert sock.is_connected()
    sock.get_received()
    ack = world.emit(
        "facilitator_here", "participant:remove", {"participant_id": joined["participant"]["id"]}
    )
    assert ack["ok"], ack
    assert not world.socketio.test_client(world.app, auth=auth).is_connected()
    # the socket still open has lost its session: every event is refused
    for name in sorted(EVENTS):
        ack = sock.emit(name, {}, callback=True)
        assert ack["error"] in ("not_connected", "bad_token"), (name, ack)


# ---------------------------------------------------------------- events × roles


def _forbidden_roles(entry):
    return [r for r in MATRIX_ROLES if PROTOCOL_ROLE[r] and PROTOCOL_ROLE[r] not in entry.roles]


CASES = [(name, role) for name in sorted(EVENT_ENTRIES) for role in MATRIX_ROLES]


@pytest.mark.parametrize(("event_name", "role"), CASES, ids=[f"{e}-{r}" for e, r in CASES])
def test_event_matrix(world, event_name, role):
    entry = EVENT_ENTRIES[event_name]
    if role != "stranger":
        world.socket(role)  # connected (and joined) before the reference dump
    before = dump(world.app, world.a_id)
    payloads = targeted_payloads(entry, before, world.fks)
    proto = PROTOCOL_ROLE[role]

    if role == "stranger":
        # no session at all: the Engine.IO layer refuses a packet without a valid sid
        packet = "42" + json.dumps([event_name, payloads[-1]])
        res = world.http.post(
            f"/socket.io/?EIO=4&transport=polling&sid={uuid.uuid4().hex}",
            data=packet,
            content_type="text/plain;charset=UTF-8",
        )
        assert res.status_code == 400, res.status_code
        assert dump(world.app, world.a_id) == before
        return

    problems = []
    if proto not in entry.roles:
        for payload in payloads + [None, [], "x", 1]:
            ack = world.emit(role, event_name, payload)
            if not (isinstance(ack, dict) and ack.get("error") == "forbidden"):
                problems.append((payload, ack))
        assert not problems, problems[:3]
        assert dump(world.app, world.a_id) == before, "a forbidden command changed atelier A"
        return

    if role.endswith("_other"):
        secret_texts = private_strings(
            before, dump(world.app, world.b_id)
        ) - listed_to_every_console(world.app)
        for payload in payloads:
            ack = world.emit(role, event_name, payload)
            wrong = ack_ok_or_documented(ack)
            if wrong:
                problems.append((payload, wrong))
            text = json.dumps(ack, ensure_ascii=False)
            # what B sent may come back to B, even if A happens to hold it too
            leaked = [t for t in secret_texts - texts_in(payload) if t in text]
            if leaked:
                problems.append((payload, f"leaks A's data: {leaked[:2]}"))
        world.restore()
        assert not problems, problems[:3]
        after = dump(world.app, world.a_id)
        changed = {t for t in set(before) | set(after) if before.get(t) != after.get(t)}
        assert not changed, f"{role} changed atelier A's tables {sorted(changed)}"
        return

    # allowed role of atelier A: ok or a documented error, never internal
    for payload in payloads:
        ack = world.emit(role, event_name, payload)
        wrong = ack_ok_or_documented(ack)
        if wrong:
            problems.append((payload, wrong))
    world.restore()
    assert not problems, problems[:3]


# ---------------------------------------------------------------- HTTP routes × roles

HTTP_ROLES = (
    "facilitator_here",
    "facilitator_other",
    "participant_here",
    "participant_other",
    "stranger",
)


def _formats(entry) -> list[str]:
    variables = set(re.findall(r"<(?:\w+:)?(\w+)>", entry.name))
    fmts = [
        w
        for w in entry.backticked()
        if w.isalnum() and w.islower() and len(w) <= 8 and w not in variables
    ]
    return fmts or ["json"]


def _urls(world, rule, role, entry):
    """Concrete URLs for a rule: A's code, the role's secret, A's ids, formats."""
    secret = {
        "facilitator_here": world.a["secret"],
        "facilitator_other": world.b["secret"],
    }.get(role, "pas-un-secret-" + "x" * 30)
    ids = ids_in(dump(world.app, world.a_id))
    values: dict[str, list[str]] = {}
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
        if name == "code":
            values[name] = [world.a["code"]]
        elif name == "secret":
            values[name] = [secret]
        elif name == "fmt":
            values[name] = _formats(entry)
        elif name == "filename":
            values[name] = ["js/live.js"]
        elif name == "locale":
            values[name] = ["fr", "xx"]
        elif conv == "int" or name.endswith("_id"):
            values[name] = [str(i) for i in candidate_ids(name, ids, world.fks)[:2]] or ["1"]
        else:
            values[name] = ["x"]
    urls = [rule.rule]
    for name, vals in values.items():
        urls = [re.sub(rf"<(?:\w+:)?{name}>", v, u, count=1) for u in urls for v in vals]
    return urls


@pytest.mark.parametrize("role", HTTP_ROLES)
def test_http_matrix(world, role):
    headers = {}
    for r in ("participant_here", "participant_other"):
        world.socket(r)
    before = dump(world.app, world.a_id)
    secret_texts = private_strings(before, dump(world.app, world.b_id)) - listed_to_every_console(
        world.app
    )
    if role in ("participant_here", "participant_other"):
        headers["X-Workshop-Token"] = world.auth(role)["token"]
    problems = []
    checked = 0
    for method, rule in routes(world.app):
        entry = ENTRIES[f"{method} {rule.rule}"]
        for url in _urls(world, rule, role, entry):
            if method == "GET":
                res = world.http.get(url, headers=headers)
            else:
                res = world.http.open(url, method=method, json={}, headers=headers)
            checked += 1
            status = res.status_code
            body = res.get_data()
            where = f"{method} {url} as {role}: {status}"
            if status >= 500:
                problems.append(where + " (server error)")
                continue
            facilitator_route = "<secret>" in rule.rule
            participant_route = entry.roles == {"participant"} and not facilitator_route
            if facilitator_route:
                if role == "facilitator_here":
                    if status in (401, 403):
                        problems.append(where + " (refused to A's facilitator)")
                elif status not in (403, 404):
                    problems.append(where + " (facilitator route open to another role)")
            elif participant_route and role != "participant_here" and status == 200:
                # a page shell is fine; the atelier's data is not
                pass
            if role != "facilitator_here" and (facilitator_route or participant_route):
                text = body.decode("utf-8", "replace")
                leaked = [t for t in secret_texts if t in text]
                if leaked:
                    problems.append(where + f" (leaks {leaked[:1]})")
    assert checked
    assert not problems, problems
    after = dump(world.app, world.a_id)
    if role != "facilitator_here":
        changed = [
            t
            for t in set(before) | set(after)
            if before.get(t) != after.get(t) and t != "participant"
        ]
        assert not changed, f"{role} changed A's tables {changed}"
