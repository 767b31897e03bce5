"""Following (关注): follow a need, proposal, project or deliberation and hear of its steps and comments.

No feature calls this to tell followers. Like the search outbox, a session hook sees every
StatusChange and every shown Comment a transaction writes, and just before the commit tells
the item's followers, in the same transaction (a rolled-back change tells nobody). A follower
is told once per item and transaction, and not at all when the feature has already told
them of the same item in that transaction (authors, supporters, participants hear of it
from the feature itself), when they took the step or wrote the comment themselves, or when
they may no longer see the item.
"""
import logging
from urllib.parse import urlsplit

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from forum.core.i18n import N_
from forum.core.pagination import Page, paginate
from forum.core.permissions import can, ensure
from forum.core.workflow import StatusChange
from forum.discussion import subjects
from forum.extensions import db
from forum.outreach.models import Follow

log = logging.getLogger(__name__)

FOLLOWABLE = ("need", "proposal", "project", "deliberation")
EVENTS = "outreach_follow_events"  # session.info: what this transaction did to followable items
TOLD = "outreach_told"  # session.info: (user id, page path) of every notification it added


class NotFollowable(LookupError):
    pass


def subject_for(kind: str, item_id: int):
    """The followable item of that kind and id, or None."""
    if kind not in FOLLOWABLE:
        raise NotFollowable(kind)
    return db.session.get(subjects.SUBJECTS[kind].model, item_id)


def view_action(kind: str) -> str:
    return subjects.SUBJECTS[kind].view_action


def _row(user, item):
    return db.session.scalar(select(Follow).where(
        Follow.user_id == user.id, Follow.subject_type == subjects.kind_of(item), Follow.subject_id == item.id))


def is_following(user, item) -> bool:
    return bool(user is not None and user.is_authenticated and _row(user, item) is not None)


def follow(user, item) -> None:
    """Follow `item` (again is harmless)."""
    ensure(user, "follow_item", item)
    if _row(user, item) is None:
        db.session.add(Follow(user_id=user.id, subject_type=subjects.kind_of(item), subject_id=item.id))
    db.session.commit()


def unfollow(user, item) -> None:
    ensure(user, "follow_item", item)
    row = _row(user, item)
    if row is not None:
        db.session.delete(row)
    db.session.commit()


def followed_by(user, page: int | None) -> Page:
    """The user's follows, newest first, each with its item (None when they may no longer see it)."""
    ensure(user, "read_notifications", user)
    result = paginate(select(Follow).where(Follow.user_id == user.id).order_by(Follow.id.desc()), page)
    rows = []
    for row in result.items:
        item = subject_for(row.subject_type, row.subject_id)
        visible = item is not None and can(user, view_action(row.subject_type), item)
        rows.append((row, item if visible else None))
    result.items = rows
    return result


def account_deleted(user) -> bool:
    """The flush being written deletes this account (注销): what it followed is forgotten with it."""
    history = inspect(user).attrs.deleted_at.history
    return user.deleted_at is not None and bool(history.added) and not any(history.deleted or ())


# --- telling followers ---------------------------------------------------------------------------


def _path(url: str) -> str:
    return urlsplit(url).path


def _status_labels(kind: str) -> dict:
    if kind == "need":
        from forum.lists.needs import STATUS_MSGIDS
    elif kind == "project":
        from forum.lists.projects import STATUS_MSGIDS
    elif kind == "proposal":
        from forum.proposals.models import STATUS_MSGIDS
    else:
        from forum.deliberations.models import STATUS_LABELS as STATUS_MSGIDS
    return STATUS_MSGIDS


def _released(comment) -> bool:
    """A held (先审后发) comment a moderator has just let through: news as if it were new."""
    history = inspect(comment).attrs.moderation_state.history
    return comment.moderation_state is None and "held" in (history.deleted or ())


@event.listens_for(Session, "after_flush")
def _collect(session, flush_context):
    from forum.accounts.models import User
    from forum.discussion.models import Comment
    from forum.notifications.models import Notification

    events = session.info.setdefault(EVENTS, [])
    told = session.info.setdefault(TOLD, set())
    for obj in session.new:
        if isinstance(obj, StatusChange):
            if obj.subject_type in FOLLOWABLE and obj.action != "create":
                events.append(("status", obj.subject_type, obj.subject_id, obj.to_state, obj.actor_id))
        elif isinstance(obj, Comment):
            if obj.moderation_state is None and obj.deleted_at is None:
                events.append(("comment", obj.id))
        elif isinstance(obj, Notification):
            told.add((obj.user_id, _path(obj.url)))
    for obj in session.dirty:
        if isinstance(obj, Comment) and _released(obj):
            events.append(("comment", obj.id))
        elif isinstance(obj, User) and account_deleted(obj):
            session.execute(delete(Follow).where(Follow.user_id == obj.id))


@event.listens_for(Session, "before_commit")
def _tell_followers(session):
    session.flush()  # so that what this commit is about to write is collected too
    events = session.info.pop(EVENTS, [])
    if not events:
        return
    told = session.info.setdefault(TOLD, set())
    # Several steps of one item in one transaction: its followers hear of the last.
    last_status = {(e[1], e[2]): e for e in events if e[0] == "status"}
    try:
        for e in events:
            if e[0] == "comment":
                _tell_of_comment(session, e[1], told)
            elif last_status[(e[1], e[2])] is e:
                _tell_of_status(session, *e[1:], told)
    except Exception:  # the change itself stands; its followers miss one notice
        log.exception("outreach: telling followers failed")


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    if transaction.parent is None:
        session.info.pop(EVENTS, None)
        session.info.pop(TOLD, None)


def _followers(session, kind: str, item, path: str, told: set, actor_id) -> list:
    from forum.accounts.models import User

    ids = select(Follow.user_id).where(Follow.subject_type == kind, Follow.subject_id == item.id)
    users = session.scalars(select(User).where(User.id.in_(ids), User.deleted_at.is_(None)).order_by(User.id))
    found = [u for u in users if u.id != actor_id and (u.id, path) not in told and can(u, view_action(kind), item)]
    told.update((u.id, path) for u in found)
    return found


def _tell_of_status(session, kind, item_id, to_state, actor_id, told) -> None:
    from forum.accounts.models import User
    from forum.notifications.services import notify

    item = session.get(subjects.SUBJECTS[kind].model, item_id)
    url = subjects.url_of(item)
    users = _followers(session, kind, item, _path(url), told, actor_id)
    if users:
        notify(users, N_("“%(title)s”, which you follow, is now: %(status_label)s"), url,
               actor=session.get(User, actor_id) if actor_id else None,
               title=subjects.title_of(item), status_label=_status_labels(kind)[to_state])


def _tell_of_comment(session, comment_id, told) -> None:
    from forum.discussion.models import Comment
    from forum.discussion.services import comment_url, subject_of
    from forum.notifications.services import notify

    comment = session.get(Comment, comment_id)
    kind = comment.thread.subject_type
    if kind not in FOLLOWABLE:
        return
    item = subject_of(comment.thread)
    url = comment_url(comment)
    users = _followers(session, kind, item, _path(url), told, comment.author_id)
    if users:
        notify(users, N_("%(name)s commented on “%(title)s”, which you follow"), url, actor=comment.author,
               name=comment.author.display_name, title=subjects.title_of(item))
