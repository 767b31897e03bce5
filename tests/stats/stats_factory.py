"""A street of two communities with needs, proposals, a poll, a unit's work and volunteering, all in
March 2026 (Beijing time), built through the services and then dated, so the figures are known exactly.

青松社区 (`a`): five needs raised in March (one more in February, outside), answered after 2, 4, 1
and 8 hours (the last rejected), the first two resolved after 10 and 20 days; 翠湖社区 (`b`): one need
answered after 5 hours. Four verified residents in 青松社区, three of whom voted in a poll of March.
"""
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.accounts.models import RoleGrant
from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.places.models import Community, Street, Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def local(day, hour=9, month=3):
    """A time in 2026 in Beijing time, as UTC."""
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI).astimezone(timezone.utc)


def redate(subject_type, subject_id, action, when):
    """Move the (last) status change `action` of a subject to `when`."""
    change = db.session.scalar(sa.select(StatusChange).where(
        StatusChange.subject_type == subject_type, StatusChange.subject_id == subject_id,
        StatusChange.action == action).order_by(StatusChange.id.desc()))
    change.created_at = when
    db.session.commit()


def places():
    street = Street(name="青松街道")
    a, b = Community(street=street, name="青松社区"), Community(street=street, name="翠湖社区")
    unit = Unit(name="青松路小学", kind="school", communities=[a])
    db.session.add_all([street, a, b, unit])
    db.session.commit()
    return street, a, b, unit


def granted(user, role, **where):
    db.session.add(RoleGrant(user=user, role=role, **where))
    db.session.commit()
    return user


def raise_need(author, community, created, title="楼道灯坏了", category="facilities"):
    from forum.lists import needs

    need = needs.create_need(author, community, {"title": title, "body": "", "category": category}, [])
    need.created_at = created
    redate("need", need.id, "create", created)
    return need


def step(user, need, action, when, **extra):
    from forum.lists import needs

    needs.take_step(user, need, action, **extra)
    redate("need", need.id, "close" if action == "rate" and extra.get("score", 0) >= 3 else action, when)


def build(make_user):
    street, a, b, unit = places()
    staff = granted(make_user(name="王秀兰"), "staff", community=a)
    street_staff = granted(make_user(name="周主任"), "staff", street=street)
    contact = make_user(name="赵晓梅")
    unit.contacts.append(contact)
    residents = [make_user(a, verified=True, name=name) for name in ("刘桂芳", "孙浩", "陈芳", "马强")]
    neighbour = make_user(b, verified=True, name="黄丽娟")
    db.session.commit()
    r1, r2, r3, _ = residents

    n1 = raise_need(r1, a, local(3), "3号楼楼道灯坏了")
    step(staff, n1, "publish", local(3) + 2 * HOUR)
    step(contact, n1, "claim", local(4))
    step(contact, n1, "resolve", local(3) + 10 * DAY, note="已更换灯泡")
    step(r1, n1, "rate", local(14), score=4)
    n2 = raise_need(r2, a, local(5), "小区门口积水", "environment")
    step(staff, n2, "publish", local(5) + 4 * HOUR)
    step(staff, n2, "claim", local(6))
    step(staff, n2, "resolve", local(5) + 20 * DAY, note="已疏通下水道")
    n3 = raise_need(r3, a, local(10), "健身器材松动")
    from forum.discussion.services import post_comment

    comment = post_comment(staff, n3, "已记下，明天派人去看。")
    comment.created_at = local(10) + HOUR
    step(staff, n3, "publish", local(10) + 6 * HOUR)
    n4 = raise_need(r1, a, local(12), "想要一个篮球场", "culture")
    step(staff, n4, "reject", local(12) + 8 * HOUR, note="场地不够")
    n5 = raise_need(r2, a, local(20), "独居老人需要送餐", "elderly")
    raise_need(r1, a, local(20, month=2), "二月的需求")  # before the period
    n7 = raise_need(neighbour, b, local(15), "翠湖的路灯")
    step(street_staff, n7, "publish", local(15) + 5 * HOUR)
    db.session.commit()
    return SimpleNamespace(street=street, a=a, b=b, unit=unit, staff=staff, street_staff=street_staff,
                           contact=contact, residents=residents, neighbour=neighbour, needs=[n1, n2, n3, n4, n5, n7])


def add_unit_work(data):
    """The school's resource, project (rated 5 and 2) and an activity with 2 + 1.5 volunteer hours, in March."""
    from forum.activities.models import ACTIVITY, Activity, Signup
    from forum.lists.models import Project, ProjectRating, Resource

    r1, r2, r3, _ = data.residents
    resource = Resource(community=data.a, unit=data.unit, owner_id=data.contact.id, title="周末开放操场",
                        category="culture", kind="venue", created_at=local(2))
    project = Project(community=data.a, title="楼道照明改造", lead_unit=data.unit, responsible_id=data.staff.id,
                      created_by_id=data.staff.id, created_at=local(6), status="completed")
    db.session.add_all([resource, project])
    db.session.flush()
    db.session.add_all([ProjectRating(project_id=project.id, user_id=r1.id, score=5, created_at=local(25)),
                        ProjectRating(project_id=project.id, user_id=r2.id, score=2, created_at=local(26))])
    activity = Activity(community=data.a, unit=data.unit, author_id=data.contact.id, title="楼道清洁志愿服务",
                        place="青松社区广场", starts_at=local(21), ends_at=local(21) + 2 * HOUR, capacity=10,
                        signup_count=3, status="done")
    db.session.add(activity)
    ACTIVITY.start(db.session, activity, data.contact)
    activity.status = "done"
    db.session.add_all([
        Signup(activity_id=activity.id, user_id=r1.id, attended=True, hours=Decimal("2"), created_at=local(18)),
        Signup(activity_id=activity.id, user_id=r3.id, attended=True, hours=Decimal("1.5"), created_at=local(18)),
        Signup(activity_id=activity.id, user_id=data.neighbour.id, attended=False, created_at=local(18))])
    db.session.commit()
    data.project, data.activity = project, activity
    return data


def add_proposals(data):
    """Submitted in March: one passed after 10 days, one declined after 4, one still collecting; one from February."""
    from forum.proposals.models import Proposal

    r1 = data.residents[0]

    def proposal(title, status, submitted, decided=None):
        found = Proposal(community=data.a, author_id=r1.id, title=title, category="facilities", status=status,
                         collecting_since=submitted, created_at=submitted)
        db.session.add(found)
        db.session.flush()
        if decided is not None:
            db.session.add(StatusChange(subject_type="proposal", subject_id=found.id, action="decide",
                                        from_state="in_deliberation", to_state=status, created_at=decided))
        return found

    proposal("北门增设快递柜", "passed", local(2), local(2) + 10 * DAY)
    proposal("楼顶加装太阳能", "declined", local(4), local(4) + 4 * DAY)
    proposal("增设儿童游乐区", "collecting", local(9))
    proposal("二月的议题", "passed", local(10, month=2), local(20, month=2))
    db.session.commit()
    return data


def add_poll(data):
    """A poll of the verified residents of 青松社区 in March: three of the four voted (set up and cast
    through the voting services while open, then its window moved into March)."""
    from forum.core.models import utcnow
    from forum.voting import services, setup

    now = utcnow().replace(microsecond=0)
    poll = setup.create_poll(data.staff, setup.Target(data.a), {
        "title": "是否同意在北门增设快递柜？", "body": "", "method": "yes_no", "options": [], "max_choices": None,
        "electorate": "residents", "compound_ids": [], "opens_at": now - HOUR, "closes_at": now + DAY,
        "results_live": False, "quorum_percent": 0, "pass_rule": "simple_majority", "secret": True,
        "proposal_id": None})
    yes = next(option.id for option in poll.options if option.key == "yes")
    for voter in data.residents[:3]:
        services.vote(voter, poll, [yes])
    poll.opens_at, poll.closes_at = local(16), local(23)
    db.session.commit()
    data.poll = poll
    return data
