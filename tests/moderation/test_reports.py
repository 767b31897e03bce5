"""举报: any logged-in user reports a need, resource, proposal, comment or profile, once; enough reports hide it."""
import pytest
import sqlalchemy as sa
from moderation_factory import (Need, case_of, collecting_proposal, comment_on, demo_resource, fresh, published_need,
                                report_by, reporters)

from forum.extensions import db
from forum.moderation.models import Report
from forum.notifications.models import Notification


def _item(demo, kind):
    need = published_need(demo)
    return {"need": lambda: need, "resource": demo_resource, "proposal": lambda: collecting_proposal(demo),
            "comment": lambda: comment_on(need, demo.council), "profile": lambda: demo.council}[kind]()


def _page(kind, item):
    from forum.moderation.kinds import KINDS

    return KINDS[kind].url(item).split("#")[0]


@pytest.mark.parametrize("kind", ["need", "resource", "proposal", "comment", "profile"])
def test_a_resident_reports_each_kind_from_its_page(client, auth, demo, kind):
    item = _item(demo, kind)
    before = case_of(item).report_count if case_of(item) else 0  # the demo has reported a proposal
    auth.login(demo.resident2.phone if kind == "need" else demo.unverified.phone)
    page = client.get(_page(kind, item)).get_data(as_text=True)
    form_url = f"/moderation/report/{kind}/{item.id}"
    assert form_url in page and "举报" in page
    form = client.get(form_url).get_data(as_text=True)
    assert "垃圾广告" in form and "辱骂攻击" in form and "泄露个人信息" in form and "虚假信息" in form
    response = client.post(form_url, data={"reason": "abuse", "note": "说话太难听"})
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith(_page(kind, item))
    assert "谢谢您的举报" in client.get(response.headers["Location"]).get_data(as_text=True)
    case = case_of(item)
    assert case.is_open and case.report_count == before + 1
    assert (case.reports[-1].reason, case.reports[-1].note) == ("abuse", "说话太难听")


def test_a_second_report_by_the_same_user_says_so_kindly(client, auth, demo):
    need = published_need(demo)
    auth.login(demo.unverified.phone)
    client.post(f"/moderation/report/need/{need.id}", data={"reason": "spam"})
    again = client.post(f"/moderation/report/need/{need.id}", data={"reason": "other"}, follow_redirects=True)
    assert "您已经举报过了" in again.get_data(as_text=True)
    assert "您已经举报过了" in client.get(f"/moderation/report/need/{need.id}").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 3 + 1  # the demo's three and this one


def test_a_report_without_a_reason_is_refused_and_keeps_the_note(client, auth, demo):
    need = published_need(demo)
    auth.login(demo.unverified.phone)
    response = client.post(f"/moderation/report/need/{need.id}", data={"note": "楼上说的电话是真的吗"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "请选择举报原因" in html and "楼上说的电话是真的吗" in html
    assert case_of(need) is None


def test_nobody_reports_their_own_post_and_visitors_must_log_in(client, auth, demo):
    need = published_need(demo)
    assert client.get(f"/moderation/report/need/{need.id}").status_code == 302
    assert f"/moderation/report/need/{need.id}" not in client.get(f"/needs/{need.id}").get_data(as_text=True)
    auth.login(demo.resident.phone)
    assert f"/moderation/report/need/{need.id}" not in client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert client.post(f"/moderation/report/need/{need.id}", data={"reason": "spam"}).status_code == 403


def test_what_one_may_not_see_cannot_be_reported(client, auth, demo):
    draft = published_need(demo)
    draft.moderation_state = "held"
    db.session.commit()
    auth.login(demo.unverified.phone)
    assert client.get(f"/moderation/report/need/{draft.id}").status_code == 404
    assert client.get("/moderation/report/need/999999").status_code == 404
    assert client.get("/moderation/report/poll/1").status_code == 404


def test_reports_from_distinct_users_hide_the_post_at_the_threshold(app, demo, make_user):
    need = published_need(demo)
    neighbours = reporters(make_user, demo.community, 3)
    report_by(neighbours[:2], need)
    assert fresh(Need, need.id).moderation_state is None
    report_by(neighbours[2:], need)
    need = fresh(Need, need.id)
    assert need.moderation_state == "hidden" and case_of(need).report_count == 3
    told = db.session.scalars(sa.select(Notification).where(Notification.user_id == demo.resident.id)
                              .order_by(Notification.id.desc())).first()
    assert "hidden after several reports" in told.message and told.params["title"] == need.title


def test_the_threshold_is_a_community_setting_that_staff_change(client, auth, demo, make_user):
    auth.login(demo.council.phone)
    assert client.post(f"/moderation/settings/{demo.community.id}", data={"report_hide_threshold": 1}).status_code == 403
    auth.login(demo.staff.phone)
    assert "自动隐藏所需举报人数" in client.get(f"/moderation/?community={demo.community.id}").get_data(as_text=True)
    bad = client.post(f"/moderation/settings/{demo.community.id}", data={"report_hide_threshold": 0})
    assert bad.status_code == 400 and "请输入 1 到 100 之间的数字" in bad.get_data(as_text=True)
    assert client.post(f"/moderation/settings/{demo.community.id}",
                       data={"report_hide_threshold": 1}).status_code == 303
    need = published_need(demo)
    report_by(reporters(make_user, demo.community, 1), need)
    assert fresh(Need, need.id).moderation_state == "hidden"


def test_reports_after_a_dismissal_count_afresh(app, demo, make_user):
    from forum.moderation import actions

    need = published_need(demo)
    report_by(reporters(make_user, demo.community, 2), need)
    actions.dismiss(demo.council, case_of(need))
    report_by(reporters(make_user, demo.community, 2), need)
    case = case_of(need)
    assert case.is_open and case.report_count == 2 and fresh(Need, need.id).moderation_state is None
