"""The Flask-SocketIO server object, shared by every capability."""

from flask_socketio import SocketIO

# async_mode is pinned: threading with simple-websocket (never auto-detected).
ASYNC_MODE = "threading"
# Largest event payload a handler accepts (bytes of JSON): larger ones get the
# error ack "payload_too_large". Texts are small; map imports go through HTTP.
MAX_SOCKET_MESSAGE = 64 * 1024
# Largest Engine.IO packet read at all: beyond it the connection is closed
# (the client reconnects and resyncs).
MAX_HTTP_BUFFER = 1024 * 1024

socketio = SocketIO(async_mode=ASYNC_MODE)
