"""Reporting (举报), holding posts for review (先审后发), hiding after reports, and the author's review request.

Every item that is reported or held has one ModerationCase, open while it waits in the
moderators' queue. `hold()` is called by the content services as they save a post;
it only flushes, the caller commits.
"""
from typing import Iterable, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from forum.core.i18n import N_
from forum.core.models import utcnow
from forum.core.permissions import can, ensure
from forum.extensions import db
from forum.moderation import kinds, log
from forum.moderation.models import HELD, HIDDEN, ModerationCase, Report

NOTE_LENGTH = 1000
REASONS = {
    "spam": _l("Spam or advertising"),
    "abuse": _l("Abuse or personal attack"),
    "personal_information": _l("Reveals personal information"),
    "false_information": _l("False information"),
    "other": _l("Other"),
}
CAUSES = {
    "reports": _l("Reported"),
    "sensitive_words": _l("Sensitive words"),
    "new_user": _l("New user: posts are reviewed first"),
    "review": _l("The author asked for a review"),
}
HOLD_REASONS = ("sensitive_words", "new_user")


class ModerationError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def case_of(item) -> Optional[ModerationCase]:
    return db.session.scalar(select(ModerationCase).where(ModerationCase.kind == kinds.kind_of(item),
                                                          ModerationCase.item_id == item.id))


def _case_for(item, author_id=None) -> ModerationCase:
    """The item's case, made (and added to the session) if it has none."""
    case = case_of(item)
    if case is None:
        entry = kinds.entry_of(item)
        community = entry.community(item)
        case = ModerationCase(kind=entry.name, item_id=item.id, community_id=getattr(community, "id", None),
                              author_id=entry.author_id(item) or author_id, status="closed", report_count=0,
                              matched_words=[])
        db.session.add(case)
    return case


def open_case(case: ModerationCase, cause: str) -> None:
    """Put the case (back) in the queue; a case already there keeps its age."""
    if not case.is_open:
        case.status, case.opened_at, case.closed_at = "open", utcnow(), None
        case.cause = cause
    elif cause != "reports":
        case.cause = cause


def hold(item, *, reason: str, words: Iterable[str] = (), actor=None) -> None:
    """Keep a post being created or edited from everyone but its author until a moderator publishes it.

    `item`: a Need, Resource, Proposal or Comment (saved or not); `reason`: "sensitive_words" or
    "new_user"; `words`: the matched words as they appear in its text (the queue highlights them);
    `actor`: who is saving it (recorded as the case's author when the item names none, e.g. 代录入).
    An item already hidden by a moderator stays hidden. Flushes; the caller commits.
    """
    if reason not in HOLD_REASONS:
        raise ValueError(f"unknown hold reason {reason!r}")
    entry = kinds.entry_of(item)
    if not entry.hideable:
        raise ValueError(f"a {entry.name} cannot be held")
    if item.id is None:
        db.session.add(item)
        db.session.flush()
    case = _case_for(item, author_id=getattr(actor, "id", None))
    words = [word for word in dict.fromkeys(words) if word]
    earlier = list(case.matched_words or []) if case.is_open else []
    case.matched_words = list(dict.fromkeys(earlier + words))
    if item.moderation_state != HIDDEN:
        item.moderation_state = HELD
    open_case(case, reason)
    log.record(None, "hold", case=case, reason=reason, detail="、".join(words))
    db.session.flush()


def already_reported(user, item) -> bool:
    if user is None or not user.is_authenticated or item.id is None:
        return False
    return db.session.scalar(select(Report.id).join(ModerationCase).where(
        ModerationCase.kind == kinds.kind_of(item), ModerationCase.item_id == item.id,
        Report.reporter_id == user.id)) is not None


def report(reporter, item, reason: str, note: str = "") -> Report:
    """举报: one report per user and item; enough reports from different users hide the item."""
    ensure(reporter, "report_content", item)
    if reason not in REASONS:
        raise ModerationError(_l("Please choose a reason."))
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ModerationError(_l("At most %(num)d characters.", num=NOTE_LENGTH))
    if already_reported(reporter, item):
        raise ModerationError(_l("You have already reported this. Thank you, the moderators will look at it."))
    case = _case_for(item)
    filed = Report(case=case, reporter_id=reporter.id, reason=reason, note=note)
    db.session.add(filed)
    open_case(case, "reports")
    case.report_count = (case.report_count or 0) + 1
    try:
        db.session.flush()
    except IntegrityError:  # the same user, twice at once
        db.session.rollback()
        raise ModerationError(_l("You have already reported this. Thank you, the moderators will look at it.")) \
            from None
    _hide_if_reported_enough(item, case)
    db.session.commit()
    return filed


def _hide_if_reported_enough(item, case: ModerationCase) -> None:
    entry = kinds.entry_of(item)
    community = entry.community(item)
    threshold = community.report_hide_threshold if community is not None else None
    if not entry.hideable or threshold is None or item.moderation_state is not None:
        return
    if case.report_count >= threshold:
        item.moderation_state, case.hide_reason = HIDDEN, None
        log.record(None, "auto_hide", case=case, detail=str(case.report_count))
        notify_author(case, N_("Your post “%(title)s” was hidden after several reports, until a moderator "
                               "reviews it"))


def notify_author(case: ModerationCase, message: str, actor=None, **params) -> None:
    from forum.accounts.models import User
    from forum.notifications.services import notify

    author = db.session.get(User, case.author_id) if case.author_id else None
    item = kinds.load(case.kind, case.item_id)
    if author is None or item is None:
        return
    entry = kinds.KINDS[case.kind]
    notify([author], message, entry.url(item), actor=actor, title=entry.title(item), **params)


def request_review(author, item) -> None:
    """申请复核: the author of hidden content asks, once, for a moderator to look again."""
    case = case_of(item)
    if case is None:
        raise Forbidden()
    ensure(author, "request_review", case)
    case.review_requested_at = utcnow()
    open_case(case, "review")
    log.record(author, "request_review", case=case)
    db.session.commit()


def notice_for(viewer, item) -> Optional[dict]:
    """What the banner on a held or hidden item's page tells the viewer (None: nothing to tell)."""
    state = getattr(item, "moderation_state", None)
    if state is None:
        return None
    case = case_of(item)
    return {
        "state": state,
        "reason": case.hide_reason if case is not None else None,
        "may_request_review": case is not None and can(viewer, "request_review", case),
        "review_requested": case is not None and case.review_requested_at is not None,
        "kind": kinds.kind_of(item),
        "item_id": item.id,
        "case_id": case.id if case is not None and can(viewer, "moderate_case", case) else None,
        "is_author": kinds.entry_of(item).author_id(item) == getattr(viewer, "id", None),
    }


def change_settings(user, community, report_hide_threshold: int) -> None:
    ensure(user, "manage_moderation_settings", community)
    community.report_hide_threshold = report_hide_threshold
    log.record(user, "settings", community_id=community.id, detail=f"report_hide_threshold={report_hide_threshold}")
    db.session.commit()


def sanction_reason(user) -> str:
    """Why the user was last suspended or banned (shown to them with the sanction)."""
    from forum.moderation.models import ModerationAction

    return db.session.scalar(select(ModerationAction.reason).where(
        ModerationAction.target_user_id == user.id, ModerationAction.action.in_(("suspend", "ban")))
        .order_by(ModerationAction.id.desc()).limit(1)) or ""
