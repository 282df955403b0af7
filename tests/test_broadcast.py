"""The broadcaster on its own: order, coalescing, leading edge, failures."""

import threading
import time

from workshop.broadcast import BATCH_EVENT, Broadcaster, coalesce


class Recorder:
    def __init__(self, fail_on=None):
        self.sent = []
        self.cond = threading.Condition()
        self.fail_on = fail_on

    def __call__(self, event, data, to):
        if event == self.fail_on:
            raise RuntimeError("emit failed")
        with self.cond:
            self.sent.append((event, data, to))
            self.cond.notify_all()

    def wait(self, n, timeout=5):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.sent) < n:
                left = deadline - time.monotonic()
                assert left > 0, f"only {self.sent}"
                self.cond.wait(left)
        return list(self.sent)


def test_window_zero_sends_each_at_once_in_order_under_its_own_name():
    rec = Recorder()
    b = Broadcaster(rec, window=0)
    b.submit([("a", 1, ["r"]), ("b", 2, ["r"]), ("c", 3, ["s", "t"])])
    assert rec.sent == [("a", 1, ("r",)), ("b", 2, ("r",)), ("c", 3, ("s", "t"))]


def test_coalesce_keeps_order_within_rooms():
    items = [("n", i, ("x",)) for i in range(5)] + [("m", "y", ("y",)), ("n", 5, ("x",))]
    groups = coalesce(items)
    assert groups == [(("x",), [("n", i) for i in range(6)]), (("y",), [("m", "y")])]
    assert coalesce([]) == []


def test_first_message_after_quiet_leaves_at_once_then_the_window_batches():
    rec = Recorder()
    b = Broadcaster(rec, window=0.5)
    try:
        b.submit([("board:note", {"id": 1}, ("proj",))])
        # The first one does not wait for the window (nor for a second message).
        assert rec.wait(1) == [("board:note", {"id": 1}, ("proj",))]
        b.submit([("board:note", {"id": 2}, ("proj",)), ("mine", {"id": 2}, ("p:1",))])
        b.submit([("board:note", {"id": 3}, ("proj",))])
        b.submit([("board:note", {"id": 4}, ("proj",))])
        sent = rec.wait(3)
        assert sent[1] == (
            BATCH_EVENT,
            [["board:note", {"id": 2}], ["board:note", {"id": 3}], ["board:note", {"id": 4}]],
            ("proj",),
        )
        # alone for its rooms: sent under its own name
        assert sent[2] == ("mine", {"id": 2}, ("p:1",))
        assert b.flushes == 2 and b.messages == 3
    finally:
        b.close()


def test_a_failing_emit_does_not_stop_the_others_nor_the_thread():
    rec = Recorder(fail_on="bad")
    b = Broadcaster(rec, window=0.05)
    try:
        b.submit([("bad", 1, ("a",)), ("good", 2, ("b",))])
        assert rec.wait(1) == [("good", 2, ("b",))]
        b.submit([("later", 3, ("a",))])
        assert rec.wait(2)[1] == ("later", 3, ("a",))
    finally:
        b.close()


def test_close_sends_what_is_queued():
    rec = Recorder()
    b = Broadcaster(rec, window=0.3)
    b.submit([("one", 1, ("a",))])
    rec.wait(1)
    b.submit([("two", 2, ("a",))])  # waits for the window
    b.close()
    assert [e for e, _, _ in rec.sent] == ["one", "two"]


def test_many_threads_submitting_lose_nothing_and_keep_each_threads_order():
    rec = Recorder()
    b = Broadcaster(rec, window=0.01)

    def writer(k):
        for i in range(50):
            b.submit([("n", (k, i), ("room",))])

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        b.close()
    got = []
    for event, data, _ in rec.sent:
        got.extend([tuple(d) for _, d in data] if event == BATCH_EVENT else [data])
    assert sorted(got) == sorted((k, i) for k in range(8) for i in range(50))
    for k in range(8):
        assert [i for kk, i in got if kk == k] == list(range(50))
    assert b.messages < 400  # coalesced


def test_the_window_widens_with_the_audience():
    rec = Recorder()
    sizes = {("big",): 1000, ("small",): 2}
    b = Broadcaster(
        rec, window=0.01, recipients=sizes.__getitem__, per_recipient=0.001, max_window=0.4
    )
    try:
        # a flush to 2 sockets: the next one may leave 10 ms later
        b.submit([("s", 1, ("small",))])
        rec.wait(1)
        time.sleep(0.05)
        b.submit([("s", 2, ("small",))])
        rec.wait(2)
        assert rec.sent[1] == ("s", 2, ("small",))
        # a flush to 1,000 sockets: the next waits 400 ms (capped), gathering
        # what arrives meanwhile
        time.sleep(0.05)
        b.submit([("b", 1, ("big",))])
        rec.wait(3)
        b.submit([("b", 2, ("big",))])
        time.sleep(0.15)
        b.submit([("b", 3, ("big",))])
        sent = rec.wait(4)
        assert sent[3] == (BATCH_EVENT, [["b", 2], ["b", 3]], ("big",))
    finally:
        b.close()
