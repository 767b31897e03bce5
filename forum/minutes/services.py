"""Minutes operations: draft, open for comments, comment, revise, approve, publish, correct.

Each function checks permission through forum.core.permissions, moves the version only
through the MINUTES workflow, tells the people concerned and commits.
"""
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.core.i18n import N_
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.permissions import can, ensure
from forum.core.urls import path_for
from forum.core.workflow import REGISTRY
from forum.extensions import db
from forum.minutes.models import MINUTES, MinutesComment, MinutesVersion
from forum.minutes.record import agenda_titles, take_snapshot

COMMENT_MAX = 2000
# Taken with their own forms (the text form revises), not with the step buttons.
NOT_BUTTONS = {"revise"}

# The clock the steps read; `as_of` puts another on top for a while.
_clock = [utcnow]


def now() -> datetime:
    """The time the steps are taken at: the real clock, except inside `as_of`."""
    return _clock[-1]()


@contextmanager
def as_of(moment: datetime):
    """Take the steps as if at `moment`: the demo tells its story in the past, and published
    minutes cannot be re-dated afterwards. Not for requests."""
    _clock.append(lambda: moment)
    try:
        yield
    finally:
        _clock.pop()


class MinutesError(ValueError):
    """A problem the user can fix or should know about, and the form field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


# --- reading ------------------------------------------------------------------------


def versions_of(deliberation) -> list[MinutesVersion]:
    return list(db.session.scalars(
        select(MinutesVersion).where(MinutesVersion.deliberation_id == deliberation.id)
        .order_by(MinutesVersion.number)))


def current_published(versions: list[MinutesVersion]) -> MinutesVersion | None:
    """The minutes in force: the latest published version."""
    return next((v for v in reversed(versions) if v.status == "published"), None)


def open_version(versions: list[MinutesVersion]) -> MinutesVersion | None:
    """The version being worked on (at most one at a time)."""
    return next((v for v in versions if v.is_open), None)


def shown_status(version: MinutesVersion, versions: list[MinutesVersion]) -> str:
    """A published version that a later published version corrects shows as superseded."""
    if version.status == "published" and current_published(versions) is not version:
        return "superseded"
    return version.status


def superseded_by(version: MinutesVersion, versions: list[MinutesVersion]) -> MinutesVersion | None:
    if shown_status(version, versions) != "superseded":
        return None
    return next(v for v in versions if v.number > version.number and v.status == "published")


def timeline(version: MinutesVersion):
    return MINUTES.timeline(db.session, version)


def available_steps(user, version: MinutesVersion) -> list[str]:
    """The step buttons `user` may press now."""
    steps = [action for action in MINUTES.actions_from(version.status)
             if action not in NOT_BUTTONS and can(user, f"minutes:{action}", version)]
    if "approve" in steps and not can(user, "approve_minutes", version):
        steps.remove("approve")
    return steps


def comments_open(version: MinutesVersion) -> bool:
    return version.status == "commenting" and now() < version.comments_open_until


def may_start_draft(user, deliberation, versions) -> bool:
    return can(user, "draft_minutes", deliberation) and open_version(versions) is None \
        and current_published(versions) is None


def may_correct(user, versions) -> bool:
    published = current_published(versions)
    return published is not None and open_version(versions) is None and can(user, "correct_minutes", published)


# --- writing the text ---------------------------------------------------------------


def _lock(deliberation_id: int, version: MinutesVersion | None = None) -> None:
    """Take the deliberation's row lock (SQLite holds its write lock from BEGIN) and re-read
    `version`: the minutes of one deliberation change one request at a time, so a double click
    or two moderators at once meet a clear refusal, not a clash in the database."""
    from forum.deliberations.models import Deliberation

    db.session.scalars(select(Deliberation.id).where(Deliberation.id == deliberation_id).with_for_update()).one()
    if version is not None:
        db.session.scalars(select(MinutesVersion).where(MinutesVersion.id == version.id)
                           .execution_options(populate_existing=True)).one()


def _apply_text(version: MinutesVersion, fields: dict) -> None:
    """Put the form's text into `version` and refresh what it records of the deliberation."""
    notes = list(fields.get("agenda") or [])
    notes += [{}] * (len(agenda_titles(version.deliberation)) - len(notes))
    version.summary = fields["summary"].strip()
    version.summary_html = render_markdown(version.summary)
    version.agenda_notes = [_agenda_note(title, note) for title, note in zip(agenda_titles(version.deliberation), notes)]
    version.dissent = (fields.get("dissent") or "").strip()
    version.dissent_html = render_markdown(version.dissent)
    version.action_items = [
        {"task": item["task"].strip(), "owner": item["owner"].strip(),
         "due": item["due"].isoformat() if item.get("due") else ""}
        for item in fields.get("action_items") or [] if (item.get("task") or "").strip()]
    version.recorder = fields["recorder"].strip()
    take_snapshot(version, now())


def _agenda_note(title: str, note: dict) -> dict:
    discussion, decision = (note.get("discussion") or "").strip(), (note.get("decision") or "").strip()
    return {"title": title, "discussion": discussion, "discussion_html": render_markdown(discussion),
            "decision": decision, "decision_html": render_markdown(decision)}


def _next_number(deliberation) -> int:
    highest = db.session.scalar(select(func.max(MinutesVersion.number))
                                .where(MinutesVersion.deliberation_id == deliberation.id))
    return (highest or 0) + 1


def draft_minutes(user, deliberation, fields: dict) -> MinutesVersion:
    """A moderator writes the first version once the deliberation has concluded."""
    ensure(user, "draft_minutes", deliberation)
    _lock(deliberation.id)
    versions = versions_of(deliberation)
    if open_version(versions) is not None or current_published(versions) is not None:
        raise MinutesError("summary", _l("These minutes are already being written; continue with that version."))
    version = MinutesVersion(deliberation=deliberation, number=_next_number(deliberation), drafted_by_id=user.id,
                             created_at=now())
    _apply_text(version, fields)
    db.session.add(version)
    MINUTES.start(db.session, version, user).created_at = now()
    db.session.commit()
    return version


def save_text(user, version: MinutesVersion, fields: dict) -> None:
    """Save a draft; after the comment period, or when sent back, saving revises it and asks for
    approval."""
    _lock(version.deliberation_id, version)
    ensure(user, "edit_minutes", version)
    revising = version.status in ("commenting", "returned")
    if version.status == "commenting" and comments_open(version):
        raise MinutesError("summary", _l(
            "The attendees can comment until %(when)s; revise the minutes after that.",
            when=format_datetime(version.comments_open_until, "yyyy-MM-dd HH:mm")))
    _apply_text(version, fields)
    if user.id != version.drafted_by_id:
        version.revised_by_id = user.id
    if revising:
        MINUTES.apply(db.session, version, "revise", user).created_at = now()
        _tell(user, _approvers(version), N_("The minutes of “%(title)s” wait for your approval"), version)
    db.session.commit()


def start_correction(user, published: MinutesVersion, reason: str) -> MinutesVersion:
    """A correction: a new version starting from the published one, with the reason stated."""
    _lock(published.deliberation_id)
    ensure(user, "correct_minutes", published)
    reason = (reason or "").strip()
    versions = versions_of(published.deliberation)
    if current_published(versions) is not published:
        raise MinutesError("reason", _l("Only the minutes in force can be corrected."))
    if open_version(versions) is not None:
        raise MinutesError("reason", _l("A correction is already being written; continue with that version."))
    if not reason:
        raise MinutesError("reason", _l("Please say what is wrong in the published minutes."))
    version = MinutesVersion(
        deliberation=published.deliberation, number=_next_number(published.deliberation), drafted_by_id=user.id,
        corrects_id=published.id, correction_reason=reason, summary=published.summary,
        summary_html=published.summary_html, agenda_notes=[dict(n) for n in published.agenda_notes],
        dissent=published.dissent, dissent_html=published.dissent_html,
        action_items=[dict(i) for i in published.action_items], recorder=published.recorder, created_at=now())
    take_snapshot(version, now())
    db.session.add(version)
    MINUTES.start(db.session, version, user, note=reason).created_at = now()
    db.session.commit()
    return version


# --- comments -----------------------------------------------------------------------


def add_comment(user, version: MinutesVersion, body: str) -> MinutesComment:
    """An attendee's comment on the draft, during the comment period."""
    _lock(version.deliberation_id, version)
    ensure(user, "comment_on_minutes", version)
    if not comments_open(version):
        raise MinutesError("body", _l(
            "The comment period ended on %(when)s; comments can no longer be added.",
            when=format_datetime(version.comments_open_until, "yyyy-MM-dd HH:mm")))
    body = (body or "").strip()
    if not body:
        raise MinutesError("body", _l("Please write your comment."))
    if len(body) > COMMENT_MAX:
        raise MinutesError("body", _l("At most 2000 characters."))
    comment = MinutesComment(version=version, author_id=user.id, body=body, body_html=render_markdown(body),
                             created_at=now())
    db.session.add(comment)
    db.session.commit()
    return comment


# --- steps --------------------------------------------------------------------------


def take_step(user, version: MinutesVersion, action: str, note: str = "") -> None:
    """Open for comments, approve, send back, publish or discard."""
    note = (note or "").strip()
    _lock(version.deliberation_id, version)
    transition = MINUTES.transition(version.status, action)  # a stale page is refused first
    if action in NOT_BUTTONS:
        raise MinutesError("note", _l("The minutes are revised with the text form."))
    ensure(user, f"minutes:{action}", version)
    if action == "approve":
        ensure(user, "approve_minutes", version)
    if transition.needs_note and not note:
        raise MinutesError("note", _l("Please give a reason."))
    STEPS.get(action, _plain_step)(user, version, action, note)
    db.session.commit()


def _plain_step(user, version, action, note) -> None:
    MINUTES.apply(db.session, version, action, user, note=note).created_at = now()


def _open_comments(user, version, action, note) -> None:
    days = current_app.config["MINUTES_COMMENT_DAYS"]
    _plain_step(user, version, action, note)
    version.comments_open_until = now() + timedelta(days=days)
    attendees = [p.user for p in version.deliberation.participants if p.attended]
    _tell(user, attendees, N_("Please comment on the draft minutes of “%(title)s” by %(until)s"), version,
          until=format_datetime(version.comments_open_until, "yyyy-MM-dd HH:mm"))


def _approve(user, version, action, note) -> None:
    _plain_step(user, version, action, note)
    version.approved_by_id, version.approved_at = user.id, now()
    moderators = [p.user for p in version.deliberation.moderators]
    _tell(user, moderators, N_("The minutes of “%(title)s” are approved and can be published"), version)


def _send_back(user, version, action, note) -> None:
    _plain_step(user, version, action, note)
    editors = [u for u in (version.drafted_by, version.revised_by) if u is not None]
    _tell(user, editors, N_("The minutes of “%(title)s” were sent back: %(reason)s"), version, reason=note)


def _publish(user, version, action, note) -> None:
    deliberation = version.deliberation
    first = current_published(versions_of(deliberation)) is None
    _plain_step(user, version, action, note)
    version.published_at = now()
    if first and deliberation.status == "concluded":
        REGISTRY["deliberation"].apply_as_system(db.session, deliberation, "publish_minutes").created_at = now()
    readers = [p.user for p in deliberation.participants] + _supporters(deliberation)
    if first:
        _tell(user, readers, N_("The minutes of “%(title)s” are published"), version)
    else:
        _tell(user, readers, N_("A correction of the minutes of “%(title)s” is published (version %(number)s): "
                                "%(reason)s"), version, number=version.number, reason=version.correction_reason)


STEPS = {"open_comments": _open_comments, "approve": _approve, "send_back": _send_back, "publish": _publish}


# --- who hears of it ----------------------------------------------------------------


def _supporters(deliberation) -> list:
    from forum.accounts.models import User
    from forum.proposals.models import ProposalSupport

    proposal_ids = [p.id for p in deliberation.proposals]
    if not proposal_ids:
        return []
    return list(db.session.scalars(
        select(User).join(ProposalSupport, ProposalSupport.user_id == User.id)
        .where(ProposalSupport.proposal_id.in_(proposal_ids)).distinct().order_by(User.id)))


def _approvers(version: MinutesVersion) -> list:
    from forum.lists.projects import staff_of

    moderators = [p.user for p in version.deliberation.moderators]
    return [u for u in moderators + staff_of(version.community) if u.id not in version.editor_ids]


def _tell(actor, recipients, message: str, version: MinutesVersion, **params) -> None:
    from forum.notifications.services import notify

    url = path_for("minutes.version", deliberation_id=version.deliberation_id, number=version.number)
    notify(recipients, message, url, actor=actor, title=version.deliberation.title, **params)
