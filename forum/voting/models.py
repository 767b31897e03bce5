"""Polls (表决/投票), their options, voter records, ballots and paper-ballot counts.

A secret ballot and the record that someone voted are stored apart: `PollVoter` says
who voted (and, for 一户一票, which household), `Ballot` what was voted, keyed by a
random receipt code. A ballot has no timestamp, no sequential id and (on SQLite) no
rowid, so nothing joins it to its voter; the voter's id is on the ballot only for
open (roll-call) polls. The database enforces one voter record per person and per
household, and the one transaction that writes both makes it one ballot each.
"""
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core import audit
from forum.core.models import Base, CreatedMixin, UTCDateTime, utcnow
from forum.core.workflow import declare

METHODS = ("yes_no", "single", "multiple")
ELECTORATES = ("council", "residents", "households")
PASS_RULES = ("simple_majority", "two_thirds", "electorate_majority", "double_majority", "plurality")
YES_NO_KEYS = ("yes", "no", "abstain")

# open: accepting ballots within its window (or waiting for it) · closed: counted.
# The site closes a poll when its time is up; staff may close one early, with a reason.
POLL = declare("poll", "open", {
    ("open", "edit"): ("open", {"staff", "moderator"}),  # the rules, until the first ballot
    ("open", "close"): ("closed", set()),
    ("open", "close_early"): ("closed", {"staff"}, True),
})

METHOD_LABELS = {"yes_no": _l("Yes / no / abstain"), "single": _l("Single choice"),
                 "multiple": _l("Multiple choice")}
ELECTORATE_LABELS = {
    "council": _l("The council: the deliberation’s participants"),
    "residents": _l("Verified residents"),
    "households": _l("One ballot per verified household"),
}
PASS_RULE_LABELS = {
    "simple_majority": _l("More than half of the votes cast"),
    "two_thirds": _l("Two thirds of the votes cast"),
    "electorate_majority": _l("More than half of the whole electorate"),
    "double_majority": _l("More than half of the households and of the floor area (双过半)"),
    "plurality": _l("The option with the most votes"),
}
STATE_LABELS = {"upcoming": _l("Not open yet"), "open": _l("Voting open"), "closed": _l("Voting closed")}
ACTION_LABELS = {"create": _l("Poll set up"), "edit": _l("Rules changed"),
                 "close": _l("Voting closed and counted"), "close_early": _l("Closed early")}
audit.LABELS.update({
    "poll.paper_enter": _l("entered paper ballot counts"),
    "poll.paper_confirm": _l("confirmed paper ballot counts"),
    "poll.paper_discard": _l("discarded paper ballot counts"),
    "poll.close_early": _l("closed a poll early"),
})

poll_compounds = Table(
    "poll_compound",
    Base.metadata,
    Column("poll_id", ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True),
    Column("compound_id", ForeignKey("compound.id"), primary_key=True),
)


class Poll(CreatedMixin, Base):
    __tablename__ = "poll"
    __table_args__ = (
        Index("ix_poll_list", "community_id", "closes_at"),
        Index("ix_poll_due", "status", "closes_at"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("quorum_percent >= 0 AND quorum_percent <= 100", name="quorum_range"),
        CheckConstraint("max_choices IS NULL OR max_choices >= 1", name="max_choices_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    deliberation_id: Mapped[int | None] = mapped_column(ForeignKey("deliberation.id"), index=True)
    # The proposal this poll decides (attached directly, or chosen among the deliberation's).
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(10))
    max_choices: Mapped[int | None] = mapped_column(Integer)
    electorate: Mapped[str] = mapped_column(String(12))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    results_live: Mapped[bool] = mapped_column(Boolean, default=False)
    quorum_percent: Mapped[int] = mapped_column(Integer, default=0)
    pass_rule: Mapped[str] = mapped_column(String(20))
    secret: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Fixed when the poll closes, so the result never moves afterwards.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    electorate_size: Mapped[int | None] = mapped_column(Integer)
    electorate_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    quorum_met: Mapped[bool | None] = mapped_column(Boolean)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    community = relationship("Community")
    deliberation = relationship("Deliberation")
    proposal = relationship("Proposal")
    created_by = relationship("User")
    options: Mapped[list["PollOption"]] = relationship(
        back_populates="poll", order_by="PollOption.position", cascade="all, delete-orphan")
    compounds = relationship("Compound", secondary=poll_compounds, order_by="Compound.id")

    @property
    def author_id(self) -> int:
        return self.created_by_id

    @property
    def is_closed(self) -> bool:
        """Closed, or due to close (the site closes it on the next look)."""
        return self.status == "closed" or self.closes_at <= utcnow()

    @property
    def state(self) -> str:
        if self.is_closed:
            return "closed"
        return "upcoming" if self.opens_at > utcnow() else "open"

    @property
    def results_visible(self) -> bool:
        return self.is_closed or self.results_live

    @property
    def decides(self) -> bool:
        """A yes/no poll passes or fails; a choice poll only finds the most-chosen option."""
        return self.method == "yes_no"

    @property
    def counts_households(self) -> bool:
        return self.electorate == "households"

    def relations_to(self, user) -> set[str]:
        """`elector` (may vote here), `moderator` (moderates its deliberation)."""
        from forum.voting.electorate import is_elector

        found = set()
        if self.deliberation is not None and "moderator" in self.deliberation.relations_to(user):
            found.add("moderator")
        if is_elector(self, user):
            found.add("elector")
        return found


class PollOption(Base):
    __tablename__ = "poll_option"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    # "yes", "no", "abstain" on a yes/no poll; None on a choice poll.
    key: Mapped[str | None] = mapped_column(String(10))

    poll: Mapped[Poll] = relationship(back_populates="options")


class PollVoter(Base):
    """That someone voted (never what): one per person and, for 一户一票, one per household."""

    __tablename__ = "poll_voter"
    __table_args__ = (UniqueConstraint("poll_id", "household_key"),)

    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    household_key: Mapped[str | None] = mapped_column(String(200))
    household_label: Mapped[str | None] = mapped_column(String(200))
    floor_area: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))

    user = relationship("User")


class Ballot(Base):
    """What was voted, keyed by the voter's receipt code. No time, no sequence, no rowid;
    `voter_id` only on open (roll-call) polls."""

    __tablename__ = "poll_ballot"
    __table_args__ = ({"sqlite_with_rowid": False},)

    receipt: Mapped[str] = mapped_column(String(20), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    voter = relationship("User")
    choices: Mapped[list["BallotChoice"]] = relationship(
        order_by="BallotChoice.option_id", cascade="all, delete-orphan", passive_deletes=True)


class BallotChoice(Base):
    __tablename__ = "poll_ballot_choice"
    __table_args__ = (Index("ix_poll_ballot_choice_count", "poll_id", "option_id"), {"sqlite_with_rowid": False})

    receipt: Mapped[str] = mapped_column(ForeignKey("poll_ballot.receipt", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_option.id", ondelete="CASCADE"), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"))


class PaperTally(Base):
    """纸质票: the counts of ballots cast in person, entered by one manager, confirmed by another."""

    __tablename__ = "poll_paper_tally"
    __table_args__ = (CheckConstraint("ballot_count >= 0", name="ballots_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), unique=True)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    # Paper ballots cast (on a multiple-choice poll one ballot marks several options).
    ballot_count: Mapped[int] = mapped_column(Integer)

    poll: Mapped[Poll] = relationship()
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])
    lines: Mapped[list["PaperLine"]] = relationship(
        order_by="PaperLine.option_id", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def community(self):
        return self.poll.community

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class PaperLine(Base):
    __tablename__ = "poll_paper_line"
    __table_args__ = (CheckConstraint("votes >= 0", name="votes_not_negative"),)

    tally_id: Mapped[int] = mapped_column(ForeignKey("poll_paper_tally.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_option.id", ondelete="CASCADE"), primary_key=True)
    votes: Mapped[int] = mapped_column(Integer)
    # For 双过半: the floor area of the households that marked this option.
    area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
