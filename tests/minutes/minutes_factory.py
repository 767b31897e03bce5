"""A concluded deliberation made straight in the database, and minutes taken through their steps."""
from datetime import date, timedelta
from types import SimpleNamespace

from forum.core.models import utcnow
from forum.deliberations.models import AgendaItem, Deliberation, Participant
from forum.extensions import db
from forum.minutes import services
from forum.places.models import Community, Street
from forum.proposals.models import Proposal, ProposalSupport

AGENDA = ("青松苑 3 号楼加装电梯费用分摊", "楼道堆物清理安排")


def concluded_deliberation(make_user, *, status="concluded", agenda=AGENDA):
    """青松社区's council met yesterday: 李国华 and 周明 moderated; 刘桂芳 came; 钱芳 was recorded
    absent; 孙强's attendance was not recorded. 吴敏, who is not at the table, supported the
    proposal on the agenda; 王秀兰 is the community's staff; 黄丽娟 lives in another community."""
    street = Street(name="青松街道")
    community, elsewhere = Community(street=street, name="青松社区"), Community(street=street, name="翠湖社区")
    db.session.add_all([community, elsewhere])
    db.session.commit()
    people = SimpleNamespace(
        community=community,
        staff=make_user(community, verified=True, roles=("staff",), name="王秀兰"),
        moderator=make_user(community, verified=True, roles=("council_member", "moderator"), name="李国华"),
        second_moderator=make_user(community, verified=True, roles=("council_member",), name="周明"),
        attendee=make_user(community, verified=True, name="刘桂芳"),
        absent=make_user(community, verified=True, name="钱芳"),
        unrecorded=make_user(community, verified=True, name="孙强"),
        supporter=make_user(community, verified=True, name="吴敏"),
        # A moderator of the community who does not sit on this deliberation.
        community_moderator=make_user(community, verified=True, roles=("moderator",), name="郑伟"),
        outsider=make_user(elsewhere, verified=True, name="黄丽娟"),
        admin=make_user(None, is_admin=True, name="陈立新"),
    )
    starts_at = utcnow().replace(microsecond=0) - timedelta(days=1)
    deliberation = Deliberation(
        community=community, created_by_id=people.staff.id, kind="residents_council", title="青松苑加装电梯议事会",
        description="", description_html="", starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
        place="青松社区党群服务中心二楼会议室", status=status)
    proposal = Proposal(community=community, author_id=people.attendee.id, title="为青松苑 3 号楼加装电梯",
                        body="", body_html="", category="facilities", status="in_deliberation", support_count=1)
    deliberation.proposals.append(proposal)
    seats = [(people.moderator, "居委会", True, True), (people.second_moderator, "社区党组织", True, True),
             (people.attendee, "居民代表", False, True), (people.absent, "物业", False, False),
             (people.unrecorded, "业委会", False, None)]
    for user, seat, moderates, attended in seats:
        deliberation.participants.append(Participant(user_id=user.id, seat=seat, is_moderator=moderates,
                                                     attended=attended))
    for position, title in enumerate(agenda, start=1):
        deliberation.agenda.append(AgendaItem(position=position, title=title))
    db.session.add(deliberation)
    db.session.flush()
    db.session.add(ProposalSupport(proposal_id=proposal.id, user_id=people.supporter.id))
    db.session.commit()
    people.deliberation = deliberation
    return people


def text(**changes) -> dict:
    """What the moderator writes, as the services take it."""
    fields = {
        "summary": "会议讨论了 3 号楼加装电梯的费用分摊，多数代表同意按楼层系数分摊。",
        "agenda": [{"discussion": "一楼住户担心采光和噪音。", "decision": "按楼层系数分摊，一楼不出资。"},
                   {"discussion": "物业说明清理时间。", "decision": "12 月底前清理完毕。"}],
        "dissent": "一楼住户代表保留意见。",
        "action_items": [{"task": "公示费用分摊方案", "owner": "王秀兰", "due": date(2026, 12, 5)}],
        "recorder": "李国华",
    }
    fields.update(changes)
    return fields


def form_data(**changes) -> dict:
    """The same as the edit form posts it."""
    data = {
        "summary": "会议讨论了 3 号楼加装电梯的费用分摊，多数代表同意按楼层系数分摊。",
        "agenda-0-discussion": "一楼住户担心采光和噪音。", "agenda-0-decision": "按楼层系数分摊，一楼不出资。",
        "agenda-1-discussion": "物业说明清理时间。", "agenda-1-decision": "12 月底前清理完毕。",
        "dissent": "一楼住户代表保留意见。",
        "action_items-0-task": "公示费用分摊方案", "action_items-0-owner": "王秀兰", "action_items-0-due": "2026-12-05",
        "action_items-1-task": "", "action_items-1-owner": "", "action_items-1-due": "",
        "recorder": "李国华",
    }
    data.update(changes)
    return data


def end_comment_period(version) -> None:
    """As if the days for comments had passed."""
    version.comments_open_until = utcnow() - timedelta(minutes=1)
    db.session.commit()


def to_revised(people, **changes):
    """Drafted and opened for comments by the moderator; the attendee comments; the period over,
    revised by the moderator."""
    version = services.draft_minutes(people.moderator, people.deliberation, text(**changes))
    services.take_step(people.moderator, version, "open_comments")
    services.add_comment(people.attendee, version, "第一项的决定记录准确，没有问题。")
    end_comment_period(version)
    services.save_text(people.moderator, version, text(**changes))
    return version


def published(people, approver, **changes):
    """A version taken through every step: `approver` approves, the moderator publishes."""
    version = to_revised(people, **changes)
    services.take_step(approver, version, "approve")
    services.take_step(people.moderator, version, "publish")
    return version


def corrected(people, approver, reason="公示方案的完成期限写错了，应为 12 月 15 日。", **changes):
    """A correction of the published minutes, published too."""
    first = services.current_published(services.versions_of(people.deliberation))
    version = services.start_correction(people.moderator, first, reason)
    services.take_step(people.moderator, version, "open_comments")
    end_comment_period(version)
    services.save_text(people.moderator, version, text(**changes))
    services.take_step(approver, version, "approve")
    services.take_step(people.moderator, version, "publish")
    return version
