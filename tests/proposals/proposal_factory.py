"""Proposals brought to any state through the services, with the deliberation or project a step needs."""
from datetime import timedelta

from forum.core.models import utcnow
from forum.deliberations.models import Deliberation, Participant
from forum.extensions import db
from forum.lists.models import Project
from forum.proposals import services

BODY = "小区东门的路灯坏了三个月，晚上接孩子放学的家长和下班的居民都反映看不清路。建议尽快维修并加装两盏。"
# The steps that bring a new draft to each state (threshold 1 is set for "threshold_met").
PATH = {
    "draft": [], "collecting": ["submit"], "threshold_met": ["submit", "support"],
    "in_deliberation": ["submit", "support", "take_up"], "passed": ["submit", "support", "take_up", "pass"],
    "implementing": ["submit", "support", "take_up", "pass", "implement"],
    "done": ["submit", "support", "take_up", "pass", "implement", "complete"],
    "declined": ["submit", "decline"], "withdrawn": ["withdraw"],
}


def fields(**changes):
    data = {"title": "东门路灯维修", "body": BODY, "category": "facilities"}
    data.update(changes)
    return data


def add_deliberation(community, author, *, status="scheduled", title="青松社区居民议事会（十二月）", moderator=None):
    deliberation = Deliberation(community=community, created_by_id=author.id, kind="residents_council", title=title,
                                starts_at=utcnow() + timedelta(days=7), status=status)
    db.session.add(deliberation)
    if moderator is not None:
        deliberation.participants.append(Participant(user_id=moderator.id, seat="居民代表", is_moderator=True))
    db.session.commit()
    return deliberation


def add_project(community, staff, title="东门照明改造"):
    project = Project(community=community, title=title, responsible_id=staff.id, created_by_id=staff.id)
    db.session.add(project)
    db.session.commit()
    return project


def proposal_in(state, demo, *, author=None, **changes):
    """A proposal of the demo resident (or `author`) in 青松社区, moved to `state` by the services."""
    author = author or demo.resident
    demo.community.proposal_threshold = 1 if "support" in PATH[state] else 10
    proposal = services.create_proposal(author, demo.community, fields(**changes))
    for step in PATH[state]:
        if step == "support":
            services.support(demo.council if author is not demo.council else demo.staff, proposal)
        elif step == "take_up":
            services.take_up(demo.staff, proposal, add_deliberation(demo.community, demo.staff))
        elif step == "pass":
            services.decide(proposal, True, actor=demo.staff)
        elif step == "implement":
            services.implement(demo.staff, proposal, add_project(demo.community, demo.staff))
        elif step == "complete":
            services.complete(demo.staff, proposal)
        elif step == "decline":
            services.take_step(demo.staff, proposal, "decline", note="不属于本社区议事范围")
        else:
            services.take_step(author, proposal, step)
    assert proposal.status == state
    return proposal
