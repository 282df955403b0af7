"""The server's writes to its WebSocket connections, with less work per frame.

Every broadcast is one WebSocket frame per socket it reaches: at 1,000
phones, 20,000 frames a second, and what each frame costs besides its system
call adds up. Two costs had nothing to do with the message (measured with
py-spy at 1,000 phones, docs/PERFORMANCE.md):

- simple-websocket builds each frame through wsproto (an event object, the
  connection's state machine, the frame serialiser): 2.8 µs a frame, against
  0.6 µs for the same bytes built directly; and it writes the frame with
  ``socket.send``, which may write only part of a large frame when the
  socket's buffer is short of room (a board's snapshot to a phone on slow
  wifi);
- Engine.IO's writer waits for each next packet with a timeout: under
  gevent a timer object made, started and cancelled per frame, about
  2 µs (``bench/frame_cost_bench.py``).

:func:`send` builds the frame of a whole message from the server directly:
one header and the payload, with the connection's extensions applied as
wsproto applies them (permessage-deflate: :mod:`workshop.wsdeflate`), and
writes it whole. What it does not handle (a client's masked
frames, a connection that is not open, a message sent in several frames) it
leaves to simple-websocket's own ``send``. The frames are byte for byte
wsproto's (tested).

:func:`poll` is Engine.IO's ``Socket.poll`` waiting without a timeout: the
timeout (ping interval plus ping timeout, 45 s) only ever fires for a socket
that nothing closed, and every way a socket ends puts the end mark in its
queue (``Socket.close``, and the reader when the connection drops), which
ends the wait; a client that stops answering is closed by Engine.IO's ping
check. A long-polling request waits in the same call: it gets the ping that
the server sends every ping interval (25 s), or the end mark.

This module knows nothing of Flask or Socket.IO.
"""

import struct

from wsproto.connection import ConnectionState
from wsproto.frame_protocol import Opcode, RsvBits

_NO_RSV = RsvBits(False, False, False)
_original_send = None


def frame(proto, data: str | bytes) -> bytes:
    """``data`` as one whole message from the server on the frame protocol
    ``proto`` (wsproto's ``FrameProtocol``, not a client's), extensions
    applied.

    >>> from wsproto.frame_protocol import FrameProtocol
    >>> frame(FrameProtocol(client=False, extensions=[]), "42")
    b'\\x81\\x0242'
    >>> len(frame(FrameProtocol(client=False, extensions=[]), b"x" * 200))
    204
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        opcode, payload = Opcode.BINARY, bytes(data)
    else:
        opcode, payload = Opcode.TEXT, str(data).encode("utf-8")
    rsv = _NO_RSV
    for extension in reversed(proto.extensions):
        rsv, payload = extension.frame_outbound(proto, opcode, rsv, payload, True)
    first = 0x80 | rsv[0] << 6 | rsv[1] << 5 | rsv[2] << 4 | opcode
    n = len(payload)
    if n <= 125:
        header = bytes((first, n))
    elif n <= 0xFFFF:
        header = struct.pack("!BBH", first, 126, n)
    else:
        header = struct.pack("!BBQ", first, 127, n)
    return header + payload


def _fast_protocol(ws):
    """The frame protocol of ``ws`` (a simple-websocket connection) if its
    next message can be framed by :func:`frame`, else None (:func:`install`
    checked that these attributes exist)."""
    connection = ws.ws.connection  # None until the handshake is done
    if connection is None or connection.state is not ConnectionState.OPEN:
        return None
    proto = connection._proto
    if proto.client or proto._outbound_opcode is not None:
        return None
    return proto


def send(self, data) -> None:
    """simple-websocket's ``Base.send``: one whole message, framed by
    :func:`frame` and written whole."""
    proto = _fast_protocol(self) if self.connected else None
    if proto is None:
        return _original_send(self, data)  # its checks and errors
    out = frame(proto, data)
    # One system call when the buffer takes it all (gevent's sendall asks
    # the buffer's size first); the rest, if any, written whole.
    sent = self.sock.send(out)
    if sent < len(out):
        self.sock.sendall(memoryview(out)[sent:])


def poll(self) -> list:
    """Engine.IO's ``Socket.poll``: the packets to write, waiting for the
    first one without a timeout (see the module's docstring); an empty list
    once the socket is closed."""
    queue_empty = self.server.get_queue_empty_exception()
    packets = [self.queue.get()]
    self.queue.task_done()
    if packets == [None]:
        return []
    while True:
        try:
            pkt = self.queue.get(block=False)
        except queue_empty:
            break
        self.queue.task_done()
        if pkt is None:
            self.queue.put(None)
            break
        packets.append(pkt)
    return packets


def install() -> bool:
    """Make simple-websocket write the server's frames with :func:`send`,
    and Engine.IO's writers wait with :func:`poll`.

    Returns False if a library no longer has what this relies on (a new
    version of simple-websocket, wsproto or python-engineio): their own
    code then stays, correct but slower.
    """
    global _original_send
    try:
        from engineio import socket as eio_socket
        from simple_websocket import ws
        from wsproto import WSConnection
        from wsproto.connection import Connection
        from wsproto.frame_protocol import FrameProtocol
    except ImportError:  # pragma: no cover - dependencies of the app
        return False
    if not (
        hasattr(ws, "Base")
        and "connection" in WSConnection.__init__.__code__.co_names
        and "_outbound_opcode" in FrameProtocol.__init__.__code__.co_names
        and "_proto" in Connection.__init__.__code__.co_names
        and _is_engineio_poll(getattr(eio_socket.Socket, "poll", None))
    ):
        return False
    if ws.Base.send is not send:
        _original_send = ws.Base.send
        ws.Base.send = send
    eio_socket.Socket.poll = poll
    return True


def _is_engineio_poll(function) -> bool:
    """Whether ``function`` is the ``Socket.poll`` that :func:`poll` was
    written from (it reads the same queue the same way)."""
    if function is poll:
        return True
    code = getattr(function, "__code__", None)
    return code is not None and {"queue", "get", "task_done", "ping_interval"} <= set(code.co_names)
