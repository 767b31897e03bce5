"""What a suggestion is: the suggested record, its score and machine-readable reasons."""
from dataclasses import dataclass, field
from typing import Hashable

from forum.matching.text import GROUP


@dataclass(frozen=True)
class Reason:
    """One reason for a suggestion, with its `contribution` to the score.

    code: "shared_words" (words), "synonyms" (pairs of need word, resource word),
    "title" (the words of the need's title the resource speaks of), "category" (value
    "same" | "related" | "other"), "kind" (value "asked" | "help"), "same_community",
    "same_street", and for rank_needs "urgency" and "supporters" (value: the number).
    """

    code: str
    contribution: float
    words: tuple = ()
    pairs: tuple = ()
    value: object = None


@dataclass(frozen=True)
class Suggestion:
    id: Hashable          # the suggested record's id
    score: float          # relevance, plus urgency and supporters in rank_needs
    relevance: float
    reasons: tuple
    record: object = field(default=None, repr=False, compare=False)


def text_reasons(need_doc, resource_doc, lexicon, scale: float) -> list:
    """Words both use, and pairs of different words a synonym group linked. A group that
    links only a word both use adds to that word's share."""
    shared, pairs = [], []
    shared_score = linked_score = 0.0
    for term, need_weight in need_doc.weights.items():
        resource_weight = resource_doc.weights.get(term)
        if resource_weight is None:
            continue
        contribution = scale * need_weight * resource_weight
        if term[0] != GROUP:
            shared.append(term)
            shared_score += contribution
            continue
        members = lexicon.members[term[1:]]
        theirs = [m for m in members if m in resource_doc.words]
        mine = [m for m in members if m in need_doc.words and m not in resource_doc.words]
        if not mine:
            shared_score += contribution
            continue
        linked_score += contribution
        for word in mine:
            if (word, theirs[0]) not in pairs:
                pairs.append((word, theirs[0]))
    reasons = []
    if shared:
        reasons.append(Reason("shared_words", round(shared_score, 4), words=tuple(shared)))
    if pairs:
        reasons.append(Reason("synonyms", round(linked_score, 4), pairs=tuple(pairs)))
    return reasons


def title_reason(need_doc, resource_doc, title: float) -> list:
    if not title:
        return []
    words = tuple(links[0][0] for links in need_doc.title_links
                  if any(term in resource_doc.terms for term, _ in links))
    return [Reason("title", round(title, 4), words=words)]
