"""Threads, their comments (one level of replies) and the earlier versions of edited comments."""
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin, UTCDateTime

EDIT_WINDOW = timedelta(minutes=15)


class Thread(CreatedMixin, Base):
    """The one discussion of a subject, found by (subject_type, subject_id); made at its first comment."""

    __tablename__ = "thread"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    locked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    locked_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped in the same transaction as any change to its comments or to their authors' names
    # (forum/discussion/revisions.py): the key of its pages of comments kept as HTML.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    community = relationship("Community")
    locked_by = relationship("User")

    # Set by the services from the subject registry, for the permission rules.
    subject = None

    @property
    def author_id(self) -> Optional[int]:
        """The subject's author, who may always take part in its discussion."""
        from forum.discussion.subjects import author_id_of

        return author_id_of(self.subject) if self.subject is not None else None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Comment(CreatedMixin, Base):
    __tablename__ = "comment"
    __table_args__ = (Index("ix_comment_thread_parent", "thread_id", "parent_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id"))
    # Replies are one level deep: a reply's parent is always a top-level comment.
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("comment.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    edited_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    deleted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    pinned_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Moderation: None = shown; "held" awaits review (先审后发); "hidden" by a moderator or by reports.
    moderation_state: Mapped[Optional[str]] = mapped_column(String(10), index=True)

    thread: Mapped[Thread] = relationship()
    author = relationship("User")
    parent: Mapped[Optional["Comment"]] = relationship(remote_side=[id])
    revisions: Mapped[list["CommentRevision"]] = relationship(order_by="CommentRevision.id",
                                                              cascade="all, delete-orphan")

    @property
    def community(self):
        return self.thread.community

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentRevision(Base):
    """An earlier text of an edited comment, kept so the "edited" marker can show the history."""

    __tablename__ = "comment_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # When this text was written (the comment's creation, or its previous edit).
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())


from forum.discussion import revisions  # noqa: E402,F401  (registers the listener that bumps Thread.revision)
