"""Demo data: one street, three communities, their compounds, three units and accounts.

The people are invented; the names are common Chinese names of no real person.
"""
from decimal import Decimal

from sqlalchemy import select

from forum.accounts.models import Membership, RoleGrant
from forum.accounts.services import create_user
from forum.core.models import utcnow
from forum.config import PRIVACY_NOTICE_VERSION
from forum.extensions import db
from forum.places.models import Community, Compound, Street, Unit

DEMO_PASSWORD = "demo-pass-2026"

# phone, display name, what the account is for (printed by `forum demo`)
DEMO_ACCOUNTS = [
    ("13900000000", "陈立新", "admin (管理员)"),
    ("13900000001", "王秀兰", "staff of 青松社区 (社区工作者)"),
    ("13900000002", "李国华", "council member and moderator of 青松社区 (议事会成员、主持人)"),
    ("13900000003", "赵晓梅", "contact of 青松路小学 (驻区单位联络人)"),
    ("13900000004", "刘桂芳", "verified resident of 青松社区 (已核验居民)"),
    ("13900000005", "孙浩", "unverified resident of 青松社区 (未核验居民)"),
    ("13900000006", "黄丽娟", "verified resident of 翠湖社区 (已核验居民)"),
]

COMMUNITIES = [
    ("青松社区", "老城区的老旧小区为主，60 岁以上居民约占三成。",
     ["青松苑", "松竹小区", "青松里 1–12 号"]),
    ("翠湖社区", "新建商品房社区，年轻家庭多，学龄儿童多。",
     ["翠湖花园", "湖畔新村"]),
    ("光明里社区", "单位老宿舍与回迁房混合的社区。",
     ["光明里一区", "光明里二区", "纺织厂宿舍"]),
]

UNITS = [
    ("青松路小学", "school", "可在周末开放操场与多功能教室，教师志愿者可开展课后辅导。", [0, 1]),
    ("区第二人民医院", "hospital", "每月可到社区开展义诊、慢病随访和健康讲座。", [0, 1, 2]),
    ("明信律师事务所", "law_firm", "律师定期到社区坐班，提供免费法律咨询和调解。", [0, 2]),
]


def seed_demo() -> bool:
    """Create the demo data in an empty database; return False if there was data."""
    if db.session.scalar(select(Street.id).limit(1)) is not None:
        db.session.rollback()  # end the read: outside a request it holds SQLite's write lock
        return False
    street = Street(name="青松街道")
    communities = []
    for name, description, compounds in COMMUNITIES:
        community = Community(street=street, name=name, description=description)
        community.compounds = [Compound(name=c) for c in compounds]
        communities.append(community)
    db.session.add(street)
    for name, kind, description, served in UNITS:
        db.session.add(Unit(name=name, kind=kind, description=description,
                            communities=[communities[i] for i in served]))
    db.session.flush()

    users = [create_user(phone, name, DEMO_PASSWORD, is_admin=(i == 0), consent_version=PRIVACY_NOTICE_VERSION)
             for i, (phone, name, _) in enumerate(DEMO_ACCOUNTS)]
    admin, staff, council, school_contact, resident, unverified, resident2 = users
    qingsong, cuihu = communities[0], communities[1]

    def live(user, community, compound=None, building=None, room=None, area=None, verified=True):
        db.session.add(Membership(
            user=user, community=community, compound=compound, building=building, room=room,
            floor_area=Decimal(area) if area else None,
            verified_at=utcnow() if verified else None, verified_by=staff if verified else None,
        ))

    live(staff, qingsong, qingsong.compounds[0], "3号楼", "201", "68.50")
    live(council, qingsong, qingsong.compounds[1], "5号楼", "402", "82.00")
    live(resident, qingsong, qingsong.compounds[0], "1号楼", "101", "56.30")
    live(unverified, qingsong, qingsong.compounds[2], verified=False)
    live(resident2, cuihu, cuihu.compounds[0], "8栋", "1502", "96.00")
    for role in ("staff",):
        db.session.add(RoleGrant(user=staff, role=role, community=qingsong, granted_by=admin))
    for role in ("council_member", "moderator"):
        db.session.add(RoleGrant(user=council, role=role, community=qingsong, granted_by=staff))
    school = db.session.scalar(select(Unit).where(Unit.kind == "school"))
    school.contacts.append(school_contact)
    from forum.lists.resource_demo import seed_resources

    seed_resources()
    from forum.activities.demo import seed_activities

    seed_activities(communities, users)
    db.session.commit()
    _seed_lists()
    _seed_deliberation()
    from forum.moderation.words.demo import seed_words

    seed_words(admin)
    db.session.commit()
    from forum.moderation.demo import seed_moderation

    seed_moderation()
    return True


def _seed_lists() -> None:
    from forum.lists.need_demo import seed_needs, seed_projects

    seed_needs()
    seed_projects()


def _seed_deliberation() -> None:
    """Proposals, then the deliberations on them, their polls and (including the polls' results) their minutes."""
    from forum.deliberations.demo import seed_deliberations
    from forum.minutes.demo import seed_minutes
    from forum.proposals.demo import seed_proposals
    from forum.voting.demo import seed_polls

    seed_proposals()
    seed_deliberations()
    seed_polls()
    seed_minutes()
