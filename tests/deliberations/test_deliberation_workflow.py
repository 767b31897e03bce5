"""Every step of the deliberation workflow, for every kind of person, through the pages and the services."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from deliberation_factory import add_deliberation, add_proposal

from forum.core.permissions import can
from forum.deliberations import conduct
from forum.deliberations.models import DELIBERATION
from forum.deliberations.services import DeliberationError, Seat
from forum.extensions import db
from forum.notifications.models import Notification

PEOPLE = ["chair", "participant", "community_moderator", "unit_contact", "staff", "admin", "other_community"]

# (state, action) → who may take it. "chair" moderates this deliberation without any community role;
# 李国华 (community_moderator) moderates the community but has no seat at this deliberation.
RUNNERS = {"chair", "community_moderator", "staff", "admin"}
EXPECTED = {
    ("scheduled", "open"): RUNNERS,
    ("open", "start_voting"): RUNNERS,
    ("open", "conclude"): RUNNERS,
    ("voting", "conclude"): RUNNERS,
    # The minutes feature takes this step as the site; only an admin's blanket rights reach it, and
    # the step buttons refuse it to everyone (test below).
    ("concluded", "publish_minutes"): {"admin"},
    ("scheduled", "cancel"): {"staff", "admin"},
}


@pytest.fixture
def people(demo, make_user):
    chair = make_user(demo.community, verified=True, name="陈主持")
    return {"chair": chair, "participant": demo.resident, "community_moderator": demo.council,
            "unit_contact": demo.unit_contact, "staff": demo.staff, "admin": demo.admin,
            "other_community": demo.resident2}


def seated(demo, people, status):
    return add_deliberation(demo, status=status, seats=[Seat(people["chair"].id, "居民代表", True),
                                                         Seat(demo.resident.id, "居民代表")])


def test_the_table_covers_every_declared_transition():
    assert set(EXPECTED) == set(DELIBERATION.transitions)


@pytest.mark.parametrize("state,action", sorted(EXPECTED))
def test_who_may_take_each_step(demo, people, state, action):
    deliberation = seated(demo, people, state)
    allowed = {who for who, user in people.items() if can(user, f"deliberation:{action}", deliberation)}
    assert allowed == EXPECTED[(state, action)]


@pytest.mark.parametrize("who,status", [("chair", 303), ("staff", 303), ("participant", 403),
                                        ("unit_contact", 403), ("other_community", 403)])
def test_opening_the_session_through_the_page(client, auth, demo, people, who, status):
    deliberation = seated(demo, people, "scheduled")
    auth.login(people[who].phone)
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert ("宣布开会" in page) == (status == 303)
    response = client.post(f"/deliberations/{deliberation.id}/steps/open")
    assert response.status_code == status
    db.session.refresh(deliberation)
    assert deliberation.status == ("open" if status == 303 else "scheduled")


def test_opening_tells_the_participants(demo, people):
    deliberation = seated(demo, people, "scheduled")
    conduct.take_step(people["chair"], deliberation, "open")
    told = db.session.scalars(sa.select(Notification).where(Notification.url == f"/deliberations/{deliberation.id}",
                                                            Notification.user_id == demo.resident.id)).all()
    assert [n.text for n in told] == ["议事“楼道改造居民议事会”已开始，欢迎参与讨论"]


def test_voting_starts_only_once_the_deliberation_has_a_poll(client, auth, demo, people):
    deliberation = seated(demo, people, "open")
    assert conduct.polls_of(deliberation) == []
    assert "start_voting" not in conduct.available_steps(people["chair"], deliberation)
    with pytest.raises(DeliberationError):
        conduct.take_step(people["chair"], deliberation, "start_voting")
    auth.login(people["chair"].phone)
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert ">进入表决</button>" not in page and "为本次议事发起表决后，才能进入表决环节。" in page
    response = client.post(f"/deliberations/{deliberation.id}/steps/start_voting")
    assert response.status_code == 400 and "请先发起表决" in response.get_data(as_text=True)
    assert deliberation.status == "open"


@pytest.mark.parametrize("state", ["open", "voting"])
def test_a_moderator_concludes_an_open_or_voting_deliberation(client, auth, demo, people, state):
    deliberation = seated(demo, people, state)
    auth.login(people["chair"].phone)
    assert client.post(f"/deliberations/{deliberation.id}/steps/conclude").status_code == 303
    db.session.refresh(deliberation)
    assert deliberation.status == "concluded"
    assert "结束议事" not in client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)


def test_cancelling_needs_a_reason_which_the_participants_hear(client, auth, demo, people):
    deliberation = seated(demo, people, "scheduled")
    auth.login(demo.staff.phone)
    response = client.post(f"/deliberations/{deliberation.id}/steps/cancel", data={"note": "  "})
    assert response.status_code == 400
    assert "请说明原因，所有参会人员都会看到。" in response.get_data(as_text=True)
    response = client.post(f"/deliberations/{deliberation.id}/steps/cancel", data={"note": "会议室临时停电，改期另行通知。"})
    assert response.status_code == 303
    db.session.refresh(deliberation)
    assert deliberation.status == "cancelled"
    texts = [n.text for n in db.session.scalars(sa.select(Notification).where(
        Notification.user_id == people["chair"].id, Notification.url == f"/deliberations/{deliberation.id}"))]
    assert any("已取消：会议室临时停电，改期另行通知。" in text for text in texts)
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert "会议室临时停电" in page  # on the timeline


def test_cancelling_sends_its_proposals_back_to_wait_for_another_deliberation(client, auth, demo):
    waiting = add_proposal(demo.community, demo.resident, title="单元门口增设无障碍坡道")
    also_elsewhere = add_proposal(demo.community, demo.resident, title="楼顶防水翻修")
    cancelled = add_deliberation(demo, proposals=[waiting, also_elsewhere])
    add_deliberation(demo, title="另一场议事会", proposals=[])
    other = db.session.scalar(sa.select(type(cancelled)).where(type(cancelled).title == "另一场议事会"))
    other.proposals.append(also_elsewhere)
    db.session.commit()
    assert waiting.status == also_elsewhere.status == "in_deliberation"
    auth.login(demo.staff.phone)
    client.post(f"/deliberations/{cancelled.id}/steps/cancel", data={"note": "会议室临时停电，改期另行通知。"})
    db.session.refresh(waiting)
    db.session.refresh(also_elsewhere)
    assert waiting.status == "threshold_met"  # staff can take it up again
    assert also_elsewhere.status == "in_deliberation"  # still on the other deliberation's agenda
    assert "议事已取消，等待另行安排" in client.get(f"/proposals/{waiting.id}").get_data(as_text=True)


def test_a_moderator_cannot_cancel(client, auth, demo, people):
    deliberation = seated(demo, people, "scheduled")
    auth.login(people["chair"].phone)
    assert "取消议事" not in client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert client.post(f"/deliberations/{deliberation.id}/steps/cancel", data={"note": "不开了"}).status_code == 403


def test_nobody_publishes_the_minutes_with_a_step_button(client, auth, demo, people):
    deliberation = seated(demo, people, "concluded")
    with pytest.raises(DeliberationError):
        conduct.take_step(demo.admin, deliberation, "publish_minutes")
    assert conduct.available_steps(demo.admin, deliberation) == []
    DELIBERATION.apply_as_system(db.session, deliberation, "publish_minutes")
    assert deliberation.status == "published"


def test_a_stale_step_is_refused_with_an_explanation(client, auth, demo, people):
    deliberation = seated(demo, people, "concluded")
    auth.login(demo.staff.phone)
    response = client.post(f"/deliberations/{deliberation.id}/steps/open", follow_redirects=True)
    assert "此操作已无法进行，页面已刷新。" in response.get_data(as_text=True)
    db.session.refresh(deliberation)
    assert deliberation.status == "concluded"


def test_the_timeline_shows_each_step(client, demo, people):
    deliberation = seated(demo, people, "scheduled")
    conduct.take_step(people["chair"], deliberation, "open")
    conduct.take_step(demo.staff, deliberation, "conclude")
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert page.index("发布议事安排") < page.index("宣布开会") < page.index("议事结束")


def test_with_a_poll_a_moderator_starts_the_voting(client, auth, demo, people):
    from forum.core.models import utcnow
    from forum.voting.setup import Target, create_poll

    deliberation = seated(demo, people, "open")
    create_poll(people["chair"], Target(demo.community, deliberation), {
        "title": "是否同意楼道改造方案", "method": "yes_no", "electorate": "council", "opens_at": utcnow(),
        "closes_at": utcnow() + timedelta(days=1), "results_live": False, "quorum_percent": 0,
        "pass_rule": "simple_majority", "secret": False})
    auth.login(people["chair"].phone)
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert ">进入表决</button>" in page and "是否同意楼道改造方案" in page and "投票中" in page
    assert client.post(f"/deliberations/{deliberation.id}/steps/start_voting").status_code == 303
    db.session.refresh(deliberation)
    assert deliberation.status == "voting"
