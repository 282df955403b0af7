"""WebSocket compression (permessage-deflate) done once per message.

Checked three ways: the extension alone against wsproto's own client
implementation in memory; the real server (gevent and threading) with a
raw WebSocket client that offers compression as browsers do; Chromium
itself, which negotiates it on every page.
"""

import json
import socket
import zlib

import pytest
from playwright.sync_api import expect
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    Request,
    TextMessage,
)
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode, RsvBits

from board_helpers import new_prompt, post
from support import PROJECTOR, LiveServer
from workshop import wsdeflate
from workshop.wsdeflate import SharedDeflate


@pytest.fixture(autouse=True)
def _empty_cache():
    wsdeflate.clear_cache()
    yield
    wsdeflate.clear_cache()


def inflate(payload: bytes, bits: int = 15) -> bytes:
    return zlib.decompressobj(-bits).decompress(payload + b"\x00\x00\xff\xff")


class _Proto:
    client = False


# ---------------------------------------------------------------- the extension


def test_compress_is_a_whole_deflate_message():
    import doctest

    result = doctest.testmod(wsdeflate)
    assert result.attempted >= 3 and result.failed == 0
    text = "Les besoins pour mieux se coordonner à l'échelle du territoire — « é » ".encode() * 8
    payload = wsdeflate.compress(text)
    assert len(payload) < len(text) / 3
    assert not payload.endswith(b"\x00\x00\xff\xff")
    assert inflate(payload) == text
    assert inflate(wsdeflate.compress(text, 10), 10) == text


def test_a_message_is_compressed_once_for_every_socket():
    data = json.dumps({"text": "une idée " * 40}).encode()
    first, second = SharedDeflate(), SharedDeflate()  # two connections
    rsv1, out1 = first.frame_outbound(_Proto, Opcode.TEXT, RsvBits(False, False, False), data, True)
    rsv2, out2 = second.frame_outbound(
        _Proto, Opcode.TEXT, RsvBits(False, False, False), bytes(data), True
    )
    assert rsv1.rsv1 and rsv2.rsv1
    assert out2 is out1  # the second socket got the first one's bytes
    assert inflate(out1) == data
    # a client that asked for a smaller window gets its own compression
    third = SharedDeflate()
    third.server_max_window_bits = 9
    _, out3 = third.frame_outbound(_Proto, Opcode.TEXT, RsvBits(False, False, False), data, True)
    assert out3 is not out1
    assert inflate(out3, 9) == data


def test_small_messages_and_control_frames_go_as_they_are():
    ext = SharedDeflate()
    small = b'43[{"ok":true}]'
    rsv, out = ext.frame_outbound(_Proto, Opcode.TEXT, RsvBits(False, False, False), small, True)
    assert (rsv.rsv1, out) == (False, small)
    rsv, out = ext.frame_outbound(
        _Proto, Opcode.PING, RsvBits(False, False, False), b"x" * 200, True
    )
    assert (rsv.rsv1, out) == (False, b"x" * 200)


def test_cache_stays_within_its_bytes():
    ext = SharedDeflate()
    for i in range(3000):
        data = (f"{i:06d}" + "x" * 2000).encode()
        ext.frame_outbound(_Proto, Opcode.TEXT, RsvBits(False, False, False), data, True)
    cached = sum(len(k[1]) + len(v) for k, v in wsdeflate._cache.items())
    assert cached == wsdeflate._cache_bytes <= wsdeflate.CACHE_MAX_BYTES
    assert 100 < len(wsdeflate._cache) < 3000  # the oldest went first
    assert (15, ("002999" + "x" * 2000).encode()) in wsdeflate._cache
    # a message larger than the cache's limit is compressed but not kept
    big = b"y" * (wsdeflate.CACHE_MAX_MESSAGE + 1)
    _, out = ext.frame_outbound(_Proto, Opcode.TEXT, RsvBits(False, False, False), big, True)
    assert inflate(out) == big
    assert (15, big) not in wsdeflate._cache


def _handshake(server_ext):
    """A wsproto client offering permessage-deflate as browsers do, and a
    wsproto server accepting with ``server_ext``, connected in memory."""
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(
        client.send(Request(host="localhost", target="/ws", extensions=[PerMessageDeflate()]))
    )
    (request,) = server.events()
    assert isinstance(request, Request)
    client.receive_data(server.send(AcceptConnection(extensions=[server_ext])))
    (accepted,) = client.events()
    assert isinstance(accepted, AcceptConnection)
    return client, server, accepted


def _deliver(sender, receiver, event):
    receiver.receive_data(sender.send(event))
    return list(receiver.events())


def test_negotiated_with_a_standard_client_in_both_directions():
    client, server, accepted = _handshake(SharedDeflate())
    (offer,) = accepted.extensions
    assert offer.server_no_context_takeover
    # not asked of the phone: Safari does not honour it (see the module)
    assert not offer.client_no_context_takeover
    texts = ["petit", "é" * 3000, json.dumps({"n": list(range(400))}), "é" * 3000]
    for text in texts:  # the same message twice: from the cache the 2nd time
        (got,) = _deliver(server, client, Message(data=text))
        assert isinstance(got, TextMessage) and got.data == text
    # the phone compresses its own messages, keeping its context between them
    for text in ("x" * 500, "x" * 500 + "y", "y" * 500):
        (got,) = _deliver(client, server, Message(data=text))
        assert got.data == text
    # a message sent in several frames still works (wsproto's own path)
    frames = server.send(Message(data="a" * 300, message_finished=False))
    frames += server.send(Message(data="b" * 300, message_finished=True))
    client.receive_data(frames)
    assert "".join(e.data for e in client.events()) == "a" * 300 + "b" * 300
    assert _deliver(server, client, Ping(b"p"))[0].payload == b"p"
    assert isinstance(_deliver(server, client, CloseConnection(1000))[0], CloseConnection)


def test_the_app_installs_it_in_the_server_library(tmp_path, monkeypatch):
    from simple_websocket import ws

    from workshop import create_app

    monkeypatch.setattr(ws, "PerMessageDeflate", PerMessageDeflate)  # as imported
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'i.sqlite3'}",
            "SECRET_KEY": "test-secret",
            "TESTING": True,
        }
    )
    assert ws.PerMessageDeflate is SharedDeflate
    app.extensions["workshop_db"].dispose()


# ---------------------------------------------------------------- the real server


class RawSocket:
    """A WebSocket client written with wsproto over a plain socket, offering
    permessage-deflate like a browser, speaking Engine.IO/Socket.IO by hand."""

    def __init__(self, port, path="/socket.io/?EIO=4&transport=websocket"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.compressed = 0
        self.frames = 0
        self.pending: list[str] = []
        self._raw, self._http = b"", True
        self.sock.sendall(
            self.ws.send(Request(host="127.0.0.1", target=path, extensions=[PerMessageDeflate()]))
        )
        event = self._next_event()
        assert isinstance(event, AcceptConnection), event
        self.extensions = event.extensions

    def _read(self):
        data = self.sock.recv(65536)
        assert data, "connection closed"
        # Count the frames the server marked compressed (RSV1) before wsproto
        # decodes them: a frame header's first byte is FIN|RSV1|RSV2|RSV3|op.
        self._count(data)
        self.ws.receive_data(data)

    def _count(self, data):
        self._raw += data
        if self._http:  # the handshake's response first, then frames
            end = self._raw.find(b"\r\n\r\n")
            if end < 0:
                return
            self._raw, self._http = self._raw[end + 4 :], False
        while len(self._raw) >= 2:
            b0, b1 = self._raw[0], self._raw[1]
            length, head = b1 & 0x7F, 2
            if length == 126:
                if len(self._raw) < 4:
                    return
                length, head = int.from_bytes(self._raw[2:4], "big"), 4
            elif length == 127:
                if len(self._raw) < 10:
                    return
                length, head = int.from_bytes(self._raw[2:10], "big"), 10
            if len(self._raw) < head + length:
                return
            if b0 & 0x0F in (1, 2):
                self.frames += 1
                self.compressed += bool(b0 & 0x40)
            self._raw = self._raw[head + length :]

    def _next_event(self):
        while True:
            for event in self.ws.events():
                return event
            self._read()

    def recv(self) -> str:
        while not self.pending:
            event = self._next_event()
            if isinstance(event, TextMessage):
                self.pending.append(event.data)
            elif isinstance(event, Ping):
                self.sock.sendall(self.ws.send(event.response()))
        text = self.pending.pop(0)
        if text == "2":  # Engine.IO ping
            self.send("3")
            return self.recv()
        return text

    def send(self, text):
        self.sock.sendall(self.ws.send(Message(data=text)))

    def events(self, until, limit=50):
        """Socket.IO events received, until ``until(name, data)`` is true."""
        got = []
        for _ in range(limit):
            text = self.recv()
            if not text.startswith("42"):
                continue
            name, data = json.loads(text[2:])
            batch = data if name == "batch" else [[name, data]]
            for n, d in batch:
                got.append((n, d))
                if until(n, d):
                    return got
        raise AssertionError(f"not received; got {[n for n, _ in got]}")

    def close(self):
        self.sock.close()


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_server_compresses_broadcasts_once_for_browsers(tmp_path, mode):
    server = LiveServer(
        tmp_path / mode, f"sqlite:///{tmp_path / 'c.sqlite3'}", env={"WORKSHOP_ASYNC_MODE": mode}
    )
    server.start()
    raw = []
    try:
        atelier = server.create_atelier(title="Compression")
        fac = server.facilitator(atelier)
        assert fac.call("atelier:scene", {"scene": "board"})["ok"]
        prompt = new_prompt(fac, "Quels besoins pour se coordonner ?")
        awa = server.participant(atelier, "Awa")
        for i in range(5):
            assert post(awa, prompt["id"], f"Un besoin {i} : « mieux se connaître » é")["ok"]
        for _ in range(2):
            phone = RawSocket(server.port)
            raw.append(phone)
            (ext,) = phone.extensions
            assert ext.server_no_context_takeover and not ext.client_no_context_takeover
            assert phone.recv().startswith("0{")  # Engine.IO open (small: not compressed)
            phone.send("40" + json.dumps({"role": "projector", "code": atelier["code"]}))
            snap = phone.events(lambda n, d: n == "snapshot")[-1][1]
            texts = [n["text"] for n in snap["board"]["notes"]]
            assert sorted(texts) == [f"Un besoin {i} : « mieux se connaître » é" for i in range(5)]
        long_text = " ".join(["Une coopération durable entre structures du quartier"] * 4)
        assert post(awa, prompt["id"], long_text)["ok"]
        for phone in raw:
            # (broadcasts of the notes posted before may come too: the page
            # dedupes them by id)
            phone.events(lambda n, d: n == "board:note" and d["text"] == long_text)
            assert phone.compressed >= 2  # the snapshot and the broadcast
            assert phone.frames > phone.compressed  # the small ones went as they are
    finally:
        for phone in raw:
            phone.close()
        server.close_clients()
        server.stop()


def test_chromium_gets_compressed_messages(browser, live_server_sqlite):
    server = live_server_sqlite
    atelier = server.create_atelier(title="Compression")
    fac = server.facilitator(atelier)
    assert fac.call("atelier:scene", {"scene": "board"})["ok"]
    prompt = new_prompt(fac, "Une idée ?")
    awa = server.participant(atelier, "Awa")
    assert post(awa, prompt["id"], "déjà là avant la page " * 5)["ok"]
    ctx = browser.new_context(**PROJECTOR)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    handshakes = []
    cdp.on(
        "Network.webSocketHandshakeResponseReceived",
        lambda e: handshakes.append(e["response"]["headers"]),
    )
    page.goto(f"{server.url}/a/{atelier['code']}/projection")
    page.wait_for_function("() => window.Workshop && window.Workshop.socket.connected")
    expect(page.locator(".wall-note")).to_have_count(1)
    assert post(awa, prompt["id"], "arrivée en direct " * 10)["ok"]
    expect(page.locator(".wall-note")).to_have_count(2)
    expect(page.locator(".wall-note .wall-text").last).to_contain_text("arrivée en direct")
    extensions = [
        v for h in handshakes for k, v in h.items() if k.lower() == "sec-websocket-extensions"
    ]
    assert extensions and "server_no_context_takeover" in extensions[0]
    assert "permessage-deflate" in extensions[0]
    ctx.close()
