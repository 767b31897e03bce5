"""A poll's count from the database: the numbers for forum.voting.tally, the sentence, the ballots."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.core.pagination import paginate
from forum.extensions import db
from forum.voting import electorate, explain
from forum.voting.models import Ballot, BallotChoice, PaperTally, Poll, PollVoter
from forum.voting.tally import OptionCount, Result, Rules, tally

YES_NO_LABELS = {"yes": _l("In favour"), "no": _l("Against"), "abstain": _l("Abstain")}
ZERO = Decimal(0)


def option_label(option) -> str:
    return str(YES_NO_LABELS[option.key]) if option.key in YES_NO_LABELS else option.label


@dataclass(frozen=True)
class Outcome:
    """What a page shows of a result: the numbers and the sentence that explains them."""

    result: Result
    sentence: str


def confirmed_paper(poll: Poll) -> PaperTally | None:
    return db.session.scalar(select(PaperTally).where(PaperTally.poll_id == poll.id,
                                                       PaperTally.confirmed_at.is_not(None)))


def _online_counts(poll: Poll) -> dict[int, int]:
    rows = db.session.execute(select(BallotChoice.option_id, func.count())
                              .where(BallotChoice.poll_id == poll.id).group_by(BallotChoice.option_id))
    return dict(rows.all())


def _online_areas(poll: Poll) -> dict[int, Decimal]:
    """Floor area behind each option; only open ballots carry their voter, so only they can say."""
    if poll.secret or not poll.counts_households:
        return {}
    rows = db.session.execute(
        select(BallotChoice.option_id, func.sum(PollVoter.floor_area))
        .join(Ballot, Ballot.receipt == BallotChoice.receipt)
        .join(PollVoter, (PollVoter.poll_id == Ballot.poll_id) & (PollVoter.user_id == Ballot.voter_id))
        .where(BallotChoice.poll_id == poll.id).group_by(BallotChoice.option_id))
    return {option_id: Decimal(area or 0) for option_id, area in rows}


def online_ballots(poll: Poll) -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id))


def electorate_of(poll: Poll) -> tuple[int, Decimal]:
    """Fixed at close; counted afresh while the poll is open."""
    if poll.electorate_size is not None:
        return poll.electorate_size, Decimal(poll.electorate_area or 0)
    return electorate.size(poll)


def count(poll: Poll) -> Result:
    online, areas = _online_counts(poll), _online_areas(poll)
    paper = confirmed_paper(poll)
    lines = {line.option_id: line for line in paper.lines} if paper else {}
    options = []
    for option in poll.options:
        line = lines.get(option.id)
        options.append(OptionCount(
            label=option_label(option), key=option.key, online=online.get(option.id, 0),
            paper=line.votes if line else 0,
            area=areas.get(option.id, ZERO) + (Decimal(line.area or 0) if line else ZERO)))
    size, area = electorate_of(poll)
    paper_ballots = paper.ballot_count if paper else 0
    return tally(options, ballots=online_ballots(poll) + paper_ballots, paper_ballots=paper_ballots,
                 electorate=size, electorate_area=area,
                 rules=Rules(poll.method, poll.pass_rule, poll.quorum_percent))


def outcome(poll: Poll) -> Outcome:
    result = count(poll)
    return Outcome(result, explain.sentence(result, poll.counts_households))


def published_ballots(poll: Poll, page: int | None, per_page: int = 100):
    """The ballots in receipt order (random, so never the order they were cast in)."""
    stmt = (select(Ballot).options(selectinload(Ballot.choices), selectinload(Ballot.voter))
            .where(Ballot.poll_id == poll.id).order_by(Ballot.receipt))
    return paginate(stmt, page, per_page)


def find_ballot(poll: Poll, receipt: str) -> Ballot | None:
    code = normalise_receipt(receipt)
    if not code:
        return None
    return db.session.scalar(select(Ballot).options(selectinload(Ballot.choices))
                             .where(Ballot.poll_id == poll.id, Ballot.receipt == code))


def normalise_receipt(text: str) -> str:
    """What a voter types back: any case, with or without the dashes and spaces."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != 12:
        return ""
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def roll_call(poll: Poll) -> list[PollVoter]:
    """Who voted (never what, on a secret poll), by name."""
    from forum.accounts.models import User

    return list(db.session.scalars(select(PollVoter).join(User, User.id == PollVoter.user_id)
                                   .options(selectinload(PollVoter.user))
                                   .where(PollVoter.poll_id == poll.id).order_by(User.display_name, User.id)))
