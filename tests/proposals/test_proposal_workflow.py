"""Who may take each step of a proposal, and what each step leaves behind."""
import pytest
import sqlalchemy as sa
from proposal_factory import add_deliberation, add_project, fields, proposal_in
from werkzeug.exceptions import Forbidden

from forum.core.workflow import StatusChange, TransitionNotAllowed
from forum.extensions import db
from forum.notifications.models import Notification
from forum.proposals import services
from forum.proposals.models import PROPOSAL, Proposal


def _step(demo, proposal, action, who):
    user = getattr(demo, who)
    if action == "take_up":
        services.take_up(user, proposal, add_deliberation(demo.community, demo.staff))
    elif action in ("pass", "reject"):
        services.decide(proposal, action == "pass", actor=user)
    elif action == "implement":
        services.implement(user, proposal, add_project(demo.community, demo.staff))
    else:
        services.take_step(user, proposal, action, note="理由写在这里")


# (state, action, who, allowed); the demo resident is the author of every proposal here.
TABLE = [
    ("draft", "submit", "resident", True), ("draft", "submit", "staff", False), ("draft", "submit", "council", False),
    ("draft", "withdraw", "resident", True), ("draft", "withdraw", "staff", False),
    ("collecting", "withdraw", "resident", True), ("collecting", "withdraw", "staff", False),
    ("collecting", "decline", "staff", True), ("collecting", "decline", "council", True),
    ("collecting", "decline", "admin", True), ("collecting", "decline", "resident", False),
    ("collecting", "decline", "unit_contact", False), ("collecting", "decline", "resident2", False),
    ("threshold_met", "take_up", "staff", True), ("threshold_met", "take_up", "council", True),
    ("threshold_met", "take_up", "resident", False), ("threshold_met", "take_up", "unverified", False),
    ("threshold_met", "decline", "council", True), ("threshold_met", "decline", "resident", False),
    ("threshold_met", "withdraw", "resident", False),
    ("in_deliberation", "pass", "staff", True), ("in_deliberation", "reject", "staff", True),
    ("in_deliberation", "pass", "resident", False), ("in_deliberation", "reject", "unit_contact", False),
    ("passed", "implement", "staff", True), ("passed", "implement", "council", False),
    ("passed", "implement", "resident", False),
    ("implementing", "complete", "staff", True), ("implementing", "complete", "council", False),
    ("implementing", "complete", "resident", False),
]


@pytest.mark.parametrize("state,action,who,allowed", TABLE)
def test_who_may_take_each_step(demo, state, action, who, allowed):
    proposal = proposal_in(state, demo)
    if allowed:
        _step(demo, proposal, action, who)
        assert proposal.status == PROPOSAL.transition(state, action).to_state
        last = services.timeline(proposal)[-1]
        assert (last.action, last.from_state, last.actor_id) == (action, state, getattr(demo, who).id)
    else:
        with pytest.raises((Forbidden, TransitionNotAllowed)):
            _step(demo, proposal, action, who)
        db.session.rollback()
        assert db.session.get(Proposal, proposal.id).status == state


def test_every_declared_step_is_in_the_table_or_taken_by_the_site():
    tested = {(state, action) for state, action, _, _ in TABLE} - {("threshold_met", "withdraw")}
    system = {("collecting", "reach_threshold"), ("collecting", "expire"), ("in_deliberation", "release")}
    assert set(PROPOSAL.transitions) == tested | system


def test_a_moderator_of_the_deliberation_may_record_the_result_other_residents_may_not(demo, make_user):
    proposal = proposal_in("threshold_met", demo)
    chair = make_user(demo.community, verified=True, name="议事主持人")
    services.take_up(demo.staff, proposal, add_deliberation(demo.community, demo.staff, moderator=chair))
    bystander = make_user(demo.community, verified=True)
    assert not services.allowed_steps(bystander, proposal)
    with pytest.raises(Forbidden):
        services.decide(proposal, True, actor=bystander)
    db.session.rollback()
    assert services.allowed_steps(chair, proposal) == ["pass", "reject"]
    services.decide(proposal, False, actor=chair, note="表决 5 票赞成、9 票反对")
    assert proposal.status == "not_passed"


def test_nobody_takes_the_sites_own_steps_by_hand(demo):
    proposal = proposal_in("collecting", demo)
    for action in ("reach_threshold", "expire"):
        assert action not in services.allowed_steps(demo.admin, proposal)
        with pytest.raises(TransitionNotAllowed):
            services.take_step(demo.admin, proposal, action)
    in_deliberation = proposal_in("in_deliberation", demo)
    assert "release" not in services.allowed_steps(demo.admin, in_deliberation)
    with pytest.raises(TransitionNotAllowed):
        services.take_step(demo.admin, in_deliberation, "release")


def test_a_stale_step_is_refused(demo):
    proposal = proposal_in("withdrawn", demo)
    with pytest.raises(TransitionNotAllowed):
        services.take_step(demo.resident, proposal, "submit")


def test_submitting_fixes_the_communitys_threshold_and_window_at_that_moment(demo):
    demo.community.proposal_threshold, demo.community.proposal_window_days = 25, 14
    proposal = services.create_proposal(demo.resident, demo.community, fields(), submit=True)
    demo.community.proposal_threshold = 3
    db.session.commit()
    assert proposal.status == "collecting" and proposal.support_threshold == 25
    assert (proposal.collecting_until - proposal.collecting_since).days == 14
    assert proposal.days_left == 14


def test_declining_needs_a_reason_which_is_kept_and_heard_by_the_supporters(demo):
    proposal = proposal_in("collecting", demo)
    services.support(demo.council, proposal)
    with pytest.raises(services.ProposalError) as refused:
        services.take_step(demo.staff, proposal, "decline", note="  ")
    assert refused.value.field == "note"
    db.session.rollback()
    services.take_step(demo.staff, proposal, "decline", note="该事项属于物业合同范围，已转物业公司办理")
    assert proposal.status == "declined" and proposal.decline_reason == "该事项属于物业合同范围，已转物业公司办理"
    told = db.session.scalars(sa.select(Notification.user_id).where(Notification.url == f"/proposals/{proposal.id}"))
    assert {demo.resident.id, demo.council.id} <= set(told)


def test_residents_raise_proposals_only_in_their_own_community(demo):
    with pytest.raises(Forbidden):
        services.create_proposal(demo.resident2, demo.community, fields())
    with pytest.raises(Forbidden):
        services.create_proposal(demo.unit_contact, demo.community, fields())
    assert services.create_proposal(demo.unverified, demo.community, fields()).status == "draft"


def test_the_timeline_records_each_step_with_its_actor(demo):
    proposal = proposal_in("done", demo)
    rows = db.session.scalars(sa.select(StatusChange).where(StatusChange.subject_type == "proposal",
                                                            StatusChange.subject_id == proposal.id)
                              .order_by(StatusChange.id)).all()
    assert [r.action for r in rows] == ["create", "submit", "reach_threshold", "take_up", "pass", "implement",
                                        "complete"]
    assert rows[2].actor_id is None and rows[3].note == "青松社区居民议事会（十二月）"
