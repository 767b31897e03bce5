"""The moderation log: writing an entry with every moderation step, and reading it page by page."""
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.core.pagination import Page, paginate
from forum.extensions import db
from forum.moderation.models import ModerationAction, ModerationCase

LABELS = {
    "hold": _l("held for review"),
    "auto_hide": _l("hidden after reports"),
    "dismiss": _l("dismissed the reports"),
    "publish": _l("published a held post"),
    "hide": _l("hid"),
    "restore": _l("restored"),
    "lock": _l("locked the discussion"),
    "warn": _l("warned the author"),
    "suspend": _l("suspended"),
    "ban": _l("banned"),
    "lift": _l("lifted the suspension or ban"),
    "request_review": _l("asked for a review"),
    "settings": _l("changed the moderation settings"),
}


def record(actor, action: str, *, case: Optional[ModerationCase] = None, community_id=None, target_user_id=None,
           reason: str = "", detail: str = "") -> ModerationAction:
    """Add a log entry to the session; the caller's commit makes it permanent."""
    entry = ModerationAction(
        actor_id=getattr(actor, "id", None), action=action,
        community_id=case.community_id if case is not None else community_id,
        kind=case.kind if case is not None else None, item_id=case.item_id if case is not None else None,
        target_user_id=case.author_id if case is not None and target_user_id is None else target_user_id,
        reason=reason or "", detail=(detail or "")[:200])
    db.session.add(entry)
    return entry


def entries(community_ids: Optional[list[int]], page: Optional[int], everything: bool = False) -> Page:
    """Newest first: entries of `community_ids`, or with `everything` (admins) all of them, site-wide ones too."""
    statement = (select(ModerationAction)
                 .options(selectinload(ModerationAction.actor), selectinload(ModerationAction.target_user),
                          selectinload(ModerationAction.community))
                 .order_by(ModerationAction.id.desc()))
    if not everything:
        statement = statement.where(ModerationAction.community_id.in_(community_ids or []))
    return paginate(statement, page)


def of_case(case: ModerationCase) -> list[ModerationAction]:
    """What was done about the case's item, oldest first (for the case page)."""
    return list(db.session.scalars(
        select(ModerationAction).options(selectinload(ModerationAction.actor))
        .where(ModerationAction.kind == case.kind, ModerationAction.item_id == case.item_id)
        .order_by(ModerationAction.id)))
