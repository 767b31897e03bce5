"""Ranks resources for a need and needs for a resource: the matching engine.

Plain functions over plain records (`forum.matching.records`): no Flask, no ORM.
`build_index(records)` analyses the records once (jieba words, synonym groups, BM25
weights) into an inverted index; `rank_resources(need, index_or_resources)` and
`rank_needs(resource, index_or_needs)` then score only the records that share a term
with the query and return `Suggestion`s, best first, with machine-readable `Reason`s.

The score of a need n and a resource r is a function of the pair alone, the same
whichever side asks (the IDF is jieba's table for general Chinese, not counted over
the records at hand, and the length norm uses a fixed AVERAGE_LENGTH):

    relevance = text + title + support × min(1, (core text + title) / SUPPORT_FULL)

text (0 … about TEXT_SCALE): how much of what the need says the resource speaks of,
BM25 over the words of title and body, normalised by the need's own weight:

    text = TEXT_SCALE × Σ_t q(t) · idf(t) · d(t)  /  Σ_w q(w) · idf(w) / c(w)

    t: the terms both share: a word, or a synonym group both have a word of
       (synonyms.txt, and Cilin's synonym sets when installed); w: the need's words.
    tf: a title word counts TITLE_WEIGHT (2), a body word 1, a sub-word (独居 in
       独居老人) or a listed word jieba cut across (煤气 in 煤气味) half of that; a
       single character (学, 修) feeds its groups at SINGLE_CHARACTER_WEIGHT (0.5).
    q(t) = link(t) · (K3 + 1) · tf_n / (K3 + tf_n): the need's use of t (K3 = 1.5).
    d(t) = (K1 + 1) · tf_r / (tf_r + K1 · (1 − B + B · len_r / AVERAGE_LENGTH)):
       the resource's, with BM25's saturation and length norm (K1 1.2, B 0.75, 35).
    link(t): 1 for the very word, LINK_WEIGHTS for a group (synonym 0.7, near-word
       0.35, Cilin 0.3); × CONTEXT_WEIGHT (0.4) for words of whom or where (老人,
       孩子, 老楼: the "*" groups), c(w) = CONTEXT_WEIGHT for those words, else 1: they
       count in full in what the need says, little when shared.
    core text: the same sum without the terms of whom or where.

title (0 … TITLE_MATCH_WEIGHT = 0.7): the need's title is its gist; the mean, over
the title's content words, of the best link by which the resource has each word.

support = category + kind + place, counted in full only once the core text and the
title reach SUPPORT_FULL (0.2), so that the same audience, category and community
alone make no match:

    category: same 0.4, related (RELATED_CATEGORIES: elderly, health and disability
       …) 0.2, either is "other" 0.1. Not a filter: residents often pick the wrong one.
    kind: the need asks for the resource's kind (kinds.txt: a venue, funds or goods)
       0.15; a need asking for none of these asks for help, which a people, service or
       volunteer resource gives: 0.05.
    place: same community 0.1 (or a street-wide resource of the need's street),
       same street 0.05.

Nothing below THRESHOLD (0.55) is suggested: a need that no resource can meet gets
nothing rather than a wrong suggestion. Never suggested: a resource that is not
available (paused, exhausted, withdrawn) or past its available_until; a need that is
not open. `rank_needs` orders the needs that pass by relevance plus urgency
(URGENCY_WEIGHT × (urgency − 1) / 2) and supporters (SUPPORTERS_WEIGHT × log(1 + n) /
log(21), at most SUPPORTERS_WEIGHT), which never lift a need over the threshold.

Weights and threshold were set on shared/data/matching/dev.json, choosing round
values in the middle of the ranges where its targets hold (the threshold: 0.5–0.6).
"""
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Optional

from forum.matching.records import NeedRecord, ResourceRecord
from forum.matching.suggestions import Reason, Suggestion, text_reasons, title_reason
from forum.matching.text import CILIN, GROUP, NEAR, SYNONYM, Analyser, default_analyser

THRESHOLD = 0.55

TITLE_WEIGHT = 2.0
K1, B, K3 = 1.2, 0.75, 1.5
AVERAGE_LENGTH = 35.0
LINK_WEIGHTS = {SYNONYM: 0.7, NEAR: 0.35, CILIN: 0.3}
CONTEXT_WEIGHT = 0.4
SINGLE_CHARACTER_WEIGHT = 0.5
TEXT_SCALE = 1.0
TITLE_MATCH_WEIGHT = 0.7
SUPPORT_FULL = 0.2
CATEGORY_WEIGHTS = {"same": 0.4, "related": 0.2, "other": 0.1}
KIND_WEIGHTS = {"asked": 0.15, "help": 0.05}
PLACE_WEIGHTS = {"same_community": 0.1, "same_street": 0.05}
MAX_SUPPORT = max(CATEGORY_WEIGHTS.values()) + max(KIND_WEIGHTS.values()) + max(PLACE_WEIGHTS.values())
URGENCY_WEIGHT = 0.1
SUPPORTERS_WEIGHT = 0.1
SKIP_BUDGET = 0.03   # see _split_terms: a speed-up that leaves every score exact

RELATED_CATEGORIES = frozenset(frozenset(pair) for pair in [
    ("elderly", "health"), ("elderly", "disability"), ("health", "disability"),
    ("elderly", "culture"), ("elderly", "safety"), ("children", "culture"),
    ("children", "health"), ("disability", "employment"), ("legal", "housing"),
    ("legal", "employment"), ("facilities", "housing"), ("facilities", "safety"),
    ("environment", "housing"), ("environment", "safety"), ("environment", "facilities"),
    ("employment", "culture"),
])
HELP_KINDS = frozenset({"people", "service", "volunteer"})
OPEN_NEED_STATUSES = frozenset({"published", "claimed", "in_progress"})
NEEDS, RESOURCES = "needs", "resources"


@dataclass
class Document:
    """A record as the engine sees it: words and groups with their weighted counts."""

    words: dict
    terms: dict
    length: float
    kinds: frozenset
    title_links: tuple        # per content word of the title: ((term, link weight), …)
    weights: dict = field(default_factory=dict)   # per term: d(t), or q(t)·idf(t)/norm for a need


def analyse(record, analyser: Analyser, ignore: frozenset = frozenset()) -> Document:
    lexicon = analyser.lexicon
    words = defaultdict(float)
    for text, weight in ((record.title, TITLE_WEIGHT), (record.body, 1.0)):
        for word, part in analyser.weighted_words(text, ignore):
            words[word] += weight * part
    terms = defaultdict(float)
    kinds = set()
    for word, tf in words.items():
        terms[word] += tf
        # A single character (学, 修, 陪) is too ambiguous to link as surely as a word.
        linked = tf * SINGLE_CHARACTER_WEIGHT if len(word) == 1 else tf
        for key in lexicon.groups_of.get(word, ()):
            terms[GROUP + key] += linked
        kinds |= lexicon.kind_cues.get(word, frozenset())
    title_links = []
    for word in dict.fromkeys(analyser.words(record.title, ignore)):
        if word not in lexicon.context_words:
            sure = SINGLE_CHARACTER_WEIGHT if len(word) == 1 else 1.0
            title_links.append(((word, sure),) + tuple(
                (GROUP + key, sure * LINK_WEIGHTS[lexicon.strength[key]])
                for key in lexicon.groups_of.get(word, ()) if key not in lexicon.context_groups))
    return Document(dict(words), dict(terms), sum(words.values()), frozenset(kinds), tuple(title_links))


def link_weight(term: str, lexicon) -> float:
    if term[0] != GROUP:
        return CONTEXT_WEIGHT if term in lexicon.context_words else 1.0
    key = term[1:]
    weight = LINK_WEIGHTS[lexicon.strength[key]]
    return weight * CONTEXT_WEIGHT if key in lexicon.context_groups else weight


def need_weights(doc: Document, analyser: Analyser) -> dict:
    """q(t) · idf(t) / Σ_w q(w) · idf(w) for each term of a need."""
    lexicon = analyser.lexicon

    def q(term, tf):
        return link_weight(term, lexicon) * analyser.idf(term) * (K3 + 1) * tf / (K3 + tf)

    # Words of whom count in full in what the need says, though little when shared.
    norm = sum(q(word, tf) / (CONTEXT_WEIGHT if word in lexicon.context_words else 1.0)
               for word, tf in doc.words.items()) or 1.0
    return {term: q(term, tf) / norm for term, tf in doc.terms.items()}


def resource_weights(doc: Document) -> dict:
    length_norm = K1 * (1 - B + B * doc.length / AVERAGE_LENGTH)
    return {term: tf * (K1 + 1) / (tf + length_norm) for term, tf in doc.terms.items()}


class MatchIndex:
    """Records of one side (needs or resources), analysed, with an inverted index."""

    def __init__(self, records: Iterable, analyser: Optional[Analyser] = None,
                 place_names: Iterable[str] = (), side: Optional[str] = None):
        self.analyser = analyser or default_analyser()
        self.ignore = self.analyser.place_words(place_names)
        self.records = list(records)
        self.side = side or (NEEDS if self.records and isinstance(self.records[0], NeedRecord) else RESOURCES)
        self.docs = [analyse(record, self.analyser, self.ignore) for record in self.records]
        self.postings = defaultdict(list)       # term → [(position, weight)]
        self.title_postings = defaultdict(list)  # needs: term → [(position, title word, link weight)]
        self.title_counts = [max(len(doc.title_links), 1) for doc in self.docs]
        for i, doc in enumerate(self.docs):
            if self.side == NEEDS:
                doc.weights = need_weights(doc, self.analyser)
                for slot, links in enumerate(doc.title_links):
                    for term, weight in links:
                        self.title_postings[term].append((i, slot, weight))
            else:
                doc.weights = resource_weights(doc)
            for term, weight in doc.weights.items():
                self.postings[term].append((i, weight))
        self.max_posting = {term: max(weight for _, weight in postings) for term, postings in self.postings.items()}

    def __len__(self) -> int:
        return len(self.records)


def build_index(records: Iterable, analyser: Optional[Analyser] = None,
                place_names: Iterable[str] = (), side: Optional[str] = None) -> MatchIndex:
    """Analyse records once, for many rankings. `place_names` (of streets, communities,
    compounds) are left out of text matching: they say where, which `place` scores."""
    return MatchIndex(records, analyser, place_names, side)


def category_relation(need_category: str, resource_category: str) -> Optional[str]:
    if need_category == resource_category and need_category != "other":
        return "same"
    if frozenset((need_category, resource_category)) in RELATED_CATEGORIES:
        return "related"
    if "other" in (need_category, resource_category):
        return "other"
    return None


def kind_fit(asked: frozenset, kind: str) -> Optional[str]:
    if kind in asked:
        return "asked"
    if not asked and kind in HELP_KINDS:
        return "help"
    return None


def place_relation(need: NeedRecord, resource: ResourceRecord) -> Optional[str]:
    if need.community_id is not None and need.community_id == resource.community_id:
        return "same_community"
    if need.street_id is not None and need.street_id == resource.street_id:
        return "same_community" if resource.scope == "street" else "same_street"
    return None


def is_available(resource: ResourceRecord, today: date) -> bool:
    return resource.status == "available" and (resource.available_until is None or resource.available_until >= today)


def is_open(need: NeedRecord) -> bool:
    return need.status in OPEN_NEED_STATUSES


def _support(need: NeedRecord, need_doc: Document, resource: ResourceRecord) -> list:
    """[(reason code, weight, value)] of category, kind and place."""
    found = []
    relation = category_relation(need.category, resource.category)
    if relation:
        found.append(("category", CATEGORY_WEIGHTS[relation], relation))
    fit = kind_fit(need_doc.kinds, resource.kind)
    if fit:
        found.append(("kind", KIND_WEIGHTS[fit], fit))
    place = place_relation(need, resource)
    if place:
        found.append((place, PLACE_WEIGHTS[place], None))
    return found


def _priority(need: NeedRecord) -> list:
    """[(reason code, weight, value)] of urgency and supporters, for rank_needs."""
    found = []
    if need.urgency > 1:
        found.append(("urgency", URGENCY_WEIGHT * (need.urgency - 1) / 2, need.urgency))
    if need.supporters > 0:
        found.append(("supporters", SUPPORTERS_WEIGHT * min(1.0, math.log1p(need.supporters) / math.log(21)),
                      need.supporters))
    return found


def _split_terms(index: MatchIndex, query_doc: Document, budget: float) -> tuple[list, list, float]:
    """The query's terms in two: those worth walking the postings of, and the weakest
    ones, whose largest possible contributions add up to at most `budget` (mostly
    words of whom, shared by half the records). The latter are only looked up for the
    candidates the former find, so every score stays exact (see `_rank`)."""
    bounded = sorted((weight * index.max_posting[term], term, weight)
                     for term, weight in query_doc.weights.items() if term in index.max_posting)
    skipped, spent = [], 0.0
    for bound, term, weight in bounded:
        if spent + bound > budget:
            break
        spent += bound
        skipped.append((term, weight))
    walked = [(term, weight) for _, term, weight in bounded[len(skipped):]]
    return walked, skipped, spent


def is_context(term: str, lexicon) -> bool:
    """A word of whom or where (老人, 孩子, 老楼), or one of their groups."""
    return term[1:] in lexicon.context_groups if term[0] == GROUP else term in lexicon.context_words


def _text_and_title(index: MatchIndex, query_doc: Document, walked: list, by_need: bool) -> tuple:
    """Per position in the index: Σ of the walked terms' weights (words of whom apart),
    and of the best links to the need's title words (to be divided by their number)."""
    core, context = defaultdict(float), defaultdict(float)
    postings, lexicon = index.postings, index.analyser.lexicon
    for term, weight in walked:
        text = context if is_context(term, lexicon) else core
        for i, posting in postings[term]:
            text[i] += weight * posting
    title = defaultdict(float)
    if by_need:
        for links in query_doc.title_links:
            best = {}
            for term, weight in links:
                for i, _ in postings.get(term, ()):
                    if weight > best.get(i, 0.0):
                        best[i] = weight
            for i, weight in best.items():
                title[i] += weight
    else:
        best = {}
        for term in query_doc.terms:
            for i, slot, weight in index.title_postings.get(term, ()):
                if weight > best.get((i, slot), 0.0):
                    best[i, slot] = weight
        for (i, _), weight in best.items():
            title[i] += weight
    return core, context, title


def _rank(index: MatchIndex, query, query_doc: Document, today: date, limit: Optional[int],
          threshold: float) -> list:
    by_need = index.side == RESOURCES          # the query is a need
    lexicon = index.analyser.lexicon
    # A record reached only through skipped terms scores under SKIP_BUDGET × (1 + MAX_SUPPORT
    # / SUPPORT_FULL): skipping is exact for thresholds above that, and off below it.
    exact_above = SKIP_BUDGET * (1 + MAX_SUPPORT / SUPPORT_FULL)
    walked, skipped, slack = _split_terms(index, query_doc, SKIP_BUDGET if threshold > exact_above else 0.0)
    core, context, title = _text_and_title(index, query_doc, walked, by_need)
    priority_room = 0.0 if by_need else URGENCY_WEIGHT + SUPPORTERS_WEIGHT
    query_titles = max(len(query_doc.title_links), 1)
    # Upper bounds first (the skipped terms could add up to `slack`), so that with a
    # limit the loop stops once no candidate left can enter the top.
    candidates = []
    for i in set(core) | set(context) | set(title):
        titles = query_titles if by_need else index.title_counts[i]
        title_part = TITLE_MATCH_WEIGHT * title.get(i, 0.0) / titles
        most_core = TEXT_SCALE * (core.get(i, 0.0) + slack) + title_part
        bound = most_core + TEXT_SCALE * context.get(i, 0.0) + MAX_SUPPORT * min(1.0, most_core / SUPPORT_FULL)
        if bound >= threshold:
            candidates.append((bound + priority_room, i))
    candidates.sort(reverse=True)
    top = []                                   # heap of (score, relevance, -position, details)
    for bound, i in candidates:
        if limit is not None and len(top) >= limit and bound < top[0][0]:
            break
        need, resource = (query, index.records[i]) if by_need else (index.records[i], query)
        if not is_available(resource, today) or not is_open(need):
            continue
        raw_core, raw_context = core.get(i, 0.0), context.get(i, 0.0)
        doc_weights = index.docs[i].weights
        for term, weight in skipped:
            if term in doc_weights:
                if is_context(term, lexicon):
                    raw_context += weight * doc_weights[term]
                else:
                    raw_core += weight * doc_weights[term]
        titles = query_titles if by_need else index.title_counts[i]
        title_part = TITLE_MATCH_WEIGHT * title.get(i, 0.0) / titles
        evidence = TEXT_SCALE * (raw_core + raw_context) + title_part
        # Sharing only whom a need is about lends no weight to category, kind or place.
        gate = min(1.0, (TEXT_SCALE * raw_core + title_part) / SUPPORT_FULL)
        need_doc = query_doc if by_need else index.docs[i]
        support = [(code, weight * gate, value) for code, weight, value in _support(need, need_doc, resource)]
        relevance = evidence + sum(weight for _, weight, _ in support)
        if relevance < threshold:
            continue
        priority = [] if by_need else _priority(need)
        score = relevance + sum(weight for _, weight, _ in priority)
        entry = (score, relevance, -i, (title_part, support + priority))
        if limit is None or len(top) < limit:
            heapq.heappush(top, entry)
        elif entry[:3] > top[0][:3]:
            heapq.heapreplace(top, entry)
    top.sort(key=lambda entry: entry[:3], reverse=True)
    return [_suggestion(index, query_doc, by_need, -position, score, relevance, title_score, details)
            for score, relevance, position, (title_score, details) in top]


def _suggestion(index, query_doc, by_need, i, score, relevance, title_score, details) -> Suggestion:
    doc = index.docs[i]
    need_doc, resource_doc = (query_doc, doc) if by_need else (doc, query_doc)
    reasons = (text_reasons(need_doc, resource_doc, index.analyser.lexicon, TEXT_SCALE)
               + title_reason(need_doc, resource_doc, title_score)
               + [Reason(code, round(weight, 4), value=value) for code, weight, value in details])
    return Suggestion(index.records[i].id, round(score, 4), round(relevance, 4), tuple(reasons), index.records[i])


def _as_index(items, side: str, analyser: Optional[Analyser]) -> MatchIndex:
    index = items if isinstance(items, MatchIndex) else MatchIndex(items, analyser, side=side)
    if index.side != side:
        raise TypeError(f"expected an index of {side}, got one of {index.side}")
    return index


def rank_resources(need: NeedRecord, resources, *, today: Optional[date] = None, limit: Optional[int] = 10,
                   threshold: float = THRESHOLD, analyser: Optional[Analyser] = None) -> list[Suggestion]:
    """Resources that could meet `need`, best first (`resources`: records or their index)."""
    index = _as_index(resources, RESOURCES, analyser)
    query_doc = analyse(need, index.analyser, index.ignore)
    query_doc.weights = need_weights(query_doc, index.analyser)
    return _rank(index, need, query_doc, today or date.today(), limit, threshold)


def rank_needs(resource: ResourceRecord, needs, *, today: Optional[date] = None, limit: Optional[int] = 10,
               threshold: float = THRESHOLD, analyser: Optional[Analyser] = None) -> list[Suggestion]:
    """Open needs that `resource` could meet, best first (`needs`: records or their index)."""
    index = _as_index(needs, NEEDS, analyser)
    query_doc = analyse(resource, index.analyser, index.ignore)
    query_doc.weights = resource_weights(query_doc)
    return _rank(index, resource, query_doc, today or date.today(), limit, threshold)
