"""The application's search index: its backend, the drain of the outbox, rebuilds and drift.

Draining is idempotent (each row re-reads its item's present state), and a row is
deleted only after the index has taken that state, so a crash anywhere loses nothing:
at worst an item is indexed twice. One drainer at a time holds the backend's lock;
another process that finds it taken leaves its rows to the holder, which looks again
after letting go of the lock.
"""
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from forum.search.models import SearchOutbox
from forum.search.sources import (
    KIND_ORDER,
    build_document,
    key_of,
    keys_naming,
    sources,
    split_key,
)

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class Drift:
    """How the index differs from the database."""

    in_database: dict = field(default_factory=dict)  # kind → documents the database says should be indexed
    in_index: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)  # keys the index lacks
    extra: list = field(default_factory=list)  # keys the index has but should not
    stale: list = field(default_factory=list)  # keys whose status or audience differ
    pending: int = 0  # outbox rows not drained yet

    @property
    def in_step(self) -> bool:
        return not (self.missing or self.extra or self.stale)


class SearchIndex:
    def __init__(self, app, engine_getter):
        config = app.config
        self._engine = engine_getter
        self.backend_name = config["SEARCH_BACKEND"]
        self.drain_after_commit = config["SEARCH_DRAIN_AFTER_COMMIT"]
        self._built = False
        self.warmed = threading.Event()  # set once warm_up() is done
        if self.backend_name == "postgres":
            from forum.search.pg_backend import PostgresBackend

            self.backend = PostgresBackend(engine_getter)
        else:
            from forum.search.whoosh_backend import WhooshBackend

            self.backend = WhooshBackend(Path(config["SEARCH_INDEX_PATH"]))

    @property
    def engine(self):
        return self._engine()

    def ensure_built(self) -> None:
        """Build the index now if there is none (a new instance folder, a deleted index)."""
        if not self._built:
            if not self.backend.exists():
                self.drain(blocking=True)
            self._built = True

    # --- the outbox -----------------------------------------------------------------

    def pending(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(SearchOutbox.__table__))

    def drain(self, blocking: bool = False) -> int:
        """Index what the outbox lists; returns the rows drained (0 if another drainer is busy)."""
        done = 0
        while True:
            with self.backend.drain_lock(blocking) as locked:
                if not locked:
                    return done
                if not self.backend.exists():
                    self._rebuild_locked()
                done += self._drain_locked()
            # A writer that committed while we held the lock left its rows to us.
            if not self.pending():
                return done

    def _drain_locked(self) -> int:
        done = 0
        with Session(self.engine) as session:
            while True:
                rows = session.execute(select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.item_id)
                                       .order_by(SearchOutbox.id).limit(BATCH)).all()
                if not rows:
                    session.rollback()
                    return done
                keys = list(dict.fromkeys(key_of(kind, item_id) for _, kind, item_id in rows))
                documents, deleted = self._documents(session, keys)
                session.rollback()  # end the read before the slow part (on SQLite it may hold the write lock)
                self.backend.write(documents, deleted)
                session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([row.id for row in rows])))
                session.commit()
                session.expunge_all()
                done += len(rows)

    def _documents(self, session, keys: list[str]):
        """The documents to write and the keys to delete, for `keys` and what follows from them."""
        queue = []
        for key in keys:
            kind, item_id = split_key(key)
            queue.extend(keys_naming(session, kind, item_id) if kind in ("user", "unit") else [key])
        before = self.backend.stored([key for key in queue if not key.startswith("comment:")])
        documents, deleted, seen = {}, [], set()
        while queue:
            key = queue.pop(0)
            if key in seen:
                continue
            seen.add(key)
            document = build_document(session, key)
            if document is None:
                deleted.append(key)
            else:
                documents[key] = document
            if not key.startswith("comment:") and _visibility_changed(before.get(key), document):
                queue.extend(_comment_keys(session, key))  # comments follow their subject
        return list(documents.values()), deleted

    # --- rebuilds and drift -----------------------------------------------------------

    def rebuild(self, processes: int = 1) -> int:
        """Rebuild the index from the database (`forum reindex`), then drain the outbox."""
        with self.backend.drain_lock(blocking=True):
            count = self._rebuild_locked(processes)
        self.drain(blocking=True)
        self._built = True
        return count

    def _rebuild_locked(self, processes: int = 1) -> int:
        with Session(self.engine) as session:
            return self.backend.rebuild(all_documents(session), processes=processes)

    def drift(self) -> Drift:
        drift = Drift(pending=self.pending())
        expected = {}
        with Session(self.engine) as session:
            for document in all_documents(session):
                expected[document.key] = (document.status, document.audience)
        indexed = self.backend.stored_summary()
        for key, state in expected.items():
            kind = key.partition(":")[0]
            drift.in_database[kind] = drift.in_database.get(kind, 0) + 1
            if key not in indexed:
                drift.missing.append(key)
            elif indexed[key] != state:
                drift.stale.append(key)
        for key in indexed:
            kind = key.partition(":")[0]
            drift.in_index[kind] = drift.in_index.get(kind, 0) + 1
            if key not in expected:
                drift.extra.append(key)
        return drift

    def catch_up(self, in_background: bool) -> None:
        """At start-up: drain what an earlier process left in the outbox (or build a missing index)."""
        def run():
            try:
                # A missing index is built here only in the background (a server's start);
                # otherwise the first search or drain builds it.
                if self.pending() or (in_background and not self.backend.exists()):
                    self.drain()
            except Exception:  # no tables yet (before `db upgrade`), or the database is away
                log.debug("search: no catch-up at start-up", exc_info=True)

        if in_background:
            threading.Thread(target=run, name="search-catch-up", daemon=True).start()
        else:
            run()

    def warm_up(self) -> None:
        """Load jieba's dictionary and read the index's tables (whoosh: per segment) with one search,
        so that a server's first search does not pay for them; an index not built yet is left alone."""
        from forum.search.analysis import parse_query
        from forum.search.services import SearchFilters

        try:
            parsed = parse_query("小区电梯维修")
            if self.backend.exists():
                self.backend.search(parsed, SearchFilters(), [])
        except Exception:  # the database is away, no tables yet: the first search does it all
            log.debug("search: no warm-up", exc_info=True)
        finally:
            self.warmed.set()


def _visibility_changed(stored: dict | None, document) -> bool:
    if (stored is None) != (document is None):
        return True
    return stored is not None and stored["audience"] != document.audience


def _comment_keys(session, subject_key: str) -> list[str]:
    from forum.discussion.models import Comment, Thread

    kind, item_id = split_key(subject_key)
    ids = session.scalars(select(Comment.id).join(Thread, Comment.thread_id == Thread.id)
                          .where(Thread.subject_type == kind, Thread.subject_id == item_id))
    return [key_of("comment", comment_id) for comment_id in ids]


LOADS = {
    "resource": lambda model: (joinedload(model.unit), joinedload(model.owner)),
    "project": lambda model: (joinedload(model.lead_unit),),
    "activity": lambda model: (joinedload(model.unit),),
    "proposal": lambda model: (joinedload(model.author),),
    "comment": lambda model: (joinedload(model.author), selectinload(model.thread)),
}


def _load_subjects(session, comments) -> list:
    """Load the comments' subjects in one query per kind, so each comment finds its own in the
    session (the list returned keeps them there: the session holds objects only weakly)."""
    loaded, wanted = [], {}
    for comment in comments:
        wanted.setdefault(comment.thread.subject_type, set()).add(comment.thread.subject_id)
    registry = sources()
    for kind, ids in wanted.items():
        if kind in registry:
            model = registry[kind].model
            loaded.extend(session.scalars(select(model).where(model.id.in_(ids))))
    return loaded


def all_documents(session, chunk: int = 2000):
    """Every document the database holds, kind by kind, read in chunks (a million comments fit).

    Each chunk's read is its own short transaction: outside a request SQLite takes the
    write lock at BEGIN, and a rebuild must not keep writers waiting."""
    registry = sources()
    for kind in KIND_ORDER:
        source = registry[kind]
        model = source.model
        statement = select(model).options(*LOADS.get(kind, lambda m: ())(model)).order_by(model.id)
        last = 0
        while True:
            items = session.scalars(statement.where(model.id > last).limit(chunk)).unique().all()
            if not items:
                session.rollback()
                break
            subjects = _load_subjects(session, items) if kind == "comment" else []
            documents = [document for document in map(source.document, items) if document is not None]
            last = items[-1].id
            del items, subjects
            session.rollback()
            session.expunge_all()
            yield from documents
