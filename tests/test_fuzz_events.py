"""Every registered event's handler fuzzed with hypothesis.

Payloads are random JSON values and structured objects whose keys are the
fields of the event's declaration (``workshop.domain.contracts``) and words
of every declaration and of the protocol document, with real ids of atelier
A (filled by every capability's demo loader), ids of atelier B, values of
each field's type outside its range (``tests/fuzz_values.py``: numbers beyond
64 bits, nested lists and objects, lone surrogates, wrong types, oversized
strings), huge and negative numbers, long and odd texts.

For each one: the ack is ``ok`` or a documented error code (a key of
``workshop.messages.MESSAGES``), never ``internal``; after an error, and
after anything sent from atelier B, atelier A's rows are unchanged.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_values import out_of_range
from security_helpers import (
    PROTOCOL_ROLE,
    ack_ok_or_documented,
    build_world,
    client_ids_in,
    declared_events,
    dump,
    ids_in,
    payload_keys,
    vocabulary,
)
from support import DB_PARAMS

EVENT_ENTRIES = declared_events()
VOCABULARY = vocabulary()
FUZZ_ROLES = ("facilitator_here", "participant_here", "participant_other", "facilitator_other")


@pytest.fixture(scope="module", params=DB_PARAMS)
def world(request, tmp_path_factory):
    w = build_world(request, tmp_path_factory)
    before = dump(w.app, w.a_id)
    w.a_ids = sorted({i for found in ids_in(before).values() for i in found})
    w.b_ids = sorted({i for found in ids_in(dump(w.app, w.b_id)).values() for i in found})
    w.client_ids = client_ids_in(before)
    yield w
    w.close()
    w.app.extensions["workshop_db"].dispose()


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
ODD_TEXTS = st.sampled_from(
    [
        "",
        " ",
        "\u200b",
        "a\x00b",
        "\x1b[31m",
        "é" * 300,
        "x" * 2001,
        "<script>alert(1)</script>",
        "\ud7ff\ue000\U0001f600",
        "Robert'); DROP TABLE atelier;--",
        "1 OR 1=1",
        "NaN",
        "../../etc/passwd",
        "open",
        "all",
    ]
)
BIG_TEXT = st.builds(lambda n, c: c * n, st.integers(60_000, 70_000), st.sampled_from("aé<"))


def _choices(contract) -> set:
    from workshop.domain.contracts import Choice, List

    out = set()
    for spec in contract.fields.values():
        spec = spec.item if isinstance(spec, List) else spec
        if isinstance(spec, Choice):
            out.update(v for v in spec.values if isinstance(v, str))
    return out


def value_strategy(world, entry):
    ints = st.sampled_from(world.a_ids + world.b_ids + [0, -1, 2**31, 2**63 - 1, 2**63, 10**30])
    enums = st.sampled_from(sorted(_choices(entry) | set(entry.fields) | {"open", "closed", "all"}))
    client_ids = st.sampled_from(world.client_ids or ["c" * 16])
    return st.one_of(
        ints,
        ints,
        enums,
        client_ids,
        ODD_TEXTS,
        st.text(max_size=300),
        JSON_VALUES,
        st.lists(ints, max_size=5),
    )


def field_strategy(values, spec):
    """Plausible values, and those the field's type must refuse."""
    bad = out_of_range(spec)
    return st.one_of(values, st.sampled_from(bad)) if bad else values


def payload_strategy(world, entry):
    keys = payload_keys(entry) or ["id"]
    values = value_strategy(world, entry)
    fields = {k: field_strategy(values, entry.fields[k]) for k in entry.fields}
    structured = st.builds(
        lambda doc, extra: {**extra, **doc},
        st.fixed_dictionaries({}, optional=fields or {"id": values}),
        st.dictionaries(st.sampled_from(VOCABULARY), values, max_size=2),
    )
    return st.one_of(
        structured,
        structured,
        structured,
        JSON_VALUES,
        st.builds(lambda k, v: {k: v}, st.sampled_from(keys), BIG_TEXT),
    )


def roles_for(entry):
    return [r for r in FUZZ_ROLES if PROTOCOL_ROLE[r] in entry.roles]


@pytest.mark.parametrize("event_name", sorted(EVENT_ENTRIES))
def test_fuzz_event(world, event_name):
    entry = EVENT_ENTRIES[event_name]
    roles = roles_for(entry)
    payloads = payload_strategy(world, entry)
    for role in roles:
        world.socket(role)

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(role=st.sampled_from(roles), payload=payloads, extra=st.booleans())
    def check(role, payload, extra):
        world.restore()
        world.socket(role)
        before = dump(world.app, world.a_id)
        args = (
            (payload, "extra")
            if extra and isinstance(payload, dict) and len(payload) < 2
            else (payload,)
        )
        ack = world.emit(role, event_name, *args)
        wrong = ack_ok_or_documented(ack)
        assert wrong is None, (role, json.dumps(payload)[:300], wrong)
        if not ack.get("ok") or role.endswith("_other"):
            after = dump(world.app, world.a_id)
            changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
            assert not changed, (role, json.dumps(payload)[:300], ack, changed)

    check()
    world.restore()
