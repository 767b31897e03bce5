"""In a real browser with the Content-Security-Policy switched off (so that only the escaping
and the Markdown cleaner stand between a vector and the reader), pages full of the OWASP
XSS filter evasion vectors and the Big List of Naughty Strings' script injections run
nothing: no dialog opens, and the flag every payload would set stays unset."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from browser.conftest import PHONE, Page
from forum.extensions import db
from security.hostile import hostile_sample, xss_vectors

# Every call of alert/confirm/prompt in a payload also sets window.__xss, so a payload that
# runs is caught even when it fails before its dialog opens.
FLAGGED = re.compile(r"\b(alert|confirm|prompt)\b")


# What a reader does to an element: point at it, focus it, move across it (never a click,
# which could leave the page); any handler a payload slipped in would fire.
POKE = """() => { for (const el of document.querySelectorAll('main *')) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'focus', 'focusin', 'pointerover']) {
        el.dispatchEvent(new Event(type, {bubbles: true}));
    } } }"""


def flagged(text: str) -> str:
    """The payload with the flag set by each of its calls (and without NUL characters, which
    the site drops from what is typed; this test stores the payloads directly)."""
    return FLAGGED.sub(r"(window.__xss=1)&&\1", text).replace("\x00", "")


def _chunks(texts, limit):
    chunk = []
    for text in texts:
        if sum(len(t) + 2 for t in chunk) + len(text) > limit:
            yield "\n\n".join(chunk)
            chunk = []
        chunk.append(text)
    if chunk:
        yield "\n\n".join(chunk)


def _hostile_content(app) -> dict[str, str]:
    """A need, its comments, a proposal and a resident's name full of flagged vectors; their pages."""
    from forum.accounts.models import User
    from forum.discussion.services import post_comment
    from forum.lists import needs
    from forum.places.models import Community
    from forum.proposals import services as proposals

    vectors = [flagged(v) for v in xss_vectors()]
    short = [flagged(v) for v in hostile_sample() if len(v) <= 50 and FLAGGED.search(v)]
    with app.app_context():
        community = db.session.scalar(sa.select(Community).order_by(Community.id))
        resident = db.session.scalar(sa.select(User).where(User.phone == "13900000004"))
        staff = db.session.scalar(sa.select(User).where(User.phone == "13900000001"))
        resident.display_name = short[0][:20]
        need = needs.create_need(resident, community, {
            "title": ("脚本" + short[1])[:60], "body": next(_chunks(vectors, 5000)), "category": "other",
            "urgency": 1, "compound": None, "location": short[2][:120], "anonymous": False}, [])
        needs.take_step(staff, need, "publish")
        for body in _chunks(vectors + short, 4000):
            post_comment(resident, need, body)
        proposal = proposals.create_proposal(resident, community, {
            "title": ("议题" + short[3])[:60], "body": "\n\n".join(vectors[:40]), "category": "other"}, submit=True)
        db.session.commit()
        return {"need": f"/needs/{need.id}", "thread": f"/discussion/need/{need.id}",
                "needs": f"/needs/?community={community.id}", "proposal": f"/proposals/{proposal.id}",
                "search": "/search?q=脚本", "user": f"/users/{resident.id}", "home": "/"}


@pytest.fixture
def unprotected_page(browser, live_server):
    """A phone-sized page with the site's CSP switched off, recording every dialog."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True, has_touch=True, is_mobile=True)
    wrapped = Page(context.new_page(), live_server.url)
    wrapped.dialogs = []
    wrapped.page.on("dialog", lambda dialog: (wrapped.dialogs.append(dialog.message), dialog.dismiss()))
    yield wrapped
    context.close()


def test_pages_full_of_xss_vectors_run_nothing(unprotected_page, live_server):
    page, p = unprotected_page, unprotected_page.page
    pages = _hostile_content(live_server.app)
    page.login("13900000004")
    for name, path in pages.items():
        page.goto(path)
        p.wait_for_load_state("load")
        p.evaluate(POKE)
        p.wait_for_timeout(100)
        assert p.evaluate("window.__xss") is None, f"a payload ran on the {name} page"
        assert page.dialogs == [], f"a dialog opened on the {name} page: {page.dialogs}"
    # The vectors are there, shown as text: the page does hold them.
    page.goto(pages["need"])
    assert "onerror" in p.inner_text("main") and "javascript:" in p.inner_text("main")
    # A comment posted with htmx (swapped into the page without a reload) runs nothing either.
    p.fill("#comment-body", "\n\n".join(["浏览器里发的评论"] + [flagged(v) for v in xss_vectors()[:30]]))
    p.click("button:has-text('发表评论')")
    expect(p.locator("article.comment", has_text="浏览器里发的评论")).to_have_count(1)
    p.evaluate(POKE)
    p.wait_for_timeout(300)
    assert p.evaluate("window.__xss") is None and page.dialogs == []
    assert page.console_errors == []


def test_the_flag_would_catch_a_payload_that_runs(unprotected_page, live_server):
    """The check can fail: the same flagged payload, put into the page by the test itself, runs."""
    page, p = unprotected_page, unprotected_page.page
    page.goto("/")
    p.evaluate("html => document.querySelector('main').insertAdjacentHTML('beforeend', html)",
               flagged("<img src=x onerror=alert(1)>"))
    p.wait_for_timeout(300)
    assert p.evaluate("window.__xss") == 1 and page.dialogs == ["1"]
    page.console_errors.clear()  # the broken image the payload loads
