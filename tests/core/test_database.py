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
