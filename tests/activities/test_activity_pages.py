"""The activities list with its filters and pages, my activities, and a unit's hours."""
from datetime import timedelta

import sqlalchemy as sa

from activity_factory import add_activity
from forum.activities.models import Activity
from forum.extensions import db


def titles(html):
    import re

    return re.findall(r'<a href="/activities/\d+">([^<]+)</a>', html)


def test_the_list_shows_demo_activities_with_status_badges_to_everyone(client, demo):
    page = client.get("/activities/").get_data(as_text=True)
    for title in ("重阳节敬老义诊", "周末课后辅导", "社区环境清洁日", "法律咨询进社区", "亲子阅读会"):
        assert title in page
    for badge in ("报名中", "已满", "已结束", "已取消", "报名截止"):
        assert f">{badge}</span>" in page
    assert "已报名 2 / 2 人" in page and "区第二人民医院" in page
    # Coming activities first, soonest first; past ones after them.
    shown = titles(page)
    assert shown.index("周末课后辅导") < shown.index("社区环境清洁日") < shown.index("重阳节敬老义诊")


def test_the_list_filters_by_community_and_status(client, demo):
    page = client.get(f"/activities/?community={demo.community2.id}").get_data(as_text=True)
    assert titles(page) == ["亲子阅读会"]
    page = client.get(f"/activities/?community={demo.community.id}&status=done").get_data(as_text=True)
    assert titles(page) == ["重阳节敬老义诊", "护学岗志愿服务"]
    assert '<option value="done" selected>' in page
    page = client.get("/activities/?status=cancelled").get_data(as_text=True)
    assert titles(page) == ["法律咨询进社区"]
    assert client.get("/activities/?community=999").status_code == 404
    assert titles(client.get("/activities/?status=nonsense").get_data(as_text=True)) != []


def test_the_filter_answers_htmx_with_the_results_fragment(client, demo):
    response = client.get(f"/activities/?community={demo.community2.id}", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and html.strip().startswith('<div id="results">')
    assert "亲子阅读会" in html and "重阳节敬老义诊" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert "HX-Request" in client.get("/activities/").headers["Vary"]


def test_an_empty_filter_says_what_to_do_next(client, auth, demo):
    page = client.get(f"/activities/?community={demo.community3.id}").get_data(as_text=True)
    assert "没有符合条件的活动" in page and 'href="/activities/"' in page


def test_an_empty_list_invites_staff_to_publish_the_first_activity(client, auth, demo):
    db.session.execute(sa.delete(Activity))
    db.session.commit()
    assert "社区工作者和驻区单位发布活动后，会显示在这里。" in client.get("/activities/").get_data(as_text=True)
    auth.login(demo.staff.phone)
    page = client.get("/activities/").get_data(as_text=True)
    assert "还没有发布任何活动。" in page and "发布第一个活动" in page


def test_the_list_is_paged_keeping_the_filters(client, demo):
    for n in range(22):
        add_activity(demo.community3, demo.staff, starts_in=timedelta(days=n + 1), title=f"光明里义剪第{n + 1}期")
    first = client.get(f"/activities/?community={demo.community3.id}").get_data(as_text=True)
    assert len(titles(first)) == 20 and "共 22 个活动" in first and "第 1 页，共 2 页" in first
    assert f"/activities/?community={demo.community3.id}&amp;page=2" in first
    second = client.get(f"/activities/?community={demo.community3.id}&page=2").get_data(as_text=True)
    assert titles(second) == ["光明里义剪第21期", "光明里义剪第22期"]


def test_my_activities_list_my_sign_ups_and_total_hours(client, auth, demo):
    auth.login(demo.resident.phone)
    page = client.get("/activities/mine").get_data(as_text=True)
    assert "我的志愿服务时长" in page and "<strong>3 小时</strong>" in page
    assert "重阳节敬老义诊" in page and "已到场 · 3 小时" in page and "冬季消防安全巡查" in page
    assert "周末课后辅导" not in page


def test_my_activities_when_i_have_none_point_to_open_ones(client, auth, demo):
    assert client.get("/activities/mine").status_code == 302
    auth.login(demo.admin.phone)
    page = client.get("/activities/mine").get_data(as_text=True)
    assert "您还没有报名任何活动。" in page and "/activities/?status=open" in page


def test_a_unit_contact_sees_the_hours_given_through_their_unit(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    page = client.get("/activities/mine").get_data(as_text=True)
    assert "我所在单位的志愿服务时长" in page and f"/activities/units/{demo.school.id}" in page


def test_a_units_page_shows_its_hours_and_activities(client, demo):
    hospital = db.session.scalar(sa.select(Activity).where(Activity.title == "重阳节敬老义诊")).unit
    page = client.get(f"/activities/units/{hospital.id}").get_data(as_text=True)
    assert "区第二人民医院" in page and "<strong>8 小时</strong>" in page and "3 人" in page
    assert "重阳节敬老义诊" in page
    law_firm = db.session.scalar(sa.select(Activity).where(Activity.title == "法律咨询进社区")).unit
    page = client.get(f"/activities/units/{law_firm.id}").get_data(as_text=True)
    assert "<strong>0 小时</strong>" in page and "法律咨询进社区" in page
    assert client.get("/activities/units/999").status_code == 404


def test_an_activity_page_shows_its_facts_and_timeline(client, demo):
    activity = db.session.scalar(sa.select(Activity).where(Activity.title == "法律咨询进社区"))
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "明信律师事务所" in page and "青松社区调解室" in page
    assert "<strong>活动发布</strong>" in page and "<strong>活动取消</strong>" in page and "律师临时需要出庭" in page
    assert client.get("/activities/999").status_code == 404


def test_activity_pages_work_in_english(client, demo):
    client.post("/settings/language", data={"lang": "en"})
    page = client.get("/activities/").get_data(as_text=True)
    assert "Open for sign-up" in page and "places taken" in page
