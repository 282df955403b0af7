"""Coalescing of broadcasts: fewer, larger Socket.IO messages under load.

A broadcast to a room of 300 phones costs the server 300 WebSocket frames,
whatever it carries. When notes arrive faster than the frames can be written,
sending each one on its own makes the queue grow without end; sending the
notes of the last few tens of milliseconds together keeps it short.

:class:`Broadcaster` does that with one rule: the first broadcast after a quiet
``window`` leaves at once (no added delay when the room is calm); what arrives
during the next ``window`` seconds waits and leaves together. Messages for the
same rooms then go out as **one** ``batch`` message, a list of
``[event, data]`` pairs in the order they were committed, that the clients
unpack. A message alone for its rooms still goes out under its own name.

This module knows nothing of Flask or Socket.IO: it is given the function
that emits. It is tested directly.

>>> sent = []
>>> b = Broadcaster(lambda event, data, to: sent.append((event, data, to)), window=0)
>>> b.submit([("board:note", {"id": 1}, ("a:1:projector",))])
>>> sent
[('board:note', {'id': 1}, ('a:1:projector',))]
>>> coalesce([("n", 1, ("r",)), ("m", 2, ("s",)), ("n", 3, ("r",))])
[(('r',), [('n', 1), ('n', 3)]), (('s',), [('m', 2)])]
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

BATCH_EVENT = "batch"

Item = tuple[str, object, tuple[str, ...]]


def coalesce(items: Iterable[Item]) -> list[tuple[tuple[str, ...], list[tuple[str, object]]]]:
    """Group messages by their rooms, in order of first appearance.

    Within one group, messages keep their order. Two messages for different
    rooms may change order relative to each other (only within one window).

    >>> coalesce([("a", 1, ("x", "y")), ("b", 2, ("x", "y"))])
    [(('x', 'y'), [('a', 1), ('b', 2)])]
    """
    groups: dict[tuple[str, ...], list[tuple[str, object]]] = {}
    for event, data, targets in items:
        groups.setdefault(tuple(targets), []).append((event, data))
    return list(groups.items())


class Broadcaster:
    """Send broadcasts in commit order, coalescing those of one ``window``.

    ``emit(event, data, to)`` does the sending (``to``: a tuple of rooms).
    ``window``: seconds; 0 sends every message at once in the caller's
    thread, under its own name (no coalescing).

    The window widens with the size of the audience: with ``recipients(to)``
    (how many sockets a message to these rooms reaches) and
    ``per_recipient`` seconds, the wait after a flush is
    ``per_recipient × recipients of that flush``, between ``window`` and
    ``max_window``. Each socket written to costs the server about the same,
    whatever the message carries: this keeps the frames per second within
    what the process can write.
    """

    def __init__(
        self,
        emit: Callable[[str, object, tuple[str, ...]], None],
        window: float,
        *,
        recipients: Callable[[tuple[str, ...]], int] | None = None,
        per_recipient: float = 0.0,
        max_window: float | None = None,
    ):
        self._emit = emit
        self.window = max(0.0, float(window))
        self._recipients = recipients
        self.per_recipient = per_recipient
        self.max_window = self.window if max_window is None else max(self.window, max_window)
        self._next_wait = self.window
        self._cond = threading.Condition()
        self._pending: list[Item] = []
        self._last_flush = float("-inf")
        self._thread: threading.Thread | None = None
        self._closed = False
        self.flushes = 0  # counters, for the benchmarks and the tests
        self.messages = 0

    def submit(self, items: Iterable[Item]) -> None:
        """Queue messages (already committed) for sending."""
        items = [(e, d, tuple(t)) for e, d, t in items]
        if not items:
            return
        if self.window == 0:
            for event, data, targets in items:
                self._emit(event, data, targets)
            return
        with self._cond:
            self._pending.extend(items)
            if self._thread is None:
                # A daemon thread (a greenlet once gevent has patched threading).
                self._thread = threading.Thread(
                    target=self._run, name="workshop-broadcast", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def close(self, timeout: float = 2.0) -> None:
        """Send what is queued and stop the sending thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending and self._closed:
                    return
                wait = self._last_flush + self._next_wait - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            with self._cond:
                items, self._pending = self._pending, []
                self._last_flush = time.monotonic()
            self._send(items)

    def _send(self, items: list[Item]) -> None:
        self.flushes += 1
        reached = 0
        for targets, messages in coalesce(items):
            self.messages += 1
            if self._recipients is not None:
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
        self._next_wait = min(self.max_window, max(self.window, self.per_recipient * reached))
