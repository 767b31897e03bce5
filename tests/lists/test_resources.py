"""Resources (资源清单): units and volunteers offer, the list shows what is on offer."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from conftest import query_plan

from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.lists import resources
from forum.lists.models import Resource
from forum.places.models import Unit


def offer(client, demo, **overrides):
    """Post the school's resource form as the logged-in user."""
    data = {"unit": demo.school.id, "community": demo.community.id, "title": "借用音乐教室",
            "body": "周六上午可借用音乐教室，含钢琴一架。", "category": "culture", "kind": "venue",
            "capacity": "可容纳40人", "available_from": "", "available_until": "", "scope": "communities"}
    data.update(overrides)
    return client.post("/resources/new", data=data)


def by_title(title) -> Resource:
    return db.session.scalar(sa.select(Resource).where(Resource.title == title))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def contact_of(unit_name, make_user, community=None):
    user = make_user(community)
    unit = db.session.scalar(sa.select(Unit).where(Unit.name == unit_name))
    unit.contacts.append(user)
    db.session.commit()
    return user


# --- posting ---------------------------------------------------------------------------


def test_a_unit_contact_posts_for_the_unit_and_it_is_listed_and_on_the_mine_page(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    form = text_of(client.get("/resources/new"))
    assert "青松路小学" in form and "区第二人民医院" not in form
    response = offer(client, demo)
    resource = by_title("借用音乐教室")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/resources/{resource.id}")
    assert (resource.unit_id, resource.owner_id, resource.status) == (demo.school.id, demo.unit_contact.id, "available")
    page = text_of(client.get(f"/resources/{resource.id}"))
    assert "资源已发布。" in page and "可容纳40人" in page and "青松路小学" in page
    assert "借用音乐教室" in text_of(client.get("/resources/"))
    assert "借用音乐教室" in text_of(client.get("/resources/mine"))


def test_a_resident_without_a_role_cannot_post_and_is_not_offered_it(client, auth, demo):
    auth.login(demo.resident.phone)
    assert client.get("/resources/new").status_code == 403
    assert offer(client, demo).status_code == 403
    assert by_title("借用音乐教室") is None
    page = text_of(client.get("/resources/"))
    assert "/resources/new" not in page and "发布资源" not in page
    assert "想成为志愿者，请联系社区居委会" in text_of(client.get("/resources/mine"))


def test_anonymous_visitors_read_resources_and_are_asked_to_log_in_to_post(client, demo):
    assert "周末开放操场" in text_of(client.get("/resources/"))
    assert client.get("/resources/1").status_code == 200
    response = client.get("/resources/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_volunteer_posts_for_themself_where_they_volunteer(client, auth, demo, make_user):
    volunteer = make_user(demo.community2, verified=True, roles=["volunteer"])
    auth.login(volunteer.phone)
    form = text_of(client.get("/resources/new"))
    assert "我个人（志愿者）" in form and "青松路小学" not in form
    assert offer(client, demo, unit="", community=demo.community2.id, kind="volunteer",
                 title="陪老人聊天", capacity="每月8小时").status_code == 303
    resource = by_title("陪老人聊天")
    assert resource.unit_id is None and resource.owner_id == volunteer.id
    assert "志愿者 " + volunteer.display_name in text_of(client.get(f"/resources/{resource.id}"))


def test_a_volunteer_cannot_post_in_another_community_nor_for_a_unit(client, auth, demo, make_user):
    volunteer = make_user(demo.community2, verified=True, roles=["volunteer"])
    auth.login(volunteer.phone)
    response = offer(client, demo, unit="", community=demo.community.id, title="陪老人聊天")
    assert response.status_code == 400
    assert by_title("陪老人聊天") is None
    assert offer(client, demo, community=demo.community2.id).status_code == 400  # not a choice for them


def test_a_contact_cannot_post_where_the_unit_is_not_stationed(client, auth, demo, make_user):
    # Also the law firm's contact, so 光明里社区 (the firm's, not the school's) is a choice.
    demo.unit_contact.units.append(db.session.scalar(sa.select(Unit).where(Unit.name == "明信律师事务所")))
    db.session.commit()
    auth.login(demo.unit_contact.phone)
    response = offer(client, demo, community=demo.community3.id)  # 光明里: the school is not there
    assert response.status_code == 400
    assert "青松路小学 未驻在该社区" in text_of(response)
    assert by_title("借用音乐教室") is None


def test_form_errors_are_in_chinese_and_keep_what_was_typed(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    response = offer(client, demo, title="", category="", available_from="2030-05-01",
                     available_until="2030-04-01", capacity="每周六上午")
    page = text_of(response)
    assert response.status_code == 400
    assert "请写一个简短的标题。" in page and "请选择类别。" in page
    assert "结束日期不能早于开始日期。" in page
    assert 'value="每周六上午"' in page and 'value="2030-05-01"' in page and "周六上午可借用音乐教室" in page
    response = offer(client, demo, available_until="2020-01-01")
    assert response.status_code == 400 and "结束日期已经过去了" in text_of(response)


def test_phone_numbers_never_appear(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    response = offer(client, demo, body="预约请打 139 0000 0003 找赵老师")
    assert response.status_code == 400 and "请不要填写手机号" in text_of(response)
    page = text_of(client.get("/resources/1"))
    assert "13900000003" not in page and "139****0003" not in page


def test_markdown_is_sanitised(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    offer(client, demo, body='**钢琴**一架<script>alert("x")</script><a href="javascript:alert(1)">点我</a>')
    page = text_of(client.get(f"/resources/{by_title('借用音乐教室').id}"))
    assert "<strong>钢琴</strong>" in page
    assert "<script>alert" not in page and "javascript:alert" not in page


# --- editing ---------------------------------------------------------------------------


def test_the_owner_edits_title_text_capacity_and_dates(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    assert "周末开放操场" in text_of(client.get("/resources/1/edit"))
    response = client.post("/resources/1/edit", data={
        "title": "周末和节假日开放操场", "body": "节假日也开放。", "capacity": "可容纳300人",
        "available_from": "", "available_until": ""})
    assert response.status_code == 303
    resource = db.session.get(Resource, 1)
    db.session.refresh(resource)
    assert (resource.title, resource.capacity, resource.body_html) == ("周末和节假日开放操场", "可容纳300人", "<p>节假日也开放。</p>")


def test_edit_errors_keep_the_input(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    response = client.post("/resources/1/edit", data={
        "title": "周末开放操场", "capacity": "可容纳300人", "available_from": "2030-05-01",
        "available_until": "2030-01-01"})
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in text_of(response) and 'value="可容纳300人"' in text_of(response)


def test_a_second_contact_of_the_unit_may_edit(client, auth, demo, make_user):
    colleague = contact_of("青松路小学", make_user)
    auth.login(colleague.phone)
    assert client.get("/resources/1/edit").status_code == 200
    assert "周末开放操场" in text_of(client.get("/resources/mine"))


def test_a_contact_of_another_unit_cannot_edit_or_pause(client, auth, demo, make_user):
    lawyer = contact_of("明信律师事务所", make_user)
    auth.login(lawyer.phone)
    assert client.get("/resources/1/edit").status_code == 403
    assert client.post("/resources/1/edit", data={"title": "改掉"}).status_code == 403
    assert client.post("/resources/1/steps/pause").status_code == 403
    page = text_of(client.get("/resources/1"))
    assert "/resources/1/edit" not in page and "/steps/" not in page
    assert db.session.get(Resource, 1).status == "available"


def test_staff_pause_and_withdraw_but_do_not_edit(client, auth, demo):
    auth.login(demo.staff.phone)
    assert client.get("/resources/1/edit").status_code == 403
    page = text_of(client.get("/resources/1"))
    assert "/steps/pause" in page and "/steps/withdraw" in page and "/steps/exhaust" not in page


# --- the workflow ------------------------------------------------------------------------

# action, from state, who → allowed. "owner": the school contact who posted it,
# "colleague": another contact of the school, "staff": staff of 青松社区.
STEPS = [
    ("pause", "available", {"owner", "colleague", "staff", "admin"}),
    ("resume", "paused", {"owner", "colleague", "admin"}),
    ("exhaust", "available", {"owner", "colleague", "admin"}),
    ("exhaust", "paused", {"owner", "colleague", "admin"}),
    ("withdraw", "available", {"owner", "colleague", "staff", "admin"}),
    ("withdraw", "paused", {"owner", "colleague", "staff", "admin"}),
]
WHO = ["owner", "colleague", "staff", "admin", "other_staff", "other_unit", "resident", "council"]


def _person(who, demo, make_user):
    return {
        "owner": lambda: demo.unit_contact, "staff": lambda: demo.staff, "admin": lambda: demo.admin,
        "resident": lambda: demo.resident, "council": lambda: demo.council,
        "colleague": lambda: contact_of("青松路小学", make_user),
        "other_staff": lambda: make_user(demo.community2, roles=["staff"]),
        "other_unit": lambda: contact_of("区第二人民医院", make_user),
    }[who]()


@pytest.mark.parametrize("action,state,allowed", STEPS, ids=[f"{a}-from-{s}" for a, s, _ in STEPS])
def test_each_step_is_allowed_to_exactly_its_roles(app, demo, make_user, action, state, allowed):
    resource = db.session.get(Resource, 1)  # 青松路小学's 周末开放操场 in 青松社区
    resource.status = state
    db.session.commit()
    for who in WHO:
        person = _person(who, demo, make_user)
        if who in allowed:
            resources.take_step(person, resource, action)
            assert resource.status == resources.RESOURCE.transition(state, action).to_state, who
            resource.status = state
            db.session.commit()
        else:
            with pytest.raises(Forbidden):
                resources.take_step(person, resource, action)
            db.session.rollback()
            assert resource.status == state, who


def test_ended_resources_take_no_more_steps(app, demo):
    resource = db.session.get(Resource, 1)
    for state in ("exhausted", "withdrawn"):
        resource.status = state
        assert resources.allowed_steps(demo.unit_contact, resource) == []
        assert resources.allowed_steps(demo.admin, resource) == []


def test_every_step_is_on_the_timeline_with_its_note(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    assert client.post("/resources/1/steps/pause").status_code == 303
    assert "资源状态已更新为：暂停。" in text_of(client.get("/resources/1"))
    client.post("/resources/1/steps/resume")
    client.post("/resources/1/steps/withdraw", data={"note": "操场翻修，暂不开放。"})
    page = text_of(client.get("/resources/1"))
    for label in ("发布资源", "暂停", "恢复可用", "撤回", "操场翻修，暂不开放。"):
        assert label in page
    actions = db.session.scalars(sa.select(StatusChange.action).where(
        StatusChange.subject_type == "resource", StatusChange.subject_id == 1).order_by(StatusChange.id)).all()
    assert actions == ["create", "pause", "resume", "withdraw"]


def test_a_stale_step_is_explained_not_an_error(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    response = client.post("/resources/1/steps/resume", follow_redirects=True)
    assert response.status_code == 200 and "此操作已无法进行" in text_of(response)
    assert client.post("/resources/1/steps/fly").status_code == 404


# --- the list --------------------------------------------------------------------------


def test_ended_and_expired_resources_leave_the_default_list_but_the_status_filter_finds_them(client, demo):
    default = text_of(client.get("/resources/"))
    assert "周末开放操场" in default and "家电小修理" in default
    for status, title, label in [("paused", "课后辅导志愿者教师", "暂停"), ("exhausted", "健康讲座", "已用完"),
                                 ("withdrawn", "邻里纠纷调解", "已撤回"), ("expired", "暑期托管教室", "已过期")]:
        assert title not in default
        page = text_of(client.get(f"/resources/?status={status}"))
        assert title in page and label in page and "周末开放操场" not in page
    assert "已过期" in text_of(client.get(f"/resources/{by_title('暑期托管教室').id}"))


def test_editing_the_last_day_brings_an_expired_resource_back(client, auth, demo):
    resource = by_title("暑期托管教室")
    auth.login(demo.unit_contact.phone)
    later = (resources.today() + timedelta(days=30)).isoformat()
    client.post(f"/resources/{resource.id}/edit", data={"title": resource.title, "available_until": later})
    assert "暑期托管教室" in text_of(client.get("/resources/"))


def test_filters_by_community_category_and_kind(client, demo):
    page = text_of(client.get(f"/resources/?community={demo.community.id}"))
    assert "周末开放操场" in page and "免费法律咨询" in page and "慢病随访" not in page
    page = text_of(client.get("/resources/?category=legal"))
    assert "免费法律咨询" in page and "周末开放操场" not in page
    page = text_of(client.get("/resources/?kind=volunteer"))
    assert "家电小修理" in page and "每月义诊" not in page
    page = text_of(client.get(f"/resources/?community={demo.community3.id}&kind=venue"))
    assert "没有符合条件的资源。" in page and "查看全部可用资源" in page
    assert client.get("/resources/?community=999").status_code == 404


def test_sorting_by_ending_soonest_puts_dated_resources_first(client, demo):
    page = text_of(client.get("/resources/?sort=expiring"))
    titles = re.findall(r'class="card-link" href="/resources/\d+">([^<]+)<', page)
    assert titles[0] == "慢病随访" and set(titles) == {"慢病随访", "免费法律咨询", "每月义诊", "周末开放操场", "家电小修理", "后勤电工上门维修照明"}


def test_the_filter_answers_htmx_with_the_results_fragment(client, demo):
    response = client.get("/resources/?category=health", headers={"HX-Request": "true"})
    html = text_of(response)
    assert 'id="results"' in html and "<html" not in html and "每月义诊" in html
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/resources/?category=health")
    assert "<html" in text_of(full) and "HX-Request" in full.headers["Vary"]


def test_the_empty_list_tells_unit_contacts_to_post(client, auth, demo):
    db.session.execute(sa.update(Resource).values(status="withdrawn"))
    db.session.commit()
    auth.login(demo.unit_contact.phone)
    page = text_of(client.get("/resources/"))
    assert "目前还没有可用的资源。" in page and 'href="/resources/new"' in page


def test_the_mine_page_lists_every_state_of_my_units_and_my_own(client, auth, demo, make_user):
    hospital_contact = contact_of("区第二人民医院", make_user)
    auth.login(hospital_contact.phone)
    page = text_of(client.get("/resources/mine"))
    for title in ("每月义诊", "慢病随访", "健康讲座"):
        assert title in page
    assert "周末开放操场" not in page and "已用完" in page


@pytest.mark.parametrize("args,index", [
    ({"community": 1}, "ix_resource_list"),
    ({"community": 1, "status": "expired", "category": "children"}, "ix_resource_list"),
    ({}, "ix_resource_status_created"),
    ({"status": "paused", "kind": "people", "sort": "expiring"}, "ix_resource_status_created"),
])
def test_list_queries_are_served_by_the_declared_indexes(app, demo, args, index):
    statement = resources.list_statement(resources.Filters(**args), resources.today())
    backend, plan = query_plan(statement)
    if backend == "sqlite":
        assert f"INDEX {index}" in plan
    else:  # with a handful of rows PostgreSQL may pick either declared index; never a full scan
        assert re.search(r"Index (Only )?Scan .*(using|on) ix_resource_(list|status_created)", plan), plan
    db.session.rollback()
