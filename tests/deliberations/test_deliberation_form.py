"""Scheduling and editing a deliberation: the form without JavaScript, its errors, what it saves."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from deliberation_factory import add_deliberation, add_proposal

from forum.deliberations.models import Deliberation
from forum.extensions import db
from forum.notifications.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEXT_YEAR = datetime.now(SHANGHAI).year + 1


def form_data(demo, **changes):
    """A good form: 王秀兰 (居委会, moderator), 刘桂芳 (居民代表), the school's contact (驻区单位)."""
    data = {"kind": "four_party", "title": "小区充电桩建设四方议事会", "starts_at": f"{NEXT_YEAR}-03-12T19:30",
            "ends_at": f"{NEXT_YEAR}-03-12T21:00", "place": "青松社区党群服务中心二楼", "online_url": "",
            "agenda": "主持人说明议事规则\n物业介绍配电容量", "description": "",
            "participants-0-user": str(demo.staff.id), "participants-0-seat": "居委会", "participants-0-is_moderator": "y",
            "participants-1-user": str(demo.resident.id), "participants-1-seat": "居民代表",
            "participants-2-user": str(demo.unit_contact.id), "participants-2-seat": "驻区单位"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def newest() -> Deliberation:
    return db.session.scalar(sa.select(Deliberation).order_by(Deliberation.id.desc()).limit(1))


@pytest.fixture
def proposal(demo):
    return add_proposal(demo.community, demo.resident, title="青松苑增设电动汽车充电桩")


def test_staff_schedule_a_deliberation_and_the_participants_are_invited(client, auth, demo, proposal):
    auth.login(demo.staff.phone)
    page = client.get(f"/deliberations/new?community={demo.community.id}").get_data(as_text=True)
    assert "青松苑增设电动汽车充电桩" in page  # a proposal waiting to be taken up
    assert '<datalist id="seat-options">' in page and '<option value="业委会">' in page
    assert "刘桂芳" in page and "赵晓梅" in page and "黄丽娟" not in page  # 黄丽娟 lives in 翠湖社区
    response = client.post(f"/deliberations/new?community={demo.community.id}",
                           data=form_data(demo, proposals=str(proposal.id)))
    assert response.status_code == 303
    deliberation = newest()
    assert response.headers["Location"].endswith(f"/deliberations/{deliberation.id}")
    assert (deliberation.kind, deliberation.status, deliberation.place) == ("four_party", "scheduled", "青松社区党群服务中心二楼")
    # Typed in Beijing time, stored in UTC.
    assert deliberation.starts_at == datetime(NEXT_YEAR, 3, 12, 19, 30, tzinfo=SHANGHAI)
    assert deliberation.starts_at.utcoffset() == timedelta(0)
    assert [(p.user_id, p.seat, p.is_moderator) for p in deliberation.participants] == [
        (demo.staff.id, "居委会", True), (demo.resident.id, "居民代表", False), (demo.unit_contact.id, "驻区单位", False)]
    assert [item.title for item in deliberation.agenda] == ["主持人说明议事规则", "物业介绍配电容量", "青松苑增设电动汽车充电桩"]
    assert deliberation.agenda[2].proposal_id == proposal.id
    db.session.refresh(proposal)
    assert proposal.status == "in_deliberation" and proposal.deliberations == [deliberation]
    invited = {n.user_id for n in db.session.scalars(sa.select(Notification).where(
        Notification.url == f"/deliberations/{deliberation.id}"))}
    assert invited == {demo.resident.id, demo.unit_contact.id}  # not the staff member who scheduled it


def test_a_proposal_goes_where_its_title_is_written_in_the_agenda(client, auth, demo, proposal):
    auth.login(demo.staff.phone)
    agenda = "主持人说明议事规则\n青松苑增设电动汽车充电桩\n会议总结"
    client.post(f"/deliberations/new?community={demo.community.id}",
                data=form_data(demo, proposals=str(proposal.id), agenda=agenda))
    agenda_items = newest().agenda
    assert [(i.position, i.title, i.proposal_id) for i in agenda_items] == [
        (1, "主持人说明议事规则", None), (2, "青松苑增设电动汽车充电桩", proposal.id), (3, "会议总结", None)]


@pytest.mark.parametrize("changes,message", [
    ({"participants-0-is_moderator": None}, "请至少勾选一位参会人员担任主持人。"),
    ({"place": "", "online_url": ""}, "请填写会议地点或线上会议链接（也可以都填）。"),
    ({"starts_at": "2020-01-01T09:00", "ends_at": ""}, "开始时间必须晚于现在。"),
    ({"ends_at": f"{NEXT_YEAR}-03-12T18:00"}, "结束时间必须晚于开始时间。"),
    ({"starts_at": "下周三晚上"}, "请填写日期和时间"),
    ({"online_url": "腾讯会议 123"}, "请填写以 https:// 开头的完整链接。"),
    ({"participants-1-seat": ""}, "请填写此人的席位。"),
    ({"participants-3-seat": "物业"}, "请选择占这个席位的人员。"),
    ({"participants-1-user": "resident2"}, "参会人员须是本社区居民"),
    ({"participants-2-user": None, "participants-2-seat": None, "agenda": ""}, "请选择议题，或至少写一项议程。"),
])
def test_a_mistake_is_explained_and_what_was_typed_stays(client, auth, demo, changes, message):
    if changes.get("participants-1-user") == "resident2":  # lives in 翠湖社区
        changes["participants-1-user"] = str(demo.resident2.id)
    auth.login(demo.staff.phone)
    response = client.post(f"/deliberations/new?community={demo.community.id}", data=form_data(demo, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="小区充电桩建设四方议事会"' in page
    assert f'<option value="{demo.staff.id}" selected>' in page
    if changes.get("agenda") is None:
        assert "物业介绍配电容量" in page
    assert db.session.scalar(sa.select(sa.func.count(Deliberation.id)).where(
        Deliberation.title == "小区充电桩建设四方议事会")) == 0


def test_the_same_person_cannot_take_two_seats(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.post(f"/deliberations/new?community={demo.community.id}",
                           data=form_data(demo, **{"participants-2-user": str(demo.resident.id)}))
    assert response.status_code == 400 and "同一个人只能占一个席位。" in response.get_data(as_text=True)


def test_a_proposal_taken_up_meanwhile_is_refused(client, auth, demo, proposal):
    add_deliberation(demo, proposals=[proposal])
    auth.login(demo.staff.phone)
    response = client.post(f"/deliberations/new?community={demo.community.id}",
                           data=form_data(demo, proposals=str(proposal.id)))
    assert response.status_code == 400 and "有议题已被其他议事会立项或已结束" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["council", "resident", "unit_contact"])
def test_only_staff_schedule_deliberations(client, auth, demo, who):
    auth.login(getattr(demo, who).phone)
    assert client.get(f"/deliberations/new?community={demo.community.id}").status_code == 403
    assert client.post(f"/deliberations/new?community={demo.community.id}", data=form_data(demo)).status_code == 403
    assert "安排议事" not in client.get("/deliberations/").get_data(as_text=True)


def test_a_moderator_edits_while_scheduled_and_people_hear_of_it(client, auth, demo, make_user):
    deliberation = add_deliberation(demo)
    newcomer = make_user(demo.community, verified=True, name="周敏")
    auth.login(demo.council.phone)  # moderator of the deliberation
    page = client.get(f"/deliberations/{deliberation.id}/edit").get_data(as_text=True)
    assert 'value="青松社区党群服务中心"' in page and "主持人说明议事规则" in page
    data = {"kind": "residents_council", "title": deliberation.title, "starts_at": f"{NEXT_YEAR}-04-02T19:00",
            "ends_at": "", "place": "青松社区老年活动室", "agenda": "主持人说明议事规则\n业委会通报",
            "participants-0-user": str(demo.council.id), "participants-0-seat": "居民代表",
            "participants-0-is_moderator": "y", "participants-1-user": str(demo.resident.id),
            "participants-1-seat": "居民代表", "participants-2-user": str(newcomer.id), "participants-2-seat": "业委会"}
    assert client.post(f"/deliberations/{deliberation.id}/edit", data=data).status_code == 303
    db.session.refresh(deliberation)
    assert deliberation.place == "青松社区老年活动室" and deliberation.ends_at is None
    assert [(p.user_id, p.seat) for p in deliberation.participants] == [
        (demo.council.id, "居民代表"), (demo.resident.id, "居民代表"), (newcomer.id, "业委会")]
    assert [i.title for i in deliberation.agenda] == ["主持人说明议事规则", "业委会通报"]
    texts = {n.user_id: n.text for n in db.session.scalars(sa.select(Notification).where(
        Notification.url == f"/deliberations/{deliberation.id}"))}
    assert texts[newcomer.id].startswith("您受邀参加议事")
    assert texts[demo.resident.id].startswith("“楼道改造居民议事会”的时间或地点有变更")
    assert demo.unit_contact.id not in texts  # no longer invited, not told


def test_edit_keeps_answers_and_refuses_after_the_session_opens(client, auth, demo):
    deliberation = add_deliberation(demo, status="open")
    auth.login(demo.council.phone)
    assert client.get(f"/deliberations/{deliberation.id}/edit").status_code == 403
    assert "/edit" not in client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)


def test_a_participant_who_is_not_a_moderator_cannot_edit(client, auth, demo):
    deliberation = add_deliberation(demo)
    auth.login(demo.resident.phone)
    assert client.get(f"/deliberations/{deliberation.id}/edit").status_code == 403
