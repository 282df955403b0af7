"""The event-contract engine (``workshop.domain.contracts``), tested directly."""

import pytest

from workshop.domain import contracts as c
from workshop.domain.errors import DomainError

EVENT = c.Contract(
    "test:thing",
    roles=("facilitator", "participant"),
    fields={
        "client_id": c.ClientId(required=True),
        "item_id": c.Id(required=True),
        "text": c.Str(50, required=True),
        "minutes": c.Int(1, 5, default=1),
        "kind": c.Choice(("a", "b")),
        "flag": c.Bool(),
        "tags": c.List(c.Str(10), max_items=3),
        "note": c.Str(10, nullable=True),
        "where": c.Object({"x": c.Int(0, 9, required=True)}),
    },
)
GOOD = {"client_id": "abcdefgh-12", "item_id": 3, "text": "Bonjour"}


def refusal(payload):
    with pytest.raises(DomainError) as info:
        EVENT.parse(payload)
    return info.value.code, info.value.params


def test_valid_payload_is_typed_and_defaults_filled():
    args = EVENT.parse({**GOOD, "tags": ["x"], "note": None, "where": {"x": 2}})
    assert args.minutes == 1 and args.tags == ["x"] and args.note is None
    assert args.where.x == 2
    assert "kind" not in args and args.kind is None


@pytest.mark.parametrize(
    "extra, field, reason",
    [
        ({"couleur": "rouge"}, "couleur", "unexpected"),
        ({"item_id": 2**70}, "item_id", "range"),
        ({"item_id": -(2**70)}, "item_id", "range"),
        ({"item_id": True}, "item_id", "type"),
        ({"item_id": 1.5}, "item_id", "type"),
        ({"item_id": "3"}, "item_id", "type"),
        ({"minutes": 99}, "minutes", "range"),
        ({"kind": ["a"]}, "kind", "choice"),
        ({"kind": {"a": 1}}, "kind", "choice"),
        ({"kind": "z"}, "kind", "choice"),
        ({"flag": {}}, "flag", "type"),
        ({"flag": 1}, "flag", "type"),
        ({"tags": [[["x"]]]}, "tags", "type"),
        ({"tags": ["a"] * 4}, "tags", "length"),
        ({"tags": "abc"}, "tags", "type"),
        ({"where": {"x": 1, "y": 2}}, "where.y", "unexpected"),
        ({"where": []}, "where", "type"),
        ({"text": None}, "text", "type"),
    ],
)
def test_bad_fields_are_refused_with_their_name(extra, field, reason):
    code, params = refusal({**GOOD, **extra})
    assert code == "invalid_payload"
    assert params["field"] == field and params["reason"] == reason


@pytest.mark.parametrize("missing", ["client_id", "item_id", "text"])
def test_missing_required_field(missing):
    payload = {k: v for k, v in GOOD.items() if k != missing}
    assert refusal(payload) == ("invalid_payload", {"field": missing, "reason": "missing"})


def test_texts_and_client_ids_keep_their_codes():
    assert refusal({**GOOD, "text": "x" * 51})[0] == "text_too_long"
    assert refusal({**GOOD, "text": "a\ud800b"})[0] == "text_control_chars"
    assert refusal({**GOOD, "client_id": "abc\udfffdefgh"})[0] == "invalid_client_id"
    assert refusal({**GOOD, "client_id": "x" * 65})[0] == "invalid_client_id"
    assert refusal({**GOOD, "client_id": None})[0] == "invalid_client_id"


@pytest.mark.parametrize("payload", [[], "x", 3, [1, 2]])
def test_non_object_payload(payload):
    assert refusal(payload)[0] == "invalid_payload"


def test_every_declared_event_has_a_valid_example():
    for contract in c.CONTRACTS.values():
        contract.parse(contract.example())
        assert contract.roles


def test_markdown_table_lists_fields():
    table = c.markdown_table()
    assert table.startswith("| événement |")


def test_declare_twice_is_refused():
    c.declare("test:once", fields={})
    try:
        with pytest.raises(ValueError):
            c.declare("test:once", fields={})
    finally:
        del c.CONTRACTS["test:once"]
