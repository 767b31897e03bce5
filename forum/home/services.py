"""Which community a page is about, for the person looking at it."""
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.places.models import Community


def all_communities() -> list[Community]:
    return list(db.session.scalars(select(Community).order_by(Community.id)))


def requested_community(args) -> Optional[Community]:
    """The community a list is filtered to by `?community=`: None when none is asked, 404 when unknown."""
    community_id = args.get("community", type=int)
    return db.get_or_404(Community, community_id) if community_id else None


def home_community(user, requested_id: Optional[int] = None) -> Optional[Community]:
    """The requested community, else the user's own, else the one their unit serves."""
    if requested_id:
        return db.session.get(Community, requested_id)
    if user.is_authenticated:
        if user.memberships:
            return user.memberships[0].community
        for unit in user.units:
            if unit.communities:
                return unit.communities[0]
    return None


def latest_needs(community: Community, limit: int = 5):
    """The community's newest open needs, for its home page."""
    from forum.lists.need_queries import Filters, card_loads, list_statement

    return list(db.session.scalars(list_statement(Filters(community=community.id)).options(*card_loads()).limit(limit)))


def latest_proposals(community: Community, limit: int = 5):
    """The community's newest proposals that are public, for its home page."""
    from forum.proposals.queries import Filters, list_statement

    return list(db.session.scalars(list_statement(Filters(community=community.id)).limit(limit)))


def coming_deliberations(community: Community, limit: int = 3):
    """The community's scheduled and running deliberations, soonest first."""
    from forum.deliberations.models import ACTIVE_STATUSES, Deliberation

    return list(db.session.scalars(
        select(Deliberation).options(selectinload(Deliberation.proposals))  # counted on the card
        .where(Deliberation.community_id == community.id, Deliberation.status.in_(ACTIVE_STATUSES))
        .order_by(Deliberation.starts_at).limit(limit)))


def open_polls(community: Community, limit: int = 3):
    """The community's polls that take votes now, closing soonest first."""
    from forum.core.models import utcnow
    from forum.voting.models import Poll

    now = utcnow()
    return list(db.session.scalars(
        select(Poll).where(Poll.community_id == community.id, Poll.status == "open", Poll.opens_at <= now,
                           Poll.closes_at > now).order_by(Poll.closes_at).limit(limit)))


def needs_waiting_review(user, community) -> int:
    """How many needs of the community wait for staff review (0 for those who cannot review)."""
    from sqlalchemy import func

    from forum.core.permissions import can
    from forum.lists.models import Need

    if community is None or not can(user, "enter_need_for_resident", community):
        return 0
    return db.session.scalar(select(func.count(Need.id)).where(
        Need.community_id == community.id, Need.status == "submitted"))
