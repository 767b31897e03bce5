"""The demo discussion of the parking deliberation, posted through the discussion services."""
from datetime import timedelta

from forum.core.models import utcnow
from forum.discussion import services
from forum.discussion.models import Comment
from forum.extensions import db

RULES = ("各位代表、各位邻居：现场会上没来得及说完的话，请在这里接着说。几点约定：\n\n"
         "- 每条留言尽量只谈一个具体问题；\n- 就事论事，不点名指责邻居；\n"
         "- 物业和业委会会逐条回应；\n- 本周五前收集意见，之后整理成方案提交全体居民表决。")

# (author's phone, text, index of the comment it replies to or None); in posting order.
COMMENTS = [
    ("13900000002", RULES, None),
    ("13900000303", ("先通报一下现状：小区现有划线车位 180 个，登记车辆 263 辆，夜里外来车辆平均每晚 20 辆左右。"
                     "中心路两侧都停车以后，消防通道只剩 2.8 米宽，达不到 4 米的要求。"), None),
    ("13900000211", "中心路改成单侧停车我支持。但少掉的那一侧车位怎么补？东门空地只能停 40 辆，缺口还是很大。", None),
    ("13900000302", "除了东门空地，业委会正在和青松路小学商量，晚上和周末能不能错时开放学校操场停车，早上 7 点前开走。", 2),
    ("13900000003", "学校原则上愿意支持，但车辆要登记备案，早上 7 点前必须全部驶离。具体还要请示校领导，下周给大家答复。", 2),
    ("13900000217", "外来车辆收费以后也不能随便放进来。小区本来就停不下，应该先保障本小区登记的车，外来车临停最多两个小时。",
     None),
    ("13900000210", "同意。还有家里有两辆车的，第二辆是不是应该收高一点？不然车位永远不够。", 5),
    ("13900000004", "我老伴每周要去医院做三次透析，希望每个单元门口能留一两个临时上下客的位置，别全部划成车位。", None),
    ("13900000002", "这个建议很好，记下了。无障碍临时停靠位会作为方案里单独的一条。", 7),
    ("13900000005", "消防通道划黄线我举双手赞成，上个月救护车进不来的事太吓人了。占道的车物业能不能直接拖走？", None),
    ("13900000303", "物业没有拖车的执法权，只能劝离、张贴告知。屡次占道的，我们会报给交警和派出所处理。", 9),
    ("13900000201", "东门空地改停车场要花多少钱？钱从哪里出？是用公共收益还是大家分摊，这个得先说清楚。", None),
    ("13900000302", ("初步估算划线、铺装加道闸大约 12 万元。业委会建议从小区公共收益里列支，不向业主另收，"
                     "但要经业主大会表决通过。"), 11),
    ("13900000301", ("社区党委会协调街道城管和交警，争取把小区外青松路北侧晚上划为临时停车泊位，分流一部分车辆。"
                     "有结果了第一时间在这里告诉大家。"), None),
    ("13900000001", ("汇总一下目前的意见：\n\n1. 中心路单侧划线停车，消防通道全程划黄线；\n"
                     "2. 东门空地改建临时停车区（约 12 万元，公共收益列支，须业主大会表决）；\n"
                     "3. 每个单元门口保留无障碍临时停靠位；\n4. 外来车辆限时、收费临停；\n"
                     "5. 协调学校错时停车和路边夜间泊位。\n\n大家看看还有没有遗漏的。"), None),
    ("13900000211", "第 4 条建议写具体一点：临停超过 2 小时按小时收费，超过 12 小时不再放行。", 14),
]


def seed_parking_thread(deliberation, users) -> None:
    """A lively discussion: residents, the property company, the owners' committee, the school, staff."""
    posted = []
    for phone, text, parent in COMMENTS:
        parent_id = posted[parent].id if parent is not None else None
        posted.append(services.post_comment(users[phone], deliberation, text, parent_id))
    services.set_pinned(users["13900000002"], posted[0], True)
    _spread(posted, start=deliberation.starts_at + timedelta(hours=2, minutes=15))


def _spread(comments: list[Comment], start) -> None:
    """Date the comments from the end of the meeting until an hour ago, in posting order."""
    step = (utcnow() - timedelta(hours=1) - start) / len(comments)
    for n, comment in enumerate(sorted(comments, key=lambda c: c.id)):
        comment.created_at = start + step * n
        if comment.pinned_at is not None:
            comment.pinned_at = comment.created_at + timedelta(minutes=5)
    db.session.commit()
