"""Demo resources: what the demo units and one volunteer offer, in every state.

Called by forum.demo.seed_demo() before its commit. The hospital and the law firm get
a contact each, and 光明里社区 a volunteer, so that every resource has its owner; they
log in with the demo password like the other demo accounts.
"""
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import RoleGrant, User
from forum.accounts.services import create_user
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.config import PRIVACY_NOTICE_VERSION
from forum.extensions import db
from forum.lists.models import Resource
from forum.lists.resources import RESOURCE, today
from forum.places.models import Community, Unit

# phone, name, unit they are the contact of (None: the volunteer)
OWNERS = [
    ("13900000101", "周文斌", "区第二人民医院"),
    ("13900000102", "吴静", "明信律师事务所"),
    ("13900000103", "钱建国", None),
]

# owner (unit name or volunteer name), community, title, category, kind, capacity,
# (first day, last day) as days from today, scope, posted days ago, body, steps [(action, note)]
RESOURCES = [
    ("青松路小学", "青松社区", "周末开放操场", "culture", "venue", "可容纳200人，含篮球场2块", (None, None),
     "communities", 20,
     "每周六、周日 8:00–17:00 向社区居民开放操场和篮球场。\n\n"
     "- 请从学校东侧小门进出，入口处登记\n- 校内禁止吸烟，请勿带宠物入内\n"
     "- 遇考试或学校活动暂停开放，会提前在这里说明", []),
    ("青松路小学", "翠湖社区", "课后辅导志愿者教师", "children", "people", "每周二、四 16:30–18:00，可辅导20名学生",
     (None, None), "communities", 35,
     "语文、数学、英语老师志愿到社区活动室辅导小学生写作业，优先照顾双职工家庭和留守儿童。", [
         ("pause", "寒假期间暂停，开学后恢复。")]),
    ("青松路小学", "青松社区", "暑期托管教室", "children", "venue", "2间教室，可容纳60人", (-70, -10),
     "communities", 80,
     "暑假期间工作日 8:30–17:30 开放两间教室，供社区暑期托管班使用，桌椅、空调、饮水机齐全。", []),
    ("区第二人民医院", "青松社区", "每月义诊", "health", "service", "每月第一个周六上午，约80人次", (None, None),
     "street", 15,
     "内科、外科、眼科、口腔科医生到社区广场义诊，免费量血压、测血糖、做简单检查。\n\n"
     "请带上医保卡和以前的病历；行动不便的老人可以请社区代为登记。", []),
    ("区第二人民医院", "光明里社区", "慢病随访", "elderly", "service", "每月可随访30户", (None, 240),
     "communities", 12,
     "家庭医生团队上门随访患高血压、糖尿病的独居和高龄老人：测量、调整用药建议、讲解注意事项。", []),
    ("区第二人民医院", "翠湖社区", "健康讲座", "health", "service", "每季度2场，每场可容纳60人", (-60, 200),
     "communities", 60,
     "主题可选：儿童常见病预防、老年人防跌倒、合理用药、急救常识（心肺复苏）。", [
         ("exhaust", "今年的讲座场次已全部排满，明年再开放预约。")]),
    ("明信律师事务所", "青松社区", "免费法律咨询", "legal", "service", "每周三下午 14:00–17:00 坐班",
     (-100, None), "communities", 10,
     "律师在社区居委会二楼坐班，解答婚姻家庭、劳动争议、物业纠纷、遗嘱继承等问题，不收费。", []),
    ("明信律师事务所", "光明里社区", "邻里纠纷调解", "legal", "service", "每月4次", (None, None),
     "communities", 40,
     "律师参与邻里、家庭纠纷的人民调解，帮助双方达成调解协议。", [
         ("withdraw", "律师团队调整，调解改由街道人民调解委员会统一安排。")]),
    ("钱建国", "光明里社区", "家电小修理", "facilities", "volunteer", "每月8小时", (None, None),
     "communities", 5,
     "退休电工，可以帮老人修理台灯、电风扇、电饭煲等小家电，更换灯泡和插座。\n\n不收工费，配件按原价。", []),
]


def _owners() -> dict[str, tuple[User, Unit | None]]:
    """Owner name (a unit, or the volunteer) → the user who posts and the unit."""
    from forum.demo import DEMO_PASSWORD

    units = {unit.name: unit for unit in db.session.scalars(select(Unit))}
    school = units["青松路小学"]
    found = {school.name: (school.contacts[0], school)}
    admin = db.session.scalar(select(User).where(User.is_admin.is_(True)))
    guangmingli = db.session.scalar(select(Community).where(Community.name == "光明里社区"))
    for phone, name, unit_name in OWNERS:
        user = create_user(phone, name, DEMO_PASSWORD, consent_version=PRIVACY_NOTICE_VERSION)
        if unit_name:
            units[unit_name].contacts.append(user)
            found[unit_name] = (user, units[unit_name])
        else:  # an in-service party member who reported to 光明里 as a volunteer (双报到)
            db.session.add(RoleGrant(user=user, role="volunteer", community=guangmingli, granted_by=admin))
            found[name] = (user, None)
    db.session.flush()
    return found


def seed_resources() -> None:
    owners = _owners()
    communities = {c.name: c for c in db.session.scalars(select(Community))}
    now, day = utcnow(), today()
    for (owner_name, community, title, category, kind, capacity, (first, last), scope, age, body,
         steps) in RESOURCES:
        user, unit = owners[owner_name]
        resource = Resource(
            community=communities[community], unit=unit, owner_id=user.id, title=title, body=body,
            category=category, kind=kind, capacity=capacity, scope=scope, created_at=now - timedelta(days=age),
            available_from=day + timedelta(days=first) if first is not None else None,
            available_until=day + timedelta(days=last) if last is not None else None,
        )
        resource.body_html = render_markdown(body)
        db.session.add(resource)
        RESOURCE.start(db.session, resource, user).created_at = resource.created_at
        for n, (action, note) in enumerate(steps, start=1):
            change = RESOURCE.apply(db.session, resource, action, user, note)
            change.created_at = resource.created_at + timedelta(days=3 * n)
    db.session.flush()
