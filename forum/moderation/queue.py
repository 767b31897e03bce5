"""Reading the moderators' queue: the cases of the communities a user moderates, most reported and oldest first."""
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from forum.core.pagination import Page, paginate
from forum.core.permissions import can
from forum.home.services import all_communities
from forum.moderation import kinds
from forum.moderation.models import HELD, HIDDEN, ModerationCase, Report
from forum.moderation.words.matcher import highlight

STATES = {
    "open": _l("Waiting"),
    "held": _l("Held for review"),
    "hidden": _l("Hidden"),
    "closed": _l("Decided"),
}
TEXT_LENGTH = 2000


@dataclass
class Filters:
    community: Optional[int] = None
    state: str = "open"

    @classmethod
    def from_args(cls, args) -> "Filters":
        state = args.get("state") if args.get("state") in STATES else "open"
        return cls(community=args.get("community", type=int) or None, state=state)

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def moderated_communities(user) -> list:
    return [community for community in all_communities() if can(user, "moderate_community", community)]


def _in_state(state: str):
    """Open cases whose item is `state` (held, hidden), one subquery per kind that has the column."""
    return or_(*(and_(ModerationCase.kind == name,
                      ModerationCase.item_id.in_(select(entry.model.id).where(entry.model.moderation_state == state)))
                 for name, entry in kinds.KINDS.items() if entry.hideable))


def queue_statement(user, filters: Filters):
    """None when the user moderates nothing that the filters ask for."""
    statement = select(ModerationCase).options(selectinload(ModerationCase.reports).selectinload(Report.reporter),
                                               selectinload(ModerationCase.community),
                                               selectinload(ModerationCase.author))
    if not user.is_admin:
        ids = [c.id for c in moderated_communities(user)]
        if filters.community:
            ids = [i for i in ids if i == filters.community]
        if not ids:
            return None
        statement = statement.where(ModerationCase.community_id.in_(ids))
    elif filters.community:
        statement = statement.where(ModerationCase.community_id == filters.community)
    if filters.state == "closed":
        return statement.where(ModerationCase.status == "closed").order_by(ModerationCase.closed_at.desc())
    statement = statement.where(ModerationCase.status == "open")
    if filters.state in (HELD, HIDDEN):
        statement = statement.where(_in_state(filters.state))
    return statement.order_by(ModerationCase.report_count.desc(), ModerationCase.opened_at, ModerationCase.id)


@dataclass
class QueueEntry:
    """A case as the queue shows it: the item (None if gone), its title, text and page."""

    case: ModerationCase
    item: Any
    kind_label: Any
    title: str
    text: Markup
    url: Optional[str]
    state: Optional[str]
    reasons: list[tuple[str, int]] = field(default_factory=list)  # of the reports waiting, most given first


def entry_for(case: ModerationCase) -> QueueEntry:
    item = case.item
    entry = kinds.KINDS[case.kind]
    reasons = Counter(r.reason for r in case.reports if r.decided_at is None).most_common()
    if item is None:
        return QueueEntry(case, None, entry.label, str(_l("(no longer exists)")), Markup(""), None, None, reasons)
    text = getattr(item, "body", "") or entry.excerpt(item)
    return QueueEntry(case, item, entry.label, entry.title(item), highlight(text[:TEXT_LENGTH], case.matched_words),
                      entry.url(item), getattr(item, "moderation_state", None), reasons)


def queue_page(user, filters: Filters, page: Optional[int]) -> Page:
    statement = queue_statement(user, filters)
    if statement is None:
        return Page([], 1, 20, 0)
    found = paginate(statement, page)
    found.items = [entry_for(case) for case in found.items]
    return found
