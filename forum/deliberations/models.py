"""A deliberation (议事): a council session with participants, moderators and an agenda."""
from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.i18n import N_
from forum.core.models import Base, CreatedMixin, UTCDateTime, utcnow
from forum.core.workflow import declare

# 居民议事会, 四方议事会, 听证会, 评议会, other
DELIBERATION_KINDS = ("residents_council", "four_party", "hearing", "review", "other")
RSVP_ANSWERS = ("yes", "no", "maybe")

# Who runs a deliberation: staff and moderators ("moderator": the community's moderators and the
# deliberation's own 主持人). Publishing the minutes is the minutes feature's step, taken as the site.
RUNNERS = {"staff", "moderator"}
DELIBERATION = declare("deliberation", "scheduled", {
    ("scheduled", "open"): ("open", RUNNERS),
    ("open", "start_voting"): ("voting", RUNNERS),
    ("open", "conclude"): ("concluded", RUNNERS),
    ("voting", "conclude"): ("concluded", RUNNERS),
    ("concluded", "publish_minutes"): ("published", set()),
    ("scheduled", "cancel"): ("cancelled", {"staff"}, True),
})
# Not yet concluded: participants may still answer the invitation.
ACTIVE_STATUSES = ("scheduled", "open", "voting")

KIND_MSGIDS = {
    "residents_council": N_("Residents' council"), "four_party": N_("Four-party council"),
    "hearing": N_("Hearing"), "review": N_("Review meeting"), "other": N_("Other meeting"),
}
KIND_LABELS = {code: _l(msgid) for code, msgid in KIND_MSGIDS.items()}
STATUS_LABELS = {
    "scheduled": _l("Scheduled"), "open": _l("In session"), "voting": _l("Voting"),
    "concluded": _l("Concluded"), "published": _l("Minutes published"), "cancelled": _l("Cancelled"),
}
ACTION_LABELS = {
    "create": _l("Deliberation scheduled"), "open": _l("Session opened"), "start_voting": _l("Voting started"),
    "conclude": _l("Deliberation concluded"), "publish_minutes": _l("Minutes published"),
    "cancel": _l("Deliberation cancelled"),
}
RSVP_LABELS = {"yes": _l("Will attend"), "no": _l("Cannot attend"), "maybe": _l("Not sure yet")}
# The usual seats of a council; the form suggests them and takes any other label too.
SEAT_SUGGESTIONS = ("社区党组织", "居委会", "物业", "业委会", "居民代表", "驻区单位")


class Deliberation(CreatedMixin, Base):
    __tablename__ = "deliberation"
    __table_args__ = (Index("ix_deliberation_list", "community_id", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str | None] = mapped_column(String(200))
    online_url: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    community = relationship("Community")
    created_by = relationship("User")
    proposals: Mapped[list["Proposal"]] = relationship(  # noqa: F821
        secondary="deliberation_proposal", back_populates="deliberations", order_by="Proposal.id"
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="deliberation", order_by="Participant.id", cascade="all, delete-orphan"
    )
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="deliberation", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    @property
    def author_id(self) -> int:
        return self.created_by_id

    @property
    def moderators(self) -> list["Participant"]:
        return [p for p in self.participants if p.is_moderator]

    def participant_for(self, user) -> Optional["Participant"]:
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return next((p for p in self.participants if p.user_id == user.id), None)

    def relations_to(self, user) -> set[str]:
        """`moderator` (主持人), `participant` (a seat on the council), `attendee` (attendance recorded)."""
        participant = self.participant_for(user)
        if participant is None:
            return set()
        found = {"participant"}
        if participant.is_moderator:
            found.add("moderator")
        if participant.attended:
            found.add("attendee")
        return found


class DeliberationProposal(Base):
    __tablename__ = "deliberation_proposal"

    deliberation_id: Mapped[int] = mapped_column(ForeignKey("deliberation.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), primary_key=True, index=True)


class Participant(CreatedMixin, Base):
    """A seat at the deliberation (社区党组织, 居委会, 物业, 业委会, 居民代表, 驻区单位, ...)."""

    __tablename__ = "deliberation_participant"
    __table_args__ = (UniqueConstraint("deliberation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(ForeignKey("deliberation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    seat: Mapped[str] = mapped_column(String(40))
    is_moderator: Mapped[bool] = mapped_column(Boolean, default=False)
    rsvp: Mapped[str | None] = mapped_column(String(10))  # one of RSVP_ANSWERS
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # None until a moderator records attendance; then True (present) or False (absent).
    attended: Mapped[bool | None] = mapped_column(Boolean)
    attendance_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    deliberation: Mapped[Deliberation] = relationship(back_populates="participants")
    user = relationship("User", foreign_keys=[user_id])
    attendance_recorded_by = relationship("User", foreign_keys=[attendance_recorded_by_id])


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("deliberation_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(ForeignKey("deliberation.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"))

    deliberation: Mapped[Deliberation] = relationship(back_populates="agenda")
    proposal = relationship("Proposal")
