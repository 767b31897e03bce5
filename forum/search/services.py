"""Searching as a person: only what they may see, in results, counts and snippets alike.

The index holds only public states; documents of a community's members (`members`)
are checked one by one before they count; and every hit shown is checked again
against the database (the index may be a moment behind), its count corrected.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect as sa_inspect, select
from sqlalchemy.orm import joinedload

from forum.core.pagination import PER_PAGE
from forum.core.permissions import RULES, can, communities_with_roles
from forum.core.urls import path_for
from forum.discussion.models import Thread
from forum.extensions import db
from forum.search.analysis import ParsedQuery, parse_query
from forum.search.snippets import marked, snippet
from forum.search.sources import KIND_ORDER, Source, sources, split_key

SORTS = {"relevance": _l("Most relevant"), "newest": _l("Newest")}
MAX_LIST_IDS = 2000  # a list page filtered by a query looks at this many best matches


def search_index():
    return current_app.extensions["forum_search"]


@dataclass
class SearchFilters:
    kind: str | None = None
    community_id: int | None = None
    status: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    @classmethod
    def from_args(cls, args) -> "SearchFilters":
        kind = args.get("type") if args.get("type") in KIND_ORDER else None
        status = (args.get("status") or "").strip()[:20] or None
        return cls(kind=kind, community_id=args.get("community", type=int) or None,
                   status=status if kind and kind != "comment" else None,
                   sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
                   page=min(max(1, args.get("page", type=int) or 1), 500))

    def as_args(self, **changes) -> dict:
        values = {"type": self.kind, "community": self.community_id, "status": self.status,
                  "sort": None if self.sort == "relevance" else self.sort, **changes}
        return {name: value for name, value in values.items() if value}

    @property
    def narrowed(self) -> bool:
        return bool(self.kind or self.community_id or self.status)


@dataclass
class Hit:
    kind: str
    item: Any
    title: str
    url: str
    snippet: Any
    date: datetime
    community: Any
    status: str = ""
    subject_title: str = ""  # a comment's subject
    title_marked: Any = ""


@dataclass
class SearchResults:
    query: ParsedQuery
    filters: SearchFilters
    hits: list = field(default_factory=list)
    total: int = 0
    counts: dict = field(default_factory=dict)  # kind → matches the searcher may see
    count_limit: int | None = None  # the backend counted only so many of a kind: see `capped`
    capped: set = field(default_factory=set)  # kinds with more matches than count_limit

    @property
    def total_capped(self) -> bool:
        """Whether there are more results than `total` (which is then count_limit)."""
        return self.filters.kind in self.capped if self.filters.kind else self._all_capped

    @property
    def _all_capped(self) -> bool:
        return bool(self.capped) or (self.count_limit is not None and sum(self.counts.values()) > self.count_limit)

    def count_text(self, kind: str | None = None) -> str:
        """A kind's count (None: all kinds) as a type tab shows it: 100+ past the backend's limit."""
        if kind is None:
            count, capped = sum(self.counts.values()), self._all_capped
        else:
            count, capped = self.counts.get(kind, 0), kind in self.capped
        return f"{min(count, self.count_limit)}+" if capped else str(count)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    @property
    def listed_in_part(self) -> bool:
        """The last page of a search counted only in part: more matches exist than are listed."""
        return self.total_capped and not self.has_next

    @property
    def past_the_end(self) -> bool:
        """A page after the last one (an edited or old link) of a search that found something."""
        return bool(self.total) and self.page > self.pages

    @property
    def has_prev(self) -> bool:
        return self.filters.page > 1

    @property
    def has_next(self) -> bool:
        return self.filters.page < self.pages

    @property
    def page(self) -> int:
        return self.filters.page


def visible_document(user, source: Source, item):
    """The item's document if it is searchable now and `user` may see it (a comment: its subject)."""
    document = source.document(item)
    if document is None:
        return None
    if source.kind == "comment":
        subject_kind, subject_id = split_key(document.parent)
        subject_source = sources()[subject_kind]
        subject = db.session.get(subject_source.model, subject_id)
        return document if visible_document(user, subject_source, subject) is not None else None
    if source.view_action in RULES and not can(user, source.view_action, item):
        return None
    return document


def _people_and_places(model) -> list:
    """A hit's community (the visibility rules read it) and author, or a resource's unit or owner
    (its document names them), joined into the query that loads the hits of a kind (each is one row)."""
    relationships = sa_inspect(model).relationships
    return [joinedload(relationships[name].class_attribute)
            for name in ("community", "author", "unit", "owner") if name in relationships]


LOADS = {"comment": lambda model: (joinedload(model.thread).joinedload(Thread.community), joinedload(model.author))}


def _load(keys: list[str]) -> dict[str, Any]:
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        kind, item_id = split_key(key)
        by_kind.setdefault(kind, []).append(item_id)
    found = {}
    for kind, ids in by_kind.items():
        model = sources()[kind].model
        statement = select(model).where(model.id.in_(ids)).options(*LOADS.get(kind, _people_and_places)(model))
        for item in db.session.scalars(statement):
            found[f"{kind}:{item.id}"] = item
    return found


def _visible(user, keys: list[str]) -> list[tuple[str, Any, Any]]:
    """(key, item, document) of those `keys` that `user` may see, in order."""
    items = _load(keys)
    shown = []
    for key in keys:
        if key in items:
            document = visible_document(user, sources()[split_key(key)[0]], items[key])
            if document is not None:
                shown.append((key, items[key], document))
    return shown


def search(user, raw_query: str, filters: SearchFilters) -> SearchResults:
    parsed = parse_query(raw_query)
    results = SearchResults(parsed, filters)
    if parsed.empty:
        return results
    search_index().ensure_built()
    backend = search_index().backend
    restricted = backend.restricted_keys(parsed, filters, communities_with_roles(user))
    visible_restricted = [key for key, _, _ in _visible(user, restricted)] if restricted else []
    keys, results.total, results.counts = backend.search(parsed, filters, visible_restricted)
    results.count_limit = limit = getattr(backend, "count_limit", None)
    shown = _visible(user, keys)
    for key in set(keys) - {key for key, _, _ in shown}:  # the index was a moment behind
        kind = split_key(key)[0]
        if limit is None or results.counts.get(kind, 0) <= limit:  # "more than" stays so
            results.counts[kind] = max(0, results.counts.get(kind, 0) - 1)
            results.total = max(0, results.total - 1)
    if limit is not None:
        results.capped = {kind for kind, count in results.counts.items() if count > limit}
        results.counts = {kind: min(count, limit) for kind, count in results.counts.items()}
        results.total = min(results.total, limit)
    results.hits = [_hit(item, document, parsed) for _, item, document in shown]
    return results


def _hit(item, document, parsed: ParsedQuery) -> Hit:
    from forum.discussion import subjects
    from forum.discussion.services import comment_url, subject_of

    kind = document.kind
    text = snippet(document.body, parsed.highlight, fallback_chars=90)
    if kind == "comment":
        title = subjects.title_of(subject_of(item.thread))
        return Hit(kind, item, title, comment_url(item), text, document.date, item.thread.community,
                   subject_title=title)
    url = subjects.url_of(item) if kind in subjects.SUBJECTS else path_for("activities.show", activity_id=item.id)
    return Hit(kind, item, document.title, url, text, document.date, item.community, status=document.status,
               title_marked=marked(document.title, parsed.highlight))


def matching_ids(kind: str, raw_query: str, limit: int = MAX_LIST_IDS) -> list[int]:
    """The ids of `kind` items matching the query, best first, for a list page's `q=` filter
    (the list still applies its own visibility rules); none for a query with nothing to search."""
    parsed = parse_query(raw_query)
    if parsed.empty:
        return []
    search_index().ensure_built()
    return search_index().backend.matching_ids(parsed, kind, limit)


def words_of(args) -> str:
    """A list page's `q=`: the words to search for, trimmed."""
    return (args.get("q") or "").strip()[:100]


def only_matching(statement, model, kind: str, words: str):
    """`statement` narrowed to the `kind` items the search matches for `words` (unchanged without words)."""
    return statement.where(model.id.in_(matching_ids(kind, words))) if words else statement


def kind_labels() -> dict[str, Any]:
    return {kind: sources()[kind].label for kind in KIND_ORDER}
