"""The SQLite writers' lock around an event's writes (``Database.writing``)."""

import threading

from sqlalchemy import event, text

from workshop.db import Database


def _database(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    checkins = []
    event.listen(db.engine, "checkin", lambda *a: checkins.append(threading.get_ident()))
    return db, checkins


def test_a_free_lock_keeps_the_connection_of_the_reads(tmp_path):
    db, checkins = _database(tmp_path)
    with db.session(write=False) as s:
        s.execute(text("SELECT 1"))
        before = s.connection().connection.dbapi_connection
        with db.writing(s):
            s.execute(text("INSERT INTO t VALUES (1)"))
            assert s.connection().connection.dbapi_connection is before
            assert checkins == []  # no return to the pool, no new checkout
            s.commit()
    with db.session(write=False) as s:
        assert s.execute(text("SELECT COUNT(*) FROM t")).scalar() == 1
    db.dispose()


def test_a_held_lock_gives_the_connection_back_while_waiting(tmp_path):
    db, checkins = _database(tmp_path)
    holder_in, release = threading.Event(), threading.Event()

    def holder():
        with db.session(write=False) as s, db.writing(s):
            s.execute(text("INSERT INTO t VALUES (1)"))
            holder_in.set()
            assert release.wait(5)
            s.commit()

    t = threading.Thread(target=holder)
    t.start()
    assert holder_in.wait(5)
    me = threading.get_ident()
    got_it = threading.Event()

    def waiter():
        with db.session(write=False) as s:
            s.execute(text("SELECT 1"))
            with db.writing(s):
                got_it.set()
                s.execute(text("INSERT INTO t VALUES (2)"))
                s.commit()

    w = threading.Thread(target=waiter)
    w.start()
    # the waiter's read connection went back to the pool before it waited
    for _ in range(500):
        if checkins:
            break
        threading.Event().wait(0.01)
    assert checkins and me not in checkins
    assert not got_it.is_set()
    release.set()
    t.join(5)
    w.join(5)
    assert got_it.is_set()
    with db.session(write=False) as s:
        assert s.execute(text("SELECT COUNT(*) FROM t")).scalar() == 2
    db.dispose()
