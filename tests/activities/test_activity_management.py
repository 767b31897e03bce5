"""Staff and unit contacts publish activities, run the sign-up and confirm attendance and hours."""
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from activity_factory import add_activity
from forum.activities import services
from forum.activities.models import ACTIVITY, Activity, Signup
from forum.core.workflow import TransitionNotAllowed
from forum.extensions import db
from forum.places.models import Unit


def hospital():
    return db.session.scalar(sa.select(Unit).where(Unit.kind == "hospital"))


def form(demo, **changes):
    data = {"title": "垃圾分类宣传活动", "body": "讲解**分类**方法<script>x</script>", "place": "松竹小区门口",
            "starts_at": "2030-01-05T09:30", "ends_at": "2030-01-05T11:30", "capacity": "12",
            "community": demo.community.id, "unit": ""}
    data.update(changes)
    return data


def newest():
    return db.session.scalar(sa.select(Activity).order_by(Activity.id.desc()))


# --- publishing ---------------------------------------------------------------------


def test_staff_publish_an_activity_typed_in_beijing_time(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.post("/activities/new", data=form(demo))
    assert response.status_code == 303
    activity = newest()
    assert (activity.title, activity.status, activity.unit, activity.capacity) == ("垃圾分类宣传活动", "open", None, 12)
    assert activity.starts_at == datetime(2030, 1, 5, 1, 30, tzinfo=timezone.utc)
    assert activity.ends_at - activity.starts_at == timedelta(hours=2)
    assert "<strong>分类</strong>" in activity.body_html and "<script>" not in activity.body_html
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "活动已发布，现在可以报名了。" in page and "2030-01-05 周六 09:30–11:30" in re.sub(r"<[^>]+>", "", page)
    assert "<strong>活动发布</strong> · 王秀兰" in " ".join(page.split())
    assert "<strong>分类</strong>" in page and "<script>x" not in page


def test_a_unit_contact_publishes_for_their_own_unit(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    page = client.get("/activities/new").get_data(as_text=True)
    assert "青松路小学" in page and "区第二人民医院" not in page and "社区自行组织" not in page
    assert "光明里社区" not in page  # the school does not serve it
    assert client.post("/activities/new", data=form(demo, unit=demo.school.id)).status_code == 303
    assert newest().unit_id == demo.school.id and newest().author_id == demo.unit_contact.id


def test_a_unit_contact_cannot_publish_for_another_unit_or_community(client, auth, demo):
    auth.login(demo.unit_contact.phone)
    assert client.post("/activities/new", data=form(demo, unit=hospital().id)).status_code == 400
    assert client.post("/activities/new", data=form(demo, unit="")).status_code == 400
    response = client.post("/activities/new", data=form(demo, community=demo.community3.id, unit=demo.school.id))
    assert response.status_code == 400
    with pytest.raises(Forbidden):
        services.create_activity(demo.unit_contact, demo.community3, demo.school, {})
    assert newest().title != "垃圾分类宣传活动"


def test_residents_cannot_publish_activities(client, auth, demo):
    auth.login(demo.resident.phone)
    assert client.get("/activities/new").status_code == 403
    assert client.post("/activities/new", data=form(demo)).status_code == 403
    assert "发布活动" not in client.get("/activities/").get_data(as_text=True)


def test_invalid_input_shows_the_form_again_in_chinese_keeping_what_was_typed(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.post("/activities/new", data=form(demo, title="", capacity="0", ends_at="2030-01-05T08:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请写一个简短的标题。" in page and "请填写 1 到 1000 之间的数字。" in page
    assert 'value="松竹小区门口"' in page and 'value="2030-01-05T09:30"' in page
    response = client.post("/activities/new", data=form(demo, ends_at="2030-01-05T08:00"))
    assert response.status_code == 400 and "结束时间必须晚于开始时间。" in response.get_data(as_text=True)
    response = client.post("/activities/new", data=form(demo, starts_at="2020-01-05T09:30"))
    assert response.status_code == 400 and "开始时间必须晚于现在。" in response.get_data(as_text=True)
    response = client.post("/activities/new", data=form(demo, starts_at="明天上午"))
    assert response.status_code == 400 and "请填写日期和时间，例如" in response.get_data(as_text=True)
    assert 'value="明天上午"' in response.get_data(as_text=True)


# --- the workflow ---------------------------------------------------------------------


def test_staff_close_reopen_and_cancel_with_a_reason_on_the_timeline(client, auth, demo):
    activity = add_activity(demo.community, demo.staff, people=[demo.resident])
    auth.login(demo.staff.phone)
    base = f"/activities/{activity.id}"
    assert client.post(f"{base}/steps/close").status_code == 303
    assert client.post(f"{base}/steps/reopen").status_code == 303
    response = client.post(f"{base}/steps/cancel", data={"note": ""})
    assert response.status_code == 400 and "请填写原因" in response.get_data(as_text=True)
    assert client.post(f"{base}/steps/cancel", data={"note": "暴雨预警，活动取消"}).status_code == 303
    db.session.refresh(activity)
    assert activity.status == "cancelled"
    assert [(c.action, c.to_state) for c in ACTIVITY.timeline(db.session, activity)] == [
        ("create", "open"), ("close", "closed"), ("reopen", "open"), ("cancel", "cancelled")]
    page = client.get(base).get_data(as_text=True)
    assert "<strong>报名截止</strong>" in page and "<strong>重新开放报名</strong>" in page
    assert "<strong>活动取消</strong>" in page and "暴雨预警，活动取消" in page
    assert "该活动已取消。" in page


def test_a_finished_or_cancelled_activity_takes_no_more_steps(client, auth, demo):
    activity = add_activity(demo.community, demo.staff)
    services.take_step(demo.staff, activity, "cancel", "改期")
    for action in ("close", "reopen", "cancel", "confirm"):
        with pytest.raises(TransitionNotAllowed):
            services.take_step(demo.staff, activity, action, "再取消一次")
    auth.login(demo.staff.phone)
    page = client.post(f"/activities/{activity.id}/steps/close", follow_redirects=True).get_data(as_text=True)
    assert "此操作已无法进行" in page


def test_residents_and_other_units_cannot_manage_an_activity(app, demo, make_user):
    activity = add_activity(demo.community, demo.staff, unit=demo.school)
    hospital_contact, unit = make_user(), hospital()
    unit.contacts.append(hospital_contact)
    db.session.commit()
    for outsider in (demo.resident, demo.council, hospital_contact):
        assert services.available_steps(outsider, activity) == []
        with pytest.raises(Forbidden):
            services.take_step(outsider, activity, "close")
    assert services.available_steps(demo.unit_contact, activity) == ["close", "cancel"]
    services.take_step(demo.unit_contact, activity, "close")
    assert activity.status == "closed"


# --- attendance and hours --------------------------------------------------------------


@pytest.fixture
def held(demo, make_user):
    """A school activity of 2.5 hours that began yesterday; three people signed up."""
    volunteer = make_user(demo.community, name="周志强")
    return add_activity(demo.community, demo.staff, unit=demo.school, starts_in=timedelta(days=-1), hours=2.5,
                        people=[demo.resident, demo.council, volunteer])


def attendance_form(activity, came):
    """The attendance form as posted: `came` maps a user to their hours ('' for the default)."""
    data = {}
    for i, signup in enumerate(activity.signups):
        data[f"attendees-{i}-signup_id"] = signup.id
        if signup.user in came:
            data[f"attendees-{i}-attended"] = "y"
            data[f"attendees-{i}-hours"] = came[signup.user]
    return data


def test_staff_confirm_attendance_and_everyone_sees_their_hours(client, auth, demo, held):
    auth.login(demo.staff.phone)
    page = client.get(f"/activities/{held.id}").get_data(as_text=True)
    assert "确认出勤并记录时长" in page and 'value="2.5"' in page and "周志强" in page
    response = client.post(f"/activities/{held.id}/attendance",
                           data=attendance_form(held, {demo.resident: "", demo.council: "4"}))
    assert response.status_code == 303
    db.session.refresh(held)
    assert held.status == "done"
    hours = {s.user_id: (s.attended, s.hours) for s in held.signups}
    assert hours[demo.resident.id] == (True, Decimal("2.5")) and hours[demo.council.id] == (True, Decimal("4"))
    assert [v for k, v in hours.items() if k not in (demo.resident.id, demo.council.id)] == [(False, None)]
    page = client.get(f"/activities/{held.id}").get_data(as_text=True)
    assert "出勤已确认" in page and "到场 2 人" in page and "共 6.5 小时" in page and "已结束" in page

    client.post("/auth/logout")
    auth.login(demo.resident.phone)
    assert "您已到场，记录的志愿服务时长：2.5 小时。" in client.get(f"/activities/{held.id}").get_data(as_text=True)
    mine = client.get("/activities/mine").get_data(as_text=True)
    # 3 hours at the demo's 重阳节敬老义诊, and 2.5 here
    assert services.hours_of_user(demo.resident) == Decimal("5.5") and "5.5 小时" in mine
    unit_page = client.get(f"/activities/units/{demo.school.id}").get_data(as_text=True)
    assert "<strong>7.5 小时</strong>" in unit_page and held.title in unit_page  # 1 hour in the demo


def test_the_organising_units_contact_may_confirm_attendance(app, demo, held):
    before = services.unit_summary(demo.school)  # the demo's 护学岗志愿服务: 李国华, 1 hour
    services.confirm_attendance(demo.unit_contact, held, {held.signups[0].id: None})
    assert held.status == "done" and held.signups[0].hours == Decimal("2.5")
    assert services.unit_summary(demo.school) == {
        "hours": before["hours"] + Decimal("2.5"), "people": before["people"] + 1,
        "activities": before["activities"] + 1}


def test_residents_and_other_units_cannot_confirm_attendance(client, auth, demo, held, make_user):
    auth.login(demo.resident.phone)
    page = client.get(f"/activities/{held.id}").get_data(as_text=True)
    assert "确认出勤并记录时长" not in page and "周志强" not in page
    assert client.post(f"/activities/{held.id}/attendance", data=attendance_form(held, {})).status_code == 403
    outsider, unit = make_user(), hospital()
    unit.contacts.append(outsider)
    db.session.commit()
    with pytest.raises(Forbidden):
        services.confirm_attendance(outsider, held, {})
    db.session.refresh(held)
    assert held.status == "open"


def test_attendance_is_confirmed_only_after_the_start_and_only_once(client, auth, demo, held):
    coming = add_activity(demo.community, demo.staff, people=[demo.resident])
    auth.login(demo.staff.phone)
    assert "确认出勤并记录时长" not in client.get(f"/activities/{coming.id}").get_data(as_text=True)
    response = client.post(f"/activities/{coming.id}/attendance", data=attendance_form(coming, {demo.resident: ""}))
    assert response.status_code == 400 and "活动开始后才能确认出勤。" in response.get_data(as_text=True)
    assert client.post(f"/activities/{held.id}/attendance", data=attendance_form(held, {})).status_code == 303
    page = client.post(f"/activities/{held.id}/attendance", data=attendance_form(held, {demo.resident: "2"}),
                       follow_redirects=True).get_data(as_text=True)
    assert "出勤已经确认过了。" in page
    assert services.hours_of_activity(held) == (0, Decimal(0))


def test_hours_out_of_range_are_refused_keeping_the_form(client, auth, demo, held):
    auth.login(demo.staff.phone)
    response = client.post(f"/activities/{held.id}/attendance", data=attendance_form(held, {demo.resident: "30"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "志愿服务时长须在 0 到 24 小时之间。" in page and 'value="30"' in page
    db.session.refresh(held)
    assert held.status == "open"
    assert db.session.scalar(sa.select(sa.func.count()).where(Signup.attended.is_not(None),
                                                               Signup.activity_id == held.id)) == 0


def test_people_signed_up_hear_when_an_activity_is_cancelled(app, demo):
    import sqlalchemy as sa

    from forum.activities import services
    from forum.activities.models import Activity
    from forum.extensions import db
    from forum.notifications.models import Notification

    activity = db.session.scalar(sa.select(Activity).where(Activity.status == "open",
                                                            Activity.signup_count > 0).limit(1))
    people = {s.user_id for s in activity.signups}
    services.take_step(demo.staff if activity.community_id == demo.community.id else demo.admin,
                       activity, "cancel", note="天气原因改期")
    told = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.message.like("%cancelled%"))))
    assert people and people <= told
