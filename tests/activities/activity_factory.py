"""Activities made straight in the database, at any time around now (past ones too)."""
from datetime import timedelta

from forum.activities.models import ACTIVITY, Activity, Signup
from forum.core.models import utcnow
from forum.extensions import db


def add_activity(community, author, *, unit=None, starts_in=timedelta(days=3), hours=2, capacity=10,
                 people=(), title="楼道清洁志愿服务"):
    starts_at = utcnow().replace(microsecond=0) + starts_in
    activity = Activity(community=community, unit=unit, author_id=author.id, title=title, body="", body_html="",
                        place="青松社区广场", starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                        capacity=capacity, signup_count=len(people))
    db.session.add(activity)
    ACTIVITY.start(db.session, activity, author)
    for person in people:
        db.session.add(Signup(activity=activity, user_id=person.id))
    db.session.commit()
    return activity


def signed_up(activity) -> list[int]:
    from sqlalchemy import select

    return list(db.session.scalars(select(Signup.user_id).where(Signup.activity_id == activity.id)
                                   .order_by(Signup.id)))
