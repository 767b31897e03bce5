"""Thread.revision: bumped in the flush that changes a comment of the thread (posted, edited,
deleted, pinned, held, hidden, ...) or the name its author is shown by (renamed, 注销), so that a
page of comments kept as HTML under (thread, revision) is never shown after its thread changed.
Every write goes through the ORM (no bulk UPDATE of comments or users); a test checks each kind of
change against the page."""
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from forum.accounts.models import User
from forum.discussion.models import Comment, Thread

BUMPED = "discussion_revisions_bumped"


def _renamed(user: User) -> bool:
    attrs = inspect(user).attrs
    return attrs.stored_name.history.has_changes() or attrs.deleted_at.history.has_changes()


@event.listens_for(Session, "after_flush")
def _bump_revisions(session, flush_context):
    thread_ids, authors = set(), set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Comment) and (obj not in session.dirty or session.is_modified(obj)):
            thread_ids.add(obj.thread_id)  # set by now, also for a comment that started its thread
        elif isinstance(obj, User) and obj in session.dirty and _renamed(obj):
            authors.add(obj.id)
    where = Thread.id.in_(thread_ids)
    if authors:
        where = where | Thread.id.in_(select(Comment.thread_id).where(Comment.author_id.in_(authors)))
    if thread_ids or authors:
        session.execute(update(Thread).where(where).values(revision=Thread.revision + 1)
                        .execution_options(synchronize_session=False))
        session.info[BUMPED] = True


@event.listens_for(Session, "after_flush_postexec")
def _expire_revisions(session, flush_context):
    """Threads already loaded in the session read their new revision from the database."""
    if session.info.pop(BUMPED, None):
        for obj in session.identity_map.values():
            if isinstance(obj, Thread):
                session.expire(obj, ["revision"])
