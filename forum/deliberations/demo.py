"""Demo deliberations in 青松社区: one scheduled for next week, one in session with a lively
discussion, one concluded last month with attendance and decisions.

They go through the services (which take the proposals up and write the timelines);
afterwards the dates are moved so the story reads in order: support gathered, then
scheduled, opened, decided, concluded.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from forum.accounts.models import Membership, User
from forum.core.models import utcnow
from forum.core.workflow import StatusChange
from forum.deliberations import conduct, services
from forum.deliberations.demo_thread import seed_parking_thread
from forum.deliberations.models import Deliberation
from forum.deliberations.services import Seat
from forum.extensions import db
from forum.notifications.models import Notification
from forum.places.models import Community

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLACE = "青松社区党群服务中心二楼会议室"
# phone, name: the seats the demo accounts do not fill
COUNCIL_PEOPLE = [("13900000301", "张建军"), ("13900000302", "周敏"), ("13900000303", "马志强")]


def _local(days: int, at: time) -> datetime:
    return datetime.combine(datetime.now(SHANGHAI).date() + timedelta(days=days), at, tzinfo=SHANGHAI)


def _council_people(qingsong: Community, staff: User) -> list[User]:
    """社区党委 张建军, 业委会主任 周敏, 青松物业项目经理 马志强: verified, without a household."""
    from forum.accounts.services import create_user
    from forum.config import PRIVACY_NOTICE_VERSION
    from forum.demo import DEMO_PASSWORD

    people = []
    for phone, name in COUNCIL_PEOPLE:
        user = create_user(phone, name, DEMO_PASSWORD, consent_version=PRIVACY_NOTICE_VERSION)
        db.session.add(Membership(user=user, community=qingsong, verified_at=utcnow(), verified_by=staff))
        people.append(user)
    db.session.commit()
    return people


def seed_deliberations() -> None:
    from forum.proposals.models import Proposal

    qingsong = db.session.scalar(select(Community).where(Community.name == "青松社区"))
    proposals = {p.title: p for p in db.session.scalars(select(Proposal).where(
        Proposal.community_id == qingsong.id, Proposal.status == "threshold_met"))}
    users = {u.phone: u for u in db.session.scalars(select(User))}
    staff, council, school, resident = (users[p] for p in ("13900000001", "13900000002", "13900000003",
                                                             "13900000004"))
    party, owners, property_ = _council_people(qingsong, staff)
    users.update({u.phone: u for u in (party, owners, property_)})
    seats = [Seat(party.id, "社区党组织"), Seat(staff.id, "居委会", True), Seat(owners.id, "业委会"),
             Seat(property_.id, "物业"), Seat(council.id, "居民代表", True), Seat(resident.id, "居民代表"),
             Seat(school.id, "驻区单位")]
    if not {"加装电梯费用分摊方案", "小区停车位重新规划", "垃圾分类投放点搬迁"} <= set(proposals):
        return  # the proposals' demo is not there
    _seed_concluded(staff, council, qingsong, seats, proposals, users)
    _seed_open(staff, council, qingsong, seats, proposals, users)
    _seed_scheduled(staff, qingsong, seats, proposals, users)


def _schedule(staff, qingsong, seats, proposals, scheduled_at, invite=True, **fields) -> Deliberation:
    agenda = fields.pop("agenda")
    for proposal in proposals:
        _settle_before(proposal, scheduled_at - timedelta(days=1))
    deliberation = services.schedule(staff, qingsong, fields, seats, agenda, proposals)
    if invite:
        services.invite(staff, deliberation, deliberation.participants)
    db.session.flush()
    deliberation.created_at = scheduled_at
    _date(deliberation, "create", scheduled_at)
    for proposal in proposals:
        _date(proposal, "take_up", scheduled_at)
    _date_notifications(deliberation, scheduled_at)
    return deliberation


def _seed_scheduled(staff, qingsong, seats, proposals, users) -> None:
    scheduled_at = utcnow() - timedelta(days=2)
    elevator = _schedule(
        staff, qingsong, seats, [proposals["加装电梯费用分摊方案"]], scheduled_at, kind="residents_council",
        title="加装电梯费用分摊方案议事会", starts_at=_local(7, time(19, 0)), ends_at=_local(7, time(21, 0)),
        place=PLACE, description="请各单元的居民代表会前先听听本单元邻居的意见，特别是一楼和六楼住户的想法。\n\n"
        "会上只定**分摊办法**，具体到各单元是否加装，由各单元业主另行表决。",
        agenda=["主持人说明议事规则", "加装电梯费用分摊方案", "一楼住户补偿办法",
                "形成分摊办法初稿，会后征求各单元意见"])
    _answer(elevator, {"13900000002": "yes", "13900000301": "yes", "13900000302": "maybe", "13900000303": "yes"},
            users, scheduled_at + timedelta(hours=5))
    db.session.commit()


def _seed_open(staff, council, qingsong, seats, proposals, users) -> None:
    scheduled_at = utcnow() - timedelta(days=8)
    parking = _schedule(
        staff, qingsong, seats, [proposals["小区停车位重新规划"]], scheduled_at, kind="four_party",
        title="小区停车位重新规划四方议事会", starts_at=_local(-1, time(19, 0)), ends_at=_local(-1, time(21, 0)),
        place=PLACE, description="现场会议之后，讨论在下方继续进行：会上没来得及发言的，请在讨论区留言，"
        "物业和业委会会逐条回应。方案成形后提交全体居民表决。",
        agenda=["物业通报小区车位和登记车辆现状", "小区停车位重新规划", "消防通道划线和占道车辆的处理办法",
                "东门空地改建临时停车区的费用和管理", "形成方案，提交居民表决"])
    _answer(parking, {p: "yes" for p in ("13900000001", "13900000002", "13900000301", "13900000302",
                                         "13900000303")} | {"13900000003": "maybe"}, users,
            scheduled_at + timedelta(days=1))
    db.session.commit()
    conduct.take_step(council, parking, "open")
    _date(parking, "open", parking.starts_at)
    _date_notifications(parking, parking.starts_at)
    seed_parking_thread(parking, users)


def _seed_concluded(staff, council, qingsong, seats, proposals, users) -> None:
    starts_at = _local(-30, time(19, 0))
    scheduled_at = starts_at - timedelta(days=10)
    garbage, dance, corridor = (proposals[title] for title in
                                ("垃圾分类投放点搬迁", "广场舞音量和时段约定", "楼道堆物清理公约"))
    order = _schedule(
        staff, qingsong, seats, [garbage, dance, corridor], scheduled_at, invite=False, kind="residents_council",
        title="环境和公共秩序专题居民议事会", starts_at=starts_at, ends_at=starts_at + timedelta(hours=2, minutes=30),
        place=PLACE, description="三项议题都和大家的日常生活密切相关，请居民代表会前多听听楼里邻居的意见。",
        agenda=["主持人说明议事规则", "垃圾分类投放点搬迁", "广场舞音量和时段约定", "楼道堆物清理公约", "会议总结"])
    _answer(order, {p: "yes" for p in ("13900000001", "13900000002", "13900000004", "13900000301",
                                       "13900000302")} | {"13900000303": "no", "13900000003": "maybe"},
            users, scheduled_at + timedelta(days=1))
    db.session.commit()
    conduct.take_step(council, order, "open")
    _date(order, "open", starts_at)
    _date_notifications(order, starts_at)
    absent = {users["13900000003"].id, users["13900000303"].id}
    conduct.record_attendance(council, order, {p.id for p in order.participants if p.user_id not in absent})
    for participant in order.participants:
        participant.attendance_recorded_at = starts_at + timedelta(minutes=10)
    _decide(council, order, dance, False, starts_at + timedelta(hours=1, minutes=20), (
        "舞队和临街住户对结束时间分歧较大（舞队希望 21:30，住户希望 20:00），本次未能形成一致意见。"
        "议事会建议先试行两周：20:30 结束、音量不超过 60 分贝，由社区收集双方意见后再议。"))
    _decide(council, order, corridor, True, starts_at + timedelta(hours=2),
            "与会代表一致同意《楼道堆物清理公约》，自下月起执行，每月第一个周六为楼道清理日。")
    conduct.take_step(council, order, "conclude")
    _date(order, "conclude", starts_at + timedelta(hours=2, minutes=30))
    _implement(staff, order, corridor, starts_at)
    _date_notifications(order, utcnow() - timedelta(days=5), read=True)


def _decide(council, deliberation, proposal, passed: bool, when, note: str) -> None:
    conduct.record_decision(council, deliberation, proposal, passed, note)
    _date(proposal, "pass" if passed else "reject", when)
    _date_notifications(deliberation, when)


def _implement(staff, order, corridor, starts_at) -> None:
    """楼道堆物清理公约 is carried out within the project of lawyers visiting the buildings, and done."""
    from forum.lists.models import Project
    from forum.proposals.services import complete, implement

    project = db.session.scalar(select(Project).where(Project.title == "“邻里和睦”普法与调解进楼栋"))
    if project is None:
        return
    implement(staff, corridor, project)
    _date(corridor, "implement", starts_at + timedelta(days=3))
    _date_notifications(order, starts_at + timedelta(days=3))
    complete(staff, corridor, note=("公约已在各楼栋张贴；首个清理日各楼共清出杂物三车，"
                                    "律师进楼栋时一并讲解了公约和消防安全。"))
    _date(corridor, "complete", utcnow() - timedelta(days=5))


def _answer(deliberation, answers: dict, users, when) -> None:
    for phone, answer in answers.items():
        participant = deliberation.participant_for(users[phone])
        participant.rsvp, participant.rsvp_at = answer, when


def _date(item, action: str, when) -> None:
    """Move the latest timeline row of `item`'s `action` to `when`."""
    kind = "deliberation" if isinstance(item, Deliberation) else "proposal"
    change = db.session.scalar(select(StatusChange).where(
        StatusChange.subject_type == kind, StatusChange.subject_id == item.id, StatusChange.action == action)
        .order_by(StatusChange.id.desc()).limit(1))
    if change is not None:
        change.created_at = when
    db.session.commit()


def _settle_before(proposal, moment) -> None:
    """Move the proposal's whole story (writing, supporters, steps) back so it ends before `moment`."""
    from forum.proposals.models import ProposalSupport

    supports = db.session.scalars(select(ProposalSupport).where(ProposalSupport.proposal_id == proposal.id)).all()
    changes = db.session.scalars(select(StatusChange).where(
        StatusChange.subject_type == "proposal", StatusChange.subject_id == proposal.id)).all()
    latest = max([proposal.created_at] + [s.created_at for s in supports] + [c.created_at for c in changes])
    if latest < moment:
        return
    shift = latest - moment + timedelta(hours=6)
    for row in [proposal, *supports, *changes]:
        row.created_at -= shift
    if proposal.collecting_since is not None:
        proposal.collecting_since -= shift
        proposal.collecting_until -= shift
    db.session.commit()


def _date_notifications(deliberation, when, read: bool = False) -> None:
    """Notifications about the deliberation and its proposals sent just now were sent `when`
    (earlier ones keep their dates); with `read`, all of them were read soon after."""
    from forum.core.urls import path_for

    urls = [path_for("deliberations.show", deliberation_id=deliberation.id)]
    urls += [path_for("proposals.show", proposal_id=p.id) for p in deliberation.proposals]
    for notification in db.session.scalars(select(Notification).where(Notification.url.in_(urls))):
        notification.created_at = min(notification.created_at, when)
        if read and notification.read_at is None:
            notification.read_at = notification.created_at + timedelta(hours=3)
    db.session.commit()
