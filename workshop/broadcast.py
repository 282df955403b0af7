"""Coalescing of broadcasts: fewer, larger Socket.IO messages under load.

A broadcast to a room of 300 phones costs the server 300 WebSocket frames,
whatever it carries. When notes arrive faster than the frames can be written,
sending each one on its own makes the queue grow without end; sending together
what arrived meanwhile keeps it short.

:class:`Broadcaster` does that per atelier (its *lane*), with one rule:

- a broadcast with nothing in flight for its atelier goes out **at once**
  (no added delay when the room is calm);
- broadcasts that arrive while the previous ones of the same atelier are still
  being written wait, and leave **together** once they are written.

A quiet atelier never waits for a busy one: each lane has its own sender (a
thread, a greenlet under gevent), started when the lane has work and ended
when it has none.

Messages of one flush for the same rooms go out as **one** ``batch`` message,
a list of ``[event, data]`` pairs in the order they were committed, that the
clients unpack. A message alone for its rooms still goes out under its own
name. Grouping never changes the order in which one socket receives
messages, as long as ``conflicts`` says truly which sets of rooms may share
a socket (see :func:`coalesce`).

This module knows nothing of Flask or Socket.IO: it is given the function
that emits. It is tested directly.

>>> sent = []
>>> b = Broadcaster(lambda event, data, to: sent.append((event, data, to)), window=0)
>>> b.submit([("board:note", {"id": 1}, ("a:1:projector",))])
>>> sent
[('board:note', {'id': 1}, ('a:1:projector',))]
>>> coalesce([("n", 1, ("r",)), ("m", 2, ("s",)), ("n", 3, ("r",))])
[(('r',), [('n', 1)]), (('s',), [('m', 2)]), (('r',), [('n', 3)])]
>>> coalesce([("n", 1, ("r",)), ("m", 2, ("s",)), ("n", 3, ("r",))], lambda a, b: False)
[(('r',), [('n', 1), ('n', 3)]), (('s',), [('m', 2)])]
"""

from __future__ import annotations

import _thread
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable

log = logging.getLogger(__name__)

BATCH_EVENT = "batch"

Item = tuple[str, object, tuple[str, ...]]
Rooms = tuple[str, ...]


def _always(a: Rooms, b: Rooms) -> bool:
    return True


def coalesce(
    items: Iterable[Item], conflicts: Callable[[Rooms, Rooms], bool] = _always
) -> list[tuple[Rooms, list[tuple[str, object]]]]:
    """Group messages by their rooms, without changing what any socket sees
    first.

    ``conflicts(a, b)``: whether a socket may be in one of the rooms ``a``
    and in one of the rooms ``b`` (by default, always: only messages in a
    row for the same rooms are grouped). A message joins the last group for
    its rooms only if no group after that one may reach the same sockets;
    otherwise it starts a new group. Sending the groups in order then gives
    every socket its messages in the order of ``items``.

    >>> coalesce([("a", 1, ("x", "y")), ("b", 2, ("x", "y"))])
    [(('x', 'y'), [('a', 1), ('b', 2)])]
    >>> same_room = lambda a, b: bool(set(a) & set(b))  # rooms share no socket
    >>> coalesce([("t", 1, ("g",)), ("g", 1, ("all",)), ("t", 2, ("g",))], same_room)
    [(('g',), [('t', 1), ('t', 2)]), (('all',), [('g', 1)])]
    >>> overlap = lambda a, b: True  # "g" is inside "all"
    >>> coalesce([("t", 1, ("g",)), ("g", 1, ("all",)), ("t", 2, ("g",))], overlap)
    [(('g',), [('t', 1)]), (('all',), [('g', 1)]), (('g',), [('t', 2)])]
    """
    groups: list[tuple[Rooms, list[tuple[str, object]]]] = []
    last: dict[Rooms, int] = {}  # rooms -> index of their last group
    # rooms -> index of the first group after their last one not yet checked:
    # groups are only ever appended, so each is checked once per rooms, and
    # a burst of n messages costs n checks per rooms instead of n².
    checked: dict[Rooms, int] = {}
    for event, data, targets in items:
        targets = tuple(targets)
        i = last.get(targets)
        if i is not None:
            start, end = checked[targets], len(groups)
            if not any(conflicts(targets, groups[j][0]) for j in range(start, end)):
                groups[i][1].append((event, data))
                checked[targets] = end
                continue
        last[targets] = len(groups)
        groups.append((targets, [(event, data)]))
        checked[targets] = len(groups)
    return groups


class _Lane:
    __slots__ = ("pending", "running", "submits")

    def __init__(self) -> None:
        self.pending: list[Item] = []
        self.running = False
        self.submits = 0  # calls to submit() behind ``pending``


class Broadcaster:
    """Send broadcasts in commit order, per atelier, coalescing under load.

    ``emit(event, data, to)`` does the sending (``to``: a tuple of rooms).
    ``window``: seconds, the longest a broadcast waits behind the ones being
    written; 0 sends every message at once in the caller's thread, under its
    own name (no coalescing).

    When is a flush "still being written"? The sender yields once after
    emitting (under gevent, every socket's writer that was woken runs
    before it resumes: the frames are written), then, if ``per_recipient``
    is set, waits until ``per_recipient`` seconds per socket reached
    (``recipients(to)``: how many sockets of this process a message to these
    rooms reaches) have passed since the flush began, at most ``window``:
    an estimate, for when the writing is done elsewhere (threads, or other
    processes behind a message queue), or a floor, so that the work that
    produces broadcasts (acks, database writes) gets its turn between two
    flushes to a large room.

    ``rest_only_when_queued``: ``per_recipient`` is such a floor, taken only
    after a flush that carried several broadcasts queued behind the one
    before (there is a queue: the room is busy). A calm room's broadcasts
    then all leave at once, each after the one before has been written.

    ``conflicts(a, b)``: whether rooms ``a`` and ``b`` may share a socket
    (see :func:`coalesce`).
    """

    def __init__(
        self,
        emit: Callable[[str, object, Rooms], None],
        window: float,
        *,
        recipients: Callable[[Rooms], int] | None = None,
        per_recipient: float = 0.0,
        rest_only_when_queued: bool = False,
        conflicts: Callable[[Rooms, Rooms], bool] = _always,
    ):
        self._emit = emit
        self.window = max(0.0, float(window))
        self._recipients = recipients
        self.per_recipient = max(0.0, float(per_recipient))
        self.rest_only_when_queued = bool(rest_only_when_queued)
        self._conflicts = conflicts
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # notified when a lane ends
        self._lanes: dict[Hashable, _Lane] = {}
        self.flushes = 0  # counters, for the benchmarks and the tests
        self.messages = 0

    def submit(self, items: Iterable[Item], key: Hashable = None) -> None:
        """Queue messages (already committed) for sending; ``key``: the
        atelier they belong to (its lane). Call it in commit order."""
        items = [(e, d, tuple(t)) for e, d, t in items]
        if not items:
            return
        if self.window == 0:
            for event, data, targets in items:
                self._emit(event, data, targets)
            return
        with self._lock:
            lane = self._lanes.get(key)
            if lane is None:
                lane = self._lanes[key] = _Lane()
            lane.pending.extend(items)
            lane.submits += 1
            if lane.running:
                return  # its sender takes them after what is in flight
            lane.running = True
        # A low-level thread (a greenlet once gevent has patched threading):
        # unlike ``threading.Thread.start``, starting it does not wait for it
        # to run, so the caller (who may hold the SQLite write lock) does not
        # yield here.
        _thread.start_new_thread(self._run, (key, lane))

    def close(self, timeout: float = 2.0) -> None:
        """Wait until what is queued has been sent."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._lanes:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._idle.wait(left)

    def _run(self, key: Hashable, lane: _Lane) -> None:
        while True:
            with self._lock:
                items, lane.pending = lane.pending, []
                submits, lane.submits = lane.submits, 0
                if not items:
                    lane.running = False
                    if self._lanes.get(key) is lane:
                        del self._lanes[key]
                    self._idle.notify_all()
                    return
            started = time.monotonic()
            try:
                reached = self._send(items)
                self._settle(started, reached, queued=submits > 1)
            except Exception:  # the lane must go on, whatever happens
                log.exception("broadcasting failed")

    def _settle(self, started: float, reached: int, queued: bool) -> None:
        """Wait while the flush that began at ``started`` is being written
        (``queued``: it carried several broadcasts that had waited)."""
        time.sleep(0)  # let the sockets' writers run
        if self.per_recipient and (queued or not self.rest_only_when_queued):
            left = min(self.window, self.per_recipient * reached) - (time.monotonic() - started)
            if left > 0:
                time.sleep(left)

    def _send(self, items: list[Item]) -> int:
        self.flushes += 1
        reached = 0
        for targets, messages in coalesce(items, self._conflicts):
            self.messages += 1
            if self._recipients is not None and self.per_recipient:
                try:
                    reached += self._recipients(targets)
                except Exception:
                    log.exception("counting the sockets of %s failed", targets)
            try:
                if len(messages) == 1:
                    event, data = messages[0]
                    self._emit(event, data, targets)
                else:
                    self._emit(BATCH_EVENT, [[e, d] for e, d in messages], targets)
            except Exception:  # one bad emit must not stop the others
                log.exception("broadcast to %s failed", targets)
        return reached
