"""Polls: set up and change (until the first ballot), vote, close (when due, or early by staff).

A vote takes a shared lock on the poll row (PostgreSQL; SQLite's write lock is taken
at BEGIN), so a change of the rules or a close waits for votes in flight and no vote
slips in after them. The voter record and the ballot are written in one transaction;
the database's unique keys refuse a second ballot by the same person or household.
"""
import logging
import secrets
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, exists, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload

from forum.core import audit
from forum.core.models import utcnow
from forum.core.pagination import paginate
from forum.core.permissions import can, ensure
from forum.extensions import db
from forum.voting import electorate, results
from forum.voting.models import POLL, Ballot, BallotChoice, PaperTally, Poll, PollVoter

log = logging.getLogger(__name__)
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read back over the phone
ALREADY = _l("You have already voted in this poll.")


class PollError(ValueError):
    """A problem the user can fix or should know about, and the form field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


# --- reading ------------------------------------------------------------------------


def list_page(community_id: int | None, page: int | None):
    """Open polls first (closing soonest first), then closed ones (latest first)."""
    open_now = Poll.status == "open"
    stmt = select(Poll).options(joinedload(Poll.community))
    if community_id:
        stmt = stmt.where(Poll.community_id == community_id)
    stmt = stmt.order_by(case((open_now, 0), else_=1), case((open_now, Poll.closes_at)),
                         Poll.closes_at.desc(), Poll.id.desc())
    return paginate(stmt, page)


def polls_of_deliberation(deliberation) -> list[Poll]:
    return list(db.session.scalars(select(Poll).where(Poll.deliberation_id == deliberation.id)
                                   .order_by(Poll.opens_at, Poll.id)))


def polls_of_proposal(proposal) -> list[Poll]:
    """The polls that decide `proposal` (attached to it, or to its deliberation with it chosen)."""
    return list(db.session.scalars(select(Poll).where(Poll.proposal_id == proposal.id)
                                   .order_by(Poll.opens_at, Poll.id)))


def timeline(poll: Poll):
    return POLL.timeline(db.session, poll)


def has_ballots(poll: Poll) -> bool:
    """Whether anyone has voted, online or on paper: from then on the rules are frozen."""
    return bool(db.session.scalar(select(exists().where(PollVoter.poll_id == poll.id)))
                or db.session.scalar(select(exists().where(PaperTally.poll_id == poll.id))))


@dataclass
class VoterStatus:
    """How the person looking stands to the poll."""

    voted: bool = False
    household: str | None = None  # the household's label, in a 一户一票 poll
    household_voter: str | None = None  # who in the household cast its ballot
    choices: list = field(default_factory=list)  # what they chose, on an open poll


def voter_status(user, poll: Poll) -> VoterStatus:
    if not getattr(user, "is_authenticated", False):
        return VoterStatus()
    status = VoterStatus(voted=db.session.get(PollVoter, (poll.id, user.id)) is not None)
    household = electorate.household_for(poll, user)
    if household is not None:
        record = db.session.scalar(select(PollVoter).where(PollVoter.poll_id == poll.id,
                                                           PollVoter.household_key == household.key))
        status.household_voter = record.user.display_name if record else None
        status.household = (record.household_label if record else None) or household.label
    if status.voted and not poll.secret:
        ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.voter_id == user.id))
        status.choices = [c.option_id for c in ballot.choices] if ballot else []
    return status


# --- voting -------------------------------------------------------------------------


def lock(poll: Poll, shared: bool = False) -> Poll:
    """The poll re-read under its row lock (shared for voters, exclusive to change or close it)."""
    return db.session.scalars(select(Poll).where(Poll.id == poll.id).with_for_update(read=shared)
                              .execution_options(populate_existing=True)).one()


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def vote(user, poll: Poll, option_ids: list[int]) -> str:
    """Cast `user`'s ballot; return the receipt code (the only copy: it is not kept with the voter)."""
    poll = lock(poll, shared=True)
    _check_window(poll)
    if not can(user, "vote_in_poll", poll):
        raise PollError("vote", not_elector_message(poll, user))
    chosen = _check_choices(poll, option_ids)
    _refuse_second_vote(poll, user)
    household = electorate.household_for(poll, user)
    db.session.add(PollVoter(poll_id=poll.id, user_id=user.id, household_key=household and household.key,
                             household_label=household and household.label,
                             floor_area=household and household.floor_area))
    receipt = new_receipt()
    db.session.add(Ballot(receipt=receipt, poll_id=poll.id, voter_id=None if poll.secret else user.id,
                          choices=[BallotChoice(option_id=o, poll_id=poll.id) for o in chosen]))
    try:
        db.session.commit()
    except IntegrityError:  # the same person or household, in another request at the same moment
        db.session.rollback()
        _refuse_second_vote(poll, user)
        raise
    return receipt


def _check_window(poll: Poll) -> None:
    now = utcnow()
    if poll.status != "open" or poll.closes_at <= now:
        raise PollError("vote", _l("Voting in this poll has closed."))
    if poll.opens_at > now:
        raise PollError("vote", _l("Voting opens at %(time)s.", time=format_datetime(poll.opens_at,
                                                                                     "yyyy-MM-dd HH:mm")))


def not_elector_message(poll: Poll, user) -> str:
    if poll.electorate == "council":
        return _l("Only the council of this deliberation (its participants) can vote in this poll.")
    membership = user.membership_in(poll.community_id) if user.is_authenticated else None
    if membership is not None and not membership.is_verified:
        return _l("Your residence has not been verified yet; the community office can verify it.")
    if membership is not None and poll.compounds and membership.compound_id not in {c.id for c in poll.compounds}:
        return _l("This poll is for residents of %(compounds)s only.",
                  compounds="、".join(c.name for c in poll.compounds))
    if membership is not None and poll.electorate == "households":
        return _l("Your verified address has no building and room, so your household cannot be told apart; "
                  "the community office can complete it.")
    return _l("Only verified residents of %(community)s can vote in this poll.", community=poll.community.name)


def _check_choices(poll: Poll, option_ids: list[int]) -> list[int]:
    valid = {o.id for o in poll.options}
    chosen = sorted(set(option_ids))
    if not chosen or any(o not in valid for o in chosen):
        raise PollError("vote", _l("Please choose an option.") if poll.method != "multiple"
                        else _l("Please choose at least one option."))
    if poll.method != "multiple" and len(chosen) > 1:
        raise PollError("vote", _l("Please choose only one option."))
    if poll.method == "multiple" and len(chosen) > poll.max_choices:
        raise PollError("vote", _l("Please choose at most %(num)d options.", num=poll.max_choices))
    return chosen


def _refuse_second_vote(poll: Poll, user) -> None:
    if db.session.get(PollVoter, (poll.id, user.id)) is not None:
        raise PollError("vote", ALREADY)
    household = electorate.household_for(poll, user)
    if household is not None:
        other = db.session.scalar(select(PollVoter).where(PollVoter.poll_id == poll.id,
                                                          PollVoter.household_key == household.key))
        if other is not None:
            raise PollError("vote", _l("Your household (%(household)s) has already voted: %(name)s cast its "
                                       "ballot.", household=other.household_label or household.label,
                                       name=other.user.display_name))


# --- closing ------------------------------------------------------------------------


def close_if_due(poll: Poll) -> bool:
    """Close `poll` if its time is up (pages call this when they show it). True if it closed now."""
    if poll.status != "open" or poll.closes_at > utcnow():
        return False
    try:
        return _close(poll, None, "close")
    except OperationalError:  # SQLite busy: the next look (or `forum polls close-due`) closes it
        db.session.rollback()
        log.warning("poll %s is due to close but the database was busy", poll.id)
        return False


def close_due(polls: list[Poll]) -> None:
    """Before a deliberation's or proposal's page shows its polls: close those whose time is up."""
    for poll in polls:
        close_if_due(poll)


def close_due_polls() -> int:
    """Close every poll whose time is up; return how many closed."""
    due = list(db.session.scalars(select(Poll.id).where(Poll.status == "open", Poll.closes_at <= utcnow())))
    db.session.rollback()  # end the read before each close takes its own lock
    return sum(close_if_due(db.session.get(Poll, poll_id)) for poll_id in due)


def close_early(user, poll: Poll, reason: str) -> None:
    """Staff close a poll before its time, with the reason on its timeline."""
    reason = (reason or "").strip()
    POLL.transition(poll.status, "close_early")
    ensure(user, "poll:close_early", poll)
    if not reason:
        raise PollError("note", _l("Please give the reason; it is shown on the poll’s page."))
    _close(poll, user, "close_early", reason)


def _close(poll: Poll, actor, action: str, note: str = "") -> bool:
    poll = lock(poll)
    if poll.status != "open":
        db.session.rollback()
        return False
    poll.electorate_size, poll.electorate_area = electorate.size(poll)
    result = results.count(poll)
    poll.quorum_met, poll.passed, poll.closed_at = result.quorum_met, result.passed, utcnow()
    if actor is None:
        POLL.apply_as_system(db.session, poll, action, note=note)
    else:
        POLL.apply(db.session, poll, action, actor, note=note)
        audit.record(db.session, actor, "poll.close_early", poll, community_id=poll.community_id, detail=note)
    db.session.flush()
    _decide_proposal(poll, result)
    db.session.commit()
    return True


def _decide_proposal(poll: Poll, result) -> None:
    """A yes/no poll on a proposal under deliberation decides it (P's decide), with the sentence."""
    proposal = poll.proposal
    if not poll.decides or proposal is None or proposal.status != "in_deliberation":
        return
    from forum.proposals.services import decide
    from forum.voting.explain import sentence

    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        note = sentence(result, poll.counts_households)
    decide(proposal, bool(result.passed), actor=None, note=note, commit=False)
