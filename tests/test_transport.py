"""The transport, seen from outside: connection refusals, clean
disconnects, the order and versions of broadcasts (python-socketio clients
and raw WebSocket frames against the real server)."""

import json
import time

import pytest
import socketio
import websocket

from support import Client


def _raw_connect(server, auth) -> str:
    """Open a raw Engine.IO WebSocket, send the Socket.IO CONNECT with
    ``auth`` and return the server's answer to it (the packet as text)."""
    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(url, timeout=10)
    try:
        opening = ws.recv()
        assert opening.startswith("0{"), opening
        ws.send("40" + json.dumps(auth))
        return ws.recv()
    finally:
        ws.close()


def test_refused_connection_carries_error_and_message_in_data(live_server):
    atelier = live_server.create_atelier()
    other = live_server.create_atelier()
    joined_other = live_server.join(other["code"])
    cases = [
        ({"role": "facilitator", "code": atelier["code"], "secret": "forged"}, "bad_secret"),
        ({"role": "participant", "code": atelier["code"], "token": "forged"}, "bad_token"),
        (
            {"role": "participant", "code": atelier["code"], "token": joined_other["token"]},
            "bad_token",
        ),
        ({"role": "admin", "code": atelier["code"]}, "bad_role"),
        ({"role": "projector", "code": "ZZZZZZ"}, "atelier_not_found"),
        ("garbage", "invalid_payload"),
    ]
    for auth, code in cases:
        packet = _raw_connect(live_server, auth)
        assert packet.startswith("44"), packet  # CONNECT_ERROR
        body = json.loads(packet[2:])
        assert set(body) == {"message", "data"}, body
        assert body["data"]["error"] == code
        assert set(body["data"]) == {"error", "message"}
        # a sentence for people, not the repr of a dict
        assert body["message"] == body["data"]["message"]
        assert "{" not in body["message"] and len(body["message"]) > 10

        # the same through python-socketio: its connect_error handler gets it
        c = Client(live_server.url, auth, reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            c.connect()
        assert c.connect_errors == [body], c.connect_errors
        assert not c.snapshots


def test_removed_participant_is_refused_with_bad_token_in_data(live_server):
    atelier = live_server.create_atelier(locale="en")
    fac = live_server.facilitator(atelier)
    phone = live_server.participant(atelier, "Bob")
    assert fac.call("participant:remove", {"participant_id": phone.participant["id"]})["ok"]
    packet = _raw_connect(live_server, phone.auth)
    data = json.loads(packet[2:])["data"]
    assert data["error"] == "bad_token"
    assert "no longer valid" in data["message"]  # in the atelier's language


def _server_log(server) -> str:
    return (server.instance / f"server-{server.port}.log").read_text(errors="replace")


def test_clean_disconnect_is_prompt_and_leaves_no_error_in_the_log(live_server):
    atelier = live_server.create_atelier()
    proj = live_server.projector(atelier)
    for _ in range(3):
        phone = live_server.participant(atelier)
        proj.wait_event("presence", lambda d: d["count"] == 1)
        proj.clear()
        started = time.monotonic()
        phone.sio.disconnect()
        took = time.monotonic() - started
        assert took < 1.0, f"disconnect took {took:.2f} s"
        # the server saw it at once: the projection's count goes down
        proj.wait_event("presence", lambda d: d["count"] == 0, timeout=2)
        live_server.clients.remove(phone)
    # raw WebSocket too: the close handshake is answered, then TCP closes
    url = live_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(url, timeout=5)
    ws.recv()
    ws.send("40" + json.dumps({"role": "projector", "code": atelier["code"]}))
    # (the snapshot is sent from the connect handler, before the CONNECT ack)
    assert {ws.recv()[:2], ws.recv()[:2]} == {"40", "42"}
    started = time.monotonic()
    ws.send("41")
    ws.send("1")
    ws.close()
    assert time.monotonic() - started < 1.0
    time.sleep(0.5)
    log = _server_log(live_server)
    assert "Invalid HTTP" not in log and "Invalid http" not in log, log[-2000:]
    assert "Traceback" not in log, log[-2000:]


def _timer_versions(client, gid):
    """The timer versions of group ``gid`` in what ``client`` received, in
    order (alone or in a batch, in codev:timer or inside codev:group)."""
    out = []
    for event, data in list(client.events):
        if event == "codev:timer" and data["group_id"] == gid:
            out.append((data["version"], data["step_index"]))
        elif event == "codev:group" and data["id"] == gid:
            out.append((data["timer"]["version"], data["timer"]["step_index"]))
    return out


def test_a_clients_events_are_handled_in_the_order_it_sent_them(db_url, tmp_path):
    """Thirty timer commands sent at once by one console: each applies to the
    state the one before left (pause, resume, pause…), none is refused, and
    the versions and the acks follow the order sent, on SQLite as on
    PostgreSQL (whose round trips let concurrent handlers overtake)."""
    from codev_helpers import setup_group
    from support import LiveServer

    server = LiveServer(tmp_path / "fifo", db_url).start()
    try:
        atelier = server.create_atelier()
        fac, gid, *_ = setup_group(server, atelier, contributors=1)
        start = fac.call("codev:timer", {"group_id": gid, "action": "start"})
        assert start["ok"], start
        acks = []
        actions = ["pause", "resume"] * 15
        for i, action in enumerate(actions):
            fac.sio.emit(
                "codev:timer",
                {"group_id": gid, "action": action},
                callback=lambda ack, i=i: acks.append((i, ack)),
            )
        deadline = time.monotonic() + 20
        while len(acks) < len(actions) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(acks) == len(actions), acks
        refused = [(i, actions[i], a) for i, a in acks if not a["ok"]]
        assert not refused, refused
        assert [i for i, _ in acks] == list(range(len(actions)))
        first = start["data"]["version"]
        assert [a["data"]["version"] for _, a in acks] == list(
            range(first + 1, first + 1 + len(actions))
        )
        assert acks[-1][1]["data"]["status"] == "running"
    finally:
        server.stop()
        server.close_clients()


@pytest.mark.parametrize("in_flight", ["measured", "forced"])
def test_codev_start_then_next_within_50_ms_reach_every_client_in_order(
    db_url, tmp_path, in_flight
):
    from codev_helpers import setup_group
    from support import LiveServer

    # "forced": each flush counts as being written for 3 seconds, so that
    # what follows it is coalesced whatever the machine's and the database's
    # speed (both timer commits land within it; with 1 s, a loaded CI
    # machine once committed "start" after the window).
    env = (
        {"WORKSHOP_BROADCAST_SOCKET_US": "1000000", "WORKSHOP_BROADCAST_WINDOW_MS": "3000"}
        if in_flight == "forced"
        else {}
    )
    server = LiveServer(tmp_path / "order", db_url, env=env).start()
    try:
        atelier = server.create_atelier()
        fac, gid, porteur, animateur, contribs = setup_group(server, atelier, contributors=3)
        outsider = server.participant(atelier, "Hors groupe")
        proj = server.projector(atelier)
        clients = [fac, porteur, animateur, *contribs, outsider, proj]
        # "forced": the setup's last flush is in flight for 3 s; once it has
        # ended, "atelier:update" opens a flush of its own and start and next
        # both land in the one after it (otherwise a flush could leave
        # between them, as once on a loaded CI machine).
        time.sleep(3.5 if in_flight == "forced" else 0.5)
        for c in clients:
            c.clear()
        assert fac.call("atelier:update", {"title": "Avant le départ"})["ok"]  # in flight
        acks = []
        fac.sio.emit("codev:timer", {"group_id": gid, "action": "start"}, callback=acks.append)
        fac.sio.emit("codev:timer", {"group_id": gid, "action": "next"}, callback=acks.append)
        deadline = time.monotonic() + 10
        while len(acks) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [a["ok"] for a in acks] == [True, True], acks
        assert sorted(a["data"]["version"] for a in acks) == [1, 2]
        for c in [fac, porteur, animateur, *contribs, proj]:
            c.wait_for(lambda c=c: (2, 1) in _timer_versions(c, gid), "timer v2")
        time.sleep(3.2 if in_flight == "forced" else 0.4)  # anything late would arrive now
        for c in clients:
            seen = _timer_versions(c, gid)
            assert seen == sorted(seen), (c.auth["role"], seen)  # never an older one after
        # the phones outside the group see the group start (codev:group), not its timer
        assert _timer_versions(outsider, gid) == [(1, 0)]
        if in_flight == "forced":
            # the case of the report: start and next in one batch to the members
            assert porteur.batches >= 1, list(porteur.events)
    finally:
        server.stop()
        server.close_clients()
