"""A staff decision on a suggested pair: accepted (into a project) or declined for good."""
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin


class MatchDecision(CreatedMixin, Base):
    __tablename__ = "match_decision"
    __table_args__ = (UniqueConstraint("need_id", "resource_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"), index=True)
    accepted: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id"))

    need = relationship("Need")
    resource = relationship("Resource")
