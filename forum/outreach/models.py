"""A follow (关注): a user asks to hear of an item's status changes and new comments."""
from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin


class Follow(CreatedMixin, Base):
    __tablename__ = "follow"
    __table_args__ = (
        UniqueConstraint("user_id", "subject_type", "subject_id"),
        # Who follows an item: looked up on every status change and comment.
        Index("ix_follow_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    subject_type: Mapped[str] = mapped_column(String(20))  # a kind of forum.discussion.subjects
    subject_id: Mapped[int] = mapped_column(Integer)

    user = relationship("User")
