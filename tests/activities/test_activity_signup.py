"""Residents and volunteers sign up for an activity and cancel, until it is full or begins."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from activity_factory import add_activity, signed_up
from forum.accounts.models import RoleGrant
from forum.activities import services
from forum.activities.models import Signup
from forum.extensions import db


@pytest.fixture
def activity(demo):
    return add_activity(demo.community, demo.staff, capacity=2)


def url(activity, suffix=""):
    return f"/activities/{activity.id}{suffix}"


def test_a_resident_signs_up_and_cancels(client, auth, demo, activity):
    auth.login(demo.resident.phone)
    page = client.get(url(activity)).get_data(as_text=True)
    assert "还剩 2 个名额。" in page and "报名</button>" in page
    response = client.post(url(activity, "/signup"))
    assert response.status_code == 303 and response.headers["Location"].endswith(url(activity))
    page = client.get(url(activity)).get_data(as_text=True)
    assert "报名成功，到时见！" in page and "您已报名，到时见！" in page and "已报名 1 / 2 人" in page
    assert signed_up(activity) == [demo.resident.id]

    assert client.post(url(activity, "/signup/cancel")).status_code == 303
    page = client.get(url(activity)).get_data(as_text=True)
    assert "已取消报名，名额已让给其他人。" in page and "已报名 0 / 2 人" in page
    assert signed_up(activity) == []


def test_a_full_activity_refuses_the_next_sign_up_in_chinese(client, auth, demo, activity, make_user):
    neighbours = [make_user(demo.community) for _ in range(2)]
    for neighbour in neighbours:
        services.sign_up(neighbour, activity)
    auth.login(demo.resident.phone)
    page = client.get(url(activity)).get_data(as_text=True)
    assert "已满" in page and "名额已满。如有人取消报名，会空出名额。" in page
    assert "报名</button>" not in page
    page = client.post(url(activity, "/signup"), follow_redirects=True).get_data(as_text=True)
    assert "很抱歉，该活动名额已满。" in page
    assert signed_up(activity) == [n.id for n in neighbours]
    db.session.refresh(activity)
    assert activity.signup_count == 2


def test_a_freed_place_can_be_taken_again(app, demo, activity, make_user):
    first, second, third = (make_user(demo.community) for _ in range(3))
    services.sign_up(first, activity)
    services.sign_up(second, activity)
    services.cancel_signup(first, activity)
    services.sign_up(third, activity)
    assert signed_up(activity) == [second.id, third.id]


def test_signing_up_twice_is_refused_and_counted_once(client, auth, demo, activity):
    auth.login(demo.resident.phone)
    client.post(url(activity, "/signup"))
    page = client.post(url(activity, "/signup"), follow_redirects=True).get_data(as_text=True)
    assert "您已报名该活动，无需重复报名。" in page
    db.session.refresh(activity)
    assert signed_up(activity) == [demo.resident.id] and activity.signup_count == 1


def test_the_database_itself_refuses_a_second_sign_up(app, demo, activity):
    services.sign_up(demo.resident, activity)
    db.session.add(Signup(activity_id=activity.id, user_id=demo.resident.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_itself_refuses_more_sign_ups_than_places(app, demo, activity):
    activity_id = activity.id
    db.session.rollback()  # SQLite: leave the write lock to the statement below
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE activity SET signup_count = 3 WHERE id = {activity_id}")


def test_people_of_another_community_cannot_sign_up(client, auth, demo, activity):
    auth.login(demo.resident2.phone)
    page = client.get(url(activity)).get_data(as_text=True)
    assert "青松社区的居民和在该社区服务的志愿者可以报名。" in page
    assert client.post(url(activity, "/signup")).status_code == 403
    assert signed_up(activity) == []


def test_a_volunteer_serving_the_community_may_sign_up_without_living_there(app, demo, activity, make_user):
    volunteer = make_user(demo.community2)
    with pytest.raises(Forbidden):
        services.sign_up(volunteer, activity)
    db.session.add(RoleGrant(user=volunteer, role="volunteer", community=demo.community))
    db.session.commit()
    services.sign_up(volunteer, activity)
    assert signed_up(activity) == [volunteer.id]


def test_visitors_are_asked_to_log_in_to_sign_up(client, demo, activity):
    page = client.get(url(activity)).get_data(as_text=True)
    assert "登录后报名" in page
    response = client.post(url(activity, "/signup"))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_no_sign_up_after_the_start_or_when_closed(client, auth, demo):
    begun = add_activity(demo.community, demo.staff, starts_in=timedelta(hours=-1))
    closed = add_activity(demo.community, demo.staff)
    services.take_step(demo.staff, closed, "close")
    auth.login(demo.resident.phone)
    for activity in (begun, closed):
        assert "报名已截止。" in client.get(url(activity)).get_data(as_text=True)
        page = client.post(url(activity, "/signup"), follow_redirects=True).get_data(as_text=True)
        assert "该活动已停止报名。" in page
        assert signed_up(activity) == []


def test_a_sign_up_cannot_be_cancelled_once_the_activity_has_begun(client, auth, demo):
    begun = add_activity(demo.community, demo.staff, starts_in=timedelta(hours=-1), people=[demo.resident])
    auth.login(demo.resident.phone)
    page = client.get(url(begun)).get_data(as_text=True)
    assert "取消报名</button>" not in page
    page = client.post(url(begun, "/signup/cancel"), follow_redirects=True).get_data(as_text=True)
    assert "活动已开始，不能再取消报名。" in page
    assert signed_up(begun) == [demo.resident.id]


def test_cancelling_without_a_sign_up_says_so(client, auth, demo, activity):
    auth.login(demo.resident.phone)
    page = client.post(url(activity, "/signup/cancel"), follow_redirects=True).get_data(as_text=True)
    assert "您没有报名该活动。" in page
