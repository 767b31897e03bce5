"""Activities (活动清单): scheduled events, their sign-ups and the volunteer hours given."""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin, UTCDateTime, utcnow
from forum.core.workflow import declare

# open: sign-ups accepted until full · closed: sign-ups stopped · done: attendance confirmed.
MANAGERS = {"staff", "organiser"}
ACTIVITY = declare("activity", "open", {
    ("open", "close"): ("closed", MANAGERS),
    ("closed", "reopen"): ("open", MANAGERS),
    ("open", "cancel"): ("cancelled", MANAGERS, True),
    ("closed", "cancel"): ("cancelled", MANAGERS, True),
    ("open", "confirm"): ("done", MANAGERS),
    ("closed", "confirm"): ("done", MANAGERS),
})

STATUS_LABELS = {
    "open": _l("Open for sign-up"),
    "closed": _l("Sign-up closed"),
    "done": _l("Finished"),
    "cancelled": _l("Cancelled"),
}
# What a list card says: the status, except that an open activity may be full or begun.
BADGE_LABELS = {**STATUS_LABELS, "full": _l("Full")}
ACTION_LABELS = {
    "create": _l("Activity published"),
    "close": _l("Sign-up closed"),
    "reopen": _l("Sign-up reopened"),
    "cancel": _l("Activity cancelled"),
    "confirm": _l("Attendance and volunteer hours confirmed"),
}
MAX_HOURS = 24


class Activity(CreatedMixin, Base):
    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_list", "community_id", "status", "starts_at"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        # The last line of defence against overbooking: the counter is kept under a row lock.
        CheckConstraint("signup_count >= 0 AND signup_count <= capacity", name="within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("unit.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    signup_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="open")

    community = relationship("Community")
    unit = relationship("Unit")
    author = relationship("User")
    signups: Mapped[list["Signup"]] = relationship(
        back_populates="activity", order_by="Signup.id", passive_deletes=True
    )

    @property
    def is_full(self) -> bool:
        return self.signup_count >= self.capacity

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def accepts_signups(self) -> bool:
        return self.status == "open" and not self.has_begun and not self.is_full

    @property
    def signups_cancellable(self) -> bool:
        return self.status in ("open", "closed") and not self.has_begun

    @property
    def badge(self) -> str:
        if self.status == "open" and self.has_begun:
            return "closed"
        if self.status == "open" and self.is_full:
            return "full"
        return self.status

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.signup_count)

    @property
    def duration_hours(self) -> Decimal:
        """The activity's length in hours, to the half hour: the default volunteer hours."""
        half_hours = round((self.ends_at - self.starts_at).total_seconds() / 1800)
        return min(Decimal(MAX_HOURS), Decimal(half_hours) / 2)

    def relations_to(self, user) -> set[str]:
        """How `user` stands to this activity, for the workflow's pseudo-roles."""
        return {"organiser"} if self.unit is not None and user in self.unit.contacts else set()


class Signup(CreatedMixin, Base):
    """One person's sign-up (报名); after the activity staff record attendance and hours."""

    __tablename__ = "activity_signup"
    __table_args__ = (
        UniqueConstraint("activity_id", "user_id"),
        CheckConstraint(f"hours IS NULL OR (hours >= 0 AND hours <= {MAX_HOURS})", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # None until attendance is confirmed; hours only for those who came.
    attended: Mapped[Optional[bool]] = mapped_column(Boolean)
    hours: Mapped[Optional[Decimal]] = mapped_column(Numeric(4, 1))
    confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    activity: Mapped[Activity] = relationship(back_populates="signups")
    user = relationship("User", foreign_keys=[user_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])
