"""The database's state as one value that changes with every committed write: what a kept page
must still match (forum/core/page_cache.py).

- SQLite: `PRAGMA data_version`, read on a connection of its own that never writes. It changes
  with every commit by any other connection, in any process, and belongs to the one database file.
- PostgreSQL: the `page_state` table's one row (migration 0019). Every table of the schema has
  a trigger (`page_state_written`) that bumps its version once per writing transaction, at its
  commit: so the version changes together with the data, in this database only, and a
  transaction rolled back leaves it alone. `watch_every_table` gives the trigger to tables that
  lack it; the migrations call it after every run (migrations/env.py), so a table added later
  is watched without its migration doing anything.

The value is read on connections of its own, outside the engine's pool and out of any
transaction: one per thread at a time, kept between requests, closed with the engine.
"""
import logging
import os
import sqlite3
import threading

from sqlalchemy import event

log = logging.getLogger(__name__)

TRIGGER = "page_state_written"
NOT_WATCHED = ("page_state", "alembic_version")


def is_a_model_table(name, type_, parent_names) -> bool:
    """Alembic's include_name: page_state and its triggers are the database's own (migration 0019),
    not a model, so autogenerate and the schema comparison leave them out."""
    return type_ != "table" or name not in NOT_WATCHED


def unwatched_tables(connection) -> list[str]:
    """The tables of the current schema that a write could change without moving the version."""
    return list(connection.exec_driver_sql(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        f"AND c.relname NOT IN {NOT_WATCHED!r} "
        "AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %(trigger)s) "
        "ORDER BY c.relname", {"trigger": TRIGGER}).scalars())


def watch_every_table(connection) -> None:
    """Give every table of the schema the triggers that move `page_state` (PostgreSQL, from 0019 on)."""
    if connection.dialect.name != "postgresql" or not connection.exec_driver_sql(
            "SELECT to_regclass('page_state') IS NOT NULL").scalar():
        return
    for table in unwatched_tables(connection):
        # Deferred to the commit; WHEN lets only the transaction's first written row queue one.
        connection.exec_driver_sql(
            f'CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (page_state_first_write()) "
            "EXECUTE FUNCTION page_state_bump()")
        connection.exec_driver_sql(
            f'CREATE TRIGGER page_state_truncated AFTER TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION page_state_bump()")


class DatabaseState:
    def __init__(self):
        self._idle, self._lock, self._pid = [], threading.Lock(), os.getpid()
        self._watched = None

    def read(self, engine):
        """The state now, or None when it cannot be known (a database in memory, an error)."""
        if engine.dialect.name not in ("sqlite", "postgresql"):
            return None
        if self._watched is not engine:
            self._watched = engine
            event.listen(engine, "engine_disposed", lambda *args: self.close())
        connection = self._take(engine)
        if connection is None:
            return None
        try:
            cursor = connection.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute("PRAGMA data_version")
            else:
                cursor.execute("SELECT version FROM page_state")
            value = cursor.fetchone()[0]
            cursor.close()
        except Exception:  # the connection broke (a database restart): render, and connect again next time
            log.warning("page cache: the database state could not be read", exc_info=True)
            _close(connection)
            return None
        with self._lock:
            self._idle.append(connection)
        return value

    def _take(self, engine):
        with self._lock:
            if self._pid != os.getpid():  # a forked server process: the parent's connections are not its own
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        if engine.dialect.name == "sqlite":
            path = engine.url.database
            if not path or path == ":memory:" or path.startswith("file:"):
                return None  # a database of this connection alone: no state to share
            return sqlite3.connect(path, check_same_thread=False)
        pooled = engine.raw_connection()
        pooled.detach()  # the cache's own, out of the pool
        connection = pooled.dbapi_connection
        connection.rollback()
        connection.autocommit = True  # never a transaction left open
        return connection

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            _close(connection)


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:
        pass
