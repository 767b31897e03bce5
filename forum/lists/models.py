"""Needs (需求), resources (资源), projects (项目) and their photos."""
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, Numeric,
                        SmallInteger, String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin, UTCDateTime, utcnow

URGENCY_LEVELS = (1, 2, 3)
RESOURCE_KINDS = ("people", "venue", "funds", "goods", "service", "volunteer")


class Need(CreatedMixin, Base):
    __tablename__ = "need"
    __table_args__ = (
        Index("ix_need_list", "community_id", "status", "created_at"),
        Index("ix_need_status_created", "status", "created_at"),
        # The public list: several statuses, not held or hidden, newest first (migration 0016).
        Index("ix_need_listed", "status", "moderation_state", "created_at"),
        Index("ix_need_created", "created_at", "id"),
        Index("ix_need_community_support", "community_id", "status", "support_count"),
        Index("ix_need_community_urgency", "community_id", "status", "urgency", "created_at"),
        CheckConstraint("urgency BETWEEN 1 AND 3", name="urgency_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    # 代录入: staff enter the need for a resident who may have no account yet.
    entered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    proxy_name: Mapped[Optional[str]] = mapped_column(String(40))
    proxy_phone: Mapped[Optional[str]] = mapped_column(String(11), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[int] = mapped_column(SmallInteger, default=1)
    location: Mapped[Optional[str]] = mapped_column(String(120))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    # Moderation: None = shown; "held" awaits review (先审后发); "hidden" by a moderator or by reports.
    moderation_state: Mapped[Optional[str]] = mapped_column(String(10), index=True)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    claimed_unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("unit.id"))
    resolution: Mapped[Optional[str]] = mapped_column(Text)
    rejection_reason: Mapped[Optional[str]] = mapped_column(Text)
    rating: Mapped[Optional[int]] = mapped_column(SmallInteger)
    rating_comment: Mapped[Optional[str]] = mapped_column(Text)
    merged_into_id: Mapped[Optional[int]] = mapped_column(ForeignKey("need.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    community = relationship("Community")
    compound = relationship("Compound")
    author = relationship("User", foreign_keys=[author_id])
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    claimed_by = relationship("User", foreign_keys=[claimed_by_id])
    claimed_unit = relationship("Unit")
    merged_into = relationship("Need", remote_side=[id])
    photos: Mapped[list["Photo"]] = relationship(back_populates="need", order_by="Photo.id")
    projects: Mapped[list["Project"]] = relationship(secondary="project_need", viewonly=True, order_by="Project.id")

    def relations_to(self, user) -> set[str]:
        """How `user` stands to this need, for the workflow's pseudo-roles."""
        found = set()
        if self.author_id is not None and self.author_id == user.id:
            found |= {"author", "rater"}
        if self.claimed_by_id == user.id or (self.claimed_unit is not None and user in self.claimed_unit.contacts):
            found.add("claimer")
        return found


class NeedSupport(CreatedMixin, Base):
    """我也需要 / 附议: one per user and need."""

    __tablename__ = "need_support"
    __table_args__ = (UniqueConstraint("need_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    user = relationship("User")


class Photo(CreatedMixin, Base):
    """A re-encoded photo (and its thumbnail) kept in the photo store under `key`."""

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    uploader_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    need_id: Mapped[Optional[int]] = mapped_column(ForeignKey("need.id"), index=True)
    project_update_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project_update.id"), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    need = relationship("Need", back_populates="photos")


class PhotoBlob(Base):
    """Photo bytes for deployments whose servers share only the database."""

    __tablename__ = "photo_blob"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Resource(CreatedMixin, Base):
    __tablename__ = "resource"
    __table_args__ = (
        Index("ix_resource_list", "community_id", "status", "created_at"),
        Index("ix_resource_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("unit.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[Optional[str]] = mapped_column(String(80))
    available_from: Mapped[Optional[date]] = mapped_column(Date)
    available_until: Mapped[Optional[date]] = mapped_column(Date)
    # "communities": where the unit is stationed (or the owner lives); "street": the whole street.
    scope: Mapped[str] = mapped_column(String(20), default="communities")
    status: Mapped[str] = mapped_column(String(20), default="available")
    # Moderation: None = shown; "held" awaits review (先审后发); "hidden" by a moderator or by reports.
    moderation_state: Mapped[Optional[str]] = mapped_column(String(10), index=True)

    community = relationship("Community")
    unit = relationship("Unit")
    owner = relationship("User")

    @property
    def author_id(self) -> int:
        return self.owner_id

    def relations_to(self, user) -> set[str]:
        found = {"author"} if self.owner_id == user.id else set()
        if self.unit is not None and user in self.unit.contacts:
            found.add("owner_unit")
        return found

    def is_expired(self, today: date) -> bool:
        return self.available_until is not None and self.available_until < today


class Project(CreatedMixin, Base):
    __tablename__ = "project"
    __table_args__ = (Index("ix_project_list", "community_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    lead_unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("unit.id"), index=True)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    planned_start: Mapped[Optional[date]] = mapped_column(Date)
    planned_end: Mapped[Optional[date]] = mapped_column(Date)
    budget: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2))
    percent_done: Mapped[int] = mapped_column(SmallInteger, default=0)
    status: Mapped[str] = mapped_column(String(20), default="planned")

    community = relationship("Community")
    lead_unit = relationship("Unit")
    responsible = relationship("User", foreign_keys=[responsible_id])
    needs: Mapped[list[Need]] = relationship(secondary="project_need", order_by="Need.id")
    resources: Mapped[list[Resource]] = relationship(secondary="project_resource", order_by="Resource.id")
    milestones: Mapped[list["Milestone"]] = relationship(order_by="Milestone.due_on")
    updates: Mapped[list["ProjectUpdate"]] = relationship(order_by="ProjectUpdate.id.desc()")
    ratings: Mapped[list["ProjectRating"]] = relationship(order_by="ProjectRating.id")

    def relations_to(self, user) -> set[str]:
        found = {"responsible"} if self.responsible_id == user.id else set()
        if self.lead_unit is not None and user in self.lead_unit.contacts:
            found.add("lead")
        return found


class ProjectNeed(Base):
    __tablename__ = "project_need"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), primary_key=True, index=True)


class ProjectResource(Base):
    __tablename__ = "project_resource"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"), primary_key=True, index=True)


class Milestone(Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[Optional[date]] = mapped_column(Date)
    done_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class ProjectUpdate(CreatedMixin, Base):
    """进展: a progress report by the lead, with percent done and an optional photo."""

    __tablename__ = "project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    percent_done: Mapped[int] = mapped_column(SmallInteger)
    author = relationship("User")
    photos: Mapped[list[Photo]] = relationship(order_by="Photo.id")


class ProjectRating(CreatedMixin, Base):
    """满意度: one rating per resident and project."""

    __tablename__ = "project_rating"
    __table_args__ = (
        UniqueConstraint("project_id", "user_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    user = relationship("User")
