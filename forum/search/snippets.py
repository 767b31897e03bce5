"""Snippets: the part of an item's text around the first match, with the matches marked."""
import re
import unicodedata

from markupsafe import Markup, escape

_MARKDOWN = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`~|]+|^\s*(?:#+|>+|[-+])\s+", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def plain_text(markdown_source: str) -> str:
    """Markdown source as one line of plain text (links keep their words, marks go)."""
    text = _MARKDOWN.sub(lambda m: m.group(1) or " ", markdown_source or "")
    return _SPACE.sub(" ", text).strip()


def _fold(character: str) -> str:
    """One character as the search sees it (５ → 5, Ａ → a), if that stays one character."""
    folded = unicodedata.normalize("NFKC", character).lower()
    return folded if len(folded) == 1 else character


def _folded(text: str) -> str:
    """`text` folded character by character, so positions in it are positions in `text`."""
    return "".join(map(_fold, text))


def snippet(markdown_source: str, highlights: list[str], width: int = 80, fallback_chars: int = 0) -> Markup:
    """About `width` characters around the first of `highlights`, each of them in <mark>.

    With no match in the text (it matched in the title, say) the opening `fallback_chars`
    characters are given, or nothing."""
    text = plain_text(markdown_source)
    pattern = _pattern(highlights)
    match = pattern.search(_folded(text)) if pattern else None
    if match is None:
        if not fallback_chars or not text:
            return Markup("")
        return _marked(text[:fallback_chars], pattern) + (Markup("…") if len(text) > fallback_chars else "")
    start = max(0, match.start() - width // 4)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    part = _marked(text[start:end], pattern)
    return (Markup("…") if start > 0 else Markup("")) + part + (Markup("…") if end < len(text) else "")


def marked(text: str, highlights: list[str]) -> Markup:
    """`text` (a title) with each of `highlights` in <mark>."""
    return _marked(text or "", _pattern(highlights))


def _pattern(highlights: list[str]):
    words = sorted({_folded(w) for w in highlights if w and w.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _marked(text: str, pattern) -> Markup:
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(_folded(text)):  # found in the folded text, shown as written
        out.append(escape(text[last:match.start()]))
        out.append(Markup("<mark>%s</mark>") % text[match.start():match.end()])
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
