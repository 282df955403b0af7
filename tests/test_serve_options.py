"""`workshop serve` sends small frames at once (TCP_NODELAY on every
connection), in both server modes."""

import socket
import threading
import urllib.request

from werkzeug.serving import make_server

from workshop import cli


def test_no_delay_is_set_on_a_tcp_socket_and_ignored_elsewhere():
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        conn, _ = server.accept()
        try:
            assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            cli._no_delay(conn)
            assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        finally:
            conn.close()
            client.close()
    left, right = socket.socketpair()  # a Unix socket: nothing to set, no error
    cli._no_delay(left)
    left.close()
    right.close()


def test_the_threading_server_sets_no_delay_on_each_connection():
    options = cli._handler_options()  # the test process runs in threading mode
    assert set(options) == {"request_handler"}

    def app(environ, start_response):
        sock = environ["werkzeug.socket"]
        value = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(int(value != 0)).encode()]

    server = make_server("127.0.0.1", 0, app, threaded=True, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/") as res:
            assert res.read() == b"1"
    finally:
        server.shutdown()
        thread.join(5)


def test_the_gevent_handler_sets_no_delay(monkeypatch):
    from gevent import pywsgi

    monkeypatch.setattr("workshop.extensions.ASYNC_MODE", "gevent")
    handler = cli._handler_options()["handler_class"]
    assert issubclass(handler, pywsgi.WSGIHandler)
    seen = []
    monkeypatch.setattr(pywsgi.WSGIHandler, "handle", lambda self: seen.append(self.socket))
    monkeypatch.setattr(cli, "_no_delay", lambda sock: seen.append(("no delay", sock)))
    h = handler.__new__(handler)
    h.socket = "the connection"
    h.handle()
    assert seen == [("no delay", "the connection"), "the connection"]


def test_the_server_process_tunes_the_cycle_collector():
    """Fewer full collections (they stop every connection), start-up objects
    left out of them; checked in a fresh interpreter, not this test process."""
    import subprocess
    import sys

    probe = (
        "import gc; from workshop import cli; cli._tune_gc(); "
        "print(gc.get_threshold() == cli.GC_THRESHOLDS, gc.get_freeze_count() > 10_000)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]


def test_serve_and_demo_tune_the_collector_before_serving(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_tune_gc", lambda: calls.append("gc"))
    monkeypatch.setattr("workshop.extensions.socketio.run", lambda *a, **k: calls.append("run"))
    cli._run(object(), "127.0.0.1", 0)
    assert calls == ["gc", "run"]
