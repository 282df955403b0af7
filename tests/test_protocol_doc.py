"""docs/protocol.md documents every route and every Socket.IO event, with the
roles the server really enforces."""

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


def test_every_event_is_documented_with_its_roles(app):
    from workshop.realtime import EVENTS

    entries = parse_entries()
    problems = []
    for name, meta in sorted(EVENTS.items()):
        if name not in entries:
            problems.append(f"{name}: not documented")
        elif entries[name] != set(meta["roles"]):
            problems.append(f"{name}: doc says {sorted(entries[name])}, server {meta['roles']}")
    assert not problems, problems


def test_every_documented_entry_exists(app):
    from workshop.realtime import EVENTS

    routes = {
        f"{m} {r.rule}" for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}
    }
    stale = [h for h in parse_entries() if h not in routes and h not in EVENTS]
    assert not stale, f"documented but not registered: {stale}"
