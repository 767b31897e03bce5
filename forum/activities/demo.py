"""Demo activities in every state, dated around today so the demo always looks current."""
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from forum.activities.models import ACTIVITY, Activity, Signup
from forum.core.markup import render_markdown
from forum.extensions import db
from forum.places.models import Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")

# title, community index, unit name (None: the community itself), days from today, start, hours,
# place, capacity, body, final state, people signed up (demo account index → hours or None)
ACTIVITIES = [
    ("重阳节敬老义诊", 0, "区第二人民医院", -12, time(8, 30), 3, "青松社区党群服务中心一楼大厅", 10,
     "医院内科、眼科医生到社区为 60 岁以上老人免费测血压、血糖，查视力。\n\n"
     "招募志愿者：协助老人**登记、排队、引导**，会说本地话的优先。", "done", {2: 3, 4: 3, 1: 2, 5: None}),
    ("护学岗志愿服务", 0, "青松路小学", -20, time(7, 20), 1, "青松路小学校门口", 6,
     "上学高峰时段在校门口协助维持秩序，护送低年级学生过马路。请穿社区发放的志愿者马甲。", "done", {2: 1, 5: None}),
    ("冬季消防安全巡查", 0, None, -1, time(14, 0), 2, "青松苑、松竹小区各楼栋", 6,
     "和社区网格员一起检查楼道堆物、电动车飞线充电，发放消防安全提示。", "closed", {4: None, 2: None}),
    ("周末课后辅导", 0, "青松路小学", 4, time(9, 0), 2.5, "青松路小学多功能教室", 8,
     "青松路小学教师带领志愿者，为社区三至六年级学生辅导作业。\n\n"
     "- 志愿者需有耐心，大学生、退休教师都欢迎\n- 请自带水杯", "open", {2: None}),
    ("社区环境清洁日", 0, None, 6, time(8, 0), 3, "青松里 1–12 号楼下集合", 30,
     "清理楼道小广告、绿化带垃圾和废弃自行车。社区提供手套、夹子和垃圾袋。", "open", {1: None, 5: None}),
    ("老年人智能手机课堂", 0, "青松路小学", 9, time(15, 0), 1.5, "青松社区老年活动室", 2,
     "学生志愿者一对一教老人用手机挂号、视频通话、识别诈骗短信。名额少，每期两位。", "open", {2: None, 5: None}),
    ("法律咨询进社区", 0, "明信律师事务所", 3, time(9, 30), 2, "青松社区调解室", 15,
     "律师现场解答婚姻家庭、劳动纠纷、物业纠纷等问题。", "cancelled", {}),
    ("亲子阅读会", 1, "青松路小学", 5, time(10, 0), 1.5, "翠湖社区图书角", 12,
     "语文老师带领亲子共读绘本，欢迎 4 至 8 岁的孩子和家长参加，也招募两位志愿者帮忙布置场地。",
     "open", {6: None}),
]
CANCEL_NOTE = "律师临时需要出庭，活动改期，时间另行通知。"


def _local(day_offset: int, at: time) -> datetime:
    today = datetime.now(SHANGHAI).date()
    return datetime.combine(today + timedelta(days=day_offset), at, tzinfo=SHANGHAI)


def seed_activities(communities, users) -> None:
    """Add the demo activities; `users` are the demo accounts in DEMO_ACCOUNTS order."""
    staff = users[1]
    for title, c, unit_name, days, at, hours, place, capacity, body, state, people in ACTIVITIES:
        starts_at = _local(days, at)
        unit = db.session.scalar(select(Unit).where(Unit.name == unit_name)) if unit_name else None
        author = unit.contacts[0] if unit is not None and unit.contacts else staff
        activity = Activity(
            community=communities[c], unit=unit, author_id=author.id, title=title, body=body,
            body_html=render_markdown(body), place=place, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours), capacity=capacity, signup_count=len(people),
        )
        db.session.add(activity)
        ACTIVITY.start(db.session, activity, author).created_at = starts_at - timedelta(days=10)
        for index, given in people.items():
            db.session.add(Signup(activity=activity, user_id=users[index].id, created_at=starts_at - timedelta(days=5)))
        _finish(activity, state, staff, {users[i].id: given for i, given in people.items()})


def _finish(activity: Activity, state: str, staff, hours_by_user: dict) -> None:
    """Move the activity to its demo state, as the staff member would have."""
    if state == "closed":
        ACTIVITY.apply(db.session, activity, "close", staff).created_at = activity.starts_at - timedelta(days=1)
    elif state == "cancelled":
        change = ACTIVITY.apply(db.session, activity, "cancel", staff, note=CANCEL_NOTE)
        change.created_at = activity.starts_at - timedelta(days=2)
    elif state == "done":
        when = activity.ends_at + timedelta(hours=2)
        for signup in activity.signups:
            given = hours_by_user[signup.user_id]
            signup.attended, signup.hours = given is not None, None if given is None else Decimal(str(given))
            signup.confirmed_at, signup.confirmed_by_id = when, staff.id
        ACTIVITY.apply(db.session, activity, "confirm", staff).created_at = when
