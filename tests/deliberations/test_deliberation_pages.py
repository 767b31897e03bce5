"""The list, the deliberation's page, its calendar file and its printable notice."""
import re
from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa
from deliberation_factory import add_deliberation, add_proposal

from forum.deliberations.models import Deliberation
from forum.extensions import db


def titles_in(html: str, titles) -> list[str]:
    return sorted((t for t in titles if t in html), key=html.index)


def test_the_list_shows_coming_deliberations_first_then_past_ones(client, demo):
    titles = ["下周的议事会", "明天的议事会", "上个月的议事会", "昨天的议事会"]
    add_deliberation(demo, title=titles[0], starts_in=timedelta(days=7))
    add_deliberation(demo, title=titles[1], starts_in=timedelta(days=1))
    add_deliberation(demo, title=titles[2], starts_in=timedelta(days=-30), status="concluded")
    add_deliberation(demo, title=titles[3], starts_in=timedelta(days=-1), status="concluded")
    html = client.get(f"/deliberations/?community={demo.community.id}").get_data(as_text=True)
    assert titles_in(html, titles) == ["明天的议事会", "下周的议事会", "昨天的议事会", "上个月的议事会"]
    html = client.get("/deliberations/?status=concluded").get_data(as_text=True)
    assert titles_in(html, titles) == ["昨天的议事会", "上个月的议事会"]


def test_the_filter_answers_htmx_with_the_results_only(client, demo):
    add_deliberation(demo, title="明天的议事会", starts_in=timedelta(days=1))
    response = client.get(f"/deliberations/?community={demo.community2.id}", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="results">') and "<nav" not in html
    assert "明天的议事会" not in html and "没有符合条件的议事" in html
    assert "HX-Request" in response.headers["Vary"]
    assert client.get("/deliberations/?community=999").status_code == 404


def test_anyone_sees_a_deliberation_with_its_proposals_agenda_and_seats(client, demo):
    proposal = add_proposal(demo.community, demo.resident, title="楼道加装扶手")
    deliberation = add_deliberation(demo, proposals=[proposal], online_url="https://meeting.tencent.com/dm/abc")
    html = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    for text in ("楼道改造居民议事会", "居民议事会", "待召开", "青松社区党群服务中心", "https://meeting.tencent.com/dm/abc",
                 "主持人说明议事规则", f'href="/proposals/{proposal.id}"', "居民代表", "驻区单位",
                 "李国华", "未回复 3 人", f"/deliberations/{deliberation.id}/calendar.ics",
                 f"/deliberations/{deliberation.id}/notice", "会前请先听听邻居的意见。"):
        assert text in html, text
    assert "宣布开会" not in html and "您的参会邀请" not in html and "/polls/new" not in html


def test_staff_and_moderators_find_the_way_to_start_a_vote(client, auth, demo, app):
    deliberation = add_deliberation(demo, status="open")
    if "polls.new" not in {rule.endpoint for rule in app.url_map.iter_rules()}:
        pytest.skip("the voting feature has no page to start a poll yet")
    for who, shown in (("council", True), ("staff", True), ("resident", False)):
        auth.login(getattr(demo, who).phone)
        html = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
        assert (f"/polls/new?deliberation={deliberation.id}" in html) == shown, who
        client.post("/auth/logout")


def test_the_calendar_file_has_the_meeting_in_utc(client, demo):
    proposal = add_proposal(demo.community, demo.resident, title="楼道加装扶手")
    deliberation = add_deliberation(demo, proposals=[proposal])
    response = client.get(f"/deliberations/{deliberation.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"deliberation-{deliberation.id}@localhost"
    assert event.decoded("DTSTART") == deliberation.starts_at
    assert event.decoded("DTEND") == deliberation.ends_at
    assert b"DTSTART:" in response.data and b"Z\r\n" in response.data  # written as UTC times
    assert str(event["SUMMARY"]) == "楼道改造居民议事会"
    assert str(event["LOCATION"]) == "青松社区党群服务中心"
    assert str(event["URL"]) == f"http://localhost/deliberations/{deliberation.id}"
    description = str(event["DESCRIPTION"])
    assert "1. 主持人说明议事规则" in description and "2. 楼道加装扶手" in description
    assert "居民议事会 · 青松社区" in description


def test_an_online_meeting_without_an_end_lasts_two_hours_in_the_calendar(client, demo):
    deliberation = add_deliberation(demo, place=None, online_url="https://meeting.tencent.com/dm/abc")
    deliberation.ends_at = None
    db.session.commit()
    event = icalendar.Calendar.from_ical(client.get(f"/deliberations/{deliberation.id}/calendar.ics").data) \
        .walk("VEVENT")[0]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=2)
    assert str(event["LOCATION"]) == "https://meeting.tencent.com/dm/abc"


def test_a_cancelled_meeting_is_cancelled_in_the_calendar(client, demo):
    deliberation = add_deliberation(demo, status="cancelled")
    event = icalendar.Calendar.from_ical(client.get(f"/deliberations/{deliberation.id}/calendar.ics").data) \
        .walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"


def test_the_printable_notice_names_everything_a_notice_board_needs(client, demo):
    deliberation = add_deliberation(demo)
    html = client.get(f"/deliberations/{deliberation.id}/notice").get_data(as_text=True)
    for text in ("会议通知", "青松街道 · 青松社区", "楼道改造居民议事会", "居民议事会", "青松社区党群服务中心",
                 "主持人说明议事规则", "驻区单位", "赵晓梅", "李国华（主持人）", "请参会人员准时出席",
                 f"http://localhost/deliberations/{deliberation.id}"):
        assert text in html, text
    # An A4 sheet when printed, without the site's header and footer.
    css = client.get("/static/css/site.css").get_data(as_text=True)
    section = css[css.index("/* === deliberations === */"):css.index("/* === minutes === */")]
    assert "@page { size: A4" in section and "@media print" in section
    assert ".site-header" in section[section.index("@media print"):]


def test_unknown_deliberations_are_404(client, demo):
    for path in ("/deliberations/999", "/deliberations/999/notice", "/deliberations/999/calendar.ics"):
        assert client.get(path).status_code == 404


def test_demo_deliberations_tell_a_story(client, demo):
    """The demo: one coming, one in session with a lively thread, one concluded with decisions."""
    by_title = {d.title: d for d in db.session.scalars(sa.select(Deliberation))}
    parking = by_title["小区停车位重新规划四方议事会"]
    assert parking.status == "open"
    html = client.get(f"/deliberations/{parking.id}").get_data(as_text=True)
    assert len(set(re.findall(r'id="comment-(\d+)"', html))) >= 12
    concluded = by_title["环境和公共秩序专题居民议事会"]
    assert concluded.status in ("concluded", "published")  # the minutes' demo may publish its minutes
    statuses = {p.title: p.status for p in concluded.proposals}
    # 垃圾分类投放点搬迁 waits for (or was decided by) the household poll of the voting demo.
    assert statuses.pop("垃圾分类投放点搬迁") not in ("threshold_met", "collecting")
    assert statuses == {"广场舞音量和时段约定": "not_passed", "楼道堆物清理公约": "done"}
    assert sorted(p.attended for p in concluded.participants) == [False, False] + [True] * 5
