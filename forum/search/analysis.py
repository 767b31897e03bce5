"""Text analysis for search: character grams decide what matches, jieba's words help.

jieba alone misses short words: it cuts 楼道灯坏了 into 楼道 / 灯坏 / 了 and keeps 路灯
whole, so 灯 would find neither. So a text is indexed as grams as well as jieba's words
(its ChineseAnalyzer, search mode). The units of a text are its CJK characters and its
runs of Latin letters or digits (５号楼WiFi → 5 号 楼 wifi); its grams are each unit and
each pair of neighbouring units (5, 号, 楼, wifi, 5号, 号楼, 楼wifi), pairs never across
punctuation or space. A query word of one unit matches that gram; a longer word
matches a text holding all of its pairs (电梯坏了: 电梯, 梯坏, 坏了) — the word as
written, in practice, without the cost of a phrase search. An unquoted word also
matches a text holding all of jieba's words for it in any order (电梯加装 finds 加装电梯).
Title grams weigh three times as much as the rest in the ranking.
"""
import itertools
import logging
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field

from whoosh.analysis import Token, Tokenizer

log = logging.getLogger(__name__)

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNIT = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)')
SEPARATOR = "\x1e"  # between title, body and author in a gram field's value
TITLE_WEIGHT = 3.0
MAX_TERMS = 8  # words of a query that count; the rest are ignored (and the page says so)
MAX_TERM_CHARS = 30

_jieba_lock = threading.Lock()
_jieba_ready = False


def quiet_jieba() -> None:
    """jieba logs its dictionary loading at DEBUG level on its own handler: keep it to warnings."""
    import jieba

    jieba.setLogLevel(logging.WARNING)


def init_jieba() -> None:
    """Load jieba's dictionary once per process, quietly (its cache file is in the temp folder)."""
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        import jieba

        quiet_jieba()
        jieba.dt.tmp_dir = tempfile.gettempdir()
        jieba.initialize()
        _jieba_ready = True


def normalise(text: str) -> str:
    """Full-width letters and digits to plain ones (５号楼 → 5号楼), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def unit_runs(text: str) -> list[list[str]]:
    """The units of `text` in runs unbroken by punctuation or space."""
    runs, last_end = [], None
    for match in _UNIT.finditer(normalise(text)):
        if match.start() != last_end or not runs:
            runs.append([])
        runs[-1].append(match.group(0))
        last_end = match.end()
    return runs


def grams(text: str) -> list[str]:
    """Each unit and each pair of neighbouring units, in order."""
    found = []
    for run in unit_runs(text):
        found.extend(run)
        found.extend(a + b for a, b in itertools.pairwise(run))
    return found


def jieba_words(text: str) -> list[str]:
    """jieba's search-mode words as the index holds them (its ChineseAnalyzer)."""
    return [token.text for token in chinese_analyzer()(text or "")]


_analyzer = None


def chinese_analyzer():
    global _analyzer
    if _analyzer is None:
        from jieba.analyse import ChineseAnalyzer

        init_jieba()
        _analyzer = ChineseAnalyzer()
    return _analyzer


def joined(*segments: str) -> str:
    """Title, body and author as one value for the grams field (split again by the tokenizer)."""
    return SEPARATOR.join(segment or "" for segment in segments)


def weighted_grams(segments: list[str]):
    """(gram, weight) of the title (weighing TITLE_WEIGHT), the body and the author."""
    for number, segment in enumerate(segments):
        weight = TITLE_WEIGHT if number == 0 else 1.0
        for gram in grams(segment):
            yield gram, weight


class GramTokenizer(Tokenizer):
    """The `grams` field: title, body and author (joined with SEPARATOR) as weighted grams."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, (text, weight) in enumerate(weighted_grams(value.split(SEPARATOR))):
            token.text = text
            token.boost = weight
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            yield token


# --- queries -----------------------------------------------------------------------


@dataclass
class Term:
    """One word of a query: the grams a text must hold, and jieba's words for it."""

    text: str
    quoted: bool
    grams: list[str]
    words: list[str] = field(default_factory=list)  # jieba's words, when more than one (unquoted only)


@dataclass
class ParsedQuery:
    raw: str
    terms: list[Term]
    dropped: list[str]  # words past MAX_TERMS, or with nothing searchable in them

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def highlight(self) -> list[str]:
        """The strings to mark in snippets: each word as typed, and jieba's words for it."""
        found = []
        for term in self.terms:
            for text in [term.text, *term.words]:
                if text and text not in found:
                    found.append(text)
        return found


def _term(text: str, quoted: bool) -> Term | None:
    runs = unit_runs(text)
    if not runs:
        return None
    needed = []
    for run in runs:
        pairs = [a + b for a, b in itertools.pairwise(run)] or run
        needed.extend(gram for gram in pairs if gram not in needed)
    term = Term(normalise(text).strip(), quoted, needed)
    if not quoted and sum(len(run) for run in runs) > 2:
        words = jieba_words(text)
        term.words = words if len(words) > 1 else []
    return term


def parse_query(raw: str) -> ParsedQuery:
    """Split the query into words (quoted phrases kept whole) and analyse each."""
    raw = (raw or "").strip()[:200]
    terms, dropped = [], []
    for match in _QUOTED.finditer(raw):
        quoted = match.group(4) is None
        text = next(group for group in match.groups() if group is not None)[:MAX_TERM_CHARS]
        term = _term(text, quoted) if len(terms) < MAX_TERMS else None
        if term is None:
            if text.strip():
                dropped.append(text)
            continue
        if all(term.grams != seen.grams or term.words != seen.words for seen in terms):
            terms.append(term)
    return ParsedQuery(raw, terms, dropped)
