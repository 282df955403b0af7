"""The Flask-SocketIO server object, shared by every capability."""

import os

from flask_socketio import SocketIO
from socketio import packet

from . import wire

# async_mode is pinned, never auto-detected: gevent when the server process was
# started for it (``workshop serve`` does so by default; the package patches
# the standard library on import when WORKSHOP_ASYNC_MODE=gevent), otherwise
# threading (tests and commands in an ordinary interpreter).
ASYNC_MODE = "gevent" if os.environ.get("WORKSHOP_ASYNC_MODE") == "gevent" else "threading"
# Largest event payload a handler accepts (bytes of JSON): larger ones get the
# error ack "payload_too_large". Texts are small; map imports go through HTTP.
MAX_SOCKET_MESSAGE = 64 * 1024
# Largest Engine.IO packet read at all: beyond it the connection is closed
# (the client reconnects and resyncs).
MAX_HTTP_BUFFER = 1024 * 1024

socketio = SocketIO(async_mode=ASYNC_MODE)


class _Json:
    """The json module as python-socketio uses it (``dumps``, ``loads``)."""

    dumps = staticmethod(wire.dumps)
    loads = staticmethod(wire.json.loads)


class Packet(packet.Packet):
    """Socket.IO packets as this server sends them (its ``serializer``): no
    binary attachments (every event carries JSON, so the walk over each
    payload looking for bytes is skipped), and ``wire.Prepared`` values
    spliced in as they are."""

    uses_binary_events = False
    json = _Json
