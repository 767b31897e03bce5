"""The moderation log: every step written, never rewritten, read by supervisors, staff and admins."""
import pytest
import sqlalchemy as sa
from moderation_factory import case_of, comment_on, published_need

from forum.extensions import db
from forum.moderation import actions, services
from forum.moderation.models import ModerationAction, ModerationLogIsAppendOnly


def _actions():
    return [(a.action, a.actor_id, a.reason) for a in db.session.scalars(
        sa.select(ModerationAction).order_by(ModerationAction.id))]


def test_every_step_is_logged_with_who_what_and_why(app, demo):
    before = len(_actions())
    need = published_need(demo)
    comment = comment_on(need, demo.unverified, "不好听的话")
    services.report(demo.resident, comment, "abuse")
    case = case_of(comment)
    actions.hide(demo.council, case, "人身攻击")
    actions.warn(demo.council, case, "请文明发言")
    actions.suspend(demo.council, case, 2, "屡次违规")
    services.request_review(demo.unverified, comment)
    actions.restore(demo.staff, case)
    actions.ban(demo.staff, case, "再次违规")
    logged = _actions()[before:]
    assert logged == [
        ("hide", demo.council.id, "人身攻击"), ("warn", demo.council.id, "请文明发言"),
        ("suspend", demo.council.id, "屡次违规"), ("request_review", demo.unverified.id, ""),
        ("restore", demo.staff.id, ""), ("ban", demo.staff.id, "再次违规"),
    ]
    entry = db.session.scalars(sa.select(ModerationAction).order_by(ModerationAction.id.desc())).first()
    assert (entry.kind, entry.item_id, entry.target_user_id, entry.community_id) == \
        ("comment", comment.id, demo.unverified.id, demo.community.id)


def test_the_orm_refuses_to_change_or_delete_an_entry(app, demo):
    entry = db.session.scalars(sa.select(ModerationAction)).first()
    entry.reason = "改写"
    with pytest.raises(ModerationLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(sa.select(ModerationAction)).first())
    with pytest.raises(ModerationLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("statement", ["UPDATE moderation_action SET reason = 'rewritten'",
                                       "DELETE FROM moderation_action"])
def test_the_database_refuses_to_rewrite_the_log(app, demo, statement):
    before = db.session.scalar(sa.select(sa.func.count(ModerationAction.id)))
    assert before >= 1  # the demo's held comment
    with pytest.raises(sa.exc.DatabaseError):
        with db.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ModerationAction.id))) == before
    assert db.session.scalar(sa.select(sa.func.count()).where(ModerationAction.reason == "rewritten")) == 0


@pytest.mark.parametrize("who, status", [("supervisor", 200), ("staff", 200), ("admin", 200), ("council", 403),
                                         ("resident", 403), ("unit_contact", 403), (None, 302)])
def test_who_reads_the_log(client, auth, demo, make_user, who, status):
    user = make_user(demo.community, roles=("supervisor",)) if who == "supervisor" else getattr(demo, who or "", None)
    if user is not None:
        auth.login(user.phone)
    response = client.get("/moderation/log")
    assert response.status_code == status
    if status == 200:
        assert "先审后发，待审核" in response.get_data(as_text=True)  # the demo's held comment


def test_the_log_is_filtered_to_the_readers_communities(client, auth, demo, make_user):
    other = published_need(demo, "翠湖的一条需求", author=demo.resident2, community=demo.community2)
    services.report(make_user(demo.community2, verified=True), other, "spam")
    actions.hide(demo.admin, case_of(other), "翠湖的隐藏理由")
    auth.login(demo.staff.phone)
    assert "翠湖的隐藏理由" not in client.get("/moderation/log").get_data(as_text=True)
    assert "翠湖的隐藏理由" not in client.get(f"/moderation/log?community={demo.community2.id}").get_data(as_text=True)
    auth.login(demo.admin.phone)
    assert "翠湖的隐藏理由" in client.get("/moderation/log").get_data(as_text=True)
    assert "翠湖的隐藏理由" not in client.get(f"/moderation/log?community={demo.community.id}").get_data(as_text=True)


def test_the_log_is_paginated(client, auth, demo):
    need = published_need(demo)
    services.report(demo.unverified, need, "spam")
    for n in range(21):
        actions.warn(demo.staff, case_of(need), f"第{n}次警告")
    auth.login(demo.staff.phone)
    first = client.get("/moderation/log").get_data(as_text=True)
    assert "第20次警告" in first and "第0次警告" not in first and 'rel="next"' in first
    assert "第0次警告" in client.get("/moderation/log?page=2").get_data(as_text=True)


def test_a_supervisor_finds_the_log_from_the_menu(client, auth, demo, make_user):
    auth.login(make_user(demo.community, roles=("supervisor",)).phone)
    assert 'href="/moderation/log"' in client.get("/").get_data(as_text=True)
    assert client.get("/moderation/").status_code == 403
