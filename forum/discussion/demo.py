"""A lively demo discussion on the need about the dark stairwell, made through the services."""
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import User
from forum.core.models import utcnow
from forum.discussion import services
from forum.discussion.models import Comment, CommentRevision
from forum.extensions import db
from forum.lists.models import Need


def seed_discussion() -> None:
    users = {u.phone: u for u in db.session.scalars(select(User))}
    staff, council, school = users["13900000001"], users["13900000002"], users["13900000003"]
    resident, unverified = users["13900000004"], users["13900000005"]
    lights = db.session.scalar(select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))
    if lights is None:
        return

    first = services.post_comment(unverified, lights, "我家住 3 号楼 2 单元四楼，确实一个多星期了。昨晚我用手机电筒照着才上的楼，"
                                  "楼梯拐角那里还堆着杂物，特别容易绊倒。")
    services.post_comment(council, lights, "物业上周说灯具要统一采购，我再去问问进度。"
                          "大家晚上上下楼先**互相照应一下**，家里有老人的尽量别让他们单独出门。", first.id)
    edited = services.post_comment(resident, lights, "谢谢大家附议！我问了一楼的张师傅，他说是楼道的总开关跳闸了，"
                                   "不一定是灯泡坏了。")
    services.edit_comment(resident, edited, "谢谢大家附议！我问了一楼的张师傅，他说可能是楼道的总开关跳闸了，"
                          "不一定是灯泡坏了。电表箱在一楼东侧，物业有钥匙。")
    services.post_comment(school, lights, services.quote_of(edited) +
                          "我们学校后勤的两位电工这周六上午可以过来看看线路和开关，需要物业配合开一下电表箱。")
    answer = services.post_comment(staff, lights, "各位邻居好，社区已经联系了物业和青松路小学后勤：\n\n"
                                   "- 本周六上午 9 点电工上门检修线路和总开关\n"
                                   "- 物业先在各楼层拐角加装临时感应灯\n"
                                   "- 拐角的杂物今天下午清走\n\n修好后我会在这里告诉大家。")
    services.set_pinned(staff, answer, True)
    services.post_comment(resident, lights, "太好了，周六上午我在家，可以帮忙开单元门。", answer.id)
    _spread_over_the_last_days(lights)


def _spread_over_the_last_days(need: Need) -> None:
    """Date the comments over the past two days, as a real discussion would be."""
    thread = services.thread_of(need)
    comments = db.session.scalars(select(Comment).where(Comment.thread_id == thread.id).order_by(Comment.id)).all()
    start = utcnow() - timedelta(days=2)
    for n, comment in enumerate(comments):
        comment.created_at = start + timedelta(hours=5 * n, minutes=7 * n)
        if comment.edited_at:
            comment.edited_at = comment.created_at + timedelta(minutes=6)
            for revision in db.session.scalars(select(CommentRevision).where(CommentRevision.comment_id == comment.id)):
                revision.written_at = comment.created_at
        if comment.pinned_at:
            comment.pinned_at = comment.created_at + timedelta(minutes=30)
    db.session.commit()
