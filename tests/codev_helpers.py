"""Helpers for the co-développement tests (service level and live server)."""

import uuid


def setup_group(live_server, atelier, *, contributors=6, name="Bleu", room="Salle Chardon"):
    """A facilitator, a group, a porteur, contributors and an animateur (a participant)."""
    fac = live_server.facilitator(atelier)
    ack = fac.call("codev:group:create", {"name": name, "room": room, "colour": "bleu"})
    assert ack["ok"], ack
    gid = ack["data"]["id"]
    porteur = live_server.participant(atelier, "Nadia")
    animateur = live_server.participant(atelier, "Emilie")
    contribs = [live_server.participant(atelier, f"Contrib {i}") for i in range(contributors)]
    for phone in [porteur, animateur, *contribs]:
        ack = phone.call("codev:join", {"group_id": gid})
        assert ack["ok"], ack
    assert porteur.call("codev:role", {"role": "porteur"})["ok"]
    assert animateur.call("codev:role", {"role": "animateur"})["ok"]
    return fac, gid, porteur, animateur, contribs


def write(phone, kind, text, client_id=None):
    return phone.call(
        "codev:write", {"kind": kind, "text": text, "client_id": client_id or str(uuid.uuid4())}
    )


def timer(phone, action, **extra):
    return phone.call("codev:timer", {"action": action, **extra})


def remaining_ms(timer_state, server_now_ms):
    if timer_state["deadline_ms"] is not None:
        return timer_state["deadline_ms"] - server_now_ms
    return timer_state["remaining_ms"]
