"""附议: once per verified resident, undoable, counted against the threshold within the window."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from conftest import query_plan
from proposal_factory import fields, proposal_in
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.core.models import utcnow
from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.notifications.models import Notification
from forum.proposals import services
from forum.proposals.models import Proposal, ProposalSupport


def _collecting(demo, threshold=3):
    demo.community.proposal_threshold = threshold
    return services.create_proposal(demo.resident, demo.community, fields(), submit=True)


def _notified(user, proposal) -> list[str]:
    return list(db.session.scalars(sa.select(Notification.message).where(
        Notification.user_id == user.id, Notification.url == f"/proposals/{proposal.id}")))


def test_a_verified_resident_supports_once_and_can_undo(demo):
    proposal = _collecting(demo)
    assert services.support(demo.council, proposal) is True
    assert services.support(demo.council, proposal) is False  # a second press changes nothing
    assert proposal.support_count == 1 and services.has_supported(demo.council, proposal)
    assert services.withdraw_support(demo.council, proposal) is True
    assert services.withdraw_support(demo.council, proposal) is False
    db.session.refresh(proposal)
    assert proposal.support_count == 0 and not services.has_supported(demo.council, proposal)


def test_the_database_refuses_a_second_support_by_the_same_person(demo):
    proposal = _collecting(demo)
    services.support(demo.council, proposal)
    db.session.add(ProposalSupport(proposal_id=proposal.id, user_id=demo.council.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("who,message", [
    ("unverified", "只有青松社区已核验的居民才能附议本社区的议题"),
    ("resident2", "只有青松社区已核验的居民才能附议本社区的议题"),
    ("unit_contact", "只有青松社区已核验的居民才能附议本社区的议题"),
    ("resident", "你是这个议题的提出人"),
])
def test_who_may_not_support_is_told_why(client, auth, demo, who, message):
    proposal = _collecting(demo)
    auth.login(getattr(demo, who).phone)
    response = client.post(f"/proposals/{proposal.id}/support", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert db.session.get(Proposal, proposal.id).support_count == 0


def test_reaching_the_threshold_moves_the_proposal_on_and_tells_the_author_and_staff(demo):
    proposal = _collecting(demo, threshold=2)
    services.support(demo.council, proposal)
    assert proposal.status == "collecting" and _notified(demo.staff, proposal) == []
    services.support(demo.staff, proposal)
    assert proposal.status == "threshold_met"
    waits = "The proposal “%(title)s” has reached its support threshold and waits for the council."
    assert _notified(demo.resident, proposal) == [waits]
    # Staff hear it as a task, also the staff member whose support tipped it over.
    assert _notified(demo.staff, proposal) == [waits]
    assert proposal in services.proposals_to_take_up(demo.community)


def test_staff_hear_when_a_residents_support_reaches_the_threshold(demo, make_user):
    proposal = _collecting(demo, threshold=1)
    services.support(make_user(demo.community, verified=True), proposal)
    assert proposal.status == "threshold_met"
    assert len(_notified(demo.staff, proposal)) == 1 and len(_notified(demo.resident, proposal)) == 1


def test_support_continues_after_the_threshold_and_undoing_it_does_not_send_it_back(demo, make_user):
    proposal = _collecting(demo, threshold=1)
    services.support(demo.council, proposal)
    services.support(demo.staff, proposal)
    assert proposal.support_count == 2
    services.withdraw_support(demo.council, proposal)
    services.withdraw_support(demo.staff, proposal)
    db.session.refresh(proposal)
    assert proposal.status == "threshold_met" and proposal.support_count == 0


def test_support_ends_once_the_council_has_taken_it_up(demo):
    proposal = proposal_in("in_deliberation", demo)
    with pytest.raises(services.ProposalError, match="已不再征集附议"):
        services.support(demo.staff, proposal)
    db.session.rollback()
    with pytest.raises(services.ProposalError):
        services.withdraw_support(demo.council, proposal)


def test_overdue_proposals_expire_and_late_supporters_are_told_the_window_closed(client, auth, demo):
    proposal = _collecting(demo)
    services.support(demo.council, proposal)
    proposal.collecting_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    auth.login(demo.staff.phone)
    page = client.post(f"/proposals/{proposal.id}/support", follow_redirects=True).get_data(as_text=True)
    assert "附议征集期已于" in page and "已过期" in page
    proposal = db.session.get(Proposal, proposal.id)
    assert proposal.status == "expired" and proposal.support_count == 1
    assert services.timeline(proposal)[-1].actor_id is None
    assert len(_notified(demo.council, proposal)) == 1  # supporters hear it expired


def test_expiry_runs_before_the_list_and_touches_only_overdue_proposals(client, demo):
    late, current = _collecting(demo), _collecting(demo)
    late.collecting_until = utcnow() - timedelta(days=1)
    db.session.commit()
    client.get("/proposals/")
    db.session.expire_all()
    assert (db.session.get(Proposal, late.id).status, db.session.get(Proposal, current.id).status) == \
        ("expired", "collecting")
    assert services.expire_overdue() == 0


def test_the_expire_command_expires_what_is_overdue(app, demo):
    proposal = _collecting(demo)
    proposal.collecting_until = utcnow() - timedelta(hours=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["forum", "proposals", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 proposal(s) expired." in result.output
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "expired"


@pytest.mark.parametrize("args", [{}, {"community": 1}, {"community": 1, "category": "housing", "status": "expired"},
                                  {"status": "collecting"}])
def test_the_overdue_and_list_queries_are_served_by_an_index_not_a_table_scan(app, demo, args):
    """So that expiry before every page and the list stay cheap at 10k proposals."""
    from forum.proposals.queries import Filters, list_statement

    overdue = sa.select(Proposal).where(Proposal.status == "collecting", Proposal.collecting_until <= utcnow())
    for statement, sqlite_index in ((overdue, "ix_proposal_due"), (list_statement(Filters(**args)), "ix_proposal_")):
        backend, plan = query_plan(statement)
        if backend == "sqlite":
            assert f"USING INDEX {sqlite_index}" in plan and "SCAN proposal" not in plan, plan
        else:  # PostgreSQL picks among the status indexes by cost; none may read the whole table
            assert "Seq Scan on proposal" not in plan and "ix_proposal_" in plan, plan
        db.session.rollback()


def _race(app, proposal_id, user_ids):
    """Every user presses 附议 in their own thread and session at the same moment."""
    db.session.rollback()
    barrier = threading.Barrier(len(user_ids))
    results = []

    def worker(user_id):
        with app.app_context():
            try:
                user, proposal = db.session.get(User, user_id), db.session.get(Proposal, proposal_id)
                user.memberships, user.role_grants, user.units, proposal.community  # noqa: B018
                db.session.commit()
                barrier.wait(timeout=30)
                results.append(services.support(user, proposal))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_double_tap_at_the_same_moment_counts_once(app, demo):
    proposal = _collecting(demo)
    results = _race(app, proposal.id, [demo.council.id] * 4)
    assert sorted(results) == [False, False, False, True]
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).support_count == 1


def test_many_supporters_at_once_cross_the_threshold_exactly_once(app, demo, make_user):
    proposal = _collecting(demo, threshold=3)
    people = [make_user(demo.community, verified=True) for _ in range(6)]
    assert _race(app, proposal.id, [p.id for p in people]) == [True] * 6
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal.id)
    assert proposal.support_count == 6 and proposal.status == "threshold_met"
    steps = db.session.scalars(sa.select(StatusChange.action).where(
        StatusChange.subject_type == "proposal", StatusChange.subject_id == proposal.id)).all()
    assert steps.count("reach_threshold") == 1


def test_pages_expiring_the_same_proposal_at_once_expire_it_once(app, demo):
    proposal = _collecting(demo)
    proposal.collecting_until = utcnow() - timedelta(minutes=5)
    db.session.commit()
    db.session.rollback()
    barrier = threading.Barrier(4)
    counts = []

    def worker():
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                counts.append(services.expire_overdue())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(counts) == [0, 0, 0, 1]
    expiries = db.session.scalars(sa.select(StatusChange.id).where(
        StatusChange.subject_type == "proposal", StatusChange.subject_id == proposal.id,
        StatusChange.action == "expire")).all()
    assert len(expiries) == 1
