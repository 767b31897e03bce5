"""A proposal (议题) and its supporters (附议), and the declared PROPOSAL workflow."""
import math
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.i18n import N_
from forum.core.models import Base, CreatedMixin, UTCDateTime, utcnow
from forum.core.workflow import declare

COUNCIL = {"staff", "council_member"}
# Steps no person takes: the site takes them when the count or the calendar says so.
SYSTEM_ACTIONS = ("reach_threshold", "expire", "release")
PROPOSAL = declare("proposal", "draft", {
    ("draft", "submit"): ("collecting", {"author"}),
    ("draft", "withdraw"): ("withdrawn", {"author"}),
    ("collecting", "withdraw"): ("withdrawn", {"author"}),
    ("collecting", "reach_threshold"): ("threshold_met", set()),
    ("collecting", "expire"): ("expired", set()),
    ("collecting", "decline"): ("declined", COUNCIL, True),
    ("threshold_met", "take_up"): ("in_deliberation", COUNCIL),
    ("threshold_met", "decline"): ("declined", COUNCIL, True),
    # Its deliberation was cancelled: back to waiting for one.
    ("in_deliberation", "release"): ("threshold_met", set()),
    ("in_deliberation", "pass"): ("passed", {"staff", "moderator"}),
    ("in_deliberation", "reject"): ("not_passed", {"staff", "moderator"}),
    ("passed", "implement"): ("implementing", {"staff"}),
    ("implementing", "complete"): ("done", {"staff"}),
})
# Statuses as msgids (N_) so notifications can store them and translate when read.
STATUS_MSGIDS = {
    "draft": N_("Draft"), "collecting": N_("Collecting support"), "threshold_met": N_("Threshold met"),
    "expired": N_("Expired"), "declined": N_("Declined"), "withdrawn": N_("Withdrawn"),
    "in_deliberation": N_("In deliberation"), "passed": N_("Passed"), "not_passed": N_("Not passed"),
    "implementing": N_("Being implemented"), "done": N_("Done"),
}
STATUS_LABELS = {code: _l(msgid) for code, msgid in STATUS_MSGIDS.items()}
ACTION_LABELS = {
    "create": _l("Draft written"), "submit": _l("Submitted; collecting support"),
    "withdraw": _l("Withdrawn by the author"), "reach_threshold": _l("Support threshold reached"),
    "expire": _l("Collection window closed without enough support"), "decline": _l("Declined"),
    "take_up": _l("Taken up into a deliberation"), "release": _l("Its deliberation was cancelled; waiting for another"), "pass": _l("Passed"), "reject": _l("Not passed"),
    "implement": _l("Implementation started as a project"), "complete": _l("Implemented and done"),
}
# While these hold, verified residents may support (附议) the proposal.
SUPPORT_STATUSES = ("collecting", "threshold_met")
# Shown in lists: everything that has been public (drafts and withdrawn ones are not listed).
LISTED_STATUSES = ("collecting", "threshold_met", "in_deliberation", "passed", "not_passed",
                   "implementing", "done", "declined", "expired")


class Proposal(CreatedMixin, Base):
    __tablename__ = "proposal"
    __table_args__ = (
        Index("ix_proposal_list", "community_id", "status", "created_at"),
        Index("ix_proposal_status_created", "status", "created_at"),
        # The public list: several statuses, not held or hidden, newest first (migration 0016).
        Index("ix_proposal_listed", "status", "moderation_state", "created_at"),
        Index("ix_proposal_created", "created_at", "id"),
        # Finds the collecting proposals whose window has closed (expire_overdue).
        Index("ix_proposal_due", "status", "collecting_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # Moderation: None = shown; "held" awaits review (先审后发); "hidden" by a moderator or by reports.
    moderation_state: Mapped[str | None] = mapped_column(String(10), index=True)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    # Fixed when collection opens, from the community's settings at that moment.
    support_threshold: Mapped[int | None] = mapped_column(Integer)
    collecting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    collecting_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the proposal is implemented as a project (项目清单).
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    community = relationship("Community")
    author = relationship("User")
    project = relationship("Project")
    deliberations: Mapped[list["Deliberation"]] = relationship(  # noqa: F821
        secondary="deliberation_proposal", back_populates="proposals", order_by="Deliberation.starts_at"
    )

    @property
    def window_closed(self) -> bool:
        """The collection window has passed (the proposal may not be marked expired yet)."""
        return self.status == "collecting" and self.collecting_until is not None \
            and self.collecting_until <= utcnow()

    @property
    def accepts_support(self) -> bool:
        return self.status in SUPPORT_STATUSES and not self.window_closed

    @property
    def days_left(self) -> int | None:
        """Whole days (rounded up) until the collection window closes, while collecting."""
        if self.status != "collecting" or self.collecting_until is None:
            return None
        return max(0, math.ceil((self.collecting_until - utcnow()).total_seconds() / 86400))

    @property
    def has_been_public(self) -> bool:
        """Submitted once (so neighbours may have seen and supported it)."""
        return self.collecting_since is not None

    def relations_to(self, user) -> set[str]:
        """`author`; `moderator` for a moderator (主持人) of a deliberation the proposal is in."""
        found = {"author"} if self.author_id is not None and self.author_id == user.id else set()
        if any("moderator" in deliberation.relations_to(user) for deliberation in self.deliberations):
            found.add("moderator")
        return found


class ProposalSupport(CreatedMixin, Base):
    """附议: one per verified resident and proposal; undoable."""

    __tablename__ = "proposal_support"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    user = relationship("User")
