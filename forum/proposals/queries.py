"""Reading the proposals list: filters and pages, served by the (community, status, created_at) index."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.core.categories import CATEGORIES
from forum.core.pagination import paginate
from forum.extensions import db
from forum.proposals.models import LISTED_STATUSES, Proposal, ProposalSupport
from forum.search.services import only_matching, words_of

# The list without a status filter: what neighbours can still act on or follow, then the outcomes.
DEFAULT_STATUSES = LISTED_STATUSES
FILTER_STATUSES = LISTED_STATUSES + ("withdrawn",)


@dataclass
class Filters:
    community: int | None = None
    category: str | None = None
    status: str | None = None
    q: str = ""  # search words: only proposals the search index matches

    @classmethod
    def from_args(cls, args) -> "Filters":
        category = args.get("category") if args.get("category") in CATEGORIES else None
        status = args.get("status") if args.get("status") in FILTER_STATUSES else None
        return cls(community=args.get("community", type=int) or None, category=category, status=status,
                   q=words_of(args))

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def list_statement(filters: Filters):
    statuses = (filters.status,) if filters.status else DEFAULT_STATUSES
    # Withdrawn drafts were never public: only proposals once submitted are listed.
    stmt = (select(Proposal).options(joinedload(Proposal.community))
            .where(Proposal.status.in_(statuses), Proposal.collecting_since.is_not(None),
                   Proposal.moderation_state.is_(None)))  # held or hidden: in no list
    if filters.community:
        stmt = stmt.where(Proposal.community_id == filters.community)
    if filters.category:
        stmt = stmt.where(Proposal.category == filters.category)
    stmt = only_matching(stmt, Proposal, "proposal", filters.q)
    return stmt.order_by(Proposal.created_at.desc(), Proposal.id.desc())


def list_page(filters: Filters, page: int | None):
    return paginate(list_statement(filters), page)


def authored_by(user) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(Proposal.author_id == user.id).order_by(Proposal.id.desc())))


def supported_by(user) -> list[Proposal]:
    return list(db.session.scalars(
        select(Proposal).join(ProposalSupport, ProposalSupport.proposal_id == Proposal.id)
        .where(ProposalSupport.user_id == user.id).order_by(ProposalSupport.id.desc())))
