"""During the meeting: answers to the invitation, attendance, decisions on the proposals, the thread."""
import pytest
import sqlalchemy as sa
from deliberation_factory import add_deliberation, add_proposal

from forum.core.workflow import StatusChange
from forum.deliberations.services import Seat
from forum.discussion import services as discussion
from forum.extensions import db


@pytest.mark.parametrize("answer,label", [("yes", "参加"), ("no", "不能参加"), ("maybe", "待定")])
def test_a_participant_answers_the_invitation(client, auth, demo, answer, label):
    deliberation = add_deliberation(demo)
    auth.login(demo.resident.phone)
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert "您的参会邀请" in page and "您以“居民代表”身份参会。" in page
    response = client.post(f"/deliberations/{deliberation.id}/rsvp", data={"rsvp": answer}, follow_redirects=True)
    assert f"已收到您的回复：{label}。" in response.get_data(as_text=True)
    me = deliberation.participant_for(demo.resident)
    db.session.refresh(me)
    assert me.rsvp == answer and me.rsvp_at is not None
    counts = {"yes": "参加 1 人", "no": "不能参加 1 人", "maybe": "待定 1 人"}[answer]
    assert counts in response.get_data(as_text=True) and "未回复 2 人" in response.get_data(as_text=True)


def test_an_answer_can_be_changed_but_must_be_one_of_the_three(client, auth, demo):
    deliberation = add_deliberation(demo, status="open")
    auth.login(demo.resident.phone)
    client.post(f"/deliberations/{deliberation.id}/rsvp", data={"rsvp": "no"})
    assert client.post(f"/deliberations/{deliberation.id}/rsvp", data={"rsvp": "yes"}).status_code == 303
    response = client.post(f"/deliberations/{deliberation.id}/rsvp", data={"rsvp": "whatever"})
    assert response.status_code == 400
    assert deliberation.participant_for(demo.resident).rsvp == "yes"


@pytest.mark.parametrize("who", ["staff", "resident2", "unverified"])
def test_only_participants_answer(client, auth, demo, who):
    deliberation = add_deliberation(demo)
    auth.login(getattr(demo, who).phone)
    assert "您的参会邀请" not in client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert client.post(f"/deliberations/{deliberation.id}/rsvp", data={"rsvp": "yes"}).status_code == 403


@pytest.mark.parametrize("status", ["concluded", "cancelled"])
def test_no_answers_once_it_is_over(client, auth, demo, status):
    deliberation = add_deliberation(demo, status=status)
    auth.login(demo.resident.phone)
    assert client.post(f"/deliberations/{deliberation.id}/rsvp", data={"rsvp": "yes"}).status_code == 403


@pytest.mark.parametrize("who", ["council", "staff"])
def test_moderators_and_staff_record_attendance(client, auth, demo, who):
    deliberation = add_deliberation(demo, status="open")
    present = {p.user_id: p.id for p in deliberation.participants}
    auth.login(getattr(demo, who).phone)
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert "登记出席情况" in page
    response = client.post(f"/deliberations/{deliberation.id}/attendance",
                           data={"present": [present[demo.council.id], present[demo.resident.id]]},
                           follow_redirects=True)
    assert "出席情况已登记。" in response.get_data(as_text=True)
    assert "出席（2 人）：李国华、刘桂芳" in response.get_data(as_text=True)
    assert "缺席（1 人）：赵晓梅" in response.get_data(as_text=True)
    recorded = {p.user_id: (p.attended, p.attendance_recorded_by_id) for p in deliberation.participants}
    by = getattr(demo, who).id
    assert recorded == {demo.council.id: (True, by), demo.resident.id: (True, by), demo.unit_contact.id: (False, by)}
    assert "attendee" in deliberation.relations_to(demo.resident)
    # A correction: the school's contact came late after all.
    client.post(f"/deliberations/{deliberation.id}/attendance", data={"present": list(present.values())})
    db.session.refresh(deliberation.participants[2])
    assert deliberation.participants[2].attended is True


@pytest.mark.parametrize("who", ["resident", "unit_contact", "resident2"])
def test_others_cannot_record_attendance(client, auth, demo, who):
    deliberation = add_deliberation(demo, status="open")
    auth.login(getattr(demo, who).phone)
    assert "登记出席情况" not in client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert client.post(f"/deliberations/{deliberation.id}/attendance", data={"present": []}).status_code == 403


def test_attendance_waits_for_the_session_to_open(client, auth, demo):
    deliberation = add_deliberation(demo)
    auth.login(demo.council.phone)
    assert "宣布开会后，可在这里登记出席情况。" in client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert client.post(f"/deliberations/{deliberation.id}/attendance", data={"present": []}).status_code == 403


def test_attendance_of_someone_else_is_refused(client, auth, demo):
    deliberation = add_deliberation(demo, status="open")
    other = add_deliberation(demo, status="open", title="另一场议事会")
    auth.login(demo.council.phone)
    response = client.post(f"/deliberations/{deliberation.id}/attendance",
                           data={"present": [other.participants[0].id]})
    assert response.status_code == 400
    assert all(p.attended is None for p in deliberation.participants)


@pytest.fixture
def with_proposals(demo):
    passing = add_proposal(demo.community, demo.resident, title="楼道加装扶手")
    failing = add_proposal(demo.community, demo.resident, title="取消小区东门")
    return add_deliberation(demo, status="open", proposals=[passing, failing]), passing, failing


def test_a_moderator_records_the_decisions_on_the_proposals(client, auth, demo, with_proposals):
    deliberation, passing, failing = with_proposals
    auth.login(demo.council.phone)
    url = f"/deliberations/{deliberation.id}/proposals"
    response = client.post(f"{url}/{passing.id}/decision", data={f"proposal-{passing.id}-passed": "yes"},
                           follow_redirects=True)
    assert "已记录对“楼道加装扶手”的决定。" in response.get_data(as_text=True)
    response = client.post(f"{url}/{failing.id}/decision", data={f"proposal-{failing.id}-passed": "no"})
    assert response.status_code == 400 and "请说明议题未通过的原因。" in response.get_data(as_text=True)
    client.post(f"{url}/{failing.id}/decision", data={f"proposal-{failing.id}-passed": "no",
                                                     f"proposal-{failing.id}-note": "东门是消防通道，不能取消。"})
    db.session.refresh(passing)
    db.session.refresh(failing)
    assert (passing.status, failing.status) == ("passed", "not_passed")
    note = db.session.scalar(sa.select(StatusChange.note).where(
        StatusChange.subject_type == "proposal", StatusChange.subject_id == failing.id, StatusChange.action == "reject"))
    assert note == "东门是消防通道，不能取消。"
    # Decided once: no form any more, and a second decision is refused.
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert "记录决定" not in page
    response = client.post(f"{url}/{passing.id}/decision", data={f"proposal-{passing.id}-passed": "no",
                                                                 f"proposal-{passing.id}-note": "改主意了"})
    assert response.status_code == 400 and "这项议题已有决定。" in response.get_data(as_text=True)
    db.session.refresh(passing)
    assert passing.status == "passed"


@pytest.mark.parametrize("who", ["resident", "unit_contact"])
def test_participants_who_do_not_moderate_cannot_decide(client, auth, demo, with_proposals, who):
    deliberation, passing, _ = with_proposals
    auth.login(getattr(demo, who).phone)
    assert "记录决定" not in client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    response = client.post(f"/deliberations/{deliberation.id}/proposals/{passing.id}/decision",
                           data={f"proposal-{passing.id}-passed": "yes"})
    assert response.status_code == 403


def test_decisions_wait_for_the_session_and_stay_within_the_deliberation(client, auth, demo):
    proposal = add_proposal(demo.community, demo.resident)
    scheduled = add_deliberation(demo, proposals=[proposal])
    other = add_proposal(demo.community, demo.resident, title="别的议题")
    auth.login(demo.staff.phone)
    assert client.post(f"/deliberations/{scheduled.id}/proposals/{proposal.id}/decision",
                       data={f"proposal-{proposal.id}-passed": "yes"}).status_code == 403
    opened = add_deliberation(demo, status="open", title="另一场")
    assert client.post(f"/deliberations/{opened.id}/proposals/{other.id}/decision",
                       data={f"proposal-{other.id}-passed": "yes"}).status_code == 404


def test_a_deliberations_own_moderator_locks_its_thread_and_pins_a_comment(client, auth, demo, make_user):
    chair = make_user(demo.community, verified=True, name="陈主持")  # no community role
    deliberation = add_deliberation(demo, status="open", seats=[Seat(chair.id, "居民代表", True),
                                                                 Seat(demo.resident.id, "居民代表")])
    comment = discussion.post_comment(demo.resident, deliberation, "建议先统计每个单元的意见。")
    auth.login(chair.phone)
    page = client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True)
    assert "锁定讨论" in page
    assert client.post(f"/discussion/comments/{comment.id}/pin", data={"pinned": "1"}).status_code == 303
    assert client.post(f"/discussion/deliberation/{deliberation.id}/lock", data={"locked": "1"}).status_code == 303
    db.session.refresh(comment)
    assert comment.pinned_at is not None and discussion.thread_of(deliberation).is_locked
    # Still allowed to speak in the locked thread; the resident is not.
    assert client.post(f"/discussion/deliberation/{deliberation.id}/comments",
                       data={"body": "讨论先到这里，意见已汇总。"}).status_code == 303
    client.post("/auth/logout")
    auth.login(demo.resident.phone)
    assert client.post(f"/discussion/deliberation/{deliberation.id}/comments", data={"body": "还想说"}).status_code == 403
    assert client.post(f"/discussion/deliberation/{deliberation.id}/lock", data={"locked": "0"}).status_code == 403


def test_a_deliberations_moderator_has_no_say_over_other_threads(client, auth, demo, make_user):
    chair = make_user(demo.community, verified=True, name="陈主持")
    add_deliberation(demo, seats=[Seat(chair.id, "居民代表", True)])
    elsewhere = add_deliberation(demo, title="另一场议事会")
    comment = discussion.post_comment(demo.resident, elsewhere, "另一场的讨论")
    auth.login(chair.phone)
    assert client.post(f"/discussion/deliberation/{elsewhere.id}/lock", data={"locked": "1"}).status_code == 403
    assert client.post(f"/discussion/comments/{comment.id}/pin", data={"pinned": "1"}).status_code == 403
