"""Answering searches on whoosh segments with set operations, fast enough for a million documents.

whoosh's own matchers walk every matching document in Python, several calls each: on a
million comments a common word costs seconds. Here a query reads each needed posting
list whole, block by block (one call per 128 documents), and combines them with
Python's set operations, which run in C. What each document is (kind, community,
status, date, audience) comes from small per-segment tables, read once per segment and
kept while the segment lives, so filters, counts by kind and the order of the hits
need no stored fields. Relevance is: how many of the query's words the title holds,
then the newest first.

The posting lists of the commonest terms (a gram such as 号楼 is in a third of all
documents) are kept decoded, per segment, up to HOT_BUDGET ids in all, the least
recently used dropped first: decoding one costs more than the rest of the query.
"""
import heapq
import threading
from array import array
from collections import Counter, OrderedDict
from itertools import accumulate
from dataclasses import dataclass

from forum.search.sources import KIND_ORDER, MEMBERS

_facts: dict[str, "SegmentFacts"] = {}
HOT_MIN = 20_000  # postings: a shorter list decodes in a few milliseconds
HOT_BUDGET = 4_000_000  # ids kept decoded in all, 8 bytes each (32 MB per process)
_hot: "OrderedDict[tuple, array]" = OrderedDict()
_hot_lock = threading.Lock()  # a server's threads share the cache


@dataclass
class SegmentFacts:
    kinds: bytearray  # code in KIND_ORDER
    communities: array  # community id, 0 for none
    statuses: list  # status code → text; `status_codes` per document
    status_codes: bytearray
    dates: array
    members: frozenset  # documents only some people may see


def _segment_id(reader):
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None


def posting_ids(reader, field: str, text: str) -> list[int]:
    """Every document of this segment holding the term, deleted ones included."""
    key = (_segment_id(reader), field, text)
    with _hot_lock:
        if key in _hot:
            _hot.move_to_end(key)
            return list(_hot[key])
    ids = _read_postings(reader, field, text)
    if len(ids) >= HOT_MIN and key[0] is not None:
        with _hot_lock:
            _hot[key] = array("q", ids)
            while sum(map(len, _hot.values())) > HOT_BUDGET and len(_hot) > 1:
                _hot.popitem(last=False)
    return ids


def _read_postings(reader, field: str, text: str) -> list[int]:
    """The term's posting list read from the segment, block by block."""
    if (field, text) not in reader:
        return []
    matcher = reader._terms.matcher(field, reader._text_to_bytes(field, text), reader.schema[field].format)
    ids = []
    while True:
        if matcher._data is None:
            matcher._read_data()
        # A block's ids are stored as gaps unless they fit in bytes; accumulate sums them in C, where
        # whoosh's own _read_ids runs a Python generator per document.
        ids.extend(matcher._data[0] if matcher._byteids else accumulate(matcher._data[0]))
        if matcher._lastblock:
            return ids
        matcher._next_block()


def facts_of(reader) -> SegmentFacts:
    segment_id = _segment_id(reader)
    if segment_id in _facts:
        return _facts[segment_id]
    size = reader.doc_count_all()
    facts = SegmentFacts(bytearray(size), array("l", bytes(size * array("l").itemsize)), [""], bytearray(size),
                         array("q", bytes(size * 8)), frozenset(posting_ids(reader, "audience", MEMBERS)))
    for code, kind in enumerate(KIND_ORDER):
        for docnum in posting_ids(reader, "kind", kind):
            facts.kinds[docnum] = code
    for value in reader.field_terms("community") if size else ():
        for docnum in posting_ids(reader, "community", value):
            facts.communities[docnum] = int(value)
    for value in reader.field_terms("status") if size else ():
        facts.statuses.append(value)
        for docnum in posting_ids(reader, "status", value):
            facts.status_codes[docnum] = len(facts.statuses) - 1
    if size:
        facts.dates = array("q", reader.column_reader("date"))
    if segment_id is not None:
        _facts[segment_id] = facts
    return facts


def keep_only(searcher) -> None:
    """Forget the tables and posting lists of segments this searcher no longer has (merged away, or rebuilt)."""
    live = {_segment_id(sub.reader()) for sub, _ in searcher.leaf_searchers()}
    for segment_id in set(_facts) - live:
        _facts.pop(segment_id, None)
    with _hot_lock:
        for key in [key for key in _hot if key[0] not in live]:
            del _hot[key]


def _all_of(lists) -> set:
    lists = sorted(lists, key=len)
    found = set(lists[0]) if lists else set()
    for ids in lists[1:]:
        if not found:
            break
        found.intersection_update(ids)
    return found


def _term_docs(reader, term) -> set:
    found = _all_of([posting_ids(reader, "grams", gram) for gram in term.grams])
    if term.words:  # or all of jieba's words, in any order, in the title or the body
        found |= _all_of([posting_ids(reader, "title", w) + posting_ids(reader, "body", w) for w in term.words])
    return found


def _title_docs(reader, term) -> set:
    found = _all_of([posting_ids(reader, "tgrams", gram) for gram in term.grams])
    if term.words:
        found |= _all_of([posting_ids(reader, "title", w) for w in term.words])
    return found


def matches(reader, parsed, spec, hidden: set, with_kind: bool = True) -> set:
    """The live documents of this segment that match the query and the filters."""
    docs = _all_of([_term_docs(reader, term) for term in parsed.terms])
    docs -= getattr(reader, "deleted_docs_set", frozenset())
    docs -= hidden
    facts = facts_of(reader)
    if spec.community_id:
        docs = {d for d in docs if facts.communities[d] == spec.community_id}
    if spec.status:
        code = facts.statuses.index(spec.status) if spec.status in facts.statuses else -1
        docs = {d for d in docs if facts.status_codes[d] == code}
    if with_kind and spec.kind:
        code = KIND_ORDER.index(spec.kind)
        docs = {d for d in docs if facts.kinds[d] == code}
    return docs


def counts_by_kind(docs: set, facts: SegmentFacts) -> Counter:
    return Counter({KIND_ORDER[code]: n for code, n in Counter(map(facts.kinds.__getitem__, docs)).items()})


def best(reader, parsed, docs: set, sort: str, wanted: int) -> list[tuple]:
    """The `wanted` first of `docs` in the order asked for, as (sort key, docnum).

    Relevance is (how many of the query's terms the title holds, date): the documents are put
    in groups by that number, best group first, and each group gives its newest. The sort key
    of a heap is a C method (the date array's item), never a Python function per document,
    which is what a common word among a million documents costs."""
    date = facts_of(reader).dates.__getitem__
    if sort == "newest":
        return [((date(d), d), d) for d in heapq.nlargest(wanted, docs, key=date)]
    hits = Counter()
    for term in parsed.terms:
        hits.update(_title_docs(reader, term) & docs)
    groups = {}
    for d, n in hits.items():
        groups.setdefault(n, []).append(d)
    groups[0] = docs.difference(hits) if len(hits) < len(docs) else ()
    found = []
    for n in sorted(groups, reverse=True):
        found.extend(((n, date(d), d), d) for d in heapq.nlargest(wanted - len(found), groups[n], key=date))
        if len(found) >= wanted:
            break
    return found
