"""The needs list: posting, review, claiming, resolving, rating, merging, supporting."""
import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from forum.core.workflow import TransitionNotAllowed
from forum.extensions import db
from forum.lists import needs
from forum.lists.models import Need, NeedSupport


def fields(**changes):
    data = {"title": "楼道灯坏了", "body": "晚上**很黑**", "category": "facilities", "urgency": 2,
            "compound": None, "location": "3号楼", "anonymous": False}
    data.update(changes)
    return data


@pytest.fixture
def need(demo):
    return needs.create_need(demo.resident, demo.community, fields(), [])


def post_form(demo, **changes):
    data = {"title": "电梯经常停运", "body": "<script>alert(1)</script>**每天**都停",
            "category": "facilities", "urgency": "3", "community": demo.community.id, "location": "5号楼"}
    data.update(changes)
    return data


def test_a_resident_posts_a_need_and_it_waits_for_review(client, auth, demo):
    auth.login(demo.resident.phone)
    response = client.post("/needs/new", data=post_form(demo))
    assert response.status_code == 303
    need = db.session.scalar(sa.select(Need).where(Need.title == "电梯经常停运"))
    assert need.status == "submitted" and need.author_id == demo.resident.id and need.urgency == 3
    assert "<script>" not in need.body_html and "<strong>每天</strong>" in need.body_html
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "待审核" in page and "<script>alert" not in page
    client.post("/auth/logout")
    # Not yet public: neighbours and visitors cannot see it.
    assert client.get(f"/needs/{need.id}").status_code == 302
    auth.login(demo.resident2.phone)
    assert client.get(f"/needs/{need.id}").status_code == 403


def test_form_errors_are_in_chinese_and_keep_the_input(client, auth, demo):
    auth.login(demo.resident.phone)
    response = client.post("/needs/new", data=post_form(demo, title="灯", category=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "标题需要 4 到 60 个字。" in page and "请选择类别。" in page
    assert "5号楼" in page and "每天" in page


def test_residents_post_only_in_their_own_community(client, auth, demo):
    auth.login(demo.resident2.phone)
    assert client.post("/needs/new", data=post_form(demo)).status_code == 403


def test_staff_publish_or_reject_with_a_reason_the_author_sees(client, auth, demo, need):
    auth.login(demo.staff.phone)
    assert client.post(f"/needs/{need.id}/steps/reject", data={"note": ""}).status_code == 400
    assert client.post(f"/needs/{need.id}/steps/reject", data={"note": "请补充具体楼栋"}).status_code == 303
    client.post("/auth/logout")
    auth.login(demo.resident.phone)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "未通过" in page and "请补充具体楼栋" in page


def test_verified_residents_needs_publish_at_once_when_the_community_says_so(client, auth, demo):
    auth.login(demo.staff.phone)
    client.post(f"/needs/settings/{demo.community.id}", data={"publish_verified": "on"})
    client.post("/auth/logout")
    auth.login(demo.resident.phone)
    client.post("/needs/new", data=post_form(demo))
    client.post("/auth/logout")
    auth.login(demo.unverified.phone)
    client.post("/needs/new", data=post_form(demo, title="路面有个大坑"))
    by_title = {n.title: n for n in db.session.scalars(sa.select(Need))}
    assert by_title["电梯经常停运"].status == "published"
    assert by_title["路面有个大坑"].status == "submitted"


@pytest.mark.parametrize("action,who,allowed", [
    ("publish", "staff", True), ("publish", "resident", False), ("publish", "unit_contact", False),
    ("publish", "council", False), ("withdraw", "resident", True), ("withdraw", "staff", False),
    ("reject", "staff", True), ("reject", "resident", False), ("merge", "staff", True),
    ("merge", "resident", False),
])
def test_who_may_take_each_step_from_submitted(demo, need, action, who, allowed):
    target = needs.create_need(demo.council, demo.community, fields(title="另一条需求"), [])
    take = lambda: needs.take_step(getattr(demo, who), need, action, note="说明", target_id=target.id)  # noqa: E731
    if allowed:
        take()
        assert need.status == needs.NEED.transition("submitted", action).to_state
    else:
        with pytest.raises(Forbidden):
            take()
        db.session.rollback()
        assert db.session.get(Need, need.id).status == "submitted"


@pytest.mark.parametrize("who,allowed", [
    ("unit_contact", True), ("staff", True), ("resident", False), ("council", False), ("resident2", False),
])
def test_who_may_claim_a_published_need(demo, need, who, allowed):
    needs.take_step(demo.staff, need, "publish")
    if allowed:
        needs.take_step(getattr(demo, who), need, "claim")
        assert need.status == "claimed"
    else:
        with pytest.raises(Forbidden):
            needs.take_step(getattr(demo, who), need, "claim")


def test_a_unit_claims_works_resolves_and_the_author_closes_with_a_rating(demo, need):
    needs.take_step(demo.staff, need, "publish")
    needs.take_step(demo.unit_contact, need, "claim")
    assert need.claimed_unit == demo.school
    with pytest.raises(Forbidden):  # only the claimer (or staff) carries on
        needs.take_step(demo.council, need, "start")
    needs.take_step(demo.unit_contact, need, "start")
    with pytest.raises(needs.NeedError):
        needs.take_step(demo.unit_contact, need, "resolve", note="")
    needs.take_step(demo.unit_contact, need, "resolve", note="已更换灯泡")
    with pytest.raises(Forbidden):
        needs.take_step(demo.council, need, "rate", score=5)
    needs.take_step(demo.resident, need, "rate", score=4, comment="很及时")
    assert need.status == "closed" and need.rating == 4
    steps = [c.action for c in needs.NEED.timeline(db.session, need)]
    assert steps == ["create", "publish", "claim", "start", "resolve", "close"]


def test_an_unsatisfied_rating_reopens_the_need(demo, need):
    for actor, step, note in [(demo.staff, "publish", ""), (demo.staff, "claim", ""), (demo.staff, "resolve", "修好了")]:
        needs.take_step(actor, need, step, note=note)
    needs.take_step(demo.resident, need, "rate", score=2, comment="第二天又坏了")
    assert need.status == "in_progress" and need.rating == 2


def test_a_stale_step_is_refused_not_repeated(demo, need):
    needs.take_step(demo.staff, need, "publish")
    with pytest.raises(TransitionNotAllowed):
        needs.take_step(demo.staff, need, "publish")


def test_the_author_withdraws_before_but_not_after_a_claim(demo, need):
    needs.take_step(demo.staff, need, "publish")
    needs.take_step(demo.staff, need, "claim")
    with pytest.raises(TransitionNotAllowed):
        needs.take_step(demo.resident, need, "withdraw")


def test_support_once_undo_and_live_count_over_htmx(client, auth, demo, need):
    needs.take_step(demo.staff, need, "publish")
    auth.login(demo.council.phone)
    for _ in range(2):
        client.post(f"/needs/{need.id}/support")
    db.session.refresh(need)
    assert need.support_count == 1
    response = client.post(f"/needs/{need.id}/support", data={"undo": "1"}, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "0 位邻居也需要" in html and "我也需要" in html
    db.session.refresh(need)
    assert need.support_count == 0


def test_the_author_cannot_support_their_own_need(client, auth, demo, need):
    needs.take_step(demo.staff, need, "publish")
    auth.login(demo.resident.phone)
    response = client.post(f"/needs/{need.id}/support", follow_redirects=True)
    assert "这条需求现在不能附议" in response.get_data(as_text=True)
    db.session.refresh(need)
    assert need.support_count == 0


def test_supporting_a_need_that_moved_on_says_so_over_htmx(client, auth, demo, need):
    for step in ("publish", "claim"):
        needs.take_step(demo.staff, need, step)
    needs.take_step(demo.staff, need, "resolve", note="修好了")
    auth.login(demo.council.phone)
    html = client.post(f"/needs/{need.id}/support", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "这条需求现在不能附议，页面已刷新。" in html and "<html" not in html


def test_staff_are_told_of_needs_waiting_for_review_and_can_list_them(client, auth, demo, need):
    from forum.notifications.services import unread_count

    assert unread_count(demo.staff) >= 1
    auth.login(demo.staff.phone)
    assert "条需求待审核" in client.get("/").get_data(as_text=True)
    link = f'href="/needs/{need.id}"'
    page = client.get(f"/needs/?community={demo.community.id}&status=submitted").get_data(as_text=True)
    assert link in page
    client.post("/auth/logout")
    page = client.get(f"/needs/?community={demo.community.id}&status=submitted").get_data(as_text=True)
    assert link not in page


def test_merging_carries_supporters_over(demo, need):
    target = needs.create_need(demo.council, demo.community, fields(title="3号楼灯不亮"), [])
    for n in (need, target):
        needs.take_step(demo.staff, n, "publish")
    needs.support(demo.unverified, need)
    needs.support(demo.staff, need)
    needs.support(demo.staff, target)
    needs.take_step(demo.staff, need, "merge", target_id=target.id)
    db.session.refresh(target)
    supporters = set(db.session.scalars(sa.select(NeedSupport.user_id).where(NeedSupport.need_id == target.id)))
    assert supporters == {demo.unverified.id, demo.staff.id, demo.resident.id}
    assert target.support_count == 3 and need.status == "merged" and need.merged_into_id == target.id


def test_an_anonymous_need_hides_the_author_but_not_from_staff(client, auth, demo):
    need = needs.create_need(demo.resident, demo.community, fields(anonymous=True), [])
    needs.take_step(demo.staff, need, "publish")
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "刘桂芳" not in page and "匿名居民" in page
    auth.login(demo.staff.phone)
    assert "刘桂芳" in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_staff_enter_a_need_for_a_resident_who_later_registers(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.post(f"/needs/for-resident?community={demo.community.id}", data={
        "proxy_name": "王桂兰", "proxy_phone": "13700005678", "title": "需要有人帮忙取药",
        "category": "elderly", "urgency": "2", "community": demo.community.id})
    assert response.status_code == 303
    need = db.session.scalar(sa.select(Need).where(Need.proxy_phone == "13700005678"))
    assert need.status == "published" and need.author_id is None
    client.post("/auth/logout")
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "由社区工作者代录入" in page and "13700005678" not in page and "王桂兰" in page
    client.post("/auth/register", data={
        "phone": "13700005678", "display_name": "王奶奶", "password": "青松苑6号楼 2026",
        "confirm": "青松苑6号楼 2026", "community": demo.community.id, "consent": "y"})
    db.session.refresh(need)
    assert need.author is not None and need.author.display_name == "王奶奶"
    assert "需要有人帮忙取药" in client.get("/needs/mine").get_data(as_text=True)


def test_status_changes_reach_the_author_and_supporters(demo, need):
    from forum.notifications.services import unread_count

    needs.take_step(demo.staff, need, "publish")
    needs.support(demo.council, need)
    before = unread_count(demo.council), unread_count(demo.resident), unread_count(demo.unit_contact)
    needs.take_step(demo.unit_contact, need, "claim")
    after = unread_count(demo.council), unread_count(demo.resident), unread_count(demo.unit_contact)
    assert after == (before[0] + 1, before[1] + 1, before[2]), "author and supporter told; the actor not"


def test_list_filters_sort_and_htmx_fragment(client, demo):
    page = client.get(f"/needs/?community={demo.community.id}&category=facilities").get_data(as_text=True)
    assert "3号楼楼道灯坏了一个多星期" in page and "双职工家庭" not in page
    page = client.get("/needs/?status=closed").get_data(as_text=True)
    assert "垃圾桶经常满溢没人清理" in page and "3号楼楼道灯坏了" not in page
    page = client.get("/needs/").get_data(as_text=True)
    assert "希望开一个老年人智能手机课" not in page, "a need waiting for review is not listed"
    supported = client.get("/needs/?sort=supported").get_data(as_text=True)
    assert supported.index("3号楼楼道灯坏了") < supported.index("小区南门路灯不亮")
    response = client.get("/needs/?category=children", headers={"HX-Request": "true"})
    assert "<html" not in response.get_data(as_text=True) and "HX-Request" in response.headers["Vary"]


def test_list_pages_through_many_needs(client, demo):
    for i in range(45):
        need = Need(community=demo.community, author_id=demo.resident.id, title=f"批量需求{i:02d}",
                    category="other", status="published", body_html="")
        db.session.add(need)
    db.session.commit()
    first = client.get("/needs/?category=other").get_data(as_text=True)
    third = client.get("/needs/?category=other&page=3").get_data(as_text=True)
    assert "批量需求44" in first and "批量需求00" in third and "第 3 页，共 3 页" in third


def test_posting_is_rate_limited_per_user_with_a_chinese_page(make_app):
    from forum.config import RATE_LIMITS

    app = make_app(demo=True, RATELIMIT_ENABLED=True, RATE_LIMITS={**RATE_LIMITS, "post_need": "2 per hour"})
    client = app.test_client()
    client.post("/auth/login", data={"phone": "13900000004", "password": "demo-pass-2026"})
    codes = [client.post("/needs/new", data={"title": f"第{i}条需求内容", "category": "other", "urgency": "1",
                                             "community": "1"}).status_code for i in range(3)]
    assert codes == [303, 303, 429]
    assert "尝试次数过多" in client.post("/needs/new", data={}).get_data(as_text=True)


@pytest.mark.parametrize("args", [
    {"community": 1}, {"community": 1, "category": "facilities", "status": "closed"},
    {"community": 1, "sort": "supported"}, {"community": 1, "sort": "urgent"}, {}, {"status": "resolved"},
])
def test_list_queries_are_served_by_an_index_not_a_table_scan(app, demo, args):
    """So that the list stays fast at 100k needs, no list query reads the whole table."""
    from conftest import query_plan
    from forum.lists.need_queries import Filters, list_statement

    backend, plan = query_plan(list_statement(Filters(**args)))
    if backend == "sqlite":
        assert "USING INDEX ix_need_" in plan and "SCAN need" not in plan, plan
    else:
        assert "Seq Scan on need" not in plan and "ix_need_" in plan, plan
    db.session.rollback()
