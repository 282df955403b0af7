"""Views published after commit, at most once per interval per object.

A word cloud or a poll's results is one view computed from every answer: a
room of 1,000 phones answering within two seconds would otherwise compute
and send it 1,000 times. :class:`ViewPublisher` sends the view of an object
(``key``) at once when it is quiet, then at most once per ``interval``: what
changes meanwhile goes out together in the next view, read from the
database after the last commit. Each view carries the object's revision
(raised in the transaction of every change), so a client that receives two
views out of order (several processes) keeps the newest.

No Flask here: ``build(session, key)`` returns the ``(event, data, rooms)``
to send and ``send(items)`` hands them to the broadcaster.
"""

from __future__ import annotations

import _thread
import logging
import threading
import time

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

log = logging.getLogger("workshop.liveview")


class ViewPublisher:
    """``changed(session, key)`` during a unit of work: once it commits, the
    view of ``key`` is sent (now if the last one is older than ``interval``
    seconds, else at the end of the interval). ``interval == 0``: sent in
    the committing thread (in-process tests)."""

    def __init__(self, open_session, build, send, interval: float = 0.1, spawn=None):
        self._open_session = open_session
        self._build = build
        self._send = send
        self.interval = interval
        # A low-level thread (a greenlet under gevent): starting it does not
        # wait for it to run, so the committing writer, who may still hold
        # the SQLite write lock, does not yield to every other greenlet here.
        self._spawn = spawn or _thread.start_new_thread
        self._lock = threading.Lock()
        self._pending: set = set()
        self._last: dict = {}
        self.published = 0  # counter, for the benchmarks and the tests

    def changed(self, session, key) -> None:
        session.info.setdefault("liveview_keys", set()).add((self, key))

    def mark(self, key) -> None:
        if self.interval == 0:
            self._publish(key)
            return
        with self._lock:
            if key in self._pending:
                return  # the next view will include this change
            self._pending.add(key)
            delay = max(0.0, self._last.get(key, 0.0) + self.interval - time.monotonic())
        self._spawn(self._run, (key, delay))

    def _run(self, key, delay: float) -> None:
        if delay:
            time.sleep(delay)
        with self._lock:
            self._pending.discard(key)  # a change from now on schedules the next view
            self._last[key] = time.monotonic()
        self._publish(key)

    def _publish(self, key) -> None:
        try:
            with self._open_session() as s:
                items = self._build(s, key)
            if items:
                self._send(items)
                self.published += 1
        except Exception:
            log.exception("view %r not published", key)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    """Every session's commit (one listener for all: listening on each
    session that changed a view cost more than the rest of the answer)."""
    keys = session.info.pop("liveview_keys", None)
    if keys:
        for publisher, key in keys:
            publisher.mark(key)


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop("liveview_keys", None)
