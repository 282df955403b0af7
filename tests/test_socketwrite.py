"""The server's frames built directly and written whole (workshop.socketwrite).

The frames are compared byte for byte with wsproto's, with and without the
shared compression; a frame larger than the socket's buffer reaches a slow
reader whole; what the fast path does not handle goes to simple-websocket's
own code; Engine.IO's writers wait without a timer and still end when their
socket closes.
"""

import queue
import socket
import threading

import pytest
import simple_websocket
from engineio import socket as eio_socket
from hypothesis import given, settings
from hypothesis import strategies as st
from simple_websocket.errors import ConnectionClosed
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, BytesMessage, CloseConnection, TextMessage
from wsproto.frame_protocol import FrameProtocol

from workshop import socketwrite, wsdeflate
from workshop.wsdeflate import SharedDeflate

KEY = b"dGhlIHNhbXBsZSBub25jZQ=="


def server_connection(deflate: bool) -> WSConnection:
    """A server-side wsproto connection, open, with or without the shared
    permessage-deflate negotiated."""
    ws = WSConnection(ConnectionType.SERVER)
    offer = b"Sec-WebSocket-Extensions: permessage-deflate\r\n" if deflate else b""
    ws.receive_data(
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: " + KEY + b"\r\nSec-WebSocket-Version: 13\r\n" + offer + b"\r\n"
    )
    request = next(ws.events())
    ws.send(AcceptConnection(extensions=[SharedDeflate()] if deflate else []))
    assert (len(request.extensions) == 1) == deflate
    return ws


def test_the_doctests_run():
    import doctest

    result = doctest.testmod(socketwrite)
    assert result.attempted >= 2 and result.failed == 0


def test_it_is_installed_on_the_libraries_in_use():
    """A new version of simple-websocket, wsproto or python-engineio that
    the fast path no longer recognises fails here instead of silently
    slowing the server down."""
    assert socketwrite.install() is True
    assert simple_websocket.ws.Base.send is socketwrite.send
    assert eio_socket.Socket.poll is socketwrite.poll
    assert socketwrite.install() is True  # a second time changes nothing
    assert socketwrite._original_send is not socketwrite.send


@settings(max_examples=150, deadline=None)
@given(
    data=st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300),
        st.integers(0, 70_000).map(lambda n: "é" * (n // 2)),
        st.sampled_from([125, 126, 127, 65535, 65536, 70_000]).map(lambda n: b"x" * n),
    ),
    deflate=st.booleans(),
)
def test_frames_are_wsprotos_byte_for_byte(data, deflate):
    wsdeflate.clear_cache()
    ws = server_connection(deflate)
    proto = socketwrite._fast_protocol(type("Conn", (), {"ws": ws})())
    assert proto is not None
    mine = socketwrite.frame(proto, data)
    wsdeflate.clear_cache()
    event = BytesMessage(data=data) if isinstance(data, bytes) else TextMessage(data=data)
    assert mine == bytes(ws.send(event))


def test_a_lone_surrogate_is_refused_as_wsproto_refuses_it():
    ws = server_connection(False)
    with pytest.raises(UnicodeEncodeError):
        socketwrite.frame(ws.connection._proto, "\ud800")


class FakeSocket:
    """simple-websocket's ``Base`` without its handshake and reader thread:
    ``ws``, ``sock`` and ``connected`` are what ``send`` uses."""

    def __new__(cls, ws, sock, connected=True):
        self = object.__new__(simple_websocket.ws.Base)
        self.ws, self.sock, self.connected = ws, sock, connected
        self.close_reason, self.close_message = 1000, None
        return self


def read_frames(data: bytes) -> list:
    reader = FrameProtocol(client=True, extensions=[])
    reader.receive_bytes(data)
    return list(reader.received_frames())


def test_a_frame_larger_than_the_buffer_reaches_a_slow_reader_whole():
    """Under gevent (the server's default) a socket's ``send`` writes what
    the buffer takes and returns: simple-websocket's own ``send`` then
    loses the rest of a large frame (checked here too)."""
    import gevent
    from gevent import socket as gsocket

    socketwrite.install()
    text = "une idée pour le territoire " * 40_000  # about 1.2 MB

    def sent_through(send) -> bytes:
        a, b = gsocket.socketpair()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        got = bytearray()

        def slow_reader():
            while chunk := b.recv(65536):
                got.extend(chunk)
                gevent.sleep(0.001)

        reader = gevent.spawn(slow_reader)
        try:
            send(FakeSocket(server_connection(False), a), text)
        finally:
            a.close()
            reader.join(10)
            b.close()
        return bytes(got)

    frames = read_frames(sent_through(socketwrite.send))
    assert len(frames) == 1 and frames[0].message_finished
    assert frames[0].payload == text
    cut = sent_through(socketwrite._original_send)
    assert len(cut) < len(text.encode())  # what the fast path fixes


def test_what_it_does_not_handle_goes_to_simple_websocket():
    socketwrite.install()
    a, b = socket.socketpair()
    try:
        with pytest.raises(ConnectionClosed):  # closed: simple-websocket's error
            FakeSocket(server_connection(False), a, connected=False).send("42[]")
        ws = server_connection(False)
        ws.send(CloseConnection(code=1000))  # no longer open
        with pytest.raises(Exception, match="cannot be sent"):
            FakeSocket(ws, a).send("42[]")
        ws = server_connection(False)  # a message under way in several frames
        ws.send(TextMessage(data="début", message_finished=False))
        assert socketwrite._fast_protocol(FakeSocket(ws, a)) is None
        client = WSConnection(ConnectionType.CLIENT)  # masked frames: wsproto's
        assert socketwrite._fast_protocol(FakeSocket(client, a)) is None
        FakeSocket(server_connection(False), a).send("40")
        assert read_frames(b.recv(100))[0].payload == "40"
    finally:
        a.close()
        b.close()


class FakeEngineSocket:
    def __init__(self):
        self.queue = queue.Queue()
        self.server = type("Server", (), {"get_queue_empty_exception": lambda self: queue.Empty})()


def test_poll_returns_what_is_queued_and_ends_on_close():
    s = FakeEngineSocket()
    for pkt in ("a", "b", "c"):
        s.queue.put(pkt)
    assert socketwrite.poll(s) == ["a", "b", "c"]
    s.queue.put("d")
    s.queue.put(None)  # closed after "d": "d" first, then the end
    assert socketwrite.poll(s) == ["d"]
    assert socketwrite.poll(s) == []
    # A writer waiting on an empty queue is woken by the close, however long
    # nothing came (no timeout needed to end it).
    s = FakeEngineSocket()
    out = []
    writer = threading.Thread(target=lambda: out.append(socketwrite.poll(s)))
    writer.start()
    writer.join(0.3)
    assert writer.is_alive()
    s.queue.put(None)
    writer.join(5)
    assert out == [[]]
    assert s.queue.unfinished_tasks == 0  # join() in Socket.close returns
