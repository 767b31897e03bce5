"""SQLite tuned for a multi-process server: WAL, foreign keys, BEGIN IMMEDIATE, writers queued.

A write transaction that starts as a read and later wants the write lock can fail at
once with "database is locked" when another process wrote in between (the busy
timeout does not help then). So transactions that may write take the lock up front
with BEGIN IMMEDIATE; only safe-method requests (GET, HEAD, OPTIONS) begin deferred,
so readers never wait for each other.

A writer that finds the write lock taken waits in SQLite's busy handler, which polls in
growing sleeps of up to 100 ms: it mostly wakes long after the lock was freed, and may
lose to newcomers again and again (votes from 5 processes: p50 14 ms, p99 1.4 s). So
before BEGIN IMMEDIATE a connection takes an exclusive flock on a file beside the
database and keeps it until its transaction ends: writers wait in the kernel, which
wakes the next one as soon as the lock is let go. Writers outside this queue (deferred
transactions that write, the sqlite3 shell) are still waited for by the busy timeout.
"""
import fcntl
import sqlite3
import threading
import weakref

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
BUSY_TIMEOUT_MS = 10_000
WRITERS_LOCK_SUFFIX = "-writers.lock"

_holder_of_thread = weakref.WeakValueDictionary()  # thread id → the connection through which it holds the lock


class QueuedConnection(sqlite3.Connection):
    """A connection that holds the writers' lock file from BEGIN IMMEDIATE until its transaction ends."""

    lock_file = None  # None: a database without a file (in memory), nothing to queue on
    holding = False

    def wait_for_turn(self) -> bool:
        """Take the writers' lock (waiting for it); False if this connection does not queue."""
        thread = threading.get_ident()
        if self.lock_file is None or self.holding or _holder_of_thread.get(thread) is not None:
            # A thread that already holds the lock through another connection would wait for
            # itself for ever: that one is left to the busy timeout, and fails as it did before.
            return False
        fcntl.flock(self.lock_file, fcntl.LOCK_EX)
        self.holding, self.holder = True, thread
        _holder_of_thread[thread] = self
        return True

    def end_turn(self) -> None:
        if self.holding:
            self.holding = False
            if _holder_of_thread.get(self.holder) is self:
                del _holder_of_thread[self.holder]
            fcntl.flock(self.lock_file, fcntl.LOCK_UN)

    # The lock is let go after the driver's COMMIT or ROLLBACK (SQLAlchemy's events come before
    # them), so the next writer never finds SQLite's own lock still taken.
    def commit(self):
        try:
            super().commit()
        finally:
            if self.holding and not self.in_transaction:  # a COMMIT that failed leaves the transaction to its rollback
                self.end_turn()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self):
        try:
            super().close()
        finally:
            self.end_turn()
            if self.lock_file is not None:
                self.lock_file.close()


@event.listens_for(Engine, "do_connect")
def _queued_sqlite_connection(dialect, connection_record, cargs, cparams):
    if dialect.name == "sqlite":
        cparams.setdefault("factory", QueuedConnection)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event below issue BEGIN instead of the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    path = cursor.execute("PRAGMA database_list").fetchone()[2]  # "" in memory
    cursor.close()
    if isinstance(dbapi_connection, QueuedConnection) and path:
        # Its own open file per connection: flock then also queues the threads of one process.
        dbapi_connection.lock_file = open(path + WRITERS_LOCK_SUFFIX, "a")


def _may_write() -> bool:
    return not (has_request_context() and request.method in READ_ONLY_METHODS)


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn):
    if conn.dialect.name != "sqlite":
        return
    if not _may_write():
        conn.exec_driver_sql("BEGIN")
        return
    dbapi_connection = conn.connection.dbapi_connection
    queued = isinstance(dbapi_connection, QueuedConnection) and dbapi_connection.wait_for_turn()
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        if queued:
            dbapi_connection.end_turn()
        raise
