"""Who may vote in a poll, and how large (and, for 双过半, how much floor area) its electorate is.

- council: the deliberation's participants (its seats);
- residents: the verified residents of the community, or of the listed compounds;
- households: one ballot per verified household (一户一票), the household being the
  verified address (compound, building, room) of a membership.
"""
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from forum.extensions import db

ZERO = Decimal(0)


@dataclass(frozen=True)
class Household:
    # A digest of the compound id, building and room (spaces and case ignored): voter records
    # tell households apart without keeping anyone's address.
    key: str
    label: str  # 青松苑 3号楼 201
    floor_area: Decimal | None


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").lower()


def household_of(membership) -> Household | None:
    """The verified household of a membership; None without a verified address."""
    if membership is None or membership.household is None or not (membership.building or membership.room):
        return None
    address = f"{membership.compound_id}|{_norm(membership.building)}|{_norm(membership.room)}"
    return Household(hashlib.sha256(address.encode()).hexdigest(), membership.household, membership.floor_area)


def _verified(poll):
    """The verified memberships of the poll's community (or listed compounds), as a statement."""
    from forum.accounts.models import Membership

    stmt = select(Membership).where(Membership.community_id == poll.community_id,
                                    Membership.verified_at.is_not(None))
    if poll.compounds:
        stmt = stmt.where(Membership.compound_id.in_([c.id for c in poll.compounds]))
    return stmt


def _membership(poll, user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    membership = user.membership_in(poll.community_id)
    if membership is None or not membership.is_verified:
        return None
    if poll.compounds and membership.compound_id not in {c.id for c in poll.compounds}:
        return None
    return membership


def is_elector(poll, user) -> bool:
    """May `user` vote in `poll` (leaving aside the window and whether they already did)?"""
    if poll.electorate == "council":
        return poll.deliberation is not None and poll.deliberation.participant_for(user) is not None
    membership = _membership(poll, user)
    if poll.electorate == "households":
        return household_of(membership) is not None
    return membership is not None


def household_for(poll, user) -> Household | None:
    """The household a voter votes for, in a 一户一票 poll."""
    return household_of(_membership(poll, user)) if poll.electorate == "households" else None


def size(poll) -> tuple[int, Decimal]:
    """How many people (or households) may vote, and the floor area of the households."""
    if poll.electorate == "council":
        return (len(poll.deliberation.participants) if poll.deliberation else 0), ZERO
    if poll.electorate == "residents":
        return db.session.scalar(select(func.count()).select_from(_verified(poll).subquery())), ZERO
    memberships = list(db.session.scalars(_verified(poll)))
    areas: dict[str, Decimal] = {}
    for membership in memberships:
        household = household_of(membership)
        if household is not None:
            # Members of one household share its area; take the largest recorded.
            areas[household.key] = max(areas.get(household.key, ZERO), household.floor_area or ZERO)
    return len(areas), sum(areas.values(), ZERO)
