"""Helpers of the moderation tests: posts to report, reports from several neighbours, the item's case."""
import sqlalchemy as sa

from forum.discussion import services as discussion
from forum.extensions import db
from forum.lists import needs
from forum.lists.models import Need, Resource
from forum.moderation import services
from forum.moderation.models import ModerationCase
from forum.proposals.models import Proposal


def need_fields(title, body):
    return {"title": title, "body": body, "category": "environment", "urgency": 1, "compound": None,
            "location": "", "anonymous": False}


def published_need(demo, title="小区门口垃圾桶满了", body="垃圾桶三天没清，味道很大。", author=None, community=None):
    """A published need of 青松社区 by the resident (or `author` in `community`)."""
    need = needs.create_need(author or demo.resident, community or demo.community, need_fields(title, body), [])
    if need.status != "published":
        needs.take_step(demo.admin, need, "publish")
    return need


def comment_on(need, author, text="这个问题我也遇到过"):
    return discussion.post_comment(author, need, text)


def demo_resource():
    """青松路小学's resource in 青松社区 (its contact is the demo's unit contact)."""
    return db.session.get(Resource, 1)


def collecting_proposal(demo):
    return db.session.scalar(sa.select(Proposal).where(Proposal.community_id == demo.community.id,
                                                       Proposal.status == "collecting").order_by(Proposal.id))


def reporters(make_user, community, n):
    """`n` verified neighbours in `community`."""
    return [make_user(community, verified=True) for _ in range(n)]


def report_by(users, item, reason="spam"):
    for user in users:
        services.report(user, item, reason)


def case_of(item) -> ModerationCase:
    return services.case_of(item)


def fresh(model, item_id):
    db.session.expire_all()
    return db.session.get(model, item_id)


__all__ = ["Need", "Proposal", "Resource", "case_of", "collecting_proposal", "comment_on", "demo_resource", "fresh",
           "need_fields", "published_need", "report_by", "reporters"]
