"""The embedded search backend: a whoosh index in the instance folder.

whoosh allows one writer at a time across processes: only the outbox drainer and
`forum reindex` write, under the drain lock (a file lock beside the index). Readers
keep one searcher per thread and open a new one when the index has changed.

Queries are answered by whoosh_sets, with set operations on whole posting lists.
"""
import fcntl
import heapq
import os
import shutil
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import CLEAR

from forum.search import whoosh_sets as sets
from forum.search.analysis import GramTokenizer, chinese_analyzer, init_jieba, joined
from forum.search.sources import KIND_ORDER


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True),
        community=ID(),
        status=ID(stored=True),
        audience=ID(stored=True),
        title=TEXT(analyzer=chinese_analyzer(), field_boost=2.0, phrase=False),
        body=TEXT(analyzer=chinese_analyzer(), phrase=False),
        grams=TEXT(analyzer=GramTokenizer(), phrase=False),
        tgrams=TEXT(analyzer=GramTokenizer(), phrase=False),
        date=NUMERIC(numtype=int, bits=64, sortable=True, signed=False),
    )


def _fields(doc) -> dict:
    return {
        "key": doc.key, "kind": doc.kind, "community": str(doc.community_id or ""), "status": doc.status or "",
        "audience": doc.audience, "title": doc.title, "body": doc.body,
        "grams": joined(doc.title, doc.body, doc.author_name), "tgrams": doc.title,
        "date": int(doc.date.timestamp() * 1_000_000),  # microseconds: items made in one second keep their order
    }


class WhooshBackend:
    name = "whoosh"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._index = None
        self._current_schema = False
        self._local = threading.local()

    # --- the index and its lock -------------------------------------------------------

    @contextmanager
    def drain_lock(self, blocking: bool = False):
        """The one-writer lock, across threads and processes; yields whether it was taken."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def exists(self) -> bool:
        """Whether there is an index with this version's fields (an older one is rebuilt)."""
        if not whoosh_index.exists_in(str(self.path)):
            return False
        if not self._current_schema:
            self._current_schema = set(self._open().schema.names()) == set(make_schema().names())
        return self._current_schema

    def generation(self) -> tuple | None:
        """Which version of the index is on disk (a listing of its folder): every write, and a
        rebuild, makes a new one. What a kept page must still match (forum/core/page_cache.py): the search
        page and the lists filtered by words (`?q=`) read the index."""
        try:
            latest = whoosh_index.TOC._latest_generation(FileStorage(str(self.path)), whoosh_index._DEF_INDEX_NAME)
            return latest, os.stat(self.path / whoosh_index.TOC._filename(whoosh_index._DEF_INDEX_NAME, latest)).st_mtime_ns
        except OSError:
            return None

    def _open(self):
        if self._index is None:
            init_jieba()  # the schema's analyzer (unpickled with the index) uses jieba's own instance
            # Without mmap: whoosh copies each mmap'd part of a compound segment into a BytesIO, some
            # 2.5 GB per server process at 1M documents; read from the file, the OS cache holds it once.
            self._index = FileStorage(str(self.path), supports_mmap=False).open_index()
        return self._index

    @contextmanager
    def searcher(self):
        if not self.exists():
            yield None
            return
        current = getattr(self._local, "searcher", None)
        if current is None or not current.up_to_date():
            # A new searcher, not refresh(): refresh() reuses the readers of unchanged segments
            # together with their old lists of deleted documents, so a replaced document shows twice.
            if current is not None:
                current.close()
            current = self._local.searcher = self._open().searcher()
            sets.keep_only(current)
        yield current

    # --- writing (under the drain lock) ----------------------------------------------

    def write(self, documents: list, deleted_keys: list[str]) -> None:
        if not self.exists():
            self.rebuild([])
        writer = self._open().writer(timeout=30)
        try:
            # delete_by_term, not update_document: whoosh's update deletes only the first
            # document it finds under the key, which may be one deleted already.
            for key in deleted_keys + [doc.key for doc in documents]:
                writer.delete_by_term("key", key)
            for doc in documents:
                writer.add_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents, processes: int = 1, memory_mb: int = 256) -> int:
        """Build a new index aside from `documents` and move it in whole: searches use the old
        one until then, and a crash half-way leaves the old one (or none) for the next try."""
        aside = self.path.with_name(self.path.name + ".new")
        old = self.path.with_name(self.path.name + ".old")
        for folder in (aside, old):
            shutil.rmtree(folder, ignore_errors=True)
        aside.mkdir(parents=True)
        count = self._fill(whoosh_index.create_in(str(aside), make_schema()), documents, processes, memory_mb)
        if self.path.is_dir() and (whoosh_index.exists_in(str(self.path)) or not any(self.path.iterdir())):
            os.rename(self.path, old)
        os.rename(aside, self.path)  # fails, rather than delete anything, if the folder holds other files
        shutil.rmtree(old, ignore_errors=True)
        self._index, self._current_schema = None, False
        return count

    @staticmethod
    def _fill(index, documents, processes, memory_mb) -> int:
        args = {"procs": processes, "multisegment": True} if processes > 1 else {}
        writer = index.writer(timeout=60, limitmb=memory_mb, **args)
        count = 0
        try:
            for doc in documents:
                writer.add_document(**_fields(doc))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR)  # with several processes, a segment each: searches take them all
        return count

    # --- reading -------------------------------------------------------------------

    def stored(self, keys) -> dict[str, dict]:
        """The stored fields of those `keys` that are in the index."""
        found = {}
        with self.searcher() as searcher:
            if searcher is None:
                return found
            for key in keys:
                fields = searcher.document(key=key)
                if fields is not None:
                    found[key] = fields
        return found

    def stored_summary(self) -> dict[str, tuple]:
        """{key: (status, audience)} of every document in the index."""
        with self.searcher() as searcher:
            if searcher is None:
                return {}
            return {fields["key"]: (fields.get("status", ""), fields["audience"])
                    for fields in searcher.all_stored_fields()}

    def restricted_keys(self, parsed, spec, communities) -> list[str]:
        """Keys of `members` documents that match, in `communities` (None: any)."""
        found = []
        with self.searcher() as searcher:
            if searcher is None or communities == set():
                return found
            for sub, _ in searcher.leaf_searchers():
                reader = sub.reader()
                facts = sets.facts_of(reader)
                if not facts.members:
                    continue
                docs = sets.matches(reader, parsed, spec, set()) & facts.members
                found.extend(reader.stored_fields(d)["key"] for d in docs
                             if communities is None or facts.communities[d] in communities)
        return found

    def search(self, parsed, spec, visible_restricted: list[str]):
        """(keys of the page, total, {kind: count}) over public and the given restricted documents."""
        with self.searcher() as searcher:
            if searcher is None:
                return [], 0, {}
            counts, candidates, first = Counter(), [], (spec.page - 1) * spec.per_page
            for sub, _ in searcher.leaf_searchers():
                reader = sub.reader()
                docs = sets.matches(reader, parsed, spec, self._hidden(reader, visible_restricted), with_kind=False)
                counts.update(sets.counts_by_kind(docs, sets.facts_of(reader)))
                if spec.kind:
                    code = KIND_ORDER.index(spec.kind)
                    kinds = sets.facts_of(reader).kinds
                    docs = {d for d in docs if kinds[d] == code}
                candidates.extend((rank, reader, d) for rank, d in
                                  sets.best(reader, parsed, docs, spec.sort, first + spec.per_page))
            total = counts.get(spec.kind, 0) if spec.kind else sum(counts.values())
            page = heapq.nlargest(first + spec.per_page, candidates, key=lambda c: c[0])[first:]
            return [reader.stored_fields(d)["key"] for _, reader, d in page], total, dict(counts)

    @staticmethod
    def _hidden(reader, visible_restricted: list[str]) -> set:
        """The `members` documents of this segment the searcher may not see."""
        members = sets.facts_of(reader).members
        if not members:
            return set()
        visible = {d for key in visible_restricted for d in sets.posting_ids(reader, "key", key)}
        return set(members) - visible

    def matching_ids(self, parsed, kind: str, limit: int) -> list[int]:
        """Public items of `kind` that match, best first."""
        from forum.search.services import SearchFilters

        spec = SearchFilters(kind=kind)
        with self.searcher() as searcher:
            if searcher is None:
                return []
            candidates = []
            for sub, _ in searcher.leaf_searchers():
                reader = sub.reader()
                docs = sets.matches(reader, parsed, spec, set(sets.facts_of(reader).members))
                candidates.extend((rank, reader, d) for rank, d in sets.best(reader, parsed, docs, "relevance", limit))
            best = heapq.nlargest(limit, candidates, key=lambda c: c[0])
            return [int(reader.stored_fields(d)["key"].partition(":")[2]) for _, reader, d in best]
