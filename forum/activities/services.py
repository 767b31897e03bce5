"""Activity operations: create, sign up and cancel, workflow steps, attendance and hours.

Each function checks permission through forum.core.permissions and commits. A sign-up
takes the activity's row lock before it counts (SELECT ... FOR UPDATE on PostgreSQL;
SQLite takes its write lock at BEGIN), so the check and the insert are one step and
capacity holds under concurrent requests; a check constraint on the counter backs it.
"""
from datetime import timedelta
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.activities.models import ACTIVITY, MAX_HOURS, Activity, Signup
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.pagination import paginate
from forum.search.services import only_matching
from forum.core.i18n import N_
from forum.core.permissions import can, ensure
from forum.core.urls import path_for
from forum.extensions import db
from forum.places.models import Community, Unit

ALREADY = _l("You have already signed up for this activity.")
FULL = _l("Sorry, this activity is full.")
CLOSED = _l("Sign-up for this activity is closed.")


class ActivityError(ValueError):
    """A problem the user can fix or should know about, and the form field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


# --- reading ------------------------------------------------------------------------


def list_page(*, community_id: Optional[int], status: Optional[str], page: Optional[int], words: str = ""):
    """Current and coming activities first (soonest first), then past or cancelled ones (latest first);
    `words`: only those the search matches."""
    current = (Activity.ends_at >= utcnow()) & (Activity.status != "cancelled")
    stmt = select(Activity).options(joinedload(Activity.unit), joinedload(Activity.community))
    stmt = only_matching(stmt, Activity, "activity", words)
    if community_id:
        stmt = stmt.where(Activity.community_id == community_id)
    if status:
        stmt = stmt.where(Activity.status == status)
    stmt = stmt.order_by(case((current, 0), else_=1), case((current, Activity.starts_at)),
                         Activity.starts_at.desc(), Activity.id.desc())
    return paginate(stmt, page)


def signup_of(user, activity: Activity) -> Optional[Signup]:
    if not user.is_authenticated:
        return None
    return db.session.scalar(select(Signup).where(Signup.activity_id == activity.id, Signup.user_id == user.id))


def timeline(activity: Activity):
    return ACTIVITY.timeline(db.session, activity)


def available_steps(user, activity: Activity) -> list[str]:
    """The workflow steps `user` may take now; confirming goes through the attendance form."""
    return [action for action in ACTIVITY.actions_from(activity.status)
            if action != "confirm" and can(user, f"activity:{action}", activity)]


def attendance_due(activity: Activity) -> bool:
    """Attendance can be confirmed once the activity has begun, and only once."""
    return "confirm" in ACTIVITY.actions_from(activity.status) and activity.has_begun


def my_signups(user) -> list[Signup]:
    return list(db.session.scalars(
        select(Signup).join(Signup.activity).options(joinedload(Signup.activity))
        .where(Signup.user_id == user.id).order_by(Activity.starts_at.desc())
    ))


def hours_of_user(user) -> Decimal:
    """All volunteer hours confirmed for `user`, across every activity."""
    total = db.session.scalar(select(func.sum(Signup.hours)).where(Signup.user_id == user.id, Signup.attended))
    return total or Decimal(0)


def hours_of_activity(activity: Activity) -> tuple[int, Decimal]:
    """How many came, and their volunteer hours together."""
    people, total = db.session.execute(
        select(func.count(Signup.id), func.sum(Signup.hours))
        .where(Signup.activity_id == activity.id, Signup.attended)
    ).one()
    return people, total or Decimal(0)


def unit_summary(unit: Unit) -> dict:
    """The hours given through `unit`'s activities: in total, by how many people, in how many."""
    hours, people, activities = db.session.execute(
        select(func.sum(Signup.hours), func.count(distinct(Signup.user_id)), func.count(distinct(Activity.id)))
        .join(Signup.activity).where(Activity.unit_id == unit.id, Signup.attended)
    ).one()
    return {"hours": hours or Decimal(0), "people": people, "activities": activities}


def unit_activities(unit: Unit, page: Optional[int]):
    stmt = (select(Activity).options(joinedload(Activity.community)).where(Activity.unit_id == unit.id)
            .order_by(Activity.starts_at.desc(), Activity.id.desc()))
    return paginate(stmt, page)


def hours_by_activity(activities) -> dict[int, Decimal]:
    ids = [a.id for a in activities]
    if not ids:
        return {}
    rows = db.session.execute(select(Signup.activity_id, func.sum(Signup.hours))
                              .where(Signup.activity_id.in_(ids), Signup.attended)
                              .group_by(Signup.activity_id))
    return {activity_id: total for activity_id, total in rows}


# --- creating -----------------------------------------------------------------------


def creatable_communities(user) -> list[Community]:
    communities = db.session.scalars(select(Community).order_by(Community.id))
    return [c for c in communities if can(user, "create_activity", c)]


def choices_for_new(user) -> tuple[list[Community], list[Unit], bool]:
    """Where `user` may create activities, the units they may name, and whether they may
    organise in a community's own name."""
    communities = creatable_communities(user)
    in_own_name = any(can(user, "organise_community_activity", c) for c in communities)
    return communities, organising_units(user, communities), in_own_name


def organising_units(user, communities: list[Community]) -> list[Unit]:
    """Units `user` may name as organiser in one of `communities`: staff any unit serving it,
    a unit contact their own units."""
    return sorted({unit for community in communities for unit in community.units
                   if _may_name_unit(user, community, unit)}, key=lambda u: u.id)


def _may_name_unit(user, community: Community, unit: Unit) -> bool:
    if community not in unit.communities:
        return False
    return can(user, "organise_community_activity", community) or user in unit.contacts


def create_activity(author, community: Community, unit: Optional[Unit], fields: dict) -> Activity:
    """Publish an activity, open for sign-up at once; the first row of its timeline."""
    ensure(author, "create_activity", community)
    if unit is not None and not _may_name_unit(author, community, unit):
        raise ActivityError("unit", _l("This unit is not stationed in this community."))
    if unit is None and not can(author, "organise_community_activity", community):
        raise ActivityError("unit", _l("Please choose the unit that organises the activity."))
    _check_times(fields["starts_at"], fields["ends_at"])
    activity = Activity(community=community, unit=unit, author_id=author.id, signup_count=0,
                        title=fields["title"].strip(), body=fields.get("body") or "",
                        body_html=render_markdown(fields.get("body") or ""), place=fields["place"].strip(),
                        starts_at=fields["starts_at"], ends_at=fields["ends_at"], capacity=fields["capacity"])
    db.session.add(activity)
    ACTIVITY.start(db.session, activity, author)
    db.session.commit()
    return activity


def _check_times(starts_at, ends_at) -> None:
    if starts_at <= utcnow():
        raise ActivityError("starts_at", _l("The start must be in the future."))
    if ends_at <= starts_at:
        raise ActivityError("ends_at", _l("The end must be after the start."))
    if ends_at - starts_at > timedelta(hours=MAX_HOURS):
        raise ActivityError("ends_at", _l("An activity can last at most 24 hours."))


# --- signing up ---------------------------------------------------------------------


def _locked(activity: Activity) -> Activity:
    """The activity re-read under its row lock, so what is checked next stays true until commit."""
    return db.session.scalars(
        select(Activity).where(Activity.id == activity.id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def sign_up(user, activity: Activity) -> Signup:
    """报名: one seat for `user`, while the activity is open, not begun and not full."""
    ensure(user, "sign_up_for_activity", activity)
    activity = _locked(activity)
    if signup_of(user, activity) is not None:
        raise ActivityError("signup", ALREADY)
    if not activity.accepts_signups:
        raise ActivityError("signup", FULL if activity.badge == "full" else CLOSED)
    signup = Signup(activity_id=activity.id, user_id=user.id)
    db.session.add(signup)
    activity.signup_count = Activity.signup_count + 1
    try:
        db.session.commit()
    except IntegrityError:  # the unique sign-up or the capacity check said no
        db.session.rollback()
        raise ActivityError("signup", ALREADY if signup_of(user, activity) else FULL) from None
    return signup


def cancel_signup(user, activity: Activity) -> None:
    """取消报名: give the seat back, until the activity begins."""
    activity = _locked(activity)
    signup = signup_of(user, activity)
    if signup is None:
        raise ActivityError("signup", _l("You are not signed up for this activity."))
    if not activity.signups_cancellable:
        raise ActivityError("signup", _l("The activity has begun; the sign-up can no longer be cancelled."))
    db.session.delete(signup)
    activity.signup_count = Activity.signup_count - 1
    db.session.commit()


# --- organisers -----------------------------------------------------------------------


def take_step(user, activity: Activity, action: str, note: str = "") -> None:
    """Close or reopen the sign-up, or cancel the activity (with a reason for those signed up)."""
    note = (note or "").strip()
    transition = ACTIVITY.transition(activity.status, action)  # stale page: refused first
    if action == "confirm":
        raise ActivityError("note", _l("Attendance is confirmed with the attendance form."))
    ensure(user, f"activity:{action}", activity)
    if transition.needs_note and not note:
        raise ActivityError("note", _l("Please give a reason; everyone signed up will see it."))
    ACTIVITY.apply(db.session, activity, action, user, note=note)
    if action == "cancel":
        _tell_signed_up(user, activity, note)
    db.session.commit()


def _tell_signed_up(actor, activity: Activity, reason: str) -> None:
    from forum.notifications.services import notify

    notify([signup.user for signup in activity.signups],
           N_("The activity “%(title)s” is cancelled: %(reason)s"),
           path_for("activities.show", activity_id=activity.id), actor=actor,
           title=activity.title, reason=reason)


def confirm_attendance(user, activity: Activity, attended: dict[int, Optional[Decimal]]) -> None:
    """签到确认, which ends the activity: `attended` maps the sign-ups of those who came to
    their volunteer hours (None: the activity's length); everyone else did not come."""
    ensure(user, "confirm_attendance", activity)
    activity = _locked(activity)
    ACTIVITY.transition(activity.status, "confirm")
    if not activity.has_begun:
        raise ActivityError("attendees", _l("Attendance can be confirmed once the activity has begun."))
    hours = {sid: activity.duration_hours if h is None else h for sid, h in attended.items()}
    if any(not 0 <= h <= MAX_HOURS for h in hours.values()):
        raise ActivityError("attendees", _l("Volunteer hours must be between 0 and 24."))
    now = utcnow()
    for signup in activity.signups:
        signup.attended, signup.hours = signup.id in hours, hours.get(signup.id)
        signup.confirmed_at, signup.confirmed_by_id = now, user.id
    ACTIVITY.apply(db.session, activity, "confirm", user)
    db.session.commit()
