"""The services deliberations and polls call: take_up, decide, implement, complete, proposals_to_take_up."""
import pytest
import sqlalchemy as sa
from proposal_factory import add_deliberation, add_project, proposal_in
from werkzeug.exceptions import Forbidden

from forum.deliberations.models import AgendaItem
from forum.extensions import db
from forum.notifications.models import Notification
from forum.proposals import services
from forum.proposals.models import Proposal


def _told(proposal) -> set[int]:
    return set(db.session.scalars(sa.select(Notification.user_id).where(
        Notification.url == f"/proposals/{proposal.id}",
        Notification.message == "The proposal “%(title)s” is now: %(status_label)s")))


def test_take_up_links_the_proposal_puts_it_last_on_the_agenda_and_tells_author_and_supporters(demo):
    proposal = proposal_in("threshold_met", demo)  # supported by the council member
    deliberation = add_deliberation(demo.community, demo.staff)
    deliberation.agenda.append(AgendaItem(position=1, title="上次议定事项的落实情况"))
    db.session.commit()
    services.take_up(demo.staff, proposal, deliberation)
    assert proposal.status == "in_deliberation" and deliberation.proposals == [proposal]
    assert [(i.position, i.title, i.proposal_id) for i in deliberation.agenda] == [
        (1, "上次议定事项的落实情况", None), (2, "东门路灯维修", proposal.id)]
    assert _told(proposal) == {demo.resident.id, demo.council.id}


def test_take_up_keeps_an_agenda_item_the_deliberation_already_has_for_the_proposal(demo):
    proposal = proposal_in("threshold_met", demo)
    deliberation = add_deliberation(demo.community, demo.staff)
    deliberation.agenda.append(AgendaItem(position=1, title="东门路灯（居民提出）", proposal=proposal))
    db.session.commit()
    services.take_up(demo.council, proposal, deliberation)
    assert [(i.position, i.title) for i in deliberation.agenda] == [(1, "东门路灯（居民提出）")]


def test_take_up_without_commit_leaves_the_transaction_to_the_caller(demo):
    proposal = proposal_in("threshold_met", demo)
    deliberation = add_deliberation(demo.community, demo.staff)
    services.take_up(demo.staff, proposal, deliberation, commit=False)
    assert proposal.status == "in_deliberation"
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).status == "threshold_met"
    assert deliberation.proposals == [] and deliberation.agenda == []


def test_take_up_is_refused_to_residents_and_across_communities(demo):
    proposal = proposal_in("threshold_met", demo)
    with pytest.raises(Forbidden):
        services.take_up(demo.resident, proposal, add_deliberation(demo.community, demo.staff))
    db.session.rollback()
    with pytest.raises(services.ProposalError):
        services.take_up(demo.staff, proposal, add_deliberation(demo.community2, demo.staff))
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).status == "threshold_met"


def test_proposals_to_take_up_are_the_communitys_threshold_met_ones_most_supported_first(demo):
    waiting = services.proposals_to_take_up(demo.community)
    assert waiting and all(p.status == "threshold_met" and p.community_id == demo.community.id for p in waiting)
    assert [p.support_count for p in waiting] == sorted((p.support_count for p in waiting), reverse=True)
    assert services.proposals_to_take_up(demo.community2) == []


def test_a_polls_result_decides_as_the_site_and_is_heard(demo):
    proposal = proposal_in("in_deliberation", demo)
    services.decide(proposal, True, note="表决：赞成 31 户，反对 6 户")
    assert proposal.status == "passed"
    last = services.timeline(proposal)[-1]
    assert last.actor_id is None and last.note == "表决：赞成 31 户，反对 6 户"
    assert {demo.resident.id, demo.council.id} <= _told(proposal)


def test_decide_without_commit_is_undone_with_the_callers_transaction(demo):
    proposal = proposal_in("in_deliberation", demo)
    services.decide(proposal, False, actor=demo.staff, commit=False)
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).status == "in_deliberation"


def test_implement_links_a_project_of_the_same_community_and_complete_finishes(demo):
    proposal = proposal_in("passed", demo)
    with pytest.raises(services.ProposalError):
        services.implement(demo.staff, proposal, add_project(demo.community2, demo.staff))
    db.session.rollback()
    project = add_project(demo.community, demo.staff)
    services.implement(demo.staff, proposal, project)
    assert proposal.status == "implementing" and proposal.project == project
    services.complete(demo.staff, proposal, note="东门新装路灯 2 盏，已通电")
    assert proposal.status == "done" and services.timeline(proposal)[-1].note == "东门新装路灯 2 盏，已通电"
