"""The search backend for several application servers: PostgreSQL full text search.

Each document is a row of `search_document` whose tsvector is written out term by term
(no text search configuration reads Chinese): jieba's words as `w:词` and the grams of
the analysis module as `g:字`, `g:字字`, title terms with weight A. A query is the same
as on whoosh: every gram of a word (`'g:电' & 'g:梯'` ...), or all of jieba's words. The
drain lock is an advisory lock, so one drainer runs across all the servers.

A common word is never read whole: each kind is counted up to COUNT_LIMIT matches (the page
says "more than", and pages through those), and relevance picks them from the RANK_POOL newest,
found by reading the date indexes backwards. The few members-only documents have a partial index of their own.
"""
import time
from contextlib import contextmanager

from sqlalchemy import bindparam, cast, delete, func, literal, or_, select, text, union_all
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR, insert

from forum.search.analysis import jieba_words, weighted_grams
from forum.search.models import SearchDocument
from forum.search.sources import KIND_ORDER, MEMBERS, PUBLIC

LOCK_KEY = 72_410_001  # pg_advisory_lock key of the search drainer
MAX_POSITION = 16383
# Matches counted per kind ("100+" beyond): the count reads that many matches of every kind, so it
# is most of a common word's cost (counting to 500 took 22 of a search page's 49 ms at reference scale).
COUNT_LIMIT = 100
RANK_POOL = 500  # the newest matches that relevance ranks (the pages show its best COUNT_LIMIT)
COMMON_SHARE = 0.05  # a query matching this share of the documents reads them newest first
T = SearchDocument.__table__


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(doc) -> str:
    """The document's terms as tsvector text: 'g:电':1A,7 'w:电梯':2A ... (a weight needs a position)."""
    terms: dict[str, list[str]] = {}
    position = 0

    def add(lexeme, weight):
        nonlocal position
        position = min(position + 1, MAX_POSITION)
        places = terms.setdefault(lexeme, [])
        if len(places) < 64:
            places.append(f"{position}{weight}")

    for word in jieba_words(doc.title):
        add("w:" + word, "A")
    for word in jieba_words(doc.body):
        add("w:" + word, "")
    for gram, weight in weighted_grams([doc.title, doc.body, doc.author_name]):
        add("g:" + gram, "A" if weight > 1 else "")
    return " ".join(f"{_quote(lexeme)}:{','.join(places)}" for lexeme, places in terms.items())


def _term_query(term) -> str:
    found = " & ".join(_quote("g:" + gram) for gram in term.grams)
    if term.words:
        every_word = " & ".join(_quote("w:" + word) for word in term.words)
        return f"(({found}) | ({every_word}))"
    return f"({found})"


def tsquery_literal(parsed) -> str:
    return " & ".join(_term_query(term) for term in parsed.terms)


def _row(doc) -> dict:
    return {"key": doc.key, "kind": doc.kind, "item_id": doc.item_id, "community_id": doc.community_id,
            "status": doc.status or "", "audience": doc.audience, "date": doc.date, "tsv": tsvector_literal(doc)}


COLUMNS = ("kind", "item_id", "community_id", "status", "audience", "date")
_INSERT = insert(SearchDocument).values(key=bindparam("key"), **{name: bindparam(name) for name in COLUMNS},
                                        tsv=cast(bindparam("tsv"), TSVECTOR))
_UPSERT = _INSERT.on_conflict_do_update(index_elements=["key"], set_={
    name: getattr(_INSERT.excluded, name) for name in (*COLUMNS, "tsv")})


class PostgresBackend:
    name = "postgres"

    count_limit = COUNT_LIMIT

    def __init__(self, engine_getter):
        self._engine = engine_getter
        self._shares, self._shares_until = {}, 0.0

    @property
    def engine(self):
        return self._engine()

    @contextmanager
    def drain_lock(self, blocking: bool = False):
        with self.engine.connect() as conn:
            if blocking:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
                locked = True
            else:
                locked = conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
            conn.commit()
            try:
                yield bool(locked)
            finally:
                if locked:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                    conn.commit()

    def exists(self) -> bool:
        """Whether the index has been built (an empty table on a site with content has not)."""
        with self.engine.connect() as conn:
            return conn.scalar(select(T.c.key).limit(1)) is not None

    def write(self, documents: list, deleted_keys: list[str]) -> None:
        with self.engine.begin() as conn:
            if deleted_keys:
                conn.execute(delete(SearchDocument).where(SearchDocument.key.in_(deleted_keys)))
            if documents:
                conn.execute(_UPSERT, [_row(doc) for doc in documents])

    def rebuild(self, documents, processes: int = 1, batch: int = 1000) -> int:
        """Replace every row in one transaction: searches see the old rows until it commits."""
        count = 0
        with self.engine.begin() as conn:
            conn.execute(delete(SearchDocument))
            rows = []
            for doc in documents:
                rows.append(_row(doc))
                if len(rows) >= batch:
                    conn.execute(_INSERT, rows)
                    count, rows = count + len(rows), []
            if rows:
                conn.execute(_INSERT, rows)
                count += len(rows)
        return count

    # --- reading -------------------------------------------------------------------

    def stored(self, keys) -> dict[str, dict]:
        keys = list(keys)
        if not keys:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(T.c.key, T.c.status, T.c.audience).where(T.c.key.in_(keys)))
            return {row.key: {"key": row.key, "status": row.status, "audience": row.audience} for row in rows}

    def stored_summary(self) -> dict[str, tuple]:
        with self.engine.connect() as conn:
            return {row.key: (row.status, row.audience) for row in conn.execute(
                select(T.c.key, T.c.status, T.c.audience))}

    def _where(self, parsed, spec, with_kind: bool = True) -> list:
        found = [T.c.tsv.op("@@")(cast(literal(tsquery_literal(parsed)), TSQUERY))]
        if with_kind and spec.kind:
            found.append(T.c.kind == spec.kind)
        if spec.community_id:
            found.append(T.c.community_id == spec.community_id)
        if spec.status:
            found.append(T.c.status == spec.status)
        return found

    def restricted_keys(self, parsed, spec, communities) -> list[str]:
        where = self._where(parsed, spec) + [T.c.audience == MEMBERS]
        if communities is not None:
            if not communities:
                return []
            where.append(T.c.community_id.in_(list(communities)))
        with self.engine.connect() as conn:
            return list(conn.scalars(select(T.c.key).where(*where)))

    def search(self, parsed, spec, visible_restricted: list[str]):
        """(keys of the page, total, {kind: count}) over public and the given restricted documents.

        Each kind is counted up to COUNT_LIMIT + 1 (more than COUNT_LIMIT: the page says so), and
        relevance ranks the RANK_POOL newest matches (every match, but for a common word):
        counting and ranking all of 号楼's hundreds of thousands of matches took seconds."""
        allowed = or_(T.c.audience == PUBLIC, T.c.key.in_(visible_restricted)) if visible_restricted \
            else T.c.audience == PUBLIC
        with self.engine.connect() as conn:
            if self._share(conn, parsed) >= COMMON_SHARE:
                # The planner takes a word's grams as independent (5号 and 号楼 are not) and may read
                # every match through the GIN index; the newest rows of a kind, read backwards by
                # index, hold enough matches long before that. (Local to this transaction.)
                conn.execute(text("SET LOCAL enable_bitmapscan = off"))
                conn.execute(text("SET LOCAL enable_seqscan = off"))
            counts = self._counts(conn, self._where(parsed, spec, with_kind=False) + [allowed], self.count_limit)
            total = counts.get(spec.kind, 0) if spec.kind else sum(counts.values())
            first = (spec.page - 1) * spec.per_page
            if first >= min(total, self.count_limit):
                return [], total, counts
            matches = select(T.c.key, T.c.tsv, T.c.date, T.c.item_id).where(*self._where(parsed, spec), allowed)
            if spec.sort == "newest":
                page = matches.with_only_columns(T.c.key).order_by(T.c.date.desc(), T.c.item_id.desc())
            else:
                best = matches.order_by(T.c.date.desc(), T.c.item_id.desc()).limit(RANK_POOL).subquery()
                rank = func.ts_rank(best.c.tsv, cast(literal(tsquery_literal(parsed)), TSQUERY))
                page = select(best.c.key).order_by(rank.desc(), best.c.date.desc(), best.c.item_id.desc())
            keys = conn.scalars(page.offset(first).limit(min(spec.per_page, self.count_limit - first)))
            return list(keys), total, counts

    @staticmethod
    def _counts(conn, where, limit: int) -> dict[str, int]:
        """Matches of each kind, counted up to `limit` + 1."""
        counts = [select(literal(kind).label("kind"), func.count().label("n")).select_from(
            select(T.c.key).where(*where, T.c.kind == kind).limit(limit + 1).subquery())
            for kind in KIND_ORDER]
        return {kind: n for kind, n in conn.execute(union_all(*counts)) if n}

    def _share(self, conn, parsed) -> float:
        """About what share of the documents the query matches, from the commonest lexemes ANALYZE
        found (a lexeme not among them is rare: 0). A word's grams go together, so a word is as
        common as its rarest gram (or its jieba words, which it may match instead); words multiply."""
        if time.monotonic() > self._shares_until:
            row = conn.execute(text(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'search_document' AND attname = 'tsv'")).first()
            self._shares = dict(zip(row[0], row[1])) if row and row[0] else {}
            self._shares_until = time.monotonic() + 600

        def every(lexemes) -> float:
            return min((self._shares.get(lexeme, 0.0) for lexeme in lexemes), default=0.0)

        share = 1.0
        for term in parsed.terms:
            share *= max(every("g:" + gram for gram in term.grams), every("w:" + word for word in term.words))
        return share

    def matching_ids(self, parsed, kind: str, limit: int) -> list[int]:
        query = cast(literal(tsquery_literal(parsed)), TSQUERY)
        with self.engine.connect() as conn:
            return list(conn.scalars(select(T.c.item_id).where(
                T.c.tsv.op("@@")(query), T.c.kind == kind, T.c.audience == PUBLIC)
                .order_by(T.c.date.desc()).limit(limit)))  # the newest, when there are more
