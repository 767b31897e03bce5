"""Minutes move draft → comments → revised → approved → published, each step by the right people."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from minutes_factory import (
    concluded_deliberation,
    end_comment_period,
    form_data,
    text,
    to_revised,
)

from forum.core.models import utcnow
from forum.deliberations.models import DELIBERATION
from forum.extensions import db
from forum.minutes import services
from forum.minutes.models import MinutesVersion
from forum.notifications.models import Notification


@pytest.fixture
def people(make_user):
    return concluded_deliberation(make_user)


def url(people, path=""):
    return f"/deliberations/{people.deliberation.id}/minutes{path}"


def step(client, people, action, number=1, note=""):
    return client.post(url(people, f"/versions/{number}/steps/{action}"), data={"note": note})


def version(number=1) -> MinutesVersion:
    db.session.expire_all()
    return db.session.scalar(sa.select(MinutesVersion).where(MinutesVersion.number == number))


def notified(user) -> list[str]:
    return [n.text for n in db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id))]


# --- drafting -----------------------------------------------------------------------


def test_a_moderator_drafts_the_minutes_of_a_concluded_deliberation(client, auth, people):
    auth.login(people.moderator.phone)
    page = client.get(url(people, "/new")).get_data(as_text=True)
    assert "青松苑 3 号楼加装电梯费用分摊" in page and "刘桂芳" in page
    response = client.post(url(people, "/new"), data=form_data())
    assert response.status_code == 303 and response.headers["Location"].endswith(url(people, "/versions/1"))
    drafted = version()
    assert drafted.status == "draft" and drafted.drafted_by_id == people.moderator.id
    assert [n["decision"] for n in drafted.agenda_notes] == ["按楼层系数分摊，一楼不出资。", "12 月底前清理完毕。"]
    assert drafted.action_items == [{"task": "公示费用分摊方案", "owner": "王秀兰", "due": "2026-12-05"}]
    assert "草稿已保存" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("who", ["attendee", "second_moderator_of_open", "staff"])
def test_only_a_moderator_drafts_and_only_after_the_conclusion(client, auth, people, who):
    if who == "second_moderator_of_open":
        people.deliberation.status = "open"
        db.session.commit()
        user = people.second_moderator
    else:
        user = people.staff if who == "staff" else people.attendee
    auth.login(user.phone)
    assert client.get(url(people, "/new")).status_code == 403
    assert client.post(url(people, "/new"), data=form_data()).status_code == 403
    assert version() is None


def test_a_second_draft_is_refused_while_one_is_under_way(people):
    services.draft_minutes(people.moderator, people.deliberation, text())
    with pytest.raises(services.MinutesError):
        services.draft_minutes(people.second_moderator, people.deliberation, text())


def test_mistakes_in_the_form_are_explained_and_nothing_typed_is_lost(client, auth, people):
    auth.login(people.moderator.phone)
    response = client.post(url(people, "/new"), data=form_data(
        summary="", **{"action_items-1-task": "联系电梯厂家", "action_items-1-owner": "",
                       "action_items-1-due": "明天"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请概述本次议事的情况" in page
    assert "请写明负责人" in page and "请按 2026-12-31 的格式填写日期" in page
    assert "联系电梯厂家" in page and "一楼住户代表保留意见。" in page
    assert version() is None


# --- comments -----------------------------------------------------------------------


def test_the_moderator_opens_the_draft_to_the_attendees_for_three_days(client, auth, people):
    services.draft_minutes(people.moderator, people.deliberation, text())
    auth.login(people.attendee.phone)
    assert step(client, people, "open_comments").status_code == 403
    auth.login(people.moderator.phone)
    assert step(client, people, "open_comments").status_code == 303
    opened = version()
    assert opened.status == "commenting"
    assert abs(opened.comments_open_until - (utcnow() + timedelta(days=3))) < timedelta(minutes=1)
    assert any("请在" in t and "青松苑加装电梯议事会" in t for t in notified(people.attendee))
    assert notified(people.absent) == [] and notified(people.unrecorded) == []


def test_the_comment_period_is_a_setting(app, people):
    app.config["MINUTES_COMMENT_DAYS"] = 5
    draft = services.draft_minutes(people.moderator, people.deliberation, text())
    services.take_step(people.moderator, draft, "open_comments")
    assert draft.comments_open_until - utcnow() > timedelta(days=4, hours=23)


def test_an_attendee_comments_on_the_draft(client, auth, people):
    draft = services.draft_minutes(people.moderator, people.deliberation, text())
    services.take_step(people.moderator, draft, "open_comments")
    auth.login(people.attendee.phone)
    response = client.post(url(people, "/versions/1/comments"), data={"body": "一楼住户的意见是**暂缓**，不是反对。"})
    assert response.status_code == 303
    page = client.get(url(people, "/versions/1")).get_data(as_text=True)
    assert "<strong>暂缓</strong>" in page and "刘桂芳" in page


@pytest.mark.parametrize("who", ["absent", "unrecorded", "staff"])
def test_only_participants_recorded_as_present_may_comment(client, auth, people, who):
    draft = services.draft_minutes(people.moderator, people.deliberation, text())
    services.take_step(people.moderator, draft, "open_comments")
    auth.login(getattr(people, who).phone)
    assert client.post(url(people, "/versions/1/comments"), data={"body": "我有意见"}).status_code == 403
    assert version().comments == []


def test_a_comment_after_the_period_is_refused_with_the_date_it_ended(client, auth, people):
    draft = services.draft_minutes(people.moderator, people.deliberation, text())
    services.take_step(people.moderator, draft, "open_comments")
    end_comment_period(draft)
    auth.login(people.attendee.phone)
    response = client.post(url(people, "/versions/1/comments"), data={"body": "迟到的意见"})
    assert response.status_code == 400
    assert "征求意见期已于" in response.get_data(as_text=True) and "结束，不能再提意见" in response.get_data(as_text=True)
    assert version().comments == []


# --- revising and approving -----------------------------------------------------------


def test_the_moderator_revises_only_after_the_comment_period(client, auth, people):
    draft = services.draft_minutes(people.moderator, people.deliberation, text())
    services.take_step(people.moderator, draft, "open_comments")
    auth.login(people.moderator.phone)
    response = client.post(url(people, "/versions/1/edit"), data=form_data(summary="改过的摘要"))
    assert response.status_code == 400
    assert "之后再修订纪要" in response.get_data(as_text=True) and "改过的摘要" in response.get_data(as_text=True)
    end_comment_period(draft)
    assert client.post(url(people, "/versions/1/edit"), data=form_data(summary="改过的摘要")).status_code == 303
    revised = version()
    assert revised.status == "revised" and revised.summary == "改过的摘要"
    assert any("等待您审核" in t for t in notified(people.second_moderator))


def test_whoever_wrote_the_minutes_cannot_approve_them(client, auth, people):
    to_revised(people)
    auth.login(people.moderator.phone)
    assert "审核通过" not in client.get(url(people, "/versions/1")).get_data(as_text=True)
    assert step(client, people, "approve").status_code == 403
    auth.login(people.attendee.phone)
    assert step(client, people, "approve").status_code == 403
    assert version().status == "revised"
    auth.login(people.second_moderator.phone)
    assert step(client, people, "approve").status_code == 303
    approved = version()
    assert approved.status == "approved" and approved.approved_by_id == people.second_moderator.id


def test_a_moderator_who_revised_the_text_cannot_approve_it_but_staff_can(client, auth, people):
    draft = services.draft_minutes(people.moderator, people.deliberation, text())
    services.take_step(people.moderator, draft, "open_comments")
    end_comment_period(draft)
    services.save_text(people.second_moderator, draft, text(summary="周明修订"))
    for writer in (people.moderator, people.second_moderator):
        auth.login(writer.phone)
        assert step(client, people, "approve").status_code == 403
    auth.login(people.staff.phone)
    assert step(client, people, "approve").status_code == 303
    assert version().status == "approved"


def test_an_approver_sends_the_minutes_back_with_a_reason(client, auth, people):
    to_revised(people)
    auth.login(people.staff.phone)
    response = step(client, people, "send_back")
    assert response.status_code == 400 and "请填写原因" in response.get_data(as_text=True)
    assert step(client, people, "send_back", note="第二项决定漏写了完成时间").status_code == 303
    assert version().status == "returned"
    assert any("第二项决定漏写了完成时间" in t for t in notified(people.moderator))
    auth.login(people.moderator.phone)
    assert client.post(url(people, "/versions/1/edit"), data=form_data()).status_code == 303
    assert version().status == "revised"


# --- publishing -----------------------------------------------------------------------


def test_minutes_are_published_only_after_approval(client, auth, people):
    to_revised(people)
    auth.login(people.moderator.phone)
    response = step(client, people, "publish")
    assert response.status_code == 303 and version().status == "revised"
    assert "此操作已无法进行" in client.get(response.headers["Location"]).get_data(as_text=True)
    services.take_step(people.staff, version(), "approve")
    auth.login(people.attendee.phone)
    assert step(client, people, "publish").status_code == 403
    auth.login(people.moderator.phone)
    assert step(client, people, "publish").status_code == 303
    published = version()
    assert published.status == "published" and published.published_at is not None


def test_the_first_publication_moves_the_deliberation_to_minutes_published(people):
    from minutes_factory import published

    published(people, people.staff)
    assert people.deliberation.status == "published"
    steps = [c.action for c in DELIBERATION.timeline(db.session, people.deliberation)]
    assert steps == ["publish_minutes"]


def test_a_draft_is_discarded_with_a_reason_and_the_minutes_can_be_drafted_again(client, auth, people):
    services.draft_minutes(people.moderator, people.deliberation, text())
    auth.login(people.moderator.phone)
    assert step(client, people, "discard").status_code == 400
    assert step(client, people, "discard", note="写错了会议").status_code == 303
    assert version().status == "discarded"
    assert client.post(url(people, "/new"), data=form_data()).status_code == 303
    assert version(2).status == "draft"
