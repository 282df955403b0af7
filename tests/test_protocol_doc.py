"""docs/protocol.md documents every route and every Socket.IO event; what it
says of the events (who may send them, their fields with types and limits)
is the table generated from their declarations, compared here."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
ROLE_NAMES = {"facilitator", "participant", "projector", "public"}


def parse_entries() -> dict[str, set[str]]:
    """``{heading: roles}`` for every ``### `…` `` entry of the document."""
    entries = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^### `([^`]+)`\s*$", line)
        if m:
            current = m.group(1)
            entries[current] = set()
            continue
        m = re.match(r"^- (?:Rôles|Roles) ?: (.+)$", line)
        if m and current is not None and not entries[current]:
            entries[current] = {w for w in re.findall(r"[a-z]+", m.group(1)) if w in ROLE_NAMES}
    return entries


def test_every_route_is_documented(app):
    entries = parse_entries()
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if f"{method} {rule.rule}" not in entries:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes missing from docs/protocol.md: {missing}"


def test_the_generated_table_is_the_declarations():
    from workshop.domain import declared  # noqa: F401
    from workshop.domain.contracts import BEGIN, END, markdown_table

    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    block = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert block == markdown_table(), (
        "docs/protocol.md: the table of declared events is stale; "
        "run `python -m workshop.domain.declared`"
    )


def test_every_handler_has_a_declaration_and_every_declaration_a_handler(app):
    from workshop.domain.contracts import CONTRACTS
    from workshop.realtime import EVENTS

    assert set(EVENTS) == set(CONTRACTS), {
        "handlers without declaration": sorted(set(EVENTS) - set(CONTRACTS)),
        "declarations without handler": sorted(set(CONTRACTS) - set(EVENTS)),
    }
    for name, meta in EVENTS.items():
        assert meta["contract"] is CONTRACTS[name]
        assert tuple(meta["roles"]) == CONTRACTS[name].roles


def test_every_event_has_an_entry_that_agrees_with_its_declaration(app):
    from workshop.domain.contracts import CONTRACTS

    entries = parse_entries()
    problems = [f"{name}: no entry" for name in sorted(CONTRACTS) if name not in entries]
    for name, roles in entries.items():
        # an entry may still state its roles: then they are the declaration's
        if name in CONTRACTS and roles and roles != set(CONTRACTS[name].roles):
            problems.append(f"{name}: doc says {sorted(roles)}, declared {CONTRACTS[name].roles}")
    assert not problems, problems


def test_every_documented_entry_exists(app):
    from workshop.realtime import EVENTS

    routes = {
        f"{m} {r.rule}" for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}
    }
    stale = [h for h in parse_entries() if h not in routes and h not in EVENTS]
    assert not stale, f"documented but not registered: {stale}"
