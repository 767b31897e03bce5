"""What moderators do with a case: dismiss, hide, restore, lock the thread, warn, suspend, ban; in bulk too.

Each step is checked with `ensure`, written to the moderation log and, where it touches the
author, told to them in a notification, all in one commit.
"""
from datetime import timedelta
from typing import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from forum.core.i18n import N_
from forum.core.models import utcnow
from forum.core.permissions import can, ensure
from forum.extensions import db
from forum.moderation import log
from forum.moderation.models import HELD, HIDDEN, ModerationCase, Report
from forum.moderation.services import ModerationError, notify_author

REASON_LENGTH = 500
MAX_SUSPENSION_DAYS = 365
BULK_ACTIONS = ("dismiss", "hide")


def _reason(text: str, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ModerationError(_l("Please give a reason: the author will see it."))
    if len(text) > REASON_LENGTH:
        raise ModerationError(_l("At most %(num)d characters.", num=REASON_LENGTH))
    return text


def _close(case: ModerationCase) -> None:
    """The reports so far are decided; new ones open the case again."""
    db.session.execute(update(Report).where(Report.case_id == case.id, Report.decided_at.is_(None))
                       .values(decided_at=utcnow()).execution_options(synchronize_session=False))
    case.status, case.closed_at, case.report_count = "closed", utcnow(), 0


def _show(moderator, case: ModerationCase, action: str, reason: str = "") -> None:
    """Dismiss the reports or restore hidden content: the item is shown again."""
    item = case.item
    before = getattr(item, "moderation_state", None)
    if before is not None:
        item.moderation_state = None
    _close(case)
    case.hide_reason = None
    if action == "dismiss" and before == HELD:
        action = "publish"
    log.record(moderator, action, case=case, reason=reason)
    if before == HIDDEN:
        notify_author(case, N_("Your post “%(title)s” is shown again"), actor=moderator)
    elif before == HELD:
        notify_author(case, N_("Your post “%(title)s” was reviewed and published"), actor=moderator)


def dismiss(moderator, case: ModerationCase, reason: str = "", commit: bool = True) -> None:
    """The reports are unfounded (a held post is published)."""
    ensure(moderator, "moderate_case", case)
    _show(moderator, case, "dismiss", _reason(reason))
    if commit:
        db.session.commit()


def restore(moderator, case: ModerationCase, reason: str = "") -> None:
    ensure(moderator, "moderate_case", case)
    if getattr(case.item, "moderation_state", None) != HIDDEN:
        raise ModerationError(_l("This is not hidden."))
    _show(moderator, case, "restore", _reason(reason))
    db.session.commit()


def hide(moderator, case: ModerationCase, reason: str, commit: bool = True) -> None:
    """Hide the item from everyone but its author and the moderators; the author sees why."""
    ensure(moderator, "moderate_case", case)
    reason = _reason(reason, required=True)
    item = case.item
    if not hasattr(item, "moderation_state"):
        raise ModerationError(_l("A profile cannot be hidden; warn, suspend or ban its user instead."))
    item.moderation_state, case.hide_reason = HIDDEN, reason
    _close(case)
    log.record(moderator, "hide", case=case, reason=reason)
    notify_author(case, N_("Your post “%(title)s” was hidden by a moderator: %(reason)s"), actor=moderator,
                  reason=reason)
    if commit:
        db.session.commit()


def lock_thread(moderator, case: ModerationCase) -> None:
    """Close the discussion the item belongs to (a comment's thread, or the item's own)."""
    from forum.discussion import services as discussion

    ensure(moderator, "moderate_case", case)
    item = case.item
    if case.kind == "profile":
        raise ModerationError(_l("A profile has no discussion to lock."))
    thread = item.thread if case.kind == "comment" else discussion.thread_of(item)
    log.record(moderator, "lock", case=case)
    discussion.set_locked(moderator, thread, True)  # checks moderate_thread and commits


def warn(moderator, case: ModerationCase, message: str) -> None:
    ensure(moderator, "sanction_author", case)
    message = _reason(message, required=True)
    log.record(moderator, "warn", case=case, reason=message)
    notify_author(case, N_("A moderator warned you about “%(title)s”: %(reason)s"), actor=moderator, reason=message)
    db.session.commit()


def suspend(moderator, case: ModerationCase, days: int, reason: str) -> None:
    """禁言: the author may not post, comment, support, vote or report for `days` days."""
    ensure(moderator, "sanction_author", case)
    reason = _reason(reason, required=True)
    if not days or not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise ModerationError(_l("Between 1 and %(num)d days.", num=MAX_SUSPENSION_DAYS))
    author = case.author
    author.suspended_until = max(author.suspended_until or utcnow(), utcnow() + timedelta(days=days))
    log.record(moderator, "suspend", case=case, reason=reason, detail=str(days))
    notify_author(case, N_("You may not post for %(days)s days because of “%(title)s”: %(reason)s"),
                  actor=moderator, reason=reason, days=days)
    db.session.commit()


def ban(moderator, case: ModerationCase, reason: str) -> None:
    """封禁: the author may no longer post at all, and every session of theirs ends."""
    ensure(moderator, "sanction_author", case)
    reason = _reason(reason, required=True)
    author = case.author
    if author.banned_at is None:
        author.banned_at = utcnow()
        author.session_version = (author.session_version or 1) + 1
    log.record(moderator, "ban", case=case, reason=reason)
    notify_author(case, N_("Your account was banned because of “%(title)s”: %(reason)s"), actor=moderator,
                  reason=reason)
    db.session.commit()


def lift_sanctions(moderator, case: ModerationCase, reason: str = "") -> None:
    """End the author's suspension or ban early."""
    ensure(moderator, "sanction_author", case)
    author = case.author
    author.suspended_until, author.banned_at = None, None
    log.record(moderator, "lift", case=case, reason=_reason(reason))
    notify_author(case, N_("You may post again"), actor=moderator)
    db.session.commit()


def bulk(moderator, case_ids: Iterable[int], action: str, reason: str = "") -> int:
    """For spam waves: dismiss or hide many open cases at once; returns how many were decided.
    Cases the moderator may not act on are skipped; a profile is never hidden."""
    if action not in BULK_ACTIONS:
        raise ModerationError(_l("Please choose an action."))
    reason = _reason(reason) or str(_l("Spam or advertising"))
    cases = db.session.scalars(select(ModerationCase).where(ModerationCase.id.in_(list(case_ids)),
                                                            ModerationCase.status == "open")).all()
    done = 0
    for case in cases:
        if not can(moderator, "moderate_case", case) or (action == "hide" and case.kind == "profile"):
            continue
        if action == "hide":
            hide(moderator, case, reason, commit=False)
        else:
            dismiss(moderator, case, commit=False)
        done += 1
    db.session.commit()
    return done
