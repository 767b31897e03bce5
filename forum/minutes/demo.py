"""Demo minutes: the concluded deliberation of 青松社区 gets minutes drafted by its moderator,
commented on by the attendees, revised, approved by community staff and published; then a
correction (a misspelt name) goes through the same steps and is published too.

Every step goes through the services, told as of the day it happened (services.as_of), so
the dates read in order: meeting, draft, comments, the household vote, revision, approval,
publication, correction.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.core.models import utcnow
from forum.extensions import db
from forum.minutes import services
from forum.minutes.models import MinutesVersion
from forum.notifications.models import Notification
from forum.places.models import Community

SHANGHAI = ZoneInfo("Asia/Shanghai")

SUMMARY = (
    "本次居民议事会由居委会王秀兰、居民代表李国华共同主持，应到 7 人，实到 5 人，青松物业马志强、"
    "青松路小学赵晓梅请假。会议围绕居民反映集中的三件事进行协商：垃圾分类投放点搬迁、广场舞音量和时段、"
    "楼道堆物清理。\n\n《楼道堆物清理公约》获一致通过；广场舞时段未能达成一致，先试行两周再议；"
    "垃圾分类投放点搬迁涉及改变共有部分用途，交由青松苑业主按“双过半”规则表决。")
# agenda title → (discussion, decision)
NOTES = {
    "主持人说明议事规则": (
        ("王秀兰说明本次议事规则：每人每次发言不超过 3 分钟，围绕议题发言，对事不对人；"
         "分歧较大的事项不强行表决，会后继续协商。"),
        "与会代表同意按上述规则议事。"),
    "垃圾分类投放点搬迁": (
        ("刘桂芳反映，现投放点紧挨 2 号楼单元门，夏天异味大、招蚊蝇，老人孩子进出都要绕着走。"
         "周敏介绍了业委会初步选定的北侧围墙边位置，离最近的住宅楼约 30 米，清运车可以直接开到。"
         "有代表担心老人扔垃圾要多走路，建议在原址保留一个可回收物临时投放桶。"),
        ("同意搬迁的方向。因涉及改变共有部分用途，交由青松苑业主一户一票、按“双过半”规则表决，"
         "表决结果附在本纪要后。原址是否保留可回收物投放桶，请物业提出方案后再议。")),
    "广场舞音量和时段约定": (
        ("舞队希望晚上活动到 21:30，临街的 1 号楼、2 号楼住户希望 20:00 前结束，双方分歧较大。"
         "张建军建议先试行、再评估，不急于定死。"),
        ("本次未形成一致意见。先试行两周：每晚 20:30 前结束，音量不超过 60 分贝；"
         "由社区收集双方意见后，提交下次议事会再议。")),
    "楼道堆物清理公约": (
        ("李国华介绍了公约草案：楼道和消防通道内不得堆放杂物、停放电动车，每月第一个周六为楼道清理日。"
         "与会代表逐条讨论，补充了一条：腿脚不便的老人家中清出的杂物，由志愿者协助搬运。"),
        "与会代表一致同意《楼道堆物清理公约》，自下月起执行。"),
    "会议总结": (
        "王秀兰总结了三项议题的结论，请各位代表会后向本楼栋的邻居传达。",
        "会议纪要经出席人员确认、审核后，在社区公示栏和议事厅同时公布。"),
}
# What the comments changed when the moderator revised the draft: agenda title → (before, after).
REVISED_NOTES = {
    "垃圾分类投放点搬迁": ("紧挨 2 号楼单元门", "紧挨 2 号楼 1 单元门口"),
    "楼道堆物清理公约": ("杂物，由志愿者协助搬运", "杂物，经老人本人同意后，由志愿者协助搬运"),
}
DISSENT = ("关于广场舞时段，1 号楼住户代表认为 20:30 结束仍然偏晚，保留意见，希望试行期满后按实际情况调整。\n\n"
           "关于投放点搬迁，刘桂芳转达了 2 号楼部分老人的担心：新投放点离楼较远，雨雪天不方便。")
# task, owner, days after the meeting it is due
ACTIONS = [
    ("在各楼栋张贴《楼道堆物清理公约》", "周敏（业委会）", 7),
    ("提出原址保留可回收物投放桶的方案", "马志刚（青松物业）", 14),
    ("组织青松苑业主就投放点搬迁进行“双过半”表决", "王秀兰（居委会）", 20),
    ("收集广场舞试行期间双方的意见，提交下次议事会", "李国华（居民代表）", 21),
]
MISSPELT, RIGHT = "马志刚（青松物业）", "马志强（青松物业）"
CORRECTION = "待办事项第 2 项的负责人姓名写错了：青松物业项目经理是马志强，不是“马志刚”。"
COMMENTS = [
    ("13900000302", 1, "第 4 项补充的那一条，会上说的是“**经老人本人同意后**”再由志愿者协助搬运，建议写完整。"),
    ("13900000004", 2, "垃圾投放点那一段，我反映的是 2 号楼 **1 单元**门口，麻烦写清楚，免得 2 单元的邻居误会。"),
]


def seed_minutes() -> None:
    from forum.deliberations.models import Deliberation

    qingsong = db.session.scalar(select(Community).where(Community.name == "青松社区"))
    deliberation = qingsong and db.session.scalar(select(Deliberation).where(
        Deliberation.community_id == qingsong.id, Deliberation.status == "concluded").order_by(Deliberation.id))
    if deliberation is None or services.versions_of(deliberation):
        return
    users = {u.phone: u for u in db.session.scalars(select(User))}
    moderator, approver = users["13900000002"], users["13900000001"]  # 李国华 writes, 王秀兰 approves
    met = deliberation.starts_at
    first = _first_version(deliberation, moderator, approver, users, met)
    if first is not None:
        _correction(first, moderator, approver, met)


def _text(deliberation, met: datetime, revised: bool, owner_fix: bool = False) -> dict:
    agenda = []
    for item in deliberation.agenda:
        discussion, decision = NOTES.get(item.title, ("", ""))
        if revised and item.title in REVISED_NOTES:
            discussion = discussion.replace(*REVISED_NOTES[item.title])
        agenda.append({"discussion": discussion, "decision": decision})
    day = met.astimezone(SHANGHAI).date()
    actions = [{"task": task, "owner": RIGHT if owner_fix and owner == MISSPELT else owner,
                "due": day + timedelta(days=days)} for task, owner, days in ACTIONS]
    return {"summary": SUMMARY, "agenda": agenda, "dissent": DISSENT, "action_items": actions, "recorder": "李国华"}


def _days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def _first_version(deliberation, moderator, approver, users, met):
    """Drafted the day after the meeting, commented on, revised once the household vote was in."""
    mark = _last_notification_id()
    with services.as_of(met + timedelta(hours=20)):
        version = services.draft_minutes(moderator, deliberation, _text(deliberation, met, revised=False))
        services.take_step(moderator, version, "open_comments")
    mark = _date_notifications(mark, met + timedelta(hours=20))
    for phone, day, body in COMMENTS:
        if phone in users and deliberation.participant_for(users[phone]) is not None:
            with services.as_of(met + timedelta(days=day, hours=2)):
                services.add_comment(users[phone], version, body)
    revised_at = max(_days_ago(7), version.comments_open_until + timedelta(hours=1))
    with services.as_of(revised_at):
        services.save_text(moderator, version, _text(deliberation, met, revised=True))
    mark = _date_notifications(mark, revised_at)
    with services.as_of(revised_at + timedelta(hours=18)):
        services.take_step(approver, version, "approve")
    with services.as_of(revised_at + timedelta(hours=20)):
        services.take_step(moderator, version, "publish")
    _date_notifications(mark, version.published_at)
    return version


def _correction(first: MinutesVersion, moderator, approver, met) -> None:
    """A day later 马志强's misspelt name is noticed and corrected in version 2."""
    mark = _last_notification_id()
    fixed = _text(first.deliberation, met, revised=True, owner_fix=True)
    with services.as_of(first.published_at + timedelta(days=1)):
        version = services.start_correction(moderator, first, CORRECTION)
        services.save_text(moderator, version, fixed)
        services.take_step(moderator, version, "open_comments")
    mark = _date_notifications(mark, version.created_at)
    revised_at = version.comments_open_until + timedelta(hours=2)
    with services.as_of(revised_at):
        services.save_text(moderator, version, fixed)
    mark = _date_notifications(mark, revised_at)
    with services.as_of(revised_at + timedelta(hours=18)):
        services.take_step(approver, version, "approve")
    with services.as_of(revised_at + timedelta(hours=19)):
        services.take_step(moderator, version, "publish")
    _date_notifications(mark, version.published_at, read=False)  # news to everyone concerned


def _last_notification_id() -> int:
    return db.session.scalar(select(func.max(Notification.id))) or 0


def _date_notifications(after_id: int, when: datetime, read: bool = True) -> int:
    """Notifications added since `after_id` were sent `when` (and, with `read`, read soon after);
    returns the newest id."""
    for notification in db.session.scalars(select(Notification).where(Notification.id > after_id)):
        notification.created_at = when
        notification.read_at = when + timedelta(hours=3) if read else None
    db.session.commit()
    return _last_notification_id()

