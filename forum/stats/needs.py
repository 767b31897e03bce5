"""Figures of needs (需求): counts by status and category, response and resolution times, resolution rate.

Needs are counted by when they were raised: those submitted in the period, in the scope's
communities, whatever their status now.

First response (首次响应): the earliest of
- the first status change made by a person other than the need's author (review, rejection,
  claim, merge, ...); the site's own steps and, for a need staff entered for a resident
  (代录入), their publishing it as they entered it do not count;
- the first comment on the need by the community's (or its street's) staff or by a contact of
  a unit serving the community.
Resolution (解决): the first time the need was marked resolved.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, func, or_, select

from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.lists.models import Need
from forum.stats.sql import earliest, first_change_at, median, seconds_between, within

RESOLVED = ("resolved", "closed")
# Taken on: published and not rejected, withdrawn or merged into another need.
TAKEN_ON = ("published", "claimed", "in_progress", "resolved", "closed")


def _first_change(*conditions):
    return first_change_at(Need, "need", *conditions)


def first_step_at():
    """When someone other than the author first moved the need on (see the module's note)."""
    return _first_change(
        StatusChange.action != "create", StatusChange.actor_id.is_not(None),
        StatusChange.actor_id != func.coalesce(Need.author_id, 0),
        ~((StatusChange.action == "publish") & (StatusChange.actor_id == func.coalesce(Need.entered_by_id, 0))))


def _answers_for_community(user_id):
    """`user_id` is staff of the need's community (or its street) or a contact of a unit serving it."""
    from forum.accounts.models import RoleGrant
    from forum.places.models import Community, unit_communities, unit_contacts

    street_of_need = select(Community.street_id).where(Community.id == Need.community_id).scalar_subquery()
    staff = exists().where(RoleGrant.user_id == user_id, RoleGrant.role == "staff",
                           or_(RoleGrant.community_id == Need.community_id, RoleGrant.street_id == street_of_need))
    unit = exists().where(unit_contacts.c.user_id == user_id, unit_communities.c.unit_id == unit_contacts.c.unit_id,
                          unit_communities.c.community_id == Need.community_id)
    return or_(staff, unit)


def first_comment_at():
    """When the community's staff or a unit serving it first commented on the need."""
    from forum.discussion.models import Comment, Thread

    return (select(func.min(Comment.created_at)).join(Thread, Thread.id == Comment.thread_id)
            .where(Thread.subject_type == "need", Thread.subject_id == Need.id,
                   _answers_for_community(Comment.author_id))
            .correlate(Need).scalar_subquery())


def first_response_at():
    return earliest(first_step_at(), first_comment_at())


def resolved_at():
    return _first_change(StatusChange.to_state == "resolved")


def in_scope(scope, bounds):
    """Conditions on Need: raised in the scope's communities within the period."""
    return (Need.community_id.in_(scope.community_ids), *within(Need.created_at, bounds))


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class NeedFigures:
    total: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    median_response_seconds: float | None
    responded: int  # needs with a first response
    median_resolution_seconds: float | None
    resolved: int  # needs resolved or closed now
    taken_on: int
    resolution_rate: Decimal | None  # percent of the needs taken on


def _counts(column, conditions) -> dict[str, int]:
    rows = db.session.execute(select(column, func.count()).where(*conditions).group_by(column)
                              .order_by(func.count().desc(), column))
    return dict(rows.all())


def need_figures(scope, bounds) -> NeedFigures:
    conditions = in_scope(scope, bounds)
    by_status = _counts(Need.status, conditions)
    response, responded = median(select(seconds_between(first_response_at(), Need.created_at)).where(*conditions))
    resolution, _ = median(select(seconds_between(resolved_at(), Need.created_at)).where(*conditions))
    resolved = sum(by_status.get(status, 0) for status in RESOLVED)
    taken_on = sum(by_status.get(status, 0) for status in TAKEN_ON)
    return NeedFigures(
        total=sum(by_status.values()), by_status=by_status, by_category=_counts(Need.category, conditions),
        median_response_seconds=response, responded=responded, median_resolution_seconds=resolution,
        resolved=resolved, taken_on=taken_on, resolution_rate=percent(resolved, taken_on))
