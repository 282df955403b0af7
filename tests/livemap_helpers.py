"""Helpers for the live-map tests: submissions with fresh client ids."""

import uuid


def cid() -> str:
    return str(uuid.uuid4())


def ok(ack):
    assert ack["ok"], ack
    return ack["data"]


def add_actor(client, name, kind="association", territory="Mulhouse", client_id=None):
    return client.call(
        "livemap:actor:add",
        {"client_id": client_id or cid(), "name": name, "kind": kind, "territory": territory},
    )


def add_contribution(client, actor_id, stage, text, client_id=None):
    return client.call(
        "livemap:contribution:add",
        {"client_id": client_id or cid(), "actor_id": actor_id, "stage": stage, "text": text},
    )


def add_link(client, source_id, target_id, kind="partenaire", client_id=None):
    return client.call(
        "livemap:link:add",
        {
            "client_id": client_id or cid(),
            "source_id": source_id,
            "target_id": target_id,
            "kind": kind,
        },
    )


def state_of(fac):
    """The facilitator's latest livemap state (event or snapshot)."""
    got = fac.received("livemap:state")  # the newest, by sequence number
    return max(got, key=lambda d: d["settings"]["seq"]) if got else fac.snapshot["livemap"]


def fresh_state(fac):
    """The facilitator's livemap state as stored now (``sync``): broadcasts
    follow the acknowledgement, a test must not read them right after it."""
    ack = fac.call("sync")
    assert ack["ok"], ack
    return ack["data"]["livemap"]


def actor_by_name(state, name):
    return next(a for a in state["actors"] if a["name"] == name)
