"""Reading minutes: who sees what, corrections and their differences, what is frozen, who is told,
and the printable page."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from minutes_factory import (
    concluded_deliberation,
    corrected,
    end_comment_period,
    published,
    text,
    to_revised,
)

from forum.core.models import utcnow
from forum.deliberations.models import DELIBERATION, Participant
from forum.extensions import db
from forum.minutes import services
from forum.notifications.models import Notification


@pytest.fixture
def people(make_user):
    return concluded_deliberation(make_user)


def url(people, path=""):
    return f"/deliberations/{people.deliberation.id}/minutes{path}"


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def notified(user) -> list[str]:
    return [n.text for n in db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id))]


# --- who sees what --------------------------------------------------------------------


def test_drafts_and_comments_are_for_the_participants_and_staff_only(client, auth, people):
    to_revised(people)
    assert client.get(url(people, "/versions/1")).status_code == 302  # to the login page
    for outsider in (people.supporter, people.outsider, people.community_moderator):
        auth.login(outsider.phone)
        assert client.get(url(people, "/versions/1")).status_code == 403
        assert "第 1 版" not in page(client, url(people))
    for insider in (people.absent, people.unrecorded, people.staff):
        auth.login(insider.phone)
        html = page(client, url(people, "/versions/1"))
        assert "第一项的决定记录准确" in html and "待审核" in html


def test_published_minutes_are_public_but_the_comments_on_the_draft_are_not(client, auth, people):
    published(people, people.staff)
    html = page(client, url(people))
    assert "按楼层系数分摊，一楼不出资。" in html and "一楼住户代表保留意见。" in html
    assert "公示费用分摊方案" in html and "王秀兰" in html and "2026-12-05" in html
    assert "第一项的决定记录准确" not in page(client, url(people, "/versions/1"))
    auth.login(people.attendee.phone)
    assert "第一项的决定记录准确" in page(client, url(people, "/versions/1"))


def test_before_any_minutes_the_page_says_who_writes_them(client, auth, people):
    assert "会议纪要尚未发布" in page(client, url(people))
    auth.login(people.moderator.phone)
    assert "起草会议纪要" in page(client, url(people))
    auth.login(people.staff.phone)
    assert "起草会议纪要" not in page(client, url(people))


# --- corrections ----------------------------------------------------------------------


def test_a_correction_keeps_the_first_version_readable_and_shows_what_changed(client, auth, people):
    first = published(people, people.staff)
    auth.login(people.moderator.phone)
    response = client.post(url(people, "/correction"), data={"reason": ""})
    assert response.status_code == 400 and "请说明已发布的纪要哪里有误" in response.get_data(as_text=True)
    response = client.post(url(people, "/correction"), data={"reason": "公示方案的完成期限写错了，应为 12 月 15 日。"})
    assert response.status_code == 303 and response.headers["Location"].endswith(url(people, "/versions/2/edit"))
    second = services.versions_of(people.deliberation)[1]
    services.take_step(people.moderator, second, "open_comments")
    end_comment_period(second)
    items = [{"task": "公示费用分摊方案", "owner": "王秀兰", "due": date(2026, 12, 15)}]
    services.save_text(people.moderator, second, text(action_items=items))
    services.take_step(people.second_moderator, second, "approve")
    services.take_step(people.moderator, second, "publish")
    auth.logout()

    current = page(client, url(people))
    assert "2026-12-15" in current and "本版更正第 1 版" in current and "应为 12 月 15 日" in current
    old = page(client, url(people, "/versions/1"))
    assert "2026-12-05" in old and "本版已被第 2 版更正，保留备查。" in old and "已被更正版取代" in old
    diff = page(client, url(people, "/diff?from=1&to=2"))
    assert "<del>" in diff and "<ins>" in diff
    deleted_html = diff[diff.index("<del>"):diff.index("</del>")]
    inserted_html = diff[diff.index("<ins>"):diff.index("</ins>")]
    assert "2026-12-<b>0</b>5" in deleted_html and "2026-12-<b>1</b>5" in inserted_html  # the changed digit stands out
    deleted, inserted = re.sub("<[^>]+>", "", deleted_html), re.sub("<[^>]+>", "", inserted_html)
    assert "2026-12-05" in deleted and "2026-12-15" in inserted
    assert "一楼住户代表保留意见" not in deleted + inserted  # unchanged lines are not marked
    assert first.status == "published" and first.published_at is not None


def test_a_correction_does_not_move_the_deliberation_again(people):
    published(people, people.staff)
    corrected(people, people.second_moderator)
    assert people.deliberation.status == "published"
    assert [c.action for c in DELIBERATION.timeline(db.session, people.deliberation)] == ["publish_minutes"]


def test_only_the_minutes_in_force_are_corrected_and_one_correction_at_a_time(people):
    first = published(people, people.staff)
    services.start_correction(people.moderator, first, "姓名写错了")
    with pytest.raises(services.MinutesError):
        services.start_correction(people.second_moderator, first, "另一处错误")


def test_the_drafter_of_a_correction_cannot_approve_it(client, auth, people):
    published(people, people.staff)
    corrected_version = services.start_correction(people.second_moderator, services.versions_of(
        people.deliberation)[0], "钱芳的名字写错了")
    services.take_step(people.second_moderator, corrected_version, "open_comments")
    end_comment_period(corrected_version)
    services.save_text(people.second_moderator, corrected_version, text())
    auth.login(people.second_moderator.phone)
    assert client.post(url(people, "/versions/2/steps/approve")).status_code == 403
    auth.login(people.moderator.phone)
    assert client.post(url(people, "/versions/2/steps/approve")).status_code == 303


# --- what a version keeps -------------------------------------------------------------


def test_published_minutes_keep_the_attendance_as_it_was_and_a_correction_refreshes_it(client, people):
    published(people, people.staff)
    late = db.session.scalar(sa.select(Participant).where(Participant.user_id == people.unrecorded.id))
    late.attended = True  # the moderator records 孙强's attendance afterwards
    db.session.commit()
    first = page(client, url(people, "/versions/1"))
    absent_part = first[first.index("缺席"):first.index("会议概要")]
    assert "孙强" in absent_part and "未记录出勤" in absent_part and "钱芳" in absent_part
    correction = services.start_correction(people.moderator, services.versions_of(people.deliberation)[0],
                                           "补记孙强出席")
    assert "孙强" in [p["name"] for p in correction.attendees]
    assert [p["name"] for p in correction.absentees] == ["钱芳"]


def test_closed_polls_are_written_into_the_minutes_when_they_are_revised(people):
    from forum.voting import services as voting
    from forum.voting.setup import Target, create_poll

    poll = create_poll(people.staff, Target(people.community, people.deliberation), {
        "title": "是否按楼层系数分摊电梯费用", "method": "yes_no", "electorate": "council",
        "opens_at": utcnow() - timedelta(minutes=5), "closes_at": utcnow() + timedelta(days=1),
        "results_live": False, "quorum_percent": 0, "pass_rule": "simple_majority", "secret": True})
    yes = next(o.id for o in poll.options if o.key == "yes")
    for voter in (people.moderator, people.second_moderator, people.attendee):
        voting.vote(voter, poll, [yes])
    draft = services.draft_minutes(people.moderator, people.deliberation, text())
    assert draft.poll_results == []  # still open: nothing to record yet
    voting.close_early(people.staff, poll, "全体到会代表均已投票")
    services.take_step(people.moderator, draft, "open_comments")
    end_comment_period(draft)
    services.save_text(people.moderator, draft, text())
    [result] = draft.poll_results
    assert result["title"] == "是否按楼层系数分摊电梯费用" and result["passed"] is True and result["sentence"]
    assert result["url"] == f"/polls/{poll.id}"


# --- who is told ----------------------------------------------------------------------


def test_publication_tells_the_participants_and_the_proposals_supporters(people):
    published(people, people.staff)
    for person in (people.attendee, people.absent, people.unrecorded, people.second_moderator, people.supporter):
        assert "“青松苑加装电梯议事会”的会议纪要已发布" in notified(person), person.display_name
    assert not any("已发布" in t for t in notified(people.moderator))  # who published it knows
    assert not any("已发布" in t for t in notified(people.outsider))


def test_a_corrected_publication_says_it_is_a_correction_and_why(people):
    published(people, people.staff)
    corrected(people, people.second_moderator, reason="完成期限写错了")
    assert "“青松苑加装电梯议事会”的会议纪要发布了更正版（第 2 版）：完成期限写错了" in notified(people.supporter)


# --- printing -------------------------------------------------------------------------


def test_the_printable_page_has_the_minutes_and_signature_lines_and_no_navigation(client, auth, people):
    published(people, people.staff)
    html = page(client, url(people, "/print"))
    assert "青松苑加装电梯议事会" in html and "按楼层系数分摊，一楼不出资。" in html
    assert "记录人（签字）" in html and "审核人（签字）" in html and "王秀兰" in html
    assert "<nav" not in html and "site-header" not in html
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert "size: A4; margin: 2cm;" in css


def test_a_draft_prints_only_for_insiders_and_says_it_is_a_draft(client, auth, people):
    to_revised(people)
    assert client.get(url(people, "/print")).status_code == 404  # nothing published to print
    assert client.get(url(people, "/print?version=1")).status_code == 302
    auth.login(people.absent.phone)
    assert "minutes-stamp\">待审核" in page(client, url(people, "/print?version=1"))
