"""The figures of /stats/ for a scope and a period, each from a few aggregate queries.

Needs and proposals are counted by when they were raised (submitted); ratings, claims, polls,
activities and volunteer hours by when they happened. Participation looks at the 30 days that
end with the period (or today, if the period is not over). Every figure is an aggregate: none
names or identifies a resident, so all are public (see the page's notes).
"""
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import distinct, exists, func, select, union

from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.stats.needs import NeedFigures, need_figures, percent
from forum.stats.sql import first_change_at, median, seconds_between, within

ACTIVE_DAYS = 30
# Proposals by outcome, in the order the page shows them.
PROPOSAL_OUTCOMES = {
    "open": ("collecting", "threshold_met", "in_deliberation"),
    "passed": ("passed", "implementing", "done"),
    "not_passed": ("not_passed",),
    "declined": ("declined",),
    "expired": ("expired",),
    "withdrawn": ("withdrawn",),
}
DECISIONS = ("passed", "not_passed", "declined")


def _average(total, count) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Satisfaction:
    """满意度, 1 to 5 stars: residents' ratings of projects and authors' ratings of their resolved needs."""

    project_stars: int
    project_ratings: int
    need_stars: int
    need_ratings: int

    @property
    def project_average(self) -> Decimal | None:
        return _average(self.project_stars, self.project_ratings)

    @property
    def need_average(self) -> Decimal | None:
        return _average(self.need_stars, self.need_ratings)

    @property
    def ratings(self) -> int:
        return self.project_ratings + self.need_ratings

    @property
    def average(self) -> Decimal | None:
        return _average(self.project_stars + self.need_stars, self.ratings)


def satisfaction(scope, bounds) -> Satisfaction:
    """Project ratings given in the period; needs whose author rated them in the period (a need
    rated twice counts once, with its latest stars)."""
    from forum.lists.models import Need, Project, ProjectRating

    project_stars, project_count = db.session.execute(
        select(func.sum(ProjectRating.score), func.count(ProjectRating.id))
        .join(Project, Project.id == ProjectRating.project_id)
        .where(Project.community_id.in_(scope.community_ids), *within(ProjectRating.created_at, bounds))).one()
    rated_in_period = exists().where(StatusChange.subject_type == "need", StatusChange.subject_id == Need.id,
                                     StatusChange.action.in_(("close", "reopen")),
                                     *within(StatusChange.created_at, bounds))
    need_stars, need_count = db.session.execute(
        select(func.sum(Need.rating), func.count(Need.id))
        .where(Need.community_id.in_(scope.community_ids), Need.rating.is_not(None), rated_in_period)).one()
    return Satisfaction(int(project_stars or 0), project_count, int(need_stars or 0), need_count)


@dataclass(frozen=True)
class ProposalFigures:
    submitted: int
    by_outcome: dict[str, int]
    median_decision_seconds: float | None
    decided: int


def proposal_figures(scope, bounds) -> ProposalFigures:
    """Proposals submitted (opened for support) in the period: their outcome now, and the median
    time from submission to the council's decision (passed, not passed or declined)."""
    from forum.proposals.models import Proposal

    conditions = (Proposal.community_id.in_(scope.community_ids), *within(Proposal.collecting_since, bounds))
    by_status = dict(db.session.execute(select(Proposal.status, func.count()).where(*conditions)
                                        .group_by(Proposal.status)).all())
    decided_at = first_change_at(Proposal, "proposal", StatusChange.to_state.in_(DECISIONS))
    seconds, decided = median(select(seconds_between(decided_at, Proposal.collecting_since)).where(*conditions))
    by_outcome = {outcome: sum(by_status.get(s, 0) for s in statuses)
                  for outcome, statuses in PROPOSAL_OUTCOMES.items()}
    return ProposalFigures(sum(by_status.values()), by_outcome, seconds, decided)


@dataclass(frozen=True)
class PollTurnout:
    poll_id: int
    title: str
    community: str
    state: str  # "open" or "closed"
    ballots: int  # online, and on paper once the counts are confirmed
    electorate: int
    share: Decimal | None  # percent


def poll_turnouts(scope, bounds, now) -> list[PollTurnout]:
    """Each poll of the scope whose voting window overlaps the period (and has opened)."""
    from forum.places.models import Community
    from forum.voting.models import Poll

    start, end = bounds
    polls = db.session.execute(
        select(Poll, Community.name).join(Community, Community.id == Poll.community_id)
        .where(Poll.community_id.in_(scope.community_ids), Poll.opens_at < end, Poll.closes_at >= start,
               Poll.opens_at <= now).order_by(Poll.opens_at, Poll.id)).all()
    return [PollTurnout(poll.id, poll.title, community, poll.state, *ballots_of(poll)) for poll, community in polls]


def ballots_of(poll) -> tuple[int, int, Decimal | None]:
    """Ballots cast (online, and on paper once confirmed), the electorate, the turnout in percent.
    Public while voting is open too: the poll's page shows the count as it grows."""
    from forum.voting import results

    paper = results.confirmed_paper(poll)
    ballots = results.online_ballots(poll) + (paper.ballot_count if paper else 0)
    electorate, _ = results.electorate_of(poll)
    return ballots, electorate, percent(ballots, electorate)


@dataclass(frozen=True)
class UnitContribution:
    unit_id: int
    name: str
    resources: int  # resources offered in the period
    needs_claimed: int  # needs the unit claimed in the period
    projects_led: int  # projects set up in the period with the unit leading
    volunteer_hours: Decimal  # hours given at the activities the unit organised in the period

    @property
    def weight(self) -> int:
        return self.resources + self.needs_claimed + self.projects_led


def _per_unit(stmt) -> dict[int, int]:
    return {unit_id: value for unit_id, value in db.session.execute(stmt).all()}


def unit_contributions(scope, bounds) -> list[UnitContribution]:
    """The units stationed in the scope, and any other unit that contributed there."""
    from forum.activities.models import Activity, Signup
    from forum.lists.models import Need, Project, Resource
    from forum.places.models import Unit, unit_communities

    ids = scope.community_ids
    resources = _per_unit(select(Resource.unit_id, func.count()).where(
        Resource.unit_id.is_not(None), Resource.community_id.in_(ids), *within(Resource.created_at, bounds))
        .group_by(Resource.unit_id))
    claimed_in_period = exists().where(StatusChange.subject_type == "need", StatusChange.subject_id == Need.id,
                                       StatusChange.action == "claim", *within(StatusChange.created_at, bounds))
    claims = _per_unit(select(Need.claimed_unit_id, func.count()).where(
        Need.claimed_unit_id.is_not(None), Need.community_id.in_(ids), claimed_in_period)
        .group_by(Need.claimed_unit_id))
    projects = _per_unit(select(Project.lead_unit_id, func.count()).where(
        Project.lead_unit_id.is_not(None), Project.community_id.in_(ids), *within(Project.created_at, bounds))
        .group_by(Project.lead_unit_id))
    hours = _per_unit(select(Activity.unit_id, func.sum(Signup.hours)).join(Signup, Signup.activity_id == Activity.id)
                      .where(Activity.unit_id.is_not(None), Activity.community_id.in_(ids),
                             *within(Activity.starts_at, bounds), Signup.attended.is_(True))
                      .group_by(Activity.unit_id))
    stationed = select(unit_communities.c.unit_id).where(unit_communities.c.community_id.in_(ids))
    wanted = set(resources) | set(claims) | set(projects) | set(hours)
    units = db.session.scalars(select(Unit).where(Unit.id.in_(stationed) | Unit.id.in_(wanted)))
    rows = [UnitContribution(u.id, u.name, resources.get(u.id, 0), claims.get(u.id, 0), projects.get(u.id, 0),
                             Decimal(hours.get(u.id) or 0)) for u in units]
    return sorted(rows, key=lambda row: (-row.weight, -row.volunteer_hours, row.name))


@dataclass(frozen=True)
class Volunteering:
    activities: int  # activities held in the period whose attendance was confirmed
    volunteers: int  # distinct people who came
    hours: Decimal


def volunteering(scope, bounds) -> Volunteering:
    from forum.activities.models import Activity, Signup

    held = (Activity.community_id.in_(scope.community_ids), *within(Activity.starts_at, bounds),
            Activity.status == "done")
    activities = db.session.scalar(select(func.count()).select_from(Activity).where(*held))
    volunteers, hours = db.session.execute(
        select(func.count(distinct(Signup.user_id)), func.sum(Signup.hours))
        .join(Activity, Activity.id == Signup.activity_id).where(*held, Signup.attended.is_(True))).one()
    return Volunteering(activities, volunteers, Decimal(hours or 0))


@dataclass(frozen=True)
class Participation:
    since: object  # the window's start and end (UTC)
    until: object
    active: int  # residents who did something in the window
    registered: int  # residents registered in the scope's communities
    share: Decimal | None


def _active_user_ids(ids, since, until):
    """Everyone who, in the window, posted a need, proposal or resource, supported a need or
    proposal, commented (on any discussion or on draft minutes), voted or signed up."""
    from forum.activities.models import Activity, Signup
    from forum.deliberations.models import Deliberation
    from forum.discussion.models import Comment, Thread
    from forum.lists.models import Need, NeedSupport, Resource
    from forum.minutes.models import MinutesComment, MinutesVersion
    from forum.proposals.models import Proposal, ProposalSupport
    from forum.voting.models import Poll, PollVoter

    window = (since, until)
    return union(
        select(Need.author_id).where(Need.community_id.in_(ids), *within(Need.created_at, window)),
        select(NeedSupport.user_id).join(Need, Need.id == NeedSupport.need_id)
        .where(Need.community_id.in_(ids), *within(NeedSupport.created_at, window)),
        select(Resource.owner_id).where(Resource.community_id.in_(ids), *within(Resource.created_at, window)),
        select(Proposal.author_id).where(Proposal.community_id.in_(ids), *within(Proposal.created_at, window)),
        select(ProposalSupport.user_id).join(Proposal, Proposal.id == ProposalSupport.proposal_id)
        .where(Proposal.community_id.in_(ids), *within(ProposalSupport.created_at, window)),
        select(Comment.author_id).join(Thread, Thread.id == Comment.thread_id)
        .where(Thread.community_id.in_(ids), *within(Comment.created_at, window)),
        select(MinutesComment.author_id).join(MinutesVersion, MinutesVersion.id == MinutesComment.version_id)
        .join(Deliberation, Deliberation.id == MinutesVersion.deliberation_id)
        .where(Deliberation.community_id.in_(ids), *within(MinutesComment.created_at, window)),
        # A ballot keeps no time (secrecy): voting in a poll open during the window counts.
        select(PollVoter.user_id).join(Poll, Poll.id == PollVoter.poll_id)
        .where(Poll.community_id.in_(ids), Poll.opens_at < until, Poll.closes_at >= since),
        select(Signup.user_id).join(Activity, Activity.id == Signup.activity_id)
        .where(Activity.community_id.in_(ids), *within(Signup.created_at, window)),
    )


def participation(scope, bounds, now) -> Participation:
    """Residents active in the 30 days that end with the period (or now), against those registered."""
    from forum.accounts.models import Membership, User

    until = min(bounds[1], now)
    since = until - timedelta(days=ACTIVE_DAYS)
    residents = (select(func.count(distinct(Membership.user_id))).join(User, User.id == Membership.user_id)
                 .where(Membership.community_id.in_(scope.community_ids), User.deleted_at.is_(None)))
    registered = db.session.scalar(residents)
    active_ids = _active_user_ids(scope.community_ids, since, until).subquery()
    active = db.session.scalar(residents.where(Membership.user_id.in_(select(active_ids.c[0]))))
    return Participation(since, until, active, registered, percent(active, registered))


@dataclass(frozen=True)
class Figures:
    needs: NeedFigures
    satisfaction: Satisfaction
    proposals: ProposalFigures
    polls: list[PollTurnout]
    units: list[UnitContribution]
    volunteering: Volunteering
    participation: Participation


def figures(scope, bounds, now) -> Figures:
    return Figures(need_figures(scope, bounds), satisfaction(scope, bounds), proposal_figures(scope, bounds),
                   poll_turnouts(scope, bounds, now), unit_contributions(scope, bounds),
                   volunteering(scope, bounds), participation(scope, bounds, now))
