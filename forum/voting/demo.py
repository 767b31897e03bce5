"""Demo polls in 青松社区: an open council vote, an open secret consultation of residents,
and a closed 一户一票 vote decided by 双过半 that passed its proposal.

Ballots go through the voting service, so they are stored exactly as real ones; the
closed poll is then moved back in time and closed by the site, which decides the
proposal. Polls whose deliberation or proposal is missing from the demo are skipped.
"""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from forum.accounts.models import User
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.places.models import Community
from forum.voting import paper, services, setup
from forum.voting.models import Poll

GARBAGE = "垃圾分类投放点搬迁"
CANTEEN_OPTIONS = ["社区服务中心一楼（现有厨房，改造最省）", "青松苑南门原便利店（离老人最近）", "松竹小区活动室（场地最大）"]
CANTEEN_BODY = """社区老年助餐点已列入今年的为民办实事项目，选址有三个方案，想先听听大家的意见。\
结果会提交居民议事会，作为选址的重要参考。

本次征集为**无记名投票**，每位已核验的青松社区居民一票。"""
GARBAGE_BODY = """按照《民法典》第二百七十八条，改变共有部分的用途须经“双过半”同意：\
参与表决的户数和面积都要达到规定比例。本次表决在青松苑业主中进行，一户一票，按房屋面积计算，记名投票。

搬迁方案见议题《垃圾分类投放点搬迁》。"""
# 青松苑 households that vote yes online (phones), and the paper ballot (反对) of 3号楼 402.
GARBAGE_YES = ["13900000201", "13900000202", "13900000203", "13900000205", "13900000207", "13900000208"]
GARBAGE_PAPER_AREA = Decimal("68.50")
PROJECT_SUMMARY = """经青松苑业主“双过半”表决通过（议题《垃圾分类投放点搬迁》）：把 2、3 号楼之间的投放点\
搬到北侧围墙边的空地，加装雨棚和洗手池，投放时段改为早 7:00–9:00、晚 18:00–20:00。

费用由社区向街道申请环境整治专项经费，物业负责施工和日常保洁，志愿者在投放时段轮流值守。"""


def _users() -> dict[str, User]:
    return {u.phone: u for u in db.session.scalars(select(User))}


def _deliberation(community, status):
    from forum.deliberations.models import Deliberation

    return db.session.scalar(select(Deliberation).where(Deliberation.community_id == community.id,
                                                        Deliberation.status == status).order_by(Deliberation.id))


def _fields(title, body, method, electorate, opens, closes, **rules) -> dict:
    fields = {"title": title, "body": body, "method": method, "options": [], "max_choices": None,
              "electorate": electorate, "compound_ids": [], "opens_at": opens, "closes_at": closes,
              "results_live": False, "quorum_percent": 0, "pass_rule": "simple_majority", "secret": True,
              "proposal_id": None}
    fields.update(rules)
    return fields


def seed_polls() -> None:
    qingsong = db.session.scalar(select(Community).where(Community.name == "青松社区"))
    if qingsong is None:
        return
    users = _users()
    _council_poll(qingsong, users)
    _consultation(qingsong, users)
    _household_poll(qingsong, users)


def _council_poll(qingsong, users) -> None:
    """Open: the council of the deliberation in session votes by roll call; 李国华 has not voted yet."""
    deliberation = _deliberation(qingsong, "open")
    if deliberation is None or not deliberation.participants:
        return
    proposal = next((p for p in deliberation.proposals if p.status == "in_deliberation"), None)
    topic = f"议题《{proposal.title}》" if proposal else f"“{deliberation.title}”的决议"
    now = utcnow()
    poll = setup.create_poll(users["13900000001"], setup.Target(qingsong, deliberation=deliberation), _fields(
        f"是否同意{topic}？", "请各位议事会成员在会后两天内表决。记名表决，结果在表决结束后公布。", "yes_no", "council",
        now - timedelta(hours=2), now + timedelta(days=2), secret=False, quorum_percent=50,
        proposal_id=proposal.id if proposal else None))
    council = users["13900000002"]
    others = [p.user for p in deliberation.participants if p.user_id != council.id]
    for voter, choice in zip(others[:3], ["yes", "yes", "abstain"]):
        services.vote(voter, poll, [_option(poll, choice)])


def _option(poll: Poll, key: str) -> int:
    return next(o.id for o in poll.options if o.key == key)


def _consultation(qingsong, users) -> None:
    """Open: a secret consultation (民意征集) of all verified residents on where the canteen goes."""
    now = utcnow()
    poll = setup.create_poll(users["13900000001"], setup.Target(qingsong), _fields(
        "社区老年助餐点选在哪里？", CANTEEN_BODY, "single", "residents", now - timedelta(days=3),
        now + timedelta(days=4), options=list(CANTEEN_OPTIONS), pass_rule="plurality"))
    choices = [0, 1, 1, 0, 1, 2, 1, 0, 1, 2, 1]
    for n, choice in enumerate(choices, start=1):
        voter = users.get(f"139000002{n + 10:02d}")
        if voter is not None:
            services.vote(voter, poll, [poll.options[choice].id])


def _household_poll(qingsong, users) -> None:
    """Closed: 青松苑 households voted by 双过半 on moving the garbage point; it passed, the
    proposal was decided by the result and is being implemented by a project."""
    from forum.proposals.models import Proposal

    deliberation = _deliberation(qingsong, "concluded")
    proposal = db.session.scalar(select(Proposal).where(Proposal.title == GARBAGE))
    if deliberation is None or proposal is None or any(p not in users for p in GARBAGE_YES):
        return
    now = utcnow()
    poll = setup.create_poll(users["13900000001"], setup.Target(qingsong, deliberation=deliberation), _fields(
        "是否同意将垃圾分类投放点搬到北侧围墙边？", GARBAGE_BODY, "yes_no", "households", now - timedelta(minutes=5),
        now + timedelta(hours=1), secret=False, quorum_percent=50, pass_rule="double_majority",
        compound_ids=[qingsong.compounds[0].id],
        proposal_id=proposal.id if proposal in deliberation.proposals else None))
    if poll.proposal_id is None:  # not on the deliberation's agenda: attach it directly
        poll.proposal_id = proposal.id
        db.session.commit()
    for phone in GARBAGE_YES:
        services.vote(users[phone], poll, [_option(poll, "yes")])
    _paper_ballot(poll, entered_by=users["13900000002"], confirmed_by=users["13900000001"])
    _backdate(poll, opened_days_ago=12, closed_days_ago=8)
    services.close_if_due(poll)
    _backdate_decision(poll, proposal)
    _implement(users["13900000001"], proposal)


def _paper_ballot(poll: Poll, entered_by, confirmed_by) -> None:
    """陈玉兰 (3号楼 402) voted against on paper at the meeting: entered by one moderator, confirmed by staff."""
    no = _option(poll, "no")
    tally = paper.enter(entered_by, poll, {o.id: int(o.id == no) for o in poll.options},
                        {no: GARBAGE_PAPER_AREA}, None,
                        note="3号楼 402 陈玉兰老人行动不便，在议事会现场填写纸质表决票。")
    paper.confirm(confirmed_by, tally)


def _backdate(poll: Poll, opened_days_ago: int, closed_days_ago: int) -> None:
    now = utcnow()
    poll.opens_at, poll.closes_at = now - timedelta(days=opened_days_ago), now - timedelta(days=closed_days_ago)
    poll.created_at = poll.opens_at - timedelta(days=1)
    for change in services.timeline(poll):
        change.created_at = poll.created_at
    tally = paper.tally_of(poll)
    tally.entered_at = poll.closes_at - timedelta(hours=20)
    tally.confirmed_at = poll.closes_at - timedelta(hours=18)
    db.session.commit()


def _backdate_decision(poll: Poll, proposal) -> None:
    for change in services.timeline(poll):
        if change.action == "close":
            change.created_at = poll.closed_at = poll.closes_at
    decided = db.session.scalar(select(StatusChange).where(
        StatusChange.subject_type == "proposal", StatusChange.subject_id == proposal.id,
        StatusChange.action == "pass"))
    if decided is not None:
        decided.created_at = poll.closes_at
    db.session.commit()


def _implement(staff, proposal) -> None:
    """落实: the passed proposal becomes a project of 青松社区's project list (项目清单)."""
    from forum.lists.models import Milestone, Project
    from forum.lists.projects import PROJECT
    from forum.proposals import services as proposals

    if proposal.status != "passed":
        return
    today = utcnow().date()
    project = Project(
        community_id=proposal.community_id, title="垃圾分类投放点搬迁改造", summary=PROJECT_SUMMARY,
        summary_html=render_markdown(PROJECT_SUMMARY), responsible_id=staff.id, created_by_id=staff.id,
        planned_start=today + timedelta(days=7), planned_end=today + timedelta(days=45), budget=Decimal(38000),
        milestones=[Milestone(title="街道环境整治专项经费批复", due_on=today + timedelta(days=7)),
                    Milestone(title="北侧围墙边新投放点建成（雨棚、洗手池）", due_on=today + timedelta(days=30)),
                    Milestone(title="旧投放点拆除、场地恢复绿化", due_on=today + timedelta(days=45))])
    db.session.add(project)
    PROJECT.start(db.session, project, staff).created_at = utcnow() - timedelta(days=6)
    db.session.commit()
    proposals.implement(staff, proposal, project)
