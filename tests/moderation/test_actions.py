"""What the moderators decide, as the author and everyone else then see it."""
import pytest
import sqlalchemy as sa
from moderation_factory import Need, case_of, comment_on, fresh, published_need, report_by, reporters

from forum.discussion.models import Comment, Thread
from forum.extensions import db
from forum.moderation import actions, services
from forum.notifications.models import Notification

TITLE, BODY = "小区门口有人发小广告", "每天都有人往门缝里塞办证小广告，看着很乱。"


def _latest_notice(user):
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc())).first()


@pytest.fixture
def hidden_need(demo):
    need = published_need(demo, TITLE, BODY)
    services.report(demo.unverified, need, "spam")
    actions.hide(demo.council, case_of(need), "含有广告联系方式")
    return need


def test_the_author_sees_the_hidden_need_with_the_reason(client, auth, demo, hidden_need):
    auth.login(demo.resident.phone)
    html = client.get(f"/needs/{hidden_need.id}").get_data(as_text=True)
    assert "已隐藏" in html and "含有广告联系方式" in html and "申请复核" in html
    notice = _latest_notice(demo.resident)
    assert notice.params["reason"] == "含有广告联系方式" and notice.url == f"/needs/{hidden_need.id}"


@pytest.mark.parametrize("who", [None, "unverified", "resident2", "unit_contact"])
def test_everyone_else_finds_the_hidden_need_nowhere(client, auth, demo, hidden_need, who):
    if who:
        auth.login(getattr(demo, who).phone)
    assert client.get(f"/needs/{hidden_need.id}").status_code == 404
    assert TITLE not in client.get(f"/needs/?community={demo.community.id}").get_data(as_text=True)
    assert TITLE not in client.get(f"/?community={demo.community.id}").get_data(as_text=True)
    search = client.get("/search", query_string={"q": "小广告"}).get_data(as_text=True)
    assert TITLE not in search and "门缝" not in search


@pytest.mark.parametrize("who", ["council", "staff", "admin"])
def test_moderators_and_staff_still_see_it_with_the_banner(client, auth, demo, hidden_need, who):
    auth.login(getattr(demo, who).phone)
    html = client.get(f"/needs/{hidden_need.id}").get_data(as_text=True)
    assert "已隐藏" in html and "含有广告联系方式" in html and "申请复核" not in html and "去处理" in html


def test_a_supervisor_sees_hidden_content(client, auth, demo, hidden_need, make_user):
    auth.login(make_user(demo.community, roles=("supervisor",)).phone)
    assert client.get(f"/needs/{hidden_need.id}").status_code == 200


def test_a_hidden_comment_is_a_placeholder_for_others(client, auth, demo):
    need = published_need(demo)
    comment = comment_on(need, demo.unverified, "楼上的你家住几号楼？把手机号发出来")
    services.report(demo.council, comment, "personal_information")
    actions.hide(demo.staff, case_of(comment), "打听他人住址和电话")
    page = f"/needs/{need.id}"
    anonymous = client.get(page).get_data(as_text=True)
    assert "此评论已被隐藏" in anonymous and "把手机号发出来" not in anonymous
    assert client.get(f"/discussion/comments/{comment.id}/history").status_code == 404
    auth.login(demo.unverified.phone)
    own = client.get(page).get_data(as_text=True)
    assert "把手机号发出来" in own and "打听他人住址和电话" in own
    search = client.get("/search", query_string={"q": "手机号"}).get_data(as_text=True)
    assert "把手机号发出来" not in search


def test_dismissing_publishes_a_held_comment_and_tells_its_author(client, auth, demo):
    need = published_need(demo)
    comment = comment_on(need, demo.unverified, "周末一起去拆小广告吧")
    services.hold(comment, reason="new_user")
    db.session.commit()
    assert "此评论正在等待审核" in client.get(f"/needs/{need.id}").get_data(as_text=True)
    auth.login(demo.unverified.phone)
    assert "审核通过前，只有您和管理员能看到" in client.get(f"/needs/{need.id}").get_data(as_text=True)
    auth.login(demo.council.phone)
    response = client.post(f"/moderation/cases/{case_of(comment).id}/dismiss")
    assert response.status_code == 303 and response.headers["Location"].endswith("/moderation/")
    auth.logout()
    assert "周末一起去拆小广告吧" in client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "published" in _latest_notice(demo.unverified).message
    assert not case_of(comment).is_open


def test_restoring_shows_the_post_again(client, auth, demo, hidden_need):
    auth.login(demo.staff.phone)
    assert client.post(f"/moderation/cases/{case_of(hidden_need).id}/restore").status_code == 303
    auth.logout()
    assert client.get(f"/needs/{hidden_need.id}").status_code == 200
    assert TITLE in client.get(f"/needs/?community={demo.community.id}").get_data(as_text=True)
    assert "shown again" in _latest_notice(demo.resident).message


def test_hiding_needs_a_reason_and_keeps_what_was_typed(client, auth, demo):
    need = published_need(demo)
    services.report(demo.unverified, need, "spam")
    auth.login(demo.council.phone)
    response = client.post(f"/moderation/cases/{case_of(need).id}/hide", data={"hide-reason": "  "})
    assert response.status_code == 400 and "请填写原因" in response.get_data(as_text=True)
    long = "太长" * 300
    response = client.post(f"/moderation/cases/{case_of(need).id}/hide", data={"hide-reason": long})
    assert response.status_code == 400 and long in response.get_data(as_text=True)
    assert fresh(Need, need.id).moderation_state is None


def test_locking_the_thread_of_a_reported_comment(client, auth, demo):
    need = published_need(demo)
    comment = comment_on(need, demo.unverified, "吵起来了")
    services.report(demo.resident, comment, "abuse")
    auth.login(demo.council.phone)
    assert client.post(f"/moderation/cases/{case_of(comment).id}/lock").status_code == 303
    assert db.session.get(Thread, fresh(Comment, comment.id).thread_id).is_locked
    auth.login(demo.unverified.phone)
    assert client.post(f"/discussion/need/{need.id}/comments", data={"body": "还想说"}).status_code == 403


def test_a_warning_reaches_the_author(client, auth, demo):
    need = published_need(demo)
    comment = comment_on(need, demo.unverified, "说话难听")
    services.report(demo.resident, comment, "abuse")
    auth.login(demo.council.phone)
    client.post(f"/moderation/cases/{case_of(comment).id}/warn", data={"warn-reason": "请文明发言"})
    auth.login(demo.unverified.phone)
    assert "请文明发言" in client.get("/notifications/").get_data(as_text=True)


def test_the_author_asks_for_a_review_once(client, auth, demo, hidden_need):
    auth.login(demo.resident.phone)
    response = client.post(f"/moderation/review/need/{hidden_need.id}")
    assert response.status_code == 303
    html = client.get(f"/needs/{hidden_need.id}").get_data(as_text=True)
    assert "您已申请复核" in html and "申请复核</button>" not in html
    case = case_of(hidden_need)
    assert case.is_open and case.cause == "review"
    assert client.post(f"/moderation/review/need/{hidden_need.id}").status_code == 403
    auth.login(demo.council.phone)
    assert TITLE in client.get("/moderation/?state=hidden").get_data(as_text=True)


def test_only_the_author_asks_for_a_review(client, auth, demo, hidden_need):
    auth.login(demo.staff.phone)
    assert client.post(f"/moderation/review/need/{hidden_need.id}").status_code == 403


def test_bulk_hiding_a_spam_wave(client, auth, demo, make_user):
    need = published_need(demo)
    spammer = make_user(demo.community)
    spam = [comment_on(need, spammer, f"低价办证 {n}") for n in range(3)]
    for comment in spam:
        services.report(demo.resident, comment, "spam")
    auth.login(demo.council.phone)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert all(f'value="{case_of(c).id}"' in queue for c in spam)
    response = client.post("/moderation/cases/bulk", data={"case": [case_of(c).id for c in spam[:2]], "action": "hide"})
    assert response.status_code == 303
    assert [fresh(Comment, c.id).moderation_state for c in spam] == ["hidden", "hidden", None]
    assert case_of(spam[0]).hide_reason == "垃圾广告"
    client.post("/moderation/cases/bulk", data={"case": [case_of(spam[2]).id], "action": "dismiss"})
    assert not case_of(spam[2]).is_open


def test_bulk_skips_cases_of_other_communities(app, demo, make_user):
    other = published_need(demo, author=demo.resident2, community=demo.community2)  # 翠湖社区
    services.report(make_user(demo.community2, verified=True), other, "spam")
    assert actions.bulk(demo.council, [case_of(other).id], "hide") == 0
    assert fresh(Need, other.id).moderation_state is None


def test_the_queue_orders_by_reports_then_age(client, auth, demo, make_user):
    first, second = published_need(demo, "第一条需求标题"), published_need(demo, "第二条需求标题")
    report_by(reporters(make_user, demo.community, 1), first)
    report_by(reporters(make_user, demo.community, 2), second)
    auth.login(demo.council.phone)
    html = client.get(f"/moderation/?community={demo.community.id}").get_data(as_text=True)
    assert html.index("第二条需求标题") < html.index("第一条需求标题")


def test_held_items_show_their_matched_words_highlighted(client, auth, demo):
    need = published_need(demo, "出售二手家具", "搬家出售二手家具，另有代开发票业务")
    services.hold(need, reason="sensitive_words", words=["代开发票"])
    db.session.commit()
    auth.login(demo.council.phone)
    html = client.get("/moderation/?state=held").get_data(as_text=True)
    assert "<mark>代开发票</mark>" in html and "出售二手家具" in html
