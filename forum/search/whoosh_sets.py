"""Answering searches on whoosh segments with set operations, fast enough for a million documents.

whoosh's own matchers walk every matching document in Python, several calls each: on a
million comments a common word costs seconds. Here a query reads each needed posting
list whole, block by block (one call per 128 documents), and combines them with
Python's set operations, which run in C. What each document is (kind, community,
status, date, audience) comes from small per-segment tables, read once per segment and
kept while the segment lives, so filters, counts by kind and the order of the hits
need no stored fields. Relevance is: how many of the query's words the title holds,
then the newest first.
"""
import heapq
from array import array
from collections import Counter
from dataclasses import dataclass

from forum.search.sources import KIND_ORDER, MEMBERS

_facts: dict[str, "SegmentFacts"] = {}


@dataclass
class SegmentFacts:
    kinds: bytearray  # code in KIND_ORDER
    communities: array  # community id, 0 for none
    statuses: list  # status code → text; `status_codes` per document
    status_codes: bytearray
    dates: array
    members: frozenset  # documents only some people may see


def posting_ids(reader, field: str, text: str) -> list[int]:
    """Every document of this segment holding the term, deleted ones included (read by block)."""
    if (field, text) not in reader:
        return []
    matcher = reader._terms.matcher(field, reader._text_to_bytes(field, text), reader.schema[field].format)
    ids = []
    while True:
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids)
        if matcher._lastblock:
            return ids
        matcher._next_block()


def facts_of(reader) -> SegmentFacts:
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is not None and segment.segment_id() in _facts:
        return _facts[segment.segment_id()]
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
    if segment is not None:
        _facts[segment.segment_id()] = facts
    return facts


def keep_only(searcher) -> None:
    """Forget the tables of segments this searcher no longer has (merged away, or rebuilt)."""
    live = set()
    for sub, _ in searcher.leaf_searchers():
        segment = sub.reader().segment() if hasattr(sub.reader(), "segment") else None
        if segment is not None:
            live.add(segment.segment_id())
    for segment_id in set(_facts) - live:
        _facts.pop(segment_id, None)


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
    return Counter(KIND_ORDER[code] for code in map(facts.kinds.__getitem__, docs))


def best(reader, parsed, docs: set, sort: str, wanted: int) -> list[tuple]:
    """The `wanted` first of `docs` in the order asked for, as (sort key, docnum)."""
    dates = facts_of(reader).dates
    if sort == "newest":
        return [((dates[d], d), d) for d in heapq.nlargest(wanted, docs, key=lambda d: (dates[d], d))]
    in_title = [_title_docs(reader, term) & docs for term in parsed.terms]

    def rank(d):
        return sum(d in found for found in in_title), dates[d], d

    return [(rank(d), d) for d in heapq.nlargest(wanted, docs, key=rank)]
