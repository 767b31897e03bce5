"""The embedded search backend: a whoosh index in the instance folder.

whoosh allows one writer at a time across processes: only the outbox drainer and
`forum reindex` write, under the drain lock (a file lock beside the index). Readers
keep one searcher per thread and open a new one when the index has changed.

Speed on a million documents comes from keeping whoosh's pure-Python loops short:
one grams field without positions (no phrase searches), filters as clauses of the
query (never a set of every document), top hits by block-max scoring, and counts by
type from a per-segment table of each document's type, read once per segment.
"""
import fcntl
import os
import shutil
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from whoosh.writing import CLEAR

from forum.search.analysis import GramTokenizer, chinese_analyzer, init_jieba, joined
from forum.search.sources import KIND_ORDER, MEMBERS

_segment_kinds: dict[str, bytearray] = {}  # segment id → a kind code (index in KIND_ORDER) per document


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
        date=NUMERIC(numtype=int, bits=64, sortable=True, signed=False),
    )


def _fields(doc) -> dict:
    return {
        "key": doc.key, "kind": doc.kind, "community": str(doc.community_id or ""), "status": doc.status or "",
        "audience": doc.audience, "title": doc.title, "body": doc.body,
        "grams": joined(doc.title, doc.body, doc.author_name), "date": int(doc.date.timestamp()),
    }


def _term_query(term):
    found = wq.And([wq.Term("grams", gram) for gram in term.grams]) if len(term.grams) > 1 \
        else wq.Term("grams", term.grams[0])
    if term.words:  # or all of jieba's words, in any order, in the title or the body
        every_word = wq.And([wq.Or([wq.Term("title", w), wq.Term("body", w)]) for w in term.words])
        return wq.Or([found, every_word])
    return found


def build_query(parsed):
    """Every word of the query must match (see analysis)."""
    terms = [_term_query(term) for term in parsed.terms]
    return terms[0] if len(terms) == 1 else wq.And(terms)


def _filters(spec, with_kind: bool = True) -> list:
    """The filters as unscored clauses of the query itself: whoosh would otherwise collect a
    filter's every document (a million comments) into a set on each search."""
    found = []
    if with_kind and spec.kind:
        found.append(wq.Term("kind", spec.kind))
    if spec.community_id:
        found.append(wq.Term("community", str(spec.community_id)))
    if spec.status:
        found.append(wq.Term("status", spec.status))
    return [wq.ConstantScoreQuery(clause, 0.0) for clause in found]


def _narrowed(query, clauses: list):
    return wq.And([query] + clauses) if clauses else query


def _hidden_mask(visible_restricted: list[str]):
    """The `members` documents the searcher may not see (few, so a cheap mask)."""
    restricted = wq.Term("audience", MEMBERS)
    if not visible_restricted:
        return restricted
    return wq.AndNot(restricted, wq.Or([wq.Term("key", key) for key in visible_restricted]))


def _kinds_of(reader) -> bytearray:
    """Each document's kind in this segment (cached: segments never change, only go away)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:  # an empty index
        return bytearray(reader.doc_count_all())
    segment_id = segment.segment_id()
    if segment_id not in _segment_kinds:
        kinds = bytearray(reader.doc_count_all())
        for code, kind in enumerate(KIND_ORDER):
            if reader.doc_frequency("kind", kind):
                for docnum in reader.postings("kind", kind).all_ids():
                    kinds[docnum] = code
        _segment_kinds[segment_id] = kinds
    return _segment_kinds[segment_id]


def count_by_kind(searcher, query, mask) -> dict[str, int]:
    """How many live documents match `query`, and are not in `mask`, by kind."""
    counts = Counter()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        kinds = _kinds_of(reader)
        hidden = set(mask.matcher(sub).all_ids()) if reader.doc_frequency("audience", MEMBERS) else ()
        matcher = query.matcher(sub)
        ids = matcher.all_ids()
        counts.update(kinds[docnum] for docnum in ids if docnum not in hidden)
    return {KIND_ORDER[code]: count for code, count in counts.items()}


class WhooshBackend:
    name = "whoosh"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._index = None
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
        return whoosh_index.exists_in(str(self.path))

    def _open(self):
        if self._index is None:
            init_jieba()  # the schema's analyzer (unpickled with the index) uses jieba's own instance
            self._index = whoosh_index.open_dir(str(self.path))
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
        """Replace the whole index with `documents`. Readers see the old index until the new one
        is complete; a first index is built aside and moved in whole, so a crash half-way
        leaves no index (built again next time), never a partial one taken for complete."""
        if self.exists():
            return self._fill(self._open(), documents, processes, memory_mb)
        aside = self.path.with_name(self.path.name + ".new")
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir(parents=True)
        count = self._fill(whoosh_index.create_in(str(aside), make_schema()), documents, processes, memory_mb)
        if self.path.is_dir() and not any(self.path.iterdir()):
            self.path.rmdir()
        os.rename(aside, self.path)  # fails, rather than delete anything, if the folder holds other files
        self._index = None
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
        writer.commit(mergetype=CLEAR)
        if processes > 1:
            index.optimize()  # the processes leave a segment each
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
        with self.searcher() as searcher:
            if searcher is None or communities == set() or not searcher.doc_frequency("audience", MEMBERS):
                return []
            narrowing = [wq.Term("audience", MEMBERS)]
            if communities is not None:
                narrowing.append(wq.Or([wq.Term("community", str(c)) for c in communities]))
            query = _narrowed(build_query(parsed), _filters(spec) + narrowing)
            return [hit["key"] for hit in searcher.search(query, limit=None, scored=False)]

    def search(self, parsed, spec, visible_restricted: list[str]):
        """(keys of the page, total, {kind: count}) over public and the given restricted documents."""
        mask = _hidden_mask(visible_restricted)
        with self.searcher() as searcher:
            if searcher is None:
                return [], 0, {}
            query = build_query(parsed)
            counts = count_by_kind(searcher, _narrowed(query, _filters(spec, with_kind=False)), mask)
            total = counts.get(spec.kind, 0) if spec.kind else sum(counts.values())
            first = (spec.page - 1) * spec.per_page
            if first >= total:
                return [], total, counts
            sort = {"sortedby": "date", "reverse": True} if spec.sort == "newest" else {}
            found = searcher.search(_narrowed(query, _filters(spec)), mask=mask, limit=first + spec.per_page, **sort)
            keys = [found[n]["key"] for n in range(first, min(found.scored_length(), first + spec.per_page))]
            return keys, total, counts

    def matching_ids(self, parsed, kind: str, limit: int) -> list[int]:
        with self.searcher() as searcher:
            if searcher is None:
                return []
            query = _narrowed(build_query(parsed), [wq.ConstantScoreQuery(wq.Term("kind", kind), 0.0)])
            results = searcher.search(query, limit=limit, mask=_hidden_mask([]))
            return [int(hit["key"].partition(":")[2]) for hit in results]
