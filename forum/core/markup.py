"""User content: Markdown rendered once at write time and cleaned by one bleach Cleaner.

The HTML is stored beside the source; templates show the stored HTML and never mark
raw user input safe. Links keep only http, https and mailto and get rel="nofollow
noopener"; script, style, svg, math and noscript go with everything inside them.
"""
import re

import bleach
import markdown
from bleach import html5lib_shim
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4", "hr"}
PROTOCOLS = {"http", "https", "mailto"}
# Dropped with everything inside them; other tags that are not allowed lose only the tag.
DROPPED_WITH_CONTENT = {"script", "style", "svg", "math", "noscript", "template", "iframe", "object", "textarea"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("title", "rel"):
        return True
    if name != "href":
        return False
    # bleach lets "javascript:1" through as a relative URL (digits look like a port): any
    # scheme at all must be one of ours.
    scheme = _SCHEME.match(_INVISIBLE.sub("", value).lower())
    return scheme is None or scheme.group(1) in PROTOCOLS


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={"a": _allowed_attribute},
    protocols=PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[lambda *a, **k: LinkifyFilter(*a, callbacks=[_nofollow], skip_tags={"pre", "code"}, **k)],
)


class _DropContent(html5lib_shim.Filter):
    """Leaves out DROPPED_WITH_CONTENT elements and all they contain."""

    def __iter__(self):
        depth = 0
        for token in html5lib_shim.Filter.__iter__(self):
            kind, name = token["type"], token.get("name", "")
            if kind == "StartTag" and (depth or name in DROPPED_WITH_CONTENT):
                depth += 1
            elif kind == "EndTag" and depth:
                depth -= 1
            elif not depth and not (kind == "EmptyTag" and name in DROPPED_WITH_CONTENT):
                yield token


def _without_dropped_content(html: str) -> str:
    # The cleaner's own parser already removes tags it will strip, so this runs first.
    from bleach._vendor.html5lib import HTMLParser, getTreeWalker
    from bleach._vendor.html5lib.serializer import HTMLSerializer

    dom = HTMLParser(namespaceHTMLElements=False).parseFragment(html)
    return HTMLSerializer(quote_attr_values="always", omit_optional_tags=False).render(
        _DropContent(getTreeWalker("etree")(dom)))


def render_markdown(source: str) -> str:
    """Markdown source → clean HTML, to store beside the source."""
    html = markdown.markdown(source or "", extensions=["nl2br", "sane_lists"], output_format="html")
    return CLEANER.clean(_without_dropped_content(html))


def stored_html(html: str | None) -> Markup:
    """HTML that went through render_markdown, for templates."""
    return Markup(html or "")
