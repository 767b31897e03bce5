"""禁言 and 封禁: a sanctioned user reads but cannot post, and is told why and until when."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from conftest import DEMO_PASSWORD
from moderation_factory import case_of, collecting_proposal, comment_on, fresh, published_need

from forum.accounts.models import User
from forum.core.models import utcnow
from forum.core.permissions import can
from forum.discussion.services import thread_of
from forum.extensions import db
from forum.moderation import actions, services
from forum.moderation.models import ModerationCase
from forum.voting.models import Poll

POSTING = [
    ("post_need", lambda demo: demo.community),
    ("support_need", lambda demo: published_need(demo, author=demo.staff)),
    ("raise_proposal", lambda demo: demo.community),
    ("support_proposal", lambda demo: collecting_proposal(demo)),
    ("report_content", lambda demo: published_need(demo, author=demo.staff)),
    ("comment_on_thread", lambda demo: thread_of(published_need(demo, author=demo.staff))),
    ("vote_in_poll", lambda demo: db.session.scalar(sa.select(Poll).where(Poll.electorate == "residents",
                                                                          Poll.status == "open"))),
]


@pytest.fixture
def suspended(demo):
    """The resident, suspended for 3 days over a comment."""
    need = published_need(demo, author=demo.staff)
    comment = comment_on(need, demo.resident, "骂人的话")
    services.report(demo.unverified, comment, "abuse")
    actions.suspend(demo.council, case_of(comment), 3, "多次辱骂邻居")
    return fresh(User, demo.resident.id), need


@pytest.mark.parametrize("action, target", POSTING)
def test_a_suspended_user_may_not_post_support_or_report(demo, suspended, action, target):
    user, _ = suspended
    obj = target(demo)
    assert not can(user, action, obj)
    user.suspended_until = utcnow() - timedelta(minutes=1)  # the suspension has run out
    assert can(user, action, obj)


def test_a_suspended_user_is_told_why_and_until_when(client, auth, demo, suspended):
    user, need = suspended
    auth.login(user.phone)
    html = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "您已被禁言至" in html and "多次辱骂邻居" in html
    assert client.post(f"/discussion/need/{need.id}/comments", data={"body": "我还要说"}).status_code == 403
    assert client.get(f"/needs/new?community={demo.community.id}").status_code == 403
    assert "禁言" in client.get("/notifications/").get_data(as_text=True)


def test_the_suspension_expires(client, auth, demo, suspended):
    user, need = suspended
    user.suspended_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    auth.login(user.phone)
    assert "您已被禁言至" not in client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert client.post(f"/discussion/need/{need.id}/comments", data={"body": "我又能说话了"}).status_code == 303


def test_suspension_days_are_checked(client, auth, demo):
    need = published_need(demo, author=demo.staff)
    comment = comment_on(need, demo.resident, "一句话")
    services.report(demo.unverified, comment, "abuse")
    auth.login(demo.council.phone)
    response = client.post(f"/moderation/cases/{case_of(comment).id}/suspend",
                           data={"suspend-days": 0, "suspend-reason": "理由写在这里"})
    assert response.status_code == 400 and "理由写在这里" in response.get_data(as_text=True)
    assert fresh(User, demo.resident.id).suspended_until is None


def test_a_ban_logs_the_user_out_and_stops_their_posting(app, client, auth, demo):
    author = app.test_client()
    author.post("/auth/login", data={"phone": demo.resident.phone, "password": DEMO_PASSWORD})
    assert author.get("/profile").status_code == 200
    need = published_need(demo, author=demo.staff)
    comment = comment_on(need, demo.resident, "广告")
    services.report(demo.unverified, comment, "spam")
    auth.login(demo.council.phone)
    response = client.post(f"/moderation/cases/{case_of(comment).id}/ban", data={"ban-reason": "反复发布广告"})
    assert response.status_code == 303
    assert author.get("/profile").status_code == 302  # the ban ended the session
    author.post("/auth/login", data={"phone": demo.resident.phone, "password": DEMO_PASSWORD})
    html = author.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "您的账号已被封禁" in html and "反复发布广告" in html
    assert author.post(f"/discussion/need/{need.id}/comments", data={"body": "再发"}).status_code == 403


def test_lifting_a_suspension(client, auth, demo, suspended):
    user, _ = suspended
    case = db.session.scalar(sa.select(ModerationCase).where(ModerationCase.author_id == user.id))
    auth.login(demo.staff.phone)
    assert client.post(f"/moderation/cases/{case.id}/lift").status_code == 303
    assert can(fresh(User, user.id), "post_need", demo.community)


def test_moderators_cannot_sanction_themselves_or_an_admin(app, demo):
    need = published_need(demo, author=demo.staff)
    own = comment_on(need, demo.council, "主持人的评论")
    admins = comment_on(need, demo.admin, "管理员的评论")
    services.report(demo.resident, own, "other")
    services.report(demo.resident, admins, "other")
    assert not can(demo.council, "sanction_author", case_of(own))
    assert not can(demo.council, "sanction_author", case_of(admins))
    assert can(demo.staff, "sanction_author", case_of(own))
