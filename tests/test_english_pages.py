"""In English, no page shows Chinese interface text: every page of the route table, as staff and as admin.

Telling interface text from user content without marking every template: the demo data is
Chinese, so Chinese on an English page is either content or an untranslated interface string.
Content comes from the database, so the database is the list of what may stay Chinese:
1. the page's visible text (and its title, aria-label, placeholder, alt and button labels) is cut
   into blocks, one per block-level element, so text split by inline tags (<mark>, <a>) stays whole;
2. every text stored in the database (string, text and JSON columns, and the text of the stored
   HTML), and the request's own query values, is removed from each block, longest first;
3. so is, in a block with English words in it, the Chinese that English interface strings hold on
   purpose: examples of what residents type ("e.g. 楼道灯") and glosses ("Polls and consultations (民意征集)");
4. what Chinese is left must be a piece (between "…") of at least MIN_EXCERPT Chinese characters of
   some stored text: a shortened excerpt or a search snippet. A short piece of content is not
   accepted, as a short interface word ("社区") would hide inside a longer text.
Elements that say so themselves are skipped: `lang="zh…"` (the language switcher's 简体中文) and
`translate="no"` (words taken out of content, e.g. the matching reasons' shared words).
"""
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa

from forum.extensions import db
from test_i18n import _source_messages as source_messages
from test_routes import ROUTES, route_ids

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MIN_EXCERPT = 6
BLOCKS = {"address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details", "div", "dl",
          "dt", "fieldset", "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
          "label", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "select", "summary",
          "table", "td", "textarea", "th", "title", "tr", "ul"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class VisibleText(HTMLParser):
    """The blocks of text a reader (or a screen reader) meets on the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current, self.stack = [], [], []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = tag in ("script", "style") or attrs.get("translate") == "no" \
            or (attrs.get("lang") or "").startswith("zh")
        if not self._skipping() and not skip:
            self.blocks += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.blocks.append(attrs["value"])
            if tag == "meta" and attrs.get("name") == "description":
                self.blocks.append(attrs.get("content", ""))
        if tag in BLOCKS:
            self._flush()
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._flush()
        names = [name for name, _ in self.stack]
        if tag in names:
            del self.stack[len(names) - 1 - names[::-1].index(tag):]

    def handle_data(self, data):
        if not self._skipping():
            self.current.append(data)

    def close(self):
        super().close()
        self._flush()


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _blocks(html: str) -> list[str]:
    """Stored HTML (rendered Markdown) as the blocks a page shows of it."""
    if "<" not in html:
        return []
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.blocks


def stored_texts() -> list[str]:
    """Every Chinese text the database holds, longest first."""
    found = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for value in row:
                for text in _strings(value):
                    found |= {text.strip()} | set(text.splitlines()) | set(_blocks(text))
    return sorted((t.strip() for t in found if HAN.search(t)), key=len, reverse=True)


def chinese_in_english_messages() -> list[str]:
    """The Chinese that English interface strings hold on purpose: examples of what residents type
    (e.g. 楼道灯) and glosses of Chinese terms (民意征集). A string wholly in Chinese is not one of them."""
    found = set()
    for msgid in source_messages():
        if re.search("[A-Za-z]", msgid):
            found |= set(HAN.findall(msgid))
    return sorted(found, key=len, reverse=True)


def untranslated(html: str, texts: list[str], url: str, glosses: list[str] = ()) -> list[str]:
    """The blocks of `html` that still hold Chinese that is not content (`glosses`: Chinese that
    English strings hold on purpose, let through only in a block with English words in it)."""
    own = [value for _, value in parse_qsl(urlsplit(url).query) if HAN.search(value)]
    candidates = sorted(own + texts, key=len, reverse=True)
    with_glosses = sorted(candidates + list(glosses), key=len, reverse=True)
    corpus = "\n".join(texts)
    problems = []
    for block in _blocks(html):
        if not HAN.search(block):
            continue
        rest = block
        for text in with_glosses if re.search("[A-Za-z]", block) else candidates:
            if text in rest:
                rest = rest.replace(text, "\x00")
        pieces = [piece.strip(" .·") for piece in re.split(r"…|\.\.\.|\x00", rest)]
        if any(HAN.search(piece) and (len("".join(HAN.findall(piece))) < MIN_EXCERPT or piece not in corpus)
               for piece in pieces):
            problems.append(block)
    return problems


@pytest.mark.parametrize("role", ["staff", "admin", "council", "resident", "unit_contact", "anonymous"])
def test_no_page_shows_chinese_interface_text_in_english(client, auth, demo, role):
    ids = route_ids(demo)
    if role != "anonymous":
        auth.login(getattr(demo, role).phone)
    assert client.post("/settings/language", data={"lang": "en"}).status_code == 303
    texts, glosses = stored_texts(), chinese_in_english_messages()
    found = {}
    urls = [template.format(**ids) for _, (method, template, _) in ROUTES.items() if method == "GET"]
    for url in urls + ["/no/such/page"]:
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        problems = untranslated(response.get_data(as_text=True), texts, url, glosses)
        if problems:
            found[url] = problems
    assert found == {}, "\n".join(f"{url}: {problems}" for url, problems in found.items())


def test_the_check_finds_chinese_interface_text_and_lets_content_through():
    texts = ["青松社区", "3号楼2单元从一楼到四楼的楼道灯都不亮，晚上老人上下楼只能摸黑"]
    page = ('<html><head><title>Needs · 青松社区</title></head><body><h1>青松社区</h1>'
            '<p>3号楼2单元从一楼到四楼的楼道灯都不亮，晚上…</p><p>…四楼的<mark>楼道灯</mark>都不亮，晚上老人…</p>'
            '<dl><dt>社区</dt><dd>青松社区</dd></dl><button aria-label="关闭">x</button>'
            '<span lang="zh-CN">简体中文</span><p>Shared words: <span translate="no">楼道</span></p>'
            '<p>Raised by 青松社区居民</p><p>e.g. 楼道灯</p><a class="brand">议事厅</a></body></html>')
    assert untranslated(page, texts, "/needs/?q=电梯", glosses=["楼道灯", "议事厅"]) == [
        "社区", "关闭", "Raised by 青松社区居民", "议事厅"]
