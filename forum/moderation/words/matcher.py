"""Find listed words in a text (Aho-Corasick over the normalised text), mask and highlight them.

Plain functions and one class, no app needed. Matching is by characters, not by words:
Chinese is written without spaces, so a listed sequence is found wherever its characters
stand in a row after normalising, also across the boundary of two ordinary words
(listed 法轮 is found in 加法轮流; see tests/moderation/words/test_engine.py). Lists should
therefore hold sequences that are unambiguous on their own.
"""
from dataclasses import dataclass

import ahocorasick
from markupsafe import Markup, escape

from forum.moderation.words.normalise import normalise, normalise_word

PASS, HOLD, MASK = "pass", "hold", "mask"
# When two lists give the same word different actions, the stronger one counts.
STRENGTH = {MASK: 1, HOLD: 2}
MASK_CHAR = "＊"


@dataclass(frozen=True)
class Hit:
    """A listed word found in a text: the original characters [start, end) it covers, and those
    characters as written (`found`: 代.開.發.票 for the listed 代开发票)."""

    word: str
    action: str
    start: int
    end: int
    found: str


class WordMatcher:
    """An Aho-Corasick automaton over listed (word, action) pairs, built once and reused."""

    def __init__(self, entries):
        self.automaton = ahocorasick.Automaton()
        chosen: dict[str, tuple[str, str]] = {}
        for word, action in entries:
            key = normalise_word(word)
            if key and (key not in chosen or STRENGTH[action] > STRENGTH[chosen[key][1]]):
                chosen[key] = (word, action)
        for key, (word, action) in chosen.items():
            self.automaton.add_word(key, (len(key), word, action))
        if chosen:
            self.automaton.make_automaton()
        self.size = len(chosen)

    def find(self, text: str) -> list[Hit]:
        """Every occurrence of every listed word, overlapping ones too, in text order."""
        if not self.size or not text:
            return []
        normalised = normalise(text)
        hits = []
        for last, (length, word, action) in self.automaton.iter(normalised.text):
            start, end = normalised.span(last + 1 - length, last + 1)
            hits.append(Hit(word, action, start, end, text[start:end]))
        return sorted(hits, key=lambda hit: (hit.start, hit.end))

    def mask(self, text: str) -> str:
        """`text` with the characters of every mask-word occurrence (and fillers inside it) as ＊."""
        spans = [(hit.start, hit.end) for hit in self.find(text) if hit.action == MASK]
        return mask_spans(text, spans)


def merged(spans) -> list[tuple[int, int]]:
    """Overlapping or touching [start, end) spans joined, in order."""
    result: list[list[int]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(start, end) for start, end in result]


def mask_spans(text: str, spans) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = MASK_CHAR * (end - start)
    return "".join(chars)


def highlight_spans(text: str, spans) -> Markup:
    """The text escaped, each span wrapped in <mark>."""
    parts, at = [], 0
    for start, end in merged(spans):
        parts.append(escape(text[at:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        at = end
    parts.append(escape(text[at:]))
    return Markup("").join(parts)


def highlight(text: str, words) -> Markup:
    """`text` (escaped) with every occurrence of `words` marked, variants included; for the
    moderators' queue, which shows why a post was held."""
    text = text or ""
    hits = WordMatcher((word, HOLD) for word in words).find(text)
    return highlight_spans(text, [(hit.start, hit.end) for hit in hits])


@dataclass(frozen=True)
class Match:
    word: str
    action: str


class Screening:
    """What the lists found in some texts: the overall action and the words, with their actions."""

    def __init__(self, matcher: WordMatcher, texts):
        self.matcher = matcher
        self.hits = [hit for text in texts for hit in matcher.find(text)]

    @property
    def matches(self) -> list[Match]:
        """Each word found, once, in the order first found."""
        return list(dict.fromkeys(Match(hit.word, hit.action) for hit in self.hits))

    @property
    def action(self) -> str:
        """"hold" if any hold-word was found, else "mask" if any mask-word, else "pass"."""
        actions = {hit.action for hit in self.hits}
        return HOLD if HOLD in actions else MASK if MASK in actions else PASS

    @property
    def held_words(self) -> list[str]:
        """The hold-words as written in the texts, once each: what the moderators' queue marks."""
        return list(dict.fromkeys(hit.found for hit in self.hits if hit.action == HOLD))

    def masked(self, text: str) -> str:
        return self.matcher.mask(text) if text else text

    def highlight(self, text: str) -> Markup:
        return highlight_spans(text or "", [(hit.start, hit.end) for hit in self.matcher.find(text or "")])
