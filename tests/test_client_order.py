"""Each client's events in the order it sent them, clients side by side
(workshop.realtime.install_client_order), on a stand-in for python-socketio's
server: its ``_handle_event`` records, and blocks where the test says."""

import threading
import time

from workshop.realtime import install_client_order


class FakeServer:
    def __init__(self, block=()):
        self.handled = []
        self.block = set(block)
        self.release = threading.Event()
        self.started = threading.Event()
        self.lock = threading.Lock()

    def _handle_event(self, eio_sid, namespace, id, data):
        if data in self.block:
            self.started.set()
            assert self.release.wait(5)
        if data == "boom":
            raise RuntimeError("a handler failed")
        with self.lock:
            self.handled.append((eio_sid, data))

    def start_background_task(self, fn, *args):
        t = threading.Thread(target=fn, args=args, daemon=True)
        t.start()
        return t


def wait_for(cond, timeout=5):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_a_clients_events_wait_for_the_one_running_and_keep_their_order():
    server = FakeServer(block={"slow"})
    lanes = install_client_order(server)
    server._handle_event("a", "/", 1, "slow")
    assert server.started.wait(2)
    for i in range(20):
        server._handle_event("a", "/", i + 2, f"a{i}")
    # another client is not held by it
    server._handle_event("b", "/", 1, "b0")
    wait_for(lambda: ("b", "b0") in server.handled)
    assert [d for s, d in server.handled if s == "a"] == []
    server.release.set()
    wait_for(lambda: len(server.handled) == 22)
    assert [d for s, d in server.handled if s == "a"] == ["slow"] + [f"a{i}" for i in range(20)]
    wait_for(lambda: not lanes)  # nothing kept once handled


def test_a_failing_handler_does_not_stop_its_clients_lane():
    server = FakeServer()
    lanes = install_client_order(server)
    for data in ("one", "boom", "two"):
        server._handle_event("a", "/", None, data)
    wait_for(lambda: len(server.handled) == 2)
    assert server.handled == [("a", "one"), ("a", "two")]
    wait_for(lambda: not lanes)
