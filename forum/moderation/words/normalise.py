"""Text as the sensitive-word matcher sees it, with a map back to the original characters.

Each original character becomes zero or more normalised characters:

1. NFKC, one character at a time: full-width → half-width (ＡＢＣ１ → ABC1, ideographic space → space,
   ﹒ → .), compatibility forms (① → 1, ㈱ → (株)).
2. Case folding (ABC → abc, ß → ss).
3. Dropped as filler, so that characters inserted between the letters of a word do not hide it
   (FILLER_CATEGORIES and FILLER_CHARACTERS):
   - whitespace of every kind, including line breaks;
   - invisible format characters (Unicode category Cf: zero-width space/joiner/non-joiner U+200B–U+200D,
     word joiner U+2060, byte order mark U+FEFF, soft hyphen U+00AD, direction marks ...);
   - combining marks (Mn, Me: accents stacked on letters, variation selectors);
   - all punctuation (P*: . , * - _ | / \\ ' " ( ) 【】《》「」、。…— and the middle dots · ・ ‧ ...);
   - symbols (Sm, Sc, Sk, So: + = < > ~ ^ $ ¥ ★ ☆ ♥ → ✓ and the other dingbats ...), EXCEPT the
     pictographic emoji (EMOJI_RANGES, U+1F000–U+1FAFF: 😀 🎲 👍 ...): an emoji is kept, as a
     character of the text like any other, and breaks a match ("赌🎲博" is not 赌博).
   Letters and digits (including Chinese characters) are never filler.
4. Traditional → simplified Chinese (OpenCC's t2s tables, which never change a text's length, so
   the map survives the step unchanged).

`origin[i]` is the index in the original text of normalised character i; a match found in the
normalised text at [start, end) covers the original characters origin[start] .. origin[end - 1],
fillers in between included.
"""
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC

FILLER_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me",
                               "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
                               "Sm", "Sc", "Sk", "So"})
# Fillers whose category alone would not say so (a tab or newline is Cc, covered above).
FILLER_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0")  # Hangul fillers, which look blank
# Pictographic emoji: symbols that stay characters of the text (not fillers).
EMOJI_RANGES = ((0x1F000, 0x1FAFF),)


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


def is_emoji(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in EMOJI_RANGES)


@lru_cache(maxsize=4096)
def is_filler(char: str) -> bool:
    if char in FILLER_CHARACTERS or char.isspace():
        return True
    return unicodedata.category(char) in FILLER_CATEGORIES and not is_emoji(char)


@lru_cache(maxsize=8192)
def _fold(char: str) -> str:
    """One original character after NFKC and case folding, fillers dropped."""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(c for c in folded if not is_filler(c))


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original text of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) covered by normalised [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def to_simplified(text: str) -> str:
    converted = _converter().convert(text)
    if len(converted) != len(text):  # never seen with OpenCC's t2s; keep the map right regardless
        converted = "".join(_converter().convert(char)[:1] or char for char in text)
    return converted


def normalise(text: str) -> Normalised:
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text or ""):
        for folded in _fold(char):
            chars.append(folded)
            origin.append(index)
    return Normalised(to_simplified("".join(chars)), tuple(origin))


def normalise_word(word: str) -> str:
    """A listed word, normalised the same way as the texts it is looked for in."""
    return normalise(word).text
