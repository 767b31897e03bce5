"""Ledgers (台账): the needs, projects, deliberations and minutes, poll results and volunteer hours of a
scope and a period, as rows under Chinese headers, for Excel and CSV (forum/stats/files.py).

Each ledger takes the filters of /stats/ (community or street, period) and, where they apply, a
category and a status. Times are local (Asia/Shanghai). Phone numbers are always masked
(138****5678): a ledger is printed and passed around; staff who must call someone reveal the
number on the member's or the need's page, which the audit trail records. Downloading a ledger that
names people (`personal`) writes an audit entry in each community it covers.
"""
from dataclasses import dataclass, field
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.core.workflow import StatusChange
from forum.extensions import db
from forum.stats.sql import first_change_at, within

YES, NO = _l("Yes"), _l("No")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 12  # in characters, for the spreadsheet


@dataclass(frozen=True)
class Filters:
    category: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class Ledger:
    name: str
    title: str
    columns: list[Column]
    rows: Callable  # (reader, scope, bounds, filters) -> iterable of lists, one value per column
    personal: bool  # names people: downloads are audited
    statuses: dict = field(default_factory=dict)  # the status filter's choices; empty: no status filter
    by_category: bool = False


def mask(phone: str | None) -> str:
    """138****5678; nothing for a missing or placeholder number (a deleted account's)."""
    if not phone or len(phone) != 11 or not phone.isdigit():
        return ""
    return f"{phone[:3]}****{phone[-4:]}"


def _person(name, phone, deleted_at) -> tuple[str, str]:
    from forum.accounts.models import DELETED_USER_NAME

    if deleted_at is not None:
        return str(DELETED_USER_NAME), ""
    return name or "", mask(phone)


# --- needs ------------------------------------------------------------------------


def need_rows(reader, scope, bounds, filters: Filters):
    from forum.accounts.models import User
    from forum.core.categories import CATEGORIES
    from forum.core.permissions import can
    from forum.lists.models import Need
    from forum.lists.needs import STATUS_LABELS, URGENCY_LABELS
    from forum.places.models import Community, Compound, Unit
    from forum.stats.needs import first_response_at, in_scope, resolved_at

    stmt = (select(Need.id, Need.title, Need.community_id, Community.name, Compound.name, Need.location,
                   Need.category, Need.urgency, Need.status, Need.created_at, first_response_at(), resolved_at(),
                   Unit.name, Need.support_count,
                   Need.rating, Need.anonymous, Need.entered_by_id, Need.proxy_name, Need.proxy_phone,
                   User.stored_name, User.phone, User.deleted_at, Need.resolution)
            .join(Community, Community.id == Need.community_id)
            .outerjoin(Compound, Compound.id == Need.compound_id).outerjoin(Unit, Unit.id == Need.claimed_unit_id)
            .outerjoin(User, User.id == Need.author_id)
            .where(*in_scope(scope, bounds)).order_by(Need.created_at, Need.id))
    if filters.category:
        stmt = stmt.where(Need.category == filters.category)
    if filters.status:
        stmt = stmt.where(Need.status == filters.status)
    # An anonymous need's author is named only to those who may see it (staff, not supervisors).
    sees_authors = {c.id for c in scope.communities if can(reader, "see_need_author", c)}
    for (need_id, title, community_id, community, compound, location, category, urgency, status, created_at,
         responded_at, resolved, unit, supports, rating, anonymous, entered_by, proxy_name, proxy_phone, name, phone,
         deleted_at, resolution) in db.session.execute(stmt):
        if name is None and deleted_at is None:  # 代录入 for someone without an account
            name, phone = proxy_name, proxy_phone
        author, masked = _person(name, phone, deleted_at)
        if anonymous and community_id not in sees_authors:
            author, masked = str(_l("Anonymous resident")), ""
        yield [need_id, title, community, compound or "", location or "", CATEGORIES.get(category, category),
               URGENCY_LABELS.get(urgency, urgency), STATUS_LABELS.get(status, status), created_at, responded_at,
               resolved, unit or "", supports, rating, author, masked, YES if entered_by else NO,
               YES if anonymous else NO, resolution or ""]


NEED_COLUMNS = [
    Column(_l("No."), 8), Column(_l("Title"), 30), Column(_l("Community"), 12), Column(_l("Compound"), 12),
    Column(_l("Location"), 16), Column(_l("Category"), 12), Column(_l("Urgency"), 8), Column(_l("Status"), 10),
    Column(_l("Submitted at"), 17), Column(_l("First response at"), 17), Column(_l("Resolved at"), 17),
    Column(_l("Claimed by unit"), 18), Column(_l("Supporters"), 8), Column(_l("Rating (stars)"), 8),
    Column(_l("Raised by"), 10), Column(_l("Phone (masked)"), 14), Column(_l("Entered by staff"), 8),
    Column(_l("Anonymous"), 8), Column(_l("How it was resolved"), 30),
]


# --- projects ---------------------------------------------------------------------


def project_rows(reader, scope, bounds, filters: Filters):
    from forum.accounts.models import User
    from forum.lists.models import Project, ProjectNeed, ProjectRating, ProjectResource
    from forum.lists.projects import STATUS_LABELS
    from forum.places.models import Community, Unit

    def count_of(column):
        return select(func.count()).where(column == Project.id).correlate(Project).scalar_subquery()

    ratings = (select(func.sum(ProjectRating.score)).where(ProjectRating.project_id == Project.id)
               .correlate(Project).scalar_subquery())
    stmt = (select(Project.id, Project.title, Community.name, Unit.name, User.stored_name, User.deleted_at,
                   Project.status, Project.planned_start, Project.planned_end, Project.budget, Project.percent_done,
                   count_of(ProjectNeed.project_id), count_of(ProjectResource.project_id), ratings,
                   count_of(ProjectRating.project_id), Project.created_at,
                   first_change_at(Project, "project", StatusChange.to_state == "completed"))
            .join(Community, Community.id == Project.community_id).outerjoin(Unit, Unit.id == Project.lead_unit_id)
            .join(User, User.id == Project.responsible_id)
            .where(Project.community_id.in_(scope.community_ids), *within(Project.created_at, bounds))
            .order_by(Project.created_at, Project.id))
    if filters.status:
        stmt = stmt.where(Project.status == filters.status)
    for (project_id, title, community, unit, responsible, deleted_at, status, start, end, budget, percent, needs,
         resources, stars, raters, created_at, completed_at) in db.session.execute(stmt):
        average = round(stars / raters, 2) if raters else None
        yield [project_id, title, community, unit or "", _person(responsible, None, deleted_at)[0],
               STATUS_LABELS.get(status, status), start, end, budget, percent, needs, resources, average, raters,
               created_at, completed_at]


PROJECT_COLUMNS = [
    Column(_l("No."), 8), Column(_l("Project"), 30), Column(_l("Community"), 12), Column(_l("Lead unit"), 18),
    Column(_l("Responsible"), 10), Column(_l("Status"), 10), Column(_l("Planned start"), 12),
    Column(_l("Planned end"), 12), Column(_l("Budget (yuan)"), 12), Column(_l("Percent done"), 8),
    Column(_l("Needs met"), 8), Column(_l("Resources used"), 8), Column(_l("Satisfaction (stars)"), 8),
    Column(_l("Ratings"), 8), Column(_l("Set up at"), 17), Column(_l("Completed at"), 17),
]


# --- deliberations and minutes ------------------------------------------------------


def _grouped(stmt) -> dict:
    found: dict = {}
    for key, value in db.session.execute(stmt):
        found.setdefault(key, []).append(value)
    return found


def _minutes_by_deliberation(ids) -> dict:
    """Per deliberation: (latest version's status, latest published version) from one query."""
    from forum.minutes.models import MinutesVersion

    found: dict = {}
    for version in db.session.scalars(select(MinutesVersion).where(MinutesVersion.deliberation_id.in_(ids))
                                      .order_by(MinutesVersion.number)):
        published = found.get(version.deliberation_id, (None, None))[1]
        found[version.deliberation_id] = (version, version if version.status == "published" else published)
    return found


def deliberation_rows(reader, scope, bounds, filters: Filters):
    from forum.deliberations.models import (KIND_LABELS, STATUS_LABELS, Deliberation, DeliberationProposal,
                                            Participant)
    from forum.minutes.models import STATUS_LABELS as MINUTES_LABELS
    from forum.places.models import Community
    from forum.proposals.models import Proposal
    from forum.voting.models import Poll

    stmt = (select(Deliberation, Community.name).join(Community, Community.id == Deliberation.community_id)
            .where(Deliberation.community_id.in_(scope.community_ids), *within(Deliberation.starts_at, bounds))
            .order_by(Deliberation.starts_at, Deliberation.id))
    if filters.status:
        stmt = stmt.where(Deliberation.status == filters.status)
    found = db.session.execute(stmt).all()
    ids = [deliberation.id for deliberation, _ in found]
    proposals = _grouped(select(DeliberationProposal.deliberation_id, Proposal.title)
                         .join(Proposal, Proposal.id == DeliberationProposal.proposal_id)
                         .where(DeliberationProposal.deliberation_id.in_(ids)).order_by(Proposal.id))
    seats = _grouped(select(Participant.deliberation_id, Participant.attended)
                     .where(Participant.deliberation_id.in_(ids)))
    polls = dict(db.session.execute(select(Poll.deliberation_id, func.count()).where(Poll.deliberation_id.in_(ids))
                                    .group_by(Poll.deliberation_id)).all())
    minutes = _minutes_by_deliberation(ids)
    for deliberation, community in found:
        attended = seats.get(deliberation.id, [])
        latest, published = minutes.get(deliberation.id, (None, None))
        decisions = [note.get("decision", "").strip() for note in (published.agenda_notes if published else [])]
        yield [deliberation.id, deliberation.title, community, KIND_LABELS.get(deliberation.kind, deliberation.kind),
               deliberation.starts_at, deliberation.place or deliberation.online_url or "",
               STATUS_LABELS.get(deliberation.status, deliberation.status),
               "；".join(proposals.get(deliberation.id, [])), len(attended), attended.count(True),
               attended.count(False), polls.get(deliberation.id, 0),
               MINUTES_LABELS.get(latest.status, latest.status) if latest else "",
               published.number if published else None, published.published_at if published else None,
               "；".join(filter(None, decisions))]


DELIBERATION_COLUMNS = [
    Column(_l("No."), 8), Column(_l("Deliberation"), 30), Column(_l("Community"), 12), Column(_l("Kind"), 12),
    Column(_l("Starts"), 17), Column(_l("Place"), 20), Column(_l("Status"), 10), Column(_l("Proposals"), 30),
    Column(_l("Seats"), 6), Column(_l("Present"), 6), Column(_l("Absent"), 6), Column(_l("Polls held"), 6),
    Column(_l("Minutes"), 14), Column(_l("Published version"), 8), Column(_l("Minutes published at"), 17),
    Column(_l("Decisions"), 40),
]


# --- poll results -----------------------------------------------------------------


def poll_rows(reader, scope, bounds, filters: Filters):
    from forum.places.models import Community
    from forum.stats.services import ballots_of
    from forum.voting import results
    from forum.voting.models import ELECTORATE_LABELS, METHOD_LABELS, PASS_RULE_LABELS, STATE_LABELS, Poll

    start, end = bounds
    stmt = (select(Poll, Community.name).join(Community, Community.id == Poll.community_id)
            .where(Poll.community_id.in_(scope.community_ids), Poll.opens_at < end, Poll.closes_at >= start)
            .order_by(Poll.opens_at, Poll.id))
    for poll, community in db.session.execute(stmt):
        ballots, electorate, share = ballots_of(poll)
        outcome = results.outcome(poll) if poll.results_visible else None
        verdict = ""
        if outcome is not None and poll.is_closed and poll.decides:
            verdict = _l("Passed") if outcome.result.passed else _l("Not passed")
        votes = "；".join(f"{row.label} {row.votes}" for row in outcome.result.rows) if outcome else ""
        paper = results.confirmed_paper(poll)
        yield [poll.id, poll.title, community, poll.deliberation.title if poll.deliberation else "",
               poll.proposal.title if poll.proposal else "", METHOD_LABELS[poll.method],
               ELECTORATE_LABELS[poll.electorate], PASS_RULE_LABELS[poll.pass_rule], poll.opens_at, poll.closes_at,
               STATE_LABELS[poll.state], electorate, ballots, paper.ballot_count if paper else 0,
               f"{share}%" if share is not None else "", verdict, votes,
               outcome.sentence if outcome else _l("Shown when voting closes")]


POLL_COLUMNS = [
    Column(_l("No."), 8), Column(_l("Poll"), 30), Column(_l("Community"), 12), Column(_l("Deliberation"), 20),
    Column(_l("Proposal"), 20), Column(_l("How to vote"), 12), Column(_l("Who may vote"), 20),
    Column(_l("Pass rule"), 20), Column(_l("Voting opens"), 17), Column(_l("Voting closes"), 17),
    Column(_l("State"), 10), Column(_l("Entitled to vote"), 8), Column(_l("Ballots cast"), 8), Column(_l("Of which on paper"), 8),
    Column(_l("Turnout"), 8), Column(_l("Result"), 8), Column(_l("Votes per option"), 30),
    Column(_l("Result explained"), 50),
]


# --- volunteer hours --------------------------------------------------------------


def hour_rows(reader, scope, bounds, filters: Filters):
    from sqlalchemy.orm import aliased

    from forum.accounts.models import User
    from forum.activities.models import Activity, Signup
    from forum.places.models import Community, Unit

    confirmer = aliased(User)
    stmt = (select(Activity.id, Activity.title, Community.name, Unit.name, Activity.starts_at, User.stored_name,
                   User.phone, User.deleted_at, Signup.hours, Signup.confirmed_at, confirmer.stored_name)
            .join(Activity, Activity.id == Signup.activity_id).join(Community, Community.id == Activity.community_id)
            .outerjoin(Unit, Unit.id == Activity.unit_id).join(User, User.id == Signup.user_id)
            .outerjoin(confirmer, confirmer.id == Signup.confirmed_by_id)
            .where(Activity.community_id.in_(scope.community_ids), *within(Activity.starts_at, bounds),
                   Signup.attended.is_(True))
            .order_by(Activity.starts_at, Activity.id, Signup.id))
    for (activity_id, title, community, unit, starts_at, name, phone, deleted_at, hours, confirmed_at,
         confirmed_by) in db.session.execute(stmt):
        volunteer, masked = _person(name, phone, deleted_at)
        yield [activity_id, title, community, unit or _l("The community"), starts_at, volunteer, masked, hours,
               confirmed_at, confirmed_by or ""]


HOUR_COLUMNS = [
    Column(_l("Activity No."), 8), Column(_l("Activity"), 30), Column(_l("Community"), 12),
    Column(_l("Organised by"), 18), Column(_l("Starts"), 17), Column(_l("Volunteer"), 10),
    Column(_l("Phone (masked)"), 14), Column(_l("Hours"), 8), Column(_l("Confirmed at"), 17),
    Column(_l("Confirmed by"), 10),
]


def _registry() -> dict[str, Ledger]:
    from forum.deliberations.models import STATUS_LABELS as DELIBERATION_STATUSES
    from forum.lists.needs import STATUS_LABELS as NEED_STATUSES
    from forum.lists.projects import STATUS_LABELS as PROJECT_STATUSES

    ledgers = [
        Ledger("needs", _l("Needs ledger"), NEED_COLUMNS, need_rows, True, NEED_STATUSES, by_category=True),
        Ledger("projects", _l("Projects ledger"), PROJECT_COLUMNS, project_rows, True, PROJECT_STATUSES),
        Ledger("deliberations", _l("Deliberations and minutes ledger"), DELIBERATION_COLUMNS, deliberation_rows,
               False, DELIBERATION_STATUSES),
        Ledger("polls", _l("Poll results ledger"), POLL_COLUMNS, poll_rows, False),
        Ledger("hours", _l("Volunteer hours ledger"), HOUR_COLUMNS, hour_rows, True),
    ]
    return {ledger.name: ledger for ledger in ledgers}


LEDGERS = _registry()
