"""Discussion: post, reply, quote, edit (keeping the history), delete, lock and pin.

A thread belongs to one subject (a need, a resource, a project, ...; see subjects.py)
and is made when its first comment is posted. Top-level comments are shown oldest
first, PER_PAGE to a page, each with its replies; comments are never removed from the
table (a deleted one keeps its place as a placeholder), so a comment's page never
changes and links to `?comments=<page>#comment-<id>` stay good.
"""
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.core.i18n import N_
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.pagination import Page, paginate
from forum.core.permissions import can, ensure
from forum.discussion import subjects
from forum.discussion.models import Comment, CommentRevision, Thread
from forum.extensions import db
from forum.moderation.words.screening import apply_hold, screen_fields

PER_PAGE = 50
MAX_LENGTH = 5000
PAGE_ARG = "comments"


class CommentError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def thread_of(subject, create: bool = False) -> Thread:
    """The subject's thread; an unsaved one when it has none yet (saved if `create`)."""
    kind = subjects.kind_of(subject)
    thread = db.session.scalar(select(Thread).where(Thread.subject_type == kind, Thread.subject_id == subject.id))
    if thread is None:
        thread = Thread(subject_type=kind, subject_id=subject.id, community=subject.community, comment_count=0)
        if create:
            db.session.add(thread)
    thread.subject = subject
    return thread


def subject_of(thread: Thread):
    if thread.subject is None:
        thread.subject = db.session.get(subjects.SUBJECTS[thread.subject_type].model, thread.subject_id)
    return thread.subject


def _body(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CommentError(_l("Please write something."))
    if len(text) > MAX_LENGTH:
        raise CommentError(_l("At most %(num)d characters.", num=MAX_LENGTH))
    return text


def _screened(author, thread: Thread, body: str):
    """The checked text with its mask-words replaced, and the screening (sensitive words, new users)."""
    fields, screening = screen_fields(author, thread.community, {"body": _body(body)}, "body")
    return fields["body"], screening


def post_comment(author, subject, body: str, parent_id: Optional[int] = None) -> Comment:
    """A new comment, or a reply (a reply to a reply joins the top-level comment)."""
    thread = thread_of(subject)
    ensure(author, "comment_on_thread", thread)
    text, screening = _screened(author, thread, body)
    parent = _parent(thread, parent_id)
    if thread.id is None:
        db.session.add(thread)
    comment = Comment(thread=thread, parent=parent, author_id=author.id, body=text, body_html=render_markdown(text))
    db.session.add(comment)
    apply_hold(comment, screening)
    thread.comment_count = (thread.comment_count or 0) + 1
    db.session.flush()
    if comment.moderation_state is None:  # a held comment is news to no one until it is published
        _notify(author, subject, comment)
    db.session.commit()
    return comment


def _parent(thread: Thread, parent_id) -> Optional[Comment]:
    if not parent_id:
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.thread_id != thread.id:
        raise CommentError(_l("The comment you replied to is not in this discussion."))
    return parent.parent if parent.parent_id is not None else parent


def _notify(author, subject, comment: Comment) -> None:
    from forum.notifications.services import notify

    url = comment_url(comment)
    title = subjects.title_of(subject)
    replied_to = comment.parent.author if comment.parent is not None and not comment.parent.is_deleted else None
    if replied_to is not None:
        notify([replied_to], N_("%(name)s replied to your comment on “%(title)s”"), url, actor=author,
               name=author.display_name, title=title)
    subject_author_id = subjects.author_id_of(subject)
    if subject_author_id and (replied_to is None or replied_to.id != subject_author_id):
        from forum.accounts.models import User

        notify([db.session.get(User, subject_author_id)], N_("%(name)s commented on “%(title)s”"), url,
               actor=author, name=author.display_name, title=title)


def edit_comment(editor, comment: Comment, body: str) -> Comment:
    """The author corrects a comment within the edit window; the earlier text is kept."""
    ensure(editor, "edit_comment", comment)
    text, screening = _screened(editor, comment.thread, body)
    if text == comment.body:
        return comment
    db.session.add(CommentRevision(comment_id=comment.id, body=comment.body, body_html=comment.body_html,
                                   written_at=comment.edited_at or comment.created_at))
    comment.body, comment.body_html, comment.edited_at = text, render_markdown(text), utcnow()
    apply_hold(comment, screening)
    db.session.commit()
    return comment


def delete_comment(user, comment: Comment) -> None:
    """The author takes a comment back; a placeholder keeps its place and its replies."""
    ensure(user, "delete_comment", comment)
    comment.deleted_at = utcnow()
    comment.body, comment.body_html, comment.pinned_at = "", "", None
    comment.revisions.clear()
    db.session.commit()


def set_locked(user, thread: Thread, locked: bool) -> None:
    ensure(user, "moderate_thread", thread)
    if thread.id is None:
        db.session.add(thread)
    thread.locked_at, thread.locked_by_id = (utcnow(), user.id) if locked else (None, None)
    db.session.commit()


def set_pinned(user, comment: Comment, pinned: bool) -> None:
    ensure(user, "pin_comment", comment)
    comment.pinned_at = utcnow() if pinned else None
    db.session.commit()


def _top_level(thread_id: int):
    return select(Comment).where(Comment.thread_id == thread_id, Comment.parent_id.is_(None))


def page_of(comment: Comment) -> int:
    top = comment.parent_id or comment.id
    before = db.session.scalar(select(func.count()).select_from(
        _top_level(comment.thread_id).where(Comment.id < top).subquery()))
    return before // PER_PAGE + 1


def comment_url(comment: Comment) -> str:
    """The comment on its subject's page: stable, as comments keep their places."""
    subject = subject_of(comment.thread)
    return subjects.url_of(subject, **{PAGE_ARG: page_of(comment)}) + f"#comment-{comment.id}"


def quote_of(comment: Optional[Comment]) -> str:
    """A Markdown quote of `comment` to start a new comment with."""
    if comment is None or comment.is_deleted:
        return ""
    quoted = "\n".join(f"> {line}" if line else ">" for line in comment.body.splitlines())
    return f"> {comment.author.display_name}:\n{quoted}\n\n"


@dataclass
class Discussion:
    """What a subject's page shows of its thread; its comments are loaded by `comments_of`, only
    when the page of comments is not kept as HTML (forum/discussion/rendering.py)."""

    subject: Any
    kind: str
    thread: Thread
    page_number: int
    reply_to: Optional[Comment] = None

    def url(self, page: Optional[int] = None) -> str:
        """The subject's page at a page of comments (this one unless told)."""
        return subjects.url_of(self.subject, **{PAGE_ARG: page or self.page_number})


@dataclass
class Comments:
    """One page of top-level comments, their replies and the thread's pinned comments."""

    page: Page
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    pinned: list[Comment] = field(default_factory=list)

    def on_page(self) -> list[Comment]:
        """The page's top-level comments and their replies."""
        return self.page.items + [r for replies in self.replies.values() for r in replies]


def discussion(viewer, subject, page_number: Optional[int] = None, reply_to_id: Optional[int] = None) -> Discussion:
    thread = thread_of(subject)
    reply_to = db.session.get(Comment, reply_to_id) if reply_to_id and thread.id is not None else None
    if reply_to is not None and (reply_to.thread_id != thread.id or reply_to.is_deleted):
        reply_to = None
    return Discussion(subject, thread.subject_type, thread, max(1, page_number or 1), reply_to)


def comments_of(d: Discussion) -> Comments:
    if d.thread.id is None:
        return Comments(Page([], d.page_number, PER_PAGE, 0))
    options = (selectinload(Comment.author),)  # the history page loads the revisions
    page = paginate(_top_level(d.thread.id).options(*options).order_by(Comment.id), d.page_number, PER_PAGE)
    ids = [c.id for c in page.items]
    replies: dict[int, list[Comment]] = {}
    for reply in db.session.scalars(select(Comment).options(*options)
                                    .where(Comment.parent_id.in_(ids)).order_by(Comment.id)) if ids else ():
        replies.setdefault(reply.parent_id, []).append(reply)
    pinned = list(db.session.scalars(_top_level(d.thread.id).options(*options)
                                     .where(Comment.pinned_at.is_not(None)).order_by(Comment.pinned_at)))
    return Comments(page, replies, pinned)


def find_comment(comment_id: int) -> Comment:
    """A comment and its thread's subject (for the permission to see it), or 404."""
    comment = db.get_or_404(Comment, comment_id)
    subject_of(comment.thread)
    return comment


def find_subject(kind: str, subject_id: int):
    entry = subjects.SUBJECTS.get(kind)
    if entry is None:
        return None
    return db.session.get(entry.model, subject_id)


def view_action(subject) -> str:
    return subjects.SUBJECTS[subjects.kind_of(subject)].view_action


def may_post(user, subject) -> bool:
    return can(user, "comment_on_thread", thread_of(subject))
