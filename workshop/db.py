"""Database engine and sessions (SQLAlchemy 2, no Flask).

SQLite is the embedded default: WAL journal, a busy timeout and foreign keys
on. PostgreSQL is selected by a ``postgresql://`` URL.

Use :meth:`Database.session` as a unit of work: it commits on success and rolls
back on error, so that nothing is acknowledged before it is stored::

    with database.session() as s:
        s.add(obj)
"""

import threading
from contextlib import contextmanager, nullcontext

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
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

    def dispose(self):
        self.engine.dispose()
