"""Database engine and sessions (SQLAlchemy 2, no Flask).

SQLite is the embedded default: WAL journal, a busy timeout, foreign keys
and ``secure_delete`` on (deleted content is overwritten with zeros, see
:meth:`Database.erase_traces`). PostgreSQL is selected by a
``postgresql://`` URL.

Use :meth:`Database.session` as a unit of work: it commits on success and rolls
back on error, so that nothing is acknowledged before it is stored::

    with database.session() as s:
        s.add(obj)
"""

import logging
import threading
import time
from contextlib import contextmanager, nullcontext

from sqlalchemy import bindparam, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from .domain.errors import DomainError

log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    pass


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Deleted rows are overwritten with zeros in their pages and in the free
    # pages, instead of staying readable in the file until reused (GDPR:
    # real deletion).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        pool_args = {} if in_memory else {"pool_size": 20, "max_overflow": 40}
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, **pool_args
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True)
    return engine


def dialect_insert(conn):
    """The ``insert`` construct of the connection's dialect (SQLite or
    PostgreSQL, the two supported databases), which has ``ON CONFLICT``."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


_INSERT_ONCE: dict = {}


def insert_once(session: Session, table, unique_columns: tuple[str, ...], values: dict):
    """Insert a row unless one with the same ``unique_columns`` exists: the
    new row (every column, read like the mapped object), or None.

    One statement (``INSERT … ON CONFLICT DO NOTHING RETURNING``), built once
    per table and dialect, without the ORM's unit of work or a savepoint: for
    the writes every phone makes, stored exactly once by their client id
    (measured in docs/PERFORMANCE.md).
    """
    conn = session.connection()
    key = (table.name, unique_columns, conn.dialect.name)
    stmt = _INSERT_ONCE.get(key)
    if stmt is None:
        stmt = (
            dialect_insert(conn)(table)
            .on_conflict_do_nothing(index_elements=[table.c[c] for c in unique_columns])
            .returning(*table.columns)
        )
        _INSERT_ONCE[key] = stmt
    return conn.execute(stmt, values).first()


_FIND_ONCE: dict = {}


def find_once(session: Session, table, atelier_id: int, client_id: str, author: dict):
    """The row stored in ``table`` with this ``client_id`` in this atelier, or None.

    ``author``: the author's columns and values (``{"participant_id": 7}``).
    A row stored by someone else is refused with ``invalid_client_id``: a
    client id names what one device sent, and another device (or another
    participant) that sends the same one gets nothing of it.
    """
    stmt = _FIND_ONCE.get(table.name)
    if stmt is None:
        stmt = select(*table.columns).where(
            table.c.atelier_id == bindparam("atelier_id"),
            table.c.client_id == bindparam("client_id"),
        )
        _FIND_ONCE[table.name] = stmt
    row = session.execute(stmt, {"atelier_id": atelier_id, "client_id": client_id}).first()
    if row is not None and any(getattr(row, k) != v for k, v in author.items()):
        raise DomainError("invalid_client_id", field="client_id")
    return row


def store_once(session: Session, table, values: dict, author: dict):
    """Store a row sent with a client id exactly once: ``(row, created)``.

    The one exactly-once path of every capability (board notes, codev items,
    live-map submissions…). ``values`` holds ``atelier_id`` and ``client_id``
    (unique together); ``author`` the columns that say who sent it (see
    :func:`find_once`). A resend, even one that races the first copy on
    another connection, gets the row already stored and ``created`` False.
    Callers look the client id up with :func:`find_once` first when a resend
    must be answered before their own checks (a prompt closed meanwhile).
    """
    row = insert_once(session, table, ("atelier_id", "client_id"), values)
    if row is not None:
        return row, True
    # The same client id arrived twice at once: keep the first.
    existing = find_once(session, table, values["atelier_id"], values["client_id"], author)
    if existing is None:  # pragma: no cover - the conflict was on another unique key
        raise DomainError("invalid_client_id", field="client_id")
    return existing, False


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer at a time. Rather than letting threads collide
        # and sleep in SQLite's busy handler (whose back-off makes latency
        # climb under load), writers of this process queue on a lock.
        self._write_lock = threading.Lock()

    def write_lock(self):
        """The SQLite writers' lock of this process (a no-op elsewhere).

        Take it around the part of a unit of work that writes, and commit
        before leaving it: reads done earlier in the same session (SQLite
        reads outside a transaction) need not hold it.
        """
        return self._write_lock if self.is_sqlite else nullcontext()

    @contextmanager
    def writing(self, session: Session):
        """Hold the SQLite writers' lock for the part of ``session``'s unit
        of work that writes (a no-op elsewhere); commit before leaving it.

        When another writer holds the lock, ``session`` first gives its
        connection back (its reads were outside any transaction) so that
        queued writers do not use up the pool. When nobody does, it keeps
        it: no return to the pool and no new checkout for every write.
        """
        if not self.is_sqlite:
            yield
            return
        lock = self._write_lock
        if not lock.acquire(blocking=False):
            session.commit()
            lock.acquire()
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def session(self, write: bool = True) -> Session:
        """A unit of work; ``write=False`` for read-only work (no SQLite lock)."""
        guard = self.write_lock() if write else nullcontext()
        with guard:
            s = self.Session()
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise
            finally:
                s.close()

    def erase_traces(self, timeout: float = 5.0) -> bool:
        """After a deletion has been committed, leave no copy of the deleted
        rows in the files (SQLite; nothing to do elsewhere).

        ``secure_delete`` zeroes the deleted content in the database pages,
        but the write-ahead log still holds the earlier images of those pages
        (the texts as they were written) until it is checkpointed and
        rewritten from its start. ``PRAGMA wal_checkpoint(TRUNCATE)`` copies
        the log into the database file and empties it. It needs a moment
        without readers: it is tried without SQLite's busy handler (which
        would block every greenlet of the process) and again every 20 ms, for
        ``timeout`` seconds at most. Returns whether the log was emptied.
        """
        if not self.is_sqlite:
            return True
        deadline = time.monotonic() + timeout
        with self.write_lock(), self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            raw.execute("PRAGMA busy_timeout=0")
            try:
                while True:
                    try:
                        busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    except Exception:  # "database is locked"
                        busy = 1
                    if not busy:
                        return True
                    if time.monotonic() > deadline:
                        log.warning("the write-ahead log could not be emptied after a deletion")
                        return False
                    time.sleep(0.02)
            finally:
                raw.execute("PRAGMA busy_timeout=10000")

    def dispose(self):
        self.engine.dispose()
