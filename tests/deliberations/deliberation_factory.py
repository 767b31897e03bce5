"""Deliberations for tests, made through the scheduling service (no time checks) and moved to a state."""
from datetime import timedelta

from forum.core.models import utcnow
from forum.deliberations import services
from forum.deliberations.models import DELIBERATION
from forum.deliberations.services import Seat
from forum.extensions import db

# From "scheduled", the steps that lead to each state.
PATHS = {"scheduled": [], "open": ["open"], "voting": ["open", "start_voting"], "concluded": ["open", "conclude"],
         "published": ["open", "conclude", "publish_minutes"], "cancelled": ["cancel"]}


def add_proposal(community, author, title="单元门口增设无障碍坡道", status="threshold_met"):
    """A proposal that met its support threshold (set straight in the database)."""
    from forum.proposals.models import PROPOSAL, Proposal

    proposal = Proposal(community=community, author_id=author.id, title=title, body="", body_html="",
                        category="facilities", support_count=10, support_threshold=10)
    db.session.add(proposal)
    PROPOSAL.start(db.session, proposal, author)
    proposal.status = status
    db.session.commit()
    return proposal


def add_deliberation(demo, *, status="scheduled", seats=None, proposals=(), agenda=("主持人说明议事规则",),
                     starts_in=timedelta(days=3), title="楼道改造居民议事会", place="青松社区党群服务中心",
                     online_url=None):
    """By default: 李国华 (demo.council) moderates as 居民代表; 刘桂芳 (demo.resident) and the school's
    contact take part; 王秀兰 (demo.staff) schedules it."""
    if seats is None:
        seats = [Seat(demo.council.id, "居民代表", True), Seat(demo.resident.id, "居民代表"),
                 Seat(demo.unit_contact.id, "驻区单位")]
    starts_at = utcnow().replace(microsecond=0) + starts_in
    fields = {"kind": "residents_council", "title": title, "starts_at": starts_at,
              "ends_at": starts_at + timedelta(hours=2), "place": place, "online_url": online_url,
              "description": "会前请先听听邻居的意见。"}
    deliberation = services.schedule(demo.staff, demo.community, fields, seats, list(agenda), list(proposals))
    for action in PATHS[status]:
        DELIBERATION.apply_as_system(db.session, deliberation, action, note="测试")
    db.session.commit()
    return deliberation
