"""Demo proposals in 青松社区 in every state, and the verified residents who support them.

The 24 residents (phones 13900000201–13900000224, the demo password) live in the three
compounds of 青松社区 with a recorded household and floor area, so household votes
(一户一票, 双过半) have an electorate; two households have two verified residents each.
Proposals go through the services, which write their timelines; afterwards the dates
are moved back so that the windows and the timelines read like weeks of real use.
"""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from forum.accounts.models import Membership, User
from forum.core.models import utcnow
from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.places.models import Community
from forum.proposals import services
from forum.proposals.models import Proposal, ProposalSupport

# phone, name, compound (index in 青松社区), building, room, floor area in m²
RESIDENTS = [
    ("13900000201", "周建国", 0, "1号楼", "202", "56.30"), ("13900000202", "吴秀英", 0, "1号楼", "302", "56.30"),
    ("13900000203", "郑志强", 0, "2号楼", "101", "72.80"), ("13900000204", "王淑芬", 0, "2号楼", "101", "72.80"),
    ("13900000205", "冯德明", 0, "2号楼", "501", "72.80"), ("13900000206", "陈玉兰", 0, "3号楼", "402", "68.50"),
    ("13900000207", "褚卫东", 0, "3号楼", "601", "88.20"), ("13900000208", "卫红梅", 0, "4号楼", "103", "61.00"),
    ("13900000209", "蒋海涛", 1, "5号楼", "201", "82.00"), ("13900000210", "沈丽华", 1, "5号楼", "301", "82.00"),
    ("13900000211", "韩立军", 1, "5号楼", "502", "95.40"), ("13900000212", "杨桂英", 1, "6号楼", "102", "64.70"),
    ("13900000213", "朱振华", 1, "6号楼", "102", "64.70"), ("13900000214", "秦小燕", 1, "6号楼", "401", "64.70"),
    ("13900000215", "尤建平", 1, "7号楼", "303", "105.60"), ("13900000216", "许美玲", 1, "7号楼", "602", "105.60"),
    ("13900000217", "何国庆", 2, "3号", "1-101", "48.00"), ("13900000218", "吕晓红", 2, "3号", "2-201", "48.00"),
    ("13900000219", "施永刚", 2, "5号", "1-302", "52.50"), ("13900000220", "张翠萍", 2, "5号", "2-401", "52.50"),
    ("13900000221", "孔令华", 2, "8号", "1-101", "45.20"), ("13900000222", "曹静怡", 2, "8号", "1-502", "45.20"),
    ("13900000223", "严志刚", 2, "11号", "3-201", "58.90"), ("13900000224", "华秀珍", 2, "11号", "3-602", "58.90"),
]

ELEVATOR = """青松苑 1–4 号楼都是 1990 年代的六层住宅，没有电梯。楼里 60 岁以上的老人超过一半，\
住五六楼的老人很多一个月都下不了几次楼。

**建议**：按照市里既有住宅加装电梯的政策，以单元为单位申请加装，费用在政府补贴之外由本单元业主分摊：

- 按楼层系数分摊：一楼不出资，二楼 0.4，三楼 0.8，四楼 1.0，五楼 1.2，六楼 1.4；
- 一楼住户因采光和噪音受影响，由受益楼层适当补偿；
- 每个单元须经本单元三分之二以上业主同意后再报建。

希望议事会先把分摊办法定下来，各单元再分别征求意见。"""

PARKING = """小区原有车位 180 个，登记车辆已超过 260 辆。晚上消防通道和单元门口停满了车，\
上个月救护车进不来，耽误了 3 号楼一位老人的抢救。

**建议**：

1. 请物业和业委会重新测绘，把中心路两侧改为单侧划线停车；
2. 东门空地改建为临时停车区，约可增加 40 个车位；
3. 车位先保障本小区登记车辆，外来车辆按时收费；
4. 消防通道全程划黄线，占道车辆由物业劝离。"""

GARBAGE = """目前 2 号楼和 3 号楼之间的垃圾分类投放点紧挨着住户窗户，夏天异味很重，清运车凌晨作业也吵。

**建议**把投放点搬到北侧围墙边的空地（原自行车棚旧址），并：

- 加装洗手池和雨棚；
- 定时定点投放时段改为早 7:00–9:00、晚 18:00–20:00；
- 请志愿者在投放时段轮流值守，引导分类。

搬迁费用请社区向街道申请环境整治专项经费。"""

DANCE = """中心广场每天晚上都有两支广场舞队伍，音响开得很大，一直跳到九点半以后，\
临街几栋楼的老人和学生休息、写作业都受影响，邻里之间已经发生过几次争执。

**建议**由议事会召集舞队、周边住户和物业一起商定公约：

- 活动时段为 19:00–20:30，周末可延长到 21:00；
- 音响音量不超过 60 分贝，音箱朝向广场内侧；
- 两支队伍分区活动，中考、高考前一个月音量减半。"""

CORRIDOR = """不少楼道里堆放着旧家具、纸箱和电动自行车，既挡路又有火灾隐患。\
去年冬天松竹小区 6 号楼楼道里的杂物着过一次火，所幸发现得早。

**建议**制定《楼道堆物清理公约》：

1. 每月第一个周六为楼道清理日，楼长组织本楼清理；
2. 电动自行车一律不得进楼道、不得入户充电；
3. 确需暂放的物品贴上户号和期限，最长不超过一周；
4. 清理出的无主杂物由物业统一公示后处理。"""

CANTEEN = """社区独居和高龄老人越来越多，不少老人中午就随便对付一口。\
建议在社区服务中心一楼开设老年助餐点，和附近餐饮企业合作供餐，\
80 岁以上和低保老人享受补贴价，行动不便的老人由志愿者送餐上门。"""

CHARGING = """青松苑没有集中充电的地方，不少居民从楼上拉电线给电动自行车充电，十分危险。\
建议在 4 号楼北侧空地建设一处带雨棚和监控的集中充电棚，按次扫码付费，由物业负责日常管理。"""

CLINIC = """社区卫生服务站周末不开门，上班族只能请假带孩子和老人看病、配药。\
建议服务站周六上午开设门诊，主要做慢病配药、测血压血糖和预防接种咨询，\
医生可由区第二人民医院的签约家庭医生轮值。"""


def _residents(qingsong: Community, staff: User) -> list[User]:
    from forum.accounts.services import create_user
    from forum.config import PRIVACY_NOTICE_VERSION
    from forum.demo import DEMO_PASSWORD

    made = []
    for phone, name, compound, building, room, area in RESIDENTS:
        user = create_user(phone, name, DEMO_PASSWORD, consent_version=PRIVACY_NOTICE_VERSION)
        db.session.add(Membership(user=user, community=qingsong, compound=qingsong.compounds[compound],
                                  building=building, room=room, floor_area=Decimal(area),
                                  verified_at=utcnow(), verified_by=staff))
        made.append(user)
    db.session.commit()
    return made


def _raise(author, community, title, body, category, supporters=(), submit=True) -> Proposal:
    proposal = services.create_proposal(author, community, {"title": title, "body": body, "category": category},
                                        submit=submit)
    for user in supporters:
        services.support(user, proposal)
    return proposal


def _backdate(proposal: Proposal, days: float, steps_at: dict | None = None) -> None:
    """Move the proposal `days` back: written then, supporters spread over the time since,
    and the later steps of its timeline at the given days ago (`steps_at`)."""
    now = utcnow()
    start = now - timedelta(days=days)
    window = proposal.collecting_until - proposal.collecting_since
    proposal.created_at = start - timedelta(hours=3)
    proposal.collecting_since, proposal.collecting_until = start, start + window
    collected = min(now, proposal.collecting_until) - start
    rows = db.session.scalars(select(ProposalSupport).where(ProposalSupport.proposal_id == proposal.id)
                              .order_by(ProposalSupport.id)).all()
    for n, row in enumerate(rows, start=1):
        row.created_at = start + collected * n / (len(rows) + 1)
    threshold_at = rows[proposal.support_threshold - 1].created_at if len(rows) >= proposal.support_threshold \
        else None
    at = {"create": proposal.created_at, "submit": start, "reach_threshold": threshold_at,
          **{action: now - timedelta(days=ago) for action, ago in (steps_at or {}).items()}}
    for change in services.timeline(proposal):
        if at.get(change.action):
            change.created_at = at[change.action]


def seed_proposals() -> None:
    qingsong = db.session.scalar(select(Community).where(Community.name == "青松社区"))
    cuihu = db.session.scalar(select(Community).where(Community.name == "翠湖社区"))
    users = {u.phone: u for u in db.session.scalars(select(User))}
    staff, council, resident = users["13900000001"], users["13900000002"], users["13900000004"]
    neighbours = _residents(qingsong, staff)
    everyone = [resident, council, staff] + neighbours

    def others(author, count, skip=0):
        pool = [u for u in everyone if u is not author]
        return pool[skip:skip + count]

    _seed_for_council(qingsong, council, resident, neighbours, others)
    _seed_collecting(qingsong, resident, neighbours, others)
    _seed_closed(qingsong, staff, resident, neighbours, others)
    _raise(users["13900000006"], cuihu, "湖畔新村儿童游乐设施更新",
           "湖畔新村的滑梯和秋千已经用了十年，塑料件开裂、螺丝松动。建议更换为带软质地垫的新设施，并加装遮阳棚。",
           "children")
    db.session.commit()


def _seed_for_council(qingsong, council, resident, neighbours, others) -> None:
    """The five D's demo takes up, and one more that waits for the council."""
    # title, body, category, author, supporters (skipping the first few of the pool), days ago
    for title, body, category, author, count, skip, days in [
        ("加装电梯费用分摊方案", ELEVATOR, "housing", neighbours[0], 16, 0, 24),
        ("小区停车位重新规划", PARKING, "housing", council, 13, 0, 20),
        ("垃圾分类投放点搬迁", GARBAGE, "environment", neighbours[4], 11, 4, 18),
        ("广场舞音量和时段约定", DANCE, "culture", neighbours[9], 12, 8, 15),
        ("楼道堆物清理公约", CORRIDOR, "safety", neighbours[12], 10, 12, 12),
        ("社区老年食堂开设助餐点", CANTEEN, "elderly", resident, 11, 2, 9),
    ]:
        proposal = _raise(author, qingsong, title, body, category, others(author, count, skip))
        _backdate(proposal, days)


def _seed_collecting(qingsong, resident, neighbours, others) -> None:
    """Still collecting: a few supporters with about 20 days left, and one a supporter short."""
    # 刘桂芳 (13900000004) has not supported the first yet: the browser journey does.
    clinic = _raise(neighbours[1], qingsong, "社区卫生服务站增加周末门诊", CLINIC, "health",
                    [neighbours[5], neighbours[14], neighbours[20]])
    _backdate(clinic, 10)
    charging = _raise(neighbours[2], qingsong, "青松苑增设电动自行车集中充电棚", CHARGING, "safety",
                      others(neighbours[2], 9, skip=3))
    _backdate(charging, 25)
    _raise(resident, qingsong, "楼道加装声控灯和扶手",
           "1号楼和2号楼楼道没有灯，扶手也断了好几处，老人晚上上下楼很不安全。想请大家一起看看怎么改，先存个草稿。",
           "facilities", submit=False)


def _seed_closed(qingsong, staff, resident, neighbours, others) -> None:
    """Declined (with the reason), expired, withdrawn."""
    garage = _raise(neighbours[6], qingsong, "在小区中心绿地建设地下停车场",
                    "停车太难，建议把中心绿地挖开建两层地下停车场，地面恢复绿化。", "housing",
                    others(neighbours[6], 4, skip=6))
    services.take_step(staff, garage, "decline", note=(
        "经向区规划部门咨询，中心绿地属于规划保留绿地，且地下有燃气和供水主管，不具备建设地下车库的条件。"
        "停车难的问题已并入议题《小区停车位重新规划》，请大家到那里继续讨论、附议。"))
    _backdate(garage, 14, {"decline": 6})
    trip = _raise(neighbours[16], qingsong, "周末组织社区集体出游",
                  "建议每季度组织一次周末集体出游，费用自理，社区帮忙联系旅行社和保险。", "culture",
                  [neighbours[17], neighbours[18]])
    _backdate(trip, 40)
    services.expire_overdue()
    db.session.scalar(select(StatusChange).where(StatusChange.subject_type == "proposal",
                                                 StatusChange.subject_id == trip.id,
                                                 StatusChange.action == "expire")).created_at = trip.collecting_until
    lockers = _raise(neighbours[21], qingsong, "快递柜移到小区门口",
                     "快递柜放在小区中间，快递车每天进进出出不安全，建议移到东门口。", "other", [neighbours[22]])
    services.take_step(neighbours[21], lockers, "withdraw", note="物业已答应下个月把快递柜挪到东门，不用再议了。")
    _backdate(lockers, 8, {"withdraw": 3})
