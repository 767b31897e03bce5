"""Paper ballots (纸质票): a manager enters the counts, a second manager or staff confirms them.

Only confirmed counts are counted, shown apart from the online ballots in the result,
and every step is on the community's audit trail.
"""
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.core import audit
from forum.core.models import utcnow
from forum.core.permissions import ensure
from forum.extensions import db
from forum.voting import electorate, results
from forum.voting.models import PaperLine, PaperTally, Poll
from forum.voting.services import PollError, lock


def tally_of(poll: Poll) -> PaperTally | None:
    return db.session.scalar(select(PaperTally).where(PaperTally.poll_id == poll.id))


def _detail(poll: Poll, tally: PaperTally) -> str:
    """The counts, in the site's language (the trail is read long after, by anyone)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = {o.id: results.option_label(o) for o in poll.options}
    parts = [f"{labels[line.option_id]} {line.votes}" for line in tally.lines]
    return f"{'，'.join(parts)}（{tally.ballot_count}）"


def enter(user, poll: Poll, votes: dict[int, int], areas: dict[int, Decimal | None], ballots: int | None,
          note: str = "") -> PaperTally:
    """Record the counts of the paper ballots: `votes` and (for 双过半) `areas` by option id;
    `ballots` is asked for only on a multiple-choice poll (one ballot marks several options)."""
    ensure(user, "enter_paper_ballots", poll)
    poll = lock(poll)
    now = utcnow()
    if poll.status != "open" or poll.closes_at <= now or poll.opens_at > now:
        raise PollError("votes", _l("Paper ballots are entered while the poll is open."))
    if tally_of(poll) is not None:
        raise PollError("votes", _l("Paper ballot counts have already been entered for this poll."))
    ballots = _check(poll, votes, areas, ballots)
    tally = PaperTally(poll_id=poll.id, entered_by_id=user.id, entered_at=now, ballot_count=ballots,
                       note=(note or "").strip(),
                       lines=[PaperLine(option_id=o.id, votes=votes.get(o.id, 0), area=areas.get(o.id))
                              for o in poll.options])
    db.session.add(tally)
    db.session.flush()
    audit.record(db.session, user, "poll.paper_enter", poll, community_id=poll.community_id,
                 detail=_detail(poll, tally))
    db.session.commit()
    return tally


def _check(poll: Poll, votes: dict, areas: dict, ballots: int | None) -> int:
    if any(v is None or v < 0 for v in votes.values()):
        raise PollError("votes", _l("Please enter a count of 0 or more for each option."))
    marks = sum(votes.values())
    if poll.method != "multiple":
        ballots = marks
    elif ballots is None or ballots < max(votes.values(), default=0) or marks > ballots * poll.max_choices:
        raise PollError("ballot_count", _l("Please enter how many paper ballots were cast; each marks from 1 to "
                                           "%(num)d options.", num=poll.max_choices))
    if ballots == 0:
        raise PollError("votes", _l("Please enter the counts of the paper ballots."))
    size, _ = electorate.size(poll)
    if results.online_ballots(poll) + ballots > size:
        raise PollError("votes", _l("With these, there would be more ballots than people entitled to vote "
                                    "(%(num)d). Please check the counts.", num=size))
    if poll.pass_rule == "double_majority" and any(areas.get(o.id) is None for o in poll.options if votes.get(o.id)):
        raise PollError("areas", _l("双过半 needs the floor area behind each option’s paper ballots."))
    return ballots


def confirm(user, tally: PaperTally) -> None:
    """A second manager (or staff) confirms the counts; from then on they count."""
    ensure(user, "confirm_paper_ballots", tally)
    poll = lock(tally.poll)
    if tally.is_confirmed:
        raise PollError("votes", _l("These counts are already confirmed."))
    if poll.status != "open":
        raise PollError("votes", _l("The poll has closed; unconfirmed paper counts were not counted."))
    tally.confirmed_by_id, tally.confirmed_at = user.id, utcnow()
    audit.record(db.session, user, "poll.paper_confirm", poll, community_id=poll.community_id,
                 detail=_detail(poll, tally))
    db.session.commit()


def discard(user, tally: PaperTally) -> None:
    """Throw away counts not yet confirmed (a typing mistake), so they can be entered again."""
    ensure(user, "enter_paper_ballots", tally.poll)
    poll = lock(tally.poll)
    if tally.is_confirmed:
        raise PollError("votes", _l("Confirmed counts cannot be discarded."))
    audit.record(db.session, user, "poll.paper_discard", poll, community_id=poll.community_id,
                 detail=_detail(poll, tally))
    db.session.delete(tally)
    db.session.commit()
