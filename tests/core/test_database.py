"""SQLite is set up for several server processes writing at once."""
import multiprocessing
import sqlite3

import pytest
import sqlalchemy as sa

from forum.extensions import db


@pytest.fixture
def sqlite_app(make_sqlite_app):
    app = make_sqlite_app()
    with app.app_context():
        yield app


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(sqlite_app):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_foreign_keys_are_enforced(sqlite_app):
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO compound (community_id, name, created_at) VALUES (999, 'x', '2026-01-01')")


def _writer(path, worker, rounds, results):
    """Read-then-write transactions, as a request that checks before it changes."""
    from forum import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SECRET_KEY_CONFIGURED": True,
                      "INSTANCE_PATH": str(path.parent / f"inst{worker}"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    errors = 0
    with app.app_context():
        from forum.places.models import Street

        for i in range(rounds):
            try:
                count = db.session.scalar(sa.select(sa.func.count(Street.id)))
                db.session.add(Street(name=f"街道{worker}-{i}-{count}"))
                db.session.commit()
            except sa.exc.OperationalError:
                db.session.rollback()
                errors += 1
    results.put(errors)


def test_concurrent_read_then_write_transactions_never_hit_database_is_locked(sqlite_app):
    path = sa.engine.make_url(db.engine.url).database
    from pathlib import Path

    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(Path(path), n, 40, results)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [results.get(timeout=5) for _ in workers] == [0, 0, 0, 0]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM street").fetchone()[0] == 160


def _threads_writing(path, worker, threads, rounds, results):
    """`threads` threads of one process, each with its own connection, adding streets."""
    import threading

    from forum import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SECRET_KEY_CONFIGURED": True,
                      "INSTANCE_PATH": str(path.parent / f"inst{worker}"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    from forum.places.models import Street

    errors = []

    def write(thread):
        with app.app_context():
            for i in range(rounds):
                try:
                    db.session.add(Street(name=f"街道{worker}-{thread}-{i}"))
                    db.session.commit()
                except sa.exc.OperationalError as error:
                    db.session.rollback()
                    errors.append(str(error))

    running = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(120)
    results.put(errors)


def test_processes_and_their_threads_writing_at_once_all_commit(sqlite_app):
    from pathlib import Path

    path = sa.engine.make_url(db.engine.url).database
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    workers = [ctx.Process(target=_threads_writing, args=(Path(path), n, 3, 20, results)) for n in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [results.get(timeout=5) for _ in workers] == [[], [], []]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM street").fetchone()[0] == 3 * 3 * 20


def _write_from_another_thread(app, name):
    """Add a street from a thread and connection of their own; True once it is committed."""
    import threading

    done, url = [], db.engine.url

    def write():
        engine = sa.create_engine(url)  # not the pool's connection the test may have left behind
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO street (name, created_at) VALUES (?, '2026-01-01')", (name,))
        engine.dispose()
        done.append(True)

    thread = threading.Thread(target=write, daemon=True)  # daemon: a test that fails leaves no hang behind
    thread.start()
    thread.join(60)
    return done == [True]


def test_a_failed_write_transaction_lets_the_next_writer_in(sqlite_app):
    from forum.places.models import Compound

    db.session.add(Compound(community_id=999, name="不存在的社区里的小区"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert _write_from_another_thread(sqlite_app, "失败之后的街道")


def test_a_write_transaction_cut_off_with_its_connection_lets_the_next_writer_in(sqlite_app):
    conn = db.engine.connect()
    conn.exec_driver_sql("INSERT INTO street (name, created_at) VALUES ('写了一半的街道', '2026-01-01')")  # begins a write transaction
    conn.invalidate()  # the connection is dropped mid-transaction (as on a lost or broken connection)
    assert _write_from_another_thread(sqlite_app, "断开之后的街道")
    with sqlite3.connect(sa.engine.make_url(db.engine.url).database) as raw:
        assert [name for (name,) in raw.execute("SELECT name FROM street ORDER BY id")] == ["断开之后的街道"]


def test_a_second_connection_in_a_thread_already_writing_fails_instead_of_waiting_for_itself(sqlite_app):
    import threading

    errors = []

    def write_twice():
        with sqlite_app.app_context(), db.engine.connect() as first, db.engine.connect() as second:
            first.exec_driver_sql("INSERT INTO street (name, created_at) VALUES ('第一条', '2026-01-01')")
            second.connection.dbapi_connection.execute("PRAGMA busy_timeout=100")  # not 10 s: it is to fail
            try:
                second.exec_driver_sql("INSERT INTO street (name, created_at) VALUES ('第二条', '2026-01-01')")
            except sa.exc.OperationalError as error:
                errors.append(str(error))
            first.commit()

    thread = threading.Thread(target=write_twice, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive() and len(errors) == 1 and "locked" in errors[0]
    assert _write_from_another_thread(sqlite_app, "之后的街道")
