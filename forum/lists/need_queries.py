"""Reading the needs list: filters, sorting and pages that stay fast at 100k rows.

Each filter combination is served by one of the indexes declared on Need
(community, status, created_at / support_count / urgency).
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.core import audit
from forum.core.categories import CATEGORIES
from forum.core.pagination import paginate
from forum.core.permissions import ensure
from forum.extensions import db
from forum.lists.models import Need, NeedSupport
from forum.lists.needs import DEFAULT_LIST_STATUSES, PUBLIC_STATUSES
from forum.search.services import only_matching, words_of

SORTS = {
    "newest": (Need.created_at.desc(), Need.id.desc()),
    "supported": (Need.support_count.desc(), Need.created_at.desc()),
    "urgent": (Need.urgency.desc(), Need.created_at.desc()),
}
LISTABLE_STATUSES = tuple(s for s in PUBLIC_STATUSES if s != "merged")


@dataclass
class Filters:
    community: int | None = None
    category: str | None = None
    status: str | None = None
    sort: str = "newest"
    q: str = ""  # search words: only needs the search index matches

    @classmethod
    def from_args(cls, args, reviewer: bool = False) -> "Filters":
        """`reviewer`: staff of the filtered community, who may also list needs under review."""
        category = args.get("category") if args.get("category") in CATEGORIES else None
        allowed = LISTABLE_STATUSES + (("submitted",) if reviewer else ())
        status = args.get("status") if args.get("status") in allowed else None
        sort = args.get("sort") if args.get("sort") in SORTS else "newest"
        return cls(community=args.get("community", type=int) or None, category=category, status=status, sort=sort,
                   q=words_of(args))

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v and not (k == "sort" and v == "newest")}


def list_statement(filters: Filters):
    statuses = (filters.status,) if filters.status else DEFAULT_LIST_STATUSES
    # Held or hidden needs (moderation) are in no list; their authors find them on their own page.
    stmt = select(Need).where(Need.status.in_(statuses), Need.moderation_state.is_(None))
    stmt = only_matching(stmt, Need, "need", filters.q)
    if filters.community:
        stmt = stmt.where(Need.community_id == filters.community)
    if filters.category:
        stmt = stmt.where(Need.category == filters.category)
    return stmt.order_by(*SORTS[filters.sort])


def card_loads() -> tuple:
    """What a need's card shows besides the need, loaded for the whole list at once."""
    return (selectinload(Need.compound),)


def list_page(filters: Filters, page: int | None):
    return paginate(list_statement(filters).options(*card_loads()), page)


def authored_by(user) -> list[Need]:
    return list(db.session.scalars(select(Need).where(Need.author_id == user.id).order_by(Need.id.desc())))


def supported_by(user) -> list[Need]:
    return list(db.session.scalars(
        select(Need).join(NeedSupport, NeedSupport.need_id == Need.id)
        .where(NeedSupport.user_id == user.id).order_by(NeedSupport.id.desc())))


def set_publish_verified(actor, community, on: bool) -> None:
    ensure(actor, "manage_need_settings", community)
    community.publish_verified_needs = on
    audit.record(db.session, actor, "community.publish_verified_needs", community,
                 community_id=community.id, detail="on" if on else "off")
    db.session.commit()
