"""The broadcaster on its own: order, coalescing, leading edge, failures."""

import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.broadcast import BATCH_EVENT, Broadcaster, coalesce
from workshop.realtime import rooms_may_share_a_socket

ROOM_SETS = [
    ("atelier:1:facilitator",),
    ("atelier:1:projector", "atelier:1:participant"),
    ("atelier:1:all",),
    ("participant:1",),
    ("participant:2",),
    ("codev:7",),
    ("codev:7", "atelier:1:facilitator", "atelier:1:projector"),
]


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
    # by default any two sets of rooms may share a socket: only runs are grouped
    assert coalesce(items) == [
        (("x",), [("n", i) for i in range(5)]),
        (("y",), [("m", "y")]),
        (("x",), [("n", 5)]),
    ]
    # rooms known to share no socket: grouped across
    groups = coalesce(items, lambda a, b: False)
    assert groups == [(("x",), [("n", i) for i in range(6)]), (("y",), [("m", "y")])]
    assert coalesce([]) == []


def _sockets_see(groups, membership):
    """What each socket receives, in order, from groups sent in order."""
    seen = {sock: [] for sock in membership}
    for targets, messages in groups:
        for sock, rooms in membership.items():
            if set(targets) & rooms:
                seen[sock].extend(messages)
    return seen


def test_coalesce_never_changes_what_a_socket_sees_first():
    # defect 7: codev:timer v1 and v2 to the group, the console and the
    # projection; between them codev:group (timer v1) to the whole atelier.
    g, f, p, everyone = "codev:7", "atelier:1:facilitator", "atelier:1:projector", "atelier:1:all"
    items = [
        ("codev:timer", 1, (g, f, p)),
        ("codev:group", "timer v1", (everyone,)),
        ("codev:timer", 2, (g, f, p)),
    ]
    groups = coalesce(items, rooms_may_share_a_socket)
    member = {g, everyone, "atelier:1:participant", "participant:3"}
    seen = _sockets_see(groups, {"phone": member, "console": {f, everyone}})
    assert seen["phone"] == [("codev:timer", 1), ("codev:group", "timer v1"), ("codev:timer", 2)]
    assert seen["console"] == seen["phone"]


def test_coalesce_groups_a_burst_of_notes_across_audiences():
    f, pr, pa = "atelier:1:facilitator", "atelier:1:projector", "atelier:1:participant"
    items = []
    for k in range(300):
        items += [
            ("board:note", ("full", k), (f,)),
            ("board:note", ("public", k), (pr, pa)),
            ("board:note:mine", ("own", k), (f"participant:{k}",)),
        ]
    groups = coalesce(items, rooms_may_share_a_socket)
    # one message to the consoles, one to projections and phones, one per author
    assert len(groups) == 302
    assert groups[0] == ((f,), [("board:note", ("full", k)) for k in range(300)])
    assert groups[1] == ((pr, pa), [("board:note", ("public", k)) for k in range(300)])
    # another atelier's rooms share no socket with these
    assert not rooms_may_share_a_socket((f,), ("atelier:2:all",))


def _coalesce_by_rescanning(items, conflicts):
    """The rule of :func:`coalesce` written plainly (every later group
    checked again for each message): the reference it must agree with."""
    groups, last = [], {}
    for event, data, targets in items:
        targets = tuple(targets)
        i = last.get(targets)
        if i is not None and not any(conflicts(targets, g[0]) for g in groups[i + 1 :]):
            groups[i][1].append((event, data))
            continue
        last[targets] = len(groups)
        groups.append((targets, [(event, data)]))
    return groups


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from(ROOM_SETS)), max_size=60),
    st.sets(st.tuples(st.integers(0, len(ROOM_SETS) - 1), st.integers(0, len(ROOM_SETS) - 1))),
)
def test_coalesce_agrees_with_the_plain_rule(messages, sharing):
    # any relation between sets of rooms, symmetric, each set sharing with itself
    def conflicts(a, b):
        i, j = ROOM_SETS.index(a), ROOM_SETS.index(b)
        return i == j or (i, j) in sharing or (j, i) in sharing

    items = [(event, k, targets) for k, (event, targets) in enumerate(messages)]
    assert coalesce(items, conflicts) == _coalesce_by_rescanning(items, conflicts)
    assert coalesce(items, rooms_may_share_a_socket) == _coalesce_by_rescanning(
        items, rooms_may_share_a_socket
    )


class SlowEmit(Recorder):
    """An emit that blocks on its first call until released: a flush "in
    flight" for as long as the test wants."""

    def __init__(self, block_on=None):
        super().__init__()
        self.release = threading.Event()
        self.block_on = block_on
        self.entered = threading.Event()

    def __call__(self, event, data, to):
        if self.block_on is not None and self.block_on(event, data, to):
            self.entered.set()
            assert self.release.wait(5)
        super().__call__(event, data, to)


def test_nothing_in_flight_goes_at_once_and_what_arrives_meanwhile_goes_together():
    rec = SlowEmit(block_on=lambda e, d, to: d == {"id": 1})
    b = Broadcaster(rec, window=0.5, conflicts=rooms_may_share_a_socket)
    proj, mine = "atelier:1:projector", "participant:1"
    try:
        b.submit([("board:note", {"id": 1}, (proj,))], key=1)
        assert rec.entered.wait(2)  # sent at once, not after a window
        # while it is being written:
        b.submit([("board:note", {"id": 2}, (proj,)), ("mine", {"id": 2}, (mine,))], key=1)
        b.submit([("board:note", {"id": 3}, (proj,))], key=1)
        b.submit([("board:note", {"id": 4}, (proj,))], key=1)
        time.sleep(0.1)
        assert rec.sent == []
        rec.release.set()
        sent = rec.wait(3)
        assert sent[0] == ("board:note", {"id": 1}, (proj,))
        assert sent[1] == (
            BATCH_EVENT,
            [["board:note", {"id": 2}], ["board:note", {"id": 3}], ["board:note", {"id": 4}]],
            (proj,),
        )
        # alone for its rooms: sent under its own name
        assert sent[2] == ("mine", {"id": 2}, (mine,))
        assert b.flushes == 2 and b.messages == 3
        # calm again: the next one leaves at once
        b.submit([("board:note", {"id": 5}, (proj,))], key=1)
        assert rec.wait(4)[3] == ("board:note", {"id": 5}, (proj,))
    finally:
        rec.release.set()
        b.close()


def test_a_quiet_atelier_does_not_wait_for_a_busy_one():
    rec = SlowEmit(block_on=lambda e, d, to: to == ("atelier:1:all",))
    b = Broadcaster(rec, window=0.5)
    try:
        b.submit([("atelier", "busy", ("atelier:1:all",))], key=1)
        assert rec.entered.wait(2)
        b.submit([("atelier", "busy again", ("atelier:1:all",))], key=1)
        started = time.monotonic()
        b.submit([("atelier", "quiet", ("atelier:2:all",))], key=2)
        assert rec.wait(1) == [("atelier", "quiet", ("atelier:2:all",))]
        assert time.monotonic() - started < 0.2
        rec.release.set()
        assert [d for _, d, _ in rec.wait(3)] == ["quiet", "busy", "busy again"]
    finally:
        rec.release.set()
        b.close()


def test_a_flush_is_in_flight_for_its_estimated_writing_time():
    # Where the writing is not seen (threads, other processes): per socket
    # reached, at most the window.
    rec = Recorder()
    sizes = {("big",): 1000, ("small",): 2}
    b = Broadcaster(rec, window=0.4, recipients=sizes.__getitem__, per_recipient=0.001)
    try:
        # a flush to 2 sockets is in flight 2 ms: the next one leaves at once
        b.submit([("s", 1, ("small",))])
        rec.wait(1)
        time.sleep(0.05)
        b.submit([("s", 2, ("small",))])
        rec.wait(2)
        assert rec.sent[1] == ("s", 2, ("small",))
        # a flush to 1,000 sockets: in flight 400 ms (the window), gathering
        # what arrives meanwhile
        time.sleep(0.05)
        b.submit([("b", 1, ("big",))])
        rec.wait(3)
        b.submit([("b", 2, ("big",))])
        time.sleep(0.15)
        b.submit([("b", 3, ("big",))])
        assert len(rec.sent) == 3
        sent = rec.wait(4)
        assert sent[3] == (BATCH_EVENT, [["b", 2], ["b", 3]], ("big",))
    finally:
        b.close()


def test_a_floor_is_taken_only_once_a_queue_has_formed():
    # gevent on one process: the writing is done when the sender resumes, and
    # the floor (here 2 s a flush) only serves a busy room.
    rec = SlowEmit(block_on=lambda e, d, to: d in (1, 4))
    b = Broadcaster(
        rec,
        window=2.0,
        recipients=lambda to: 1000,
        per_recipient=0.002,
        rest_only_when_queued=True,
    )
    try:
        b.submit([("n", 1, ("r",))])
        assert rec.entered.wait(2)
        b.submit([("n", 2, ("r",))])  # one broadcast waits: no queue yet
        rec.release.set()
        rec.wait(2)
        started = time.monotonic()
        b.submit([("n", 3, ("r",))])  # calm: leaves at once, no floor
        assert rec.wait(3)[2] == ("n", 3, ("r",))
        assert time.monotonic() - started < 1.0
        rec.release.clear()
        rec.entered.clear()
        b.submit([("n", 4, ("r",))])
        assert rec.entered.wait(2)
        b.submit([("n", 5, ("r",))])  # two broadcasts wait: a queue
        b.submit([("n", 6, ("r",))])
        rec.release.set()
        assert rec.wait(5)[4] == (BATCH_EVENT, [["n", 5], ["n", 6]], ("r",))
        b.submit([("n", 7, ("r",))])  # held by the floor after the queue
        time.sleep(0.3)
        assert len(rec.sent) == 5
        assert rec.wait(6)[5] == ("n", 7, ("r",))
    finally:
        rec.release.set()
        b.close(timeout=5)


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
    b = Broadcaster(rec, window=0.3, recipients=lambda to: 1, per_recipient=0.3)
    b.submit([("one", 1, ("a",))])
    rec.wait(1)
    b.submit([("two", 2, ("a",))])  # waits while "one" is in flight
    b.close()
    assert [e for e, _, _ in rec.sent] == ["one", "two"]


def test_many_threads_submitting_lose_nothing_and_keep_each_threads_order():
    rec = Recorder()
    # each flush in flight 10 ms: the threads' messages pile up meanwhile
    b = Broadcaster(rec, window=0.01, recipients=lambda to: 1, per_recipient=0.01)

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
