"""Moderation: a case per reported or held item, its reports (举报), and the append-only moderation log."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin, UTCDateTime, append_only, utcnow

# An item's moderation_state: None = shown to everyone who may see it.
HELD, HIDDEN = "held", "hidden"


class ModerationCase(CreatedMixin, Base):
    """One per item ever reported or held; open while it waits in the moderators' queue."""

    __tablename__ = "moderation_case"
    __table_args__ = (
        UniqueConstraint("kind", "item_id"),
        Index("ix_moderation_case_queue", "status", "community_id", "report_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # a key of kinds.KINDS
    item_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"), index=True)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / closed
    # Why it is (or was last) in the queue: reports, sensitive_words, new_user, review.
    cause: Mapped[str] = mapped_column(String(20), default="reports")
    matched_words: Mapped[list] = mapped_column(JSON, default=list)
    # Reports since the last decision: the queue's first sort key.
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Shown to the author while the item is hidden.
    hide_reason: Mapped[Optional[str]] = mapped_column(Text)
    # 申请复核: the author may ask once.
    review_requested_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    community = relationship("Community")
    author = relationship("User")
    reports: Mapped[list["Report"]] = relationship(back_populates="case", order_by="Report.id")

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def item(self):
        """The reported or held item (None if it no longer exists)."""
        from forum.moderation.kinds import load

        return load(self.kind, self.item_id)


class Report(CreatedMixin, Base):
    """举报: one per user and item."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("case_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_case.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # Set when a moderator decides the case the report was part of.
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    case: Mapped[ModerationCase] = relationship(back_populates="reports")
    reporter = relationship("User")


class ModerationAction(Base):
    """The moderation log: who did what to which item or person, why, and when. Only ever inserted."""

    __tablename__ = "moderation_action"
    __table_args__ = (Index("ix_moderation_action_item", "kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))  # None: the site itself
    action: Mapped[str] = mapped_column(String(20), index=True)
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"), index=True)
    kind: Mapped[Optional[str]] = mapped_column(String(20))
    item_id: Mapped[Optional[int]] = mapped_column(Integer)
    target_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(String(200), default="")

    actor = relationship("User", foreign_keys=[actor_id])
    target_user = relationship("User", foreign_keys=[target_user_id])
    community = relationship("Community")


class ModerationLogIsAppendOnly(Exception):
    pass


append_only(ModerationAction, ModerationLogIsAppendOnly, "moderation log entries cannot be changed or deleted")
