"""A proposal (议题) and its supporters (附议)."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin, UTCDateTime, utcnow


class Proposal(CreatedMixin, Base):
    __tablename__ = "proposal"
    __table_args__ = (
        Index("ix_proposal_list", "community_id", "status", "created_at"),
        Index("ix_proposal_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    # Fixed when collection opens, from the community's settings at that moment.
    support_threshold: Mapped[Optional[int]] = mapped_column(Integer)
    collecting_since: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    collecting_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime(), index=True)
    decline_reason: Mapped[Optional[str]] = mapped_column(Text)
    # Set when the proposal is implemented as a project (项目清单).
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    community = relationship("Community")
    author = relationship("User")
    project = relationship("Project")
    deliberations: Mapped[list["Deliberation"]] = relationship(  # noqa: F821
        secondary="deliberation_proposal", back_populates="proposals", order_by="Deliberation.starts_at"
    )

    def relations_to(self, user) -> set[str]:
        return {"author"} if self.author_id is not None and self.author_id == user.id else set()


class ProposalSupport(CreatedMixin, Base):
    """附议: one per verified resident and proposal; undoable."""

    __tablename__ = "proposal_support"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    user = relationship("User")
