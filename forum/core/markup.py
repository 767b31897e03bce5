"""User content: Markdown rendered once at write time and cleaned by one bleach Cleaner.

The HTML is stored beside the source; templates show the stored HTML and never mark
raw user input safe.
"""
import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4", "hr"}
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener ugc"
    return attrs


CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols={"http", "https", "mailto", "tel"},
    strip=True,
    filters=[lambda *a, **k: LinkifyFilter(*a, callbacks=[_nofollow], skip_tags={"pre", "code"}, **k)],
)


def render_markdown(source: str) -> str:
    """Markdown source → clean HTML, to store beside the source."""
    html = markdown.markdown(source or "", extensions=["nl2br", "sane_lists"], output_format="html")
    return CLEANER.clean(html)


def stored_html(html: str | None) -> Markup:
    """HTML that went through render_markdown, for templates."""
    return Markup(html or "")
