"""A bare python-socketio broadcast server (threading mode), the yardstick of
the post-it board benchmark.

It serves the same shape of traffic as the board with nothing else: every
``board:note:create`` is acknowledged with an id and broadcast to everyone as
``board:note``. Same web server as the real one (Werkzeug, threaded,
simple-websocket)::

    python bench/bare_server.py --port 5055
    python bench/bare_server.py --port 5055 --async-mode gevent

``--async-mode gevent`` serves the same thing on the product's own stack:
gevent's ``pywsgi`` with simple-websocket, one greenlet per connection,
``TCP_NODELAY`` on each connection as ``workshop serve`` does.
"""

import sys

if "gevent" in sys.argv:  # must patch before anything else is imported
    from gevent import monkey

    monkey.patch_all()

import argparse
import itertools
import threading

import socketio
from werkzeug.serving import run_simple


def make_app(async_mode="threading"):
    sio = socketio.Server(async_mode=async_mode, ping_interval=25, ping_timeout=20)
    counter = itertools.count(1)
    lock = threading.Lock()

    @sio.on("connect")
    def connect(sid, environ, auth=None):
        sio.enter_room(sid, "all")

    @sio.on("board:note:create")
    def create(sid, payload):
        with lock:
            note_id = next(counter)
        data = {"id": note_id, "text": payload.get("text"), "client_id": payload.get("client_id")}
        sio.emit("board:note", data, to="all")
        return {"ok": True, "data": data}

    def health(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"ok": true}']

    return socketio.WSGIApp(sio, health)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--async-mode", choices=["threading", "gevent"], default="threading")
    args = parser.parse_args()
    app = make_app(args.async_mode)
    if args.async_mode == "gevent":
        import socket

        from gevent import pywsgi

        class Handler(pywsgi.WSGIHandler):
            # The product's stack (workshop serve): TCP_NODELAY on each
            # connection, and the TCP connection closed with its WebSocket.
            def handle(self):
                self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return super().handle()

            def handle_one_response(self):
                super().handle_one_response()
                if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                    self.close_connection = True

        server = pywsgi.WSGIServer((args.host, args.port), app, log=None, handler_class=Handler)
        server.serve_forever()
    else:
        run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
