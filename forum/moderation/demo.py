"""Demo moderation: a few reports and one held comment in 青松社区, so 李国华's and 王秀兰's queue is not empty."""
from sqlalchemy import select

from forum.accounts.models import Membership, User
from forum.discussion import services as discussion
from forum.extensions import db
from forum.lists.models import Need
from forum.moderation import services
from forum.proposals.models import Proposal

SPAM = "低价代开发票，各类票据都有，需要的邻居私聊我。"
RUDE = "物业就是一群废物，拿钱不干活，谁信他们谁傻。"


def seed_moderation() -> None:
    users = {u.phone: u for u in db.session.scalars(select(User))}
    resident, unverified, school = users["13900000004"], users["13900000005"], users["13900000003"]
    lights = db.session.scalar(select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))
    if lights is None:
        return
    # Two of the neighbours the proposals demo made (1390000020x ...).
    neighbours = list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == lights.community_id, User.phone.like("139000002%"))
        .order_by(User.id.desc()).limit(2)))
    if len(neighbours) < 2:
        return
    spammer, grumbler = neighbours[0], neighbours[1]

    # 先审后发: a comment with a listed word waits for a moderator (the sensitive-word check may
    # already have held it as the comment was posted).
    held = discussion.post_comment(spammer, lights, SPAM)
    if held.moderation_state is None:
        services.hold(held, reason="sensitive_words", words=["代开发票"], actor=spammer)
        db.session.commit()

    rude = discussion.post_comment(grumbler, lights, RUDE)
    services.report(resident, rude, "abuse", "人身攻击，说话太难听了。")
    services.report(unverified, rude, "abuse")

    proposal = db.session.scalar(select(Proposal).where(Proposal.community_id == lights.community_id,
                                                        Proposal.status == "collecting").order_by(Proposal.id))
    if proposal is not None and proposal.author_id != school.id:
        services.report(school, proposal, "false_information", "费用数字和物业公示的不一致，请核实。")
