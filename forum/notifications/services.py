"""Notifications: other features call `notify()`; readers count, list and mark them read.

`notify()` only adds rows to the session: the calling service commits them together
with the change they report, so a rolled-back change notifies nobody.
"""
from typing import Any, Iterable, Optional

from flask_babel.speaklater import LazyString
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from forum.core.models import utcnow
from forum.core.pagination import Page, paginate
from forum.core.permissions import ensure
from forum.core.security import local_target
from forum.extensions import db
from forum.notifications.models import LABEL_SUFFIX, Notification

JSON_SCALARS = (str, int, float, bool, type(None))


def is_site_relative(url: str) -> bool:
    return isinstance(url, str) and local_target(url) is not None


def _storable(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON. A lazy `_l()` label is kept as its msgid, not as today's
    translation, so that it is translated for each reader."""
    stored = {}
    for key, value in params.items():
        if isinstance(value, LazyString):
            value = value._args[0] if key.endswith(LABEL_SUFFIX) else str(value)
        if not isinstance(value, JSON_SCALARS):
            raise TypeError(f"notification parameter {key!r} is a {type(value).__name__}, not a plain value")
        stored[key] = value
    return stored


def notify(recipients: Iterable[Any], message: str, url: str, *, actor=None, **params) -> int:
    """Tell each recipient once (never the actor) that `message` happened; no commit.

    `message` is an English msgid marked with N_(); `params` fill its placeholders,
    and those whose key ends in "_label" are msgids translated for the reader too.
    Returns how many notifications were added to the session.
    """
    if not is_site_relative(url):
        raise ValueError(f"a notification links inside the site, not to {url!r}")
    stored = _storable(params)
    actor = _real(actor)
    if actor is not None and not actor.is_authenticated:
        actor = None
    seen = {_identity(actor)} if actor is not None else set()
    added = 0
    for user in map(_real, recipients):
        if user is None or _identity(user) in seen:
            continue
        seen.add(_identity(user))
        db.session.add(Notification(user=user, actor=actor, message=message, params=dict(stored), url=url))
        added += 1
    return added


def _real(user):
    """The user object itself, also when given Flask-Login's `current_user` proxy."""
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def _identity(user):
    # A user not yet flushed has no id; it is then only the same as itself.
    return user.id if user.id is not None else ("unsaved", id(user))


def unread_count(user) -> int:
    """The bell's number: one count on the (user_id, read_at) index."""
    if user is None or not user.is_authenticated:
        return 0
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def recent(user, page: Optional[int] = None) -> Page:
    """The user's notifications, newest first, one page at a time."""
    ensure(user, "read_notifications", user)
    statement = (
        select(Notification).where(Notification.user_id == user.id)
        .options(selectinload(Notification.actor))
        .order_by(Notification.id.desc())
    )
    return paginate(statement, page)


def mark_read(user, notification: Notification) -> str:
    """Mark one notification read (again is harmless); returns where it links to."""
    ensure(user, "read_notification", notification)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification.url


def mark_all_read(user) -> int:
    """Mark every unread notification of `user` read; returns how many were unread."""
    ensure(user, "read_notifications", user)
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount
