"""Only what the searcher may see: not in the results, not in the counts, not in a snippet."""
import re

import pytest
from search_fixtures import *  # noqa: F403  (fixtures: app on each search backend, search_backend, search_page)

from forum.core import permissions
from forum.discussion.services import delete_comment, post_comment
from forum.extensions import db
from forum.lists import needs
from forum.proposals import services as proposals


def need_fields(title, body):
    return {"title": title, "body": body, "category": "environment", "urgency": 1, "compound": None,
            "location": "", "anonymous": False}


def published(demo, title, body):
    return needs.create_for_resident(demo.staff, demo.community, "张阿姨", "13712345678", need_fields(title, body), [])


def count_on(html):
    match = re.search(r"共 (\d+) 条结果", html)
    return int(match.group(1)) if match else None


@pytest.fixture
def hidden_needs(demo):
    """A need waiting for review, a rejected one and a published then withdrawn one, all about 鹦鹉."""
    waiting = needs.create_need(demo.unverified, demo.community, need_fields("鹦鹉天天叫", "对门的鹦鹉五点就叫"), [])
    rejected = needs.create_need(demo.resident, demo.community, need_fields("鹦鹉太吵", "隔壁鹦鹉很吵"), [])
    needs.take_step(demo.staff, rejected, "reject", note="与已有需求重复")
    withdrawn = needs.create_need(demo.resident, demo.community, need_fields("鹦鹉扰民", "楼上的鹦鹉整夜叫"), [])
    needs.take_step(demo.staff, withdrawn, "publish")
    needs.take_step(demo.resident, withdrawn, "withdraw")
    return waiting, rejected, withdrawn


@pytest.mark.parametrize("who", [None, "unverified", "resident", "staff", "admin"])
def test_needs_under_review_or_rejected_never_appear(demo, client, auth, search_page, hidden_needs, who):
    if who:
        auth.login(getattr(demo, who).phone)
    titles, html = search_page("鹦鹉")
    assert titles == [] and count_on(html) == 0
    assert "五点就叫" not in html and "隔壁鹦鹉很吵" not in html and "整夜叫" not in html


def test_a_withdrawn_need_and_its_comments_leave_the_results(demo, auth, search_page):
    need = needs.create_need(demo.resident, demo.community, need_fields("腊肠狗不拴绳", "小区里有腊肠狗"), [])
    needs.take_step(demo.staff, need, "publish")
    post_comment(demo.council, need, "我也看到那只腊肠狗了")
    titles, html = search_page("腊肠狗")
    assert len(titles) == 2 and count_on(html) == 2
    needs.take_step(demo.resident, need, "withdraw")
    titles, html = search_page("腊肠狗")
    assert titles == [] and count_on(html) == 0 and "我也看到" not in html


def test_a_deleted_comment_is_not_found(demo, search_page):
    need = published(demo, "健身角", "器材旧了")
    comment = post_comment(demo.resident, need, "单杠的螺丝松动了")
    assert search_page("单杠")[0] == ["对“健身角”的评论"]
    delete_comment(demo.resident, comment)
    titles, html = search_page("单杠")
    assert titles == [] and "松动" not in html


def test_draft_and_withdrawn_proposals_are_not_found(demo, search_page):
    fields = {"title": "增设快递柜", "body": "快递柜不够用", "category": "facilities"}
    draft = proposals.create_proposal(demo.resident, demo.community, fields)
    public = proposals.create_proposal(demo.council, demo.community, dict(fields, title="快递柜扩容"), submit=True)
    assert search_page("快递柜")[0] == ["快递柜扩容"]
    proposals.take_step(demo.council, public, "withdraw")
    assert search_page("快递柜")[0] == []
    assert draft.status == "draft"


def test_a_hit_the_index_has_not_caught_up_with_is_not_shown(app, demo, search_page):
    need = published(demo, "井盖松动", "小区门口井盖松动")
    assert search_page("井盖")[0] == ["井盖松动"]
    app.extensions["forum_search"].drain_after_commit = False  # the index lags behind the database
    needs.take_step(demo.admin, need, "merge", note="重复", target_id=published(demo, "路面问题", "坑洼").id)
    titles, html = search_page("井盖")
    assert titles == [] and count_on(html) == 0


@pytest.fixture
def members_only_needs(app, monkeypatch):
    """A community that shows its needs to its own people only (a rule of the permission module)."""
    rule = permissions.RULES["view_need"]
    monkeypatch.setitem(permissions.RULES, "view_need", lambda a: bool(a.roles) and rule(a))
    db.session.commit()  # end the test's own transaction: on SQLite it holds the write lock
    app.extensions["forum_search"].rebuild()


def test_members_only_content_counts_only_for_those_who_may_see_it(demo, auth, search_page, members_only_needs):
    published(demo, "小区东门地面塌陷", "东门地面塌陷")
    assert search_page("塌陷")[0] == [] and count_on(search_page("塌陷")[1]) == 0
    auth.login(demo.resident2.phone)  # lives in another community
    assert search_page("塌陷")[0] == []
    auth.logout()
    auth.login(demo.resident.phone)
    titles, html = search_page("塌陷")
    assert titles == ["小区东门地面塌陷"] and count_on(html) == 1


def test_kept_posting_lists_follow_new_and_withdrawn_documents(app, demo, auth, search_page, monkeypatch):
    """Posting lists kept decoded between searches (whoosh keeps the commonest terms' lists; here every
    list is kept) still show a new need, and no longer show a withdrawn one."""
    if app.config["SEARCH_BACKEND"] != "whoosh":
        pytest.skip("only the whoosh backend keeps posting lists")
    from forum.search import whoosh_sets

    monkeypatch.setattr(whoosh_sets, "HOT_MIN", 1)
    monkeypatch.setattr(whoosh_sets, "_hot", type(whoosh_sets._hot)())
    first = needs.create_need(demo.resident, demo.community, need_fields("腊肠狗在楼道里叫", "每天早上腊肠狗都叫"), [])
    needs.take_step(demo.staff, first, "publish")
    assert search_page("腊肠狗")[0] == ["腊肠狗在楼道里叫"]
    assert whoosh_sets._hot  # the lists this search read are kept
    published(demo, "又见腊肠狗", "腊肠狗跑进了花园")
    assert set(search_page("腊肠狗")[0]) == {"腊肠狗在楼道里叫", "又见腊肠狗"}
    needs.take_step(demo.resident, first, "withdraw")
    titles, html = search_page("腊肠狗")
    assert titles == ["又见腊肠狗"] and count_on(html) == 1
