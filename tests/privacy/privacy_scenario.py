"""A resident who has done a bit of everything, for the data download and account deletion tests."""
from dataclasses import dataclass, field
from datetime import timedelta

from forum.accounts import services as accounts
from forum.core.models import utcnow
from forum.deliberations.models import Deliberation, Participant
from forum.discussion.services import post_comment
from forum.extensions import db
from forum.lists import needs
from forum.minutes.models import MinutesVersion
from forum.moderation import actions as moderation_actions, services as moderation
from forum.notifications import mail
from forum.outreach import follows
from forum.proposals import services as proposals
from forum.voting import services as voting, setup

NAME = "甄珂琰"
BUILDING, ROOM = "十七幢", "2608室"
EMAIL = "zhenkeyan2608@example.cn"


@dataclass
class Victim:
    user: object
    phone: str
    need: object = None
    entered_need: object = None
    comment: object = None
    proposal: object = None
    secret_poll: object = None
    open_poll: object = None
    receipts: dict = field(default_factory=dict)


def poll(demo, title, *, secret, electorate, options):
    now = utcnow().replace(microsecond=0)
    return setup.create_poll(demo.staff, setup.Target(demo.community), {
        "title": title, "body": "", "method": "single", "options": options, "max_choices": None,
        "electorate": electorate, "compound_ids": [], "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=1), "results_live": True, "quorum_percent": 0,
        "pass_rule": "plurality", "secret": secret, "proposal_id": None})


def choose(poll_, voter, label):
    return voting.vote(voter, poll_, [next(o.id for o in poll_.options if o.label == label)])


def fields(title, body):
    return {"title": title, "body": body, "category": "facilities", "urgency": 1, "location": "", "anonymous": False}


def build(demo, make_user) -> Victim:
    user = make_user(demo.community, name=NAME)
    victim = Victim(user=user, phone=user.phone)
    membership = user.membership_in(demo.community.id)
    accounts.verify_household(demo.staff, membership, compound=demo.community.compounds[0], building=BUILDING,
                              room=ROOM, floor_area=None)
    accounts.grant_role(demo.staff, user, "council_member", demo.community)
    accounts.set_unit_contact(demo.staff, demo.school, user, demo.community, True)
    accounts.reveal_phone(demo.staff, membership)

    victim.need = needs.create_need(user, demo.community, fields("单元门禁坏了", "门禁刷卡没反应，进出不便。"), [])
    others = needs.create_need(demo.resident, demo.community, fields("楼下路灯不亮", "晚上回家很黑。"), [])
    for need in (victim.need, others):
        if need.status == "submitted":
            needs.take_step(demo.staff, need, "publish")
    victim.entered_need = needs.create_for_resident(demo.staff, demo.community, NAME, victim.phone,
                                                    fields("需要上门量血压", "行动不便，希望有人上门。"), [])
    needs.support(user, others)
    victim.comment = post_comment(user, others, "同意，晚上确实很黑。")  # notifies the need's author, naming her
    post_comment(demo.resident, others, "谢谢支持！", parent_id=victim.comment.id)  # a notification for her

    victim.proposal = proposals.create_proposal(user, demo.community, {
        "title": "增设电动车充电桩", "body": "楼下缺少充电设施。", "category": "facilities"}, submit=True)
    collecting = proposals.create_proposal(demo.resident, demo.community, {
        "title": "开设四点半课堂", "body": "孩子放学无人照看。", "category": "children"}, submit=True)
    proposals.support(user, collecting)

    victim.secret_poll = poll(demo, "一户一票：是否更换电梯", secret=True, electorate="households",
                              options=["更换", "维修"])
    victim.open_poll = poll(demo, "记名表决：广场舞时段", secret=False, electorate="residents",
                            options=["晚七点", "晚八点"])
    victim.receipts["secret"] = choose(victim.secret_poll, user, "维修")
    victim.receipts["open"] = choose(victim.open_poll, user, "晚八点")

    deliberation = Deliberation(community=demo.community, created_by_id=demo.staff.id, kind="residents_council",
                                title="电梯议事会", starts_at=utcnow() - timedelta(days=1), status="concluded",
                                participants=[Participant(user_id=user.id, seat="居民代表", attended=True)])
    db.session.add(deliberation)
    db.session.flush()
    db.session.add(MinutesVersion(deliberation_id=deliberation.id, number=1, status="draft", recorder=NAME,
                                  attendees=[{"name": NAME, "seat": "居民代表", "recorded": True}], absentees=[],
                                  snapshot_at=utcnow(), drafted_by_id=demo.staff.id))

    # Moderation, follows and e-mail: she reports a comment, is reported and warned, follows a need.
    moderation.report(user, post_comment(demo.resident, others, "楼上的别在这里刷屏"), "abuse")
    moderation.report(demo.resident, victim.comment, "spam")
    moderation_actions.warn(demo.council, moderation.case_of(victim.comment), "请文明发言")
    follows.follow(user, others)
    mail.save_settings(user, EMAIL, "daily")
    db.session.commit()
    return victim
