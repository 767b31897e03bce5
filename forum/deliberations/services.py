"""Deliberations: list and read them, schedule one (taking up proposals), edit it while scheduled.

The meeting itself (steps, answers to the invitation, attendance, decisions) is in
conduct.py; the calendar file in calendar.py.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import Membership, RoleGrant, User
from forum.core.i18n import N_
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.pagination import paginate
from forum.core.permissions import ensure
from forum.core.urls import path_for
from forum.deliberations.models import (
    ACTIVE_STATUSES,
    DELIBERATION,
    AgendaItem,
    Deliberation,
    Participant,
)
from forum.extensions import db
from forum.places.models import Community, Unit, unit_communities

MAX_HOURS = 24
COUNCIL_ROLES = ("staff", "council_member", "moderator", "supervisor")


class DeliberationError(ValueError):
    """A problem the user can fix, and the form field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Seat:
    """One row of the participants: who, in which seat, and whether they moderate."""

    user_id: int
    seat: str
    is_moderator: bool = False


# --- reading ------------------------------------------------------------------------


def list_page(*, community_id: int | None, status: str | None, page: int | None):
    """Coming and running deliberations first (soonest first), then the past ones (latest first)."""
    coming = Deliberation.status.in_(ACTIVE_STATUSES)
    stmt = select(Deliberation).options(joinedload(Deliberation.community), selectinload(Deliberation.proposals))
    if community_id:
        stmt = stmt.where(Deliberation.community_id == community_id)
    if status:
        stmt = stmt.where(Deliberation.status == status)
    stmt = stmt.order_by(case((coming, 0), else_=1), case((coming, Deliberation.starts_at)),
                         Deliberation.starts_at.desc(), Deliberation.id.desc())
    return paginate(stmt, page)


def timeline(deliberation: Deliberation):
    return DELIBERATION.timeline(db.session, deliberation)


def ends_at(deliberation: Deliberation):
    """The end given, else two hours after the start (for calendars)."""
    return deliberation.ends_at or deliberation.starts_at + timedelta(hours=2)


def seats_in_order(deliberation: Deliberation) -> list[tuple[str, list[Participant]]]:
    """The participants grouped by seat, seats in the order they were first given."""
    groups: dict[str, list[Participant]] = {}
    for participant in deliberation.participants:
        groups.setdefault(participant.seat, []).append(participant)
    return list(groups.items())


def rsvp_counts(deliberation: Deliberation) -> dict[str, int]:
    counts = {"yes": 0, "no": 0, "maybe": 0, None: 0}
    for participant in deliberation.participants:
        counts[participant.rsvp] += 1
    return counts


def candidates(community: Community, deliberation: Deliberation | None = None) -> list[tuple[str, list[User]]]:
    """Who may sit on the council: role holders, contacts of units serving the community, its
    verified residents, and whoever already has a seat; each person once, in their first group."""
    council = db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role.in_(COUNCIL_ROLES),
               or_(RoleGrant.community_id == community.id, RoleGrant.street_id == community.street_id))
        .distinct().order_by(User.id)).all()
    contacts = db.session.scalars(
        select(User).join(User.units).join(unit_communities, unit_communities.c.unit_id == Unit.id)
        .where(unit_communities.c.community_id == community.id).distinct().order_by(User.id)).all()
    residents = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id, Membership.verified_at.is_not(None))
        .order_by(User.id)).all()
    seated = [p.user for p in deliberation.participants] if deliberation is not None else []
    seen: set[int] = set()
    groups = []
    for label, users in ((_l("Council members and staff"), council), (_l("Contacts of stationed units"), contacts),
                         (_l("Verified residents"), residents), (_l("Other participants"), seated)):
        fresh = [u for u in users if u.id not in seen]
        seen |= {u.id for u in fresh}
        if fresh:
            groups.append((label, fresh))
    return groups


def proposals_to_take_up(community: Community) -> list:
    from forum.proposals.services import proposals_to_take_up as waiting

    return list(waiting(community))


# --- scheduling and editing ------------------------------------------------------------


def create_deliberation(author, community: Community, fields: dict, seats: list[Seat], agenda: list[str],
                        proposals: list) -> Deliberation:
    """Schedule a deliberation, take up its proposals and invite its participants."""
    ensure(author, "create_deliberation", community)
    _check_times(fields["starts_at"], fields.get("ends_at"))
    _check_place(fields)
    _check_seats(community, seats)
    _check_agenda(agenda, proposals)
    _check_proposals(community, proposals)
    deliberation = schedule(author, community, fields, seats, agenda, proposals)
    invite(author, deliberation, deliberation.participants)
    db.session.commit()
    return deliberation


def schedule(author, community: Community, fields: dict, seats: list[Seat], agenda: list[str],
             proposals: list) -> Deliberation:
    """The deliberation saved and its proposals taken up, unchecked and uncommitted (demo data uses it)."""
    from forum.proposals.services import take_up

    deliberation = Deliberation(community=community, created_by_id=author.id)
    _fill(deliberation, fields)
    deliberation.participants = [Participant(user_id=s.user_id, seat=s.seat, is_moderator=s.is_moderator)
                                 for s in seats]
    db.session.add(deliberation)
    DELIBERATION.start(db.session, deliberation, author)
    for proposal in proposals:
        take_up(author, proposal, deliberation, commit=False)
    _arrange_agenda(deliberation, agenda)
    return deliberation


def update_deliberation(user, deliberation: Deliberation, fields: dict, seats: list[Seat], agenda: list[str],
                        added: list) -> Deliberation:
    """Change a scheduled deliberation: details, participants, agenda, and more proposals."""
    from forum.proposals.services import take_up

    ensure(user, "edit_deliberation", deliberation)
    if fields["starts_at"] != deliberation.starts_at:
        _check_times(fields["starts_at"], fields.get("ends_at"))
    elif fields.get("ends_at") is not None and fields["ends_at"] <= fields["starts_at"]:
        raise DeliberationError("ends_at", _l("The end must be after the start."))
    _check_place(fields)
    _check_seats(deliberation.community, seats, deliberation)
    _check_agenda(agenda, added + list(deliberation.proposals))
    _check_proposals(deliberation.community, added)
    where = (fields["starts_at"], fields.get("ends_at"), fields.get("place") or None, fields.get("online_url") or None)
    moved = where != (deliberation.starts_at, deliberation.ends_at, deliberation.place, deliberation.online_url)
    _fill(deliberation, fields)
    invited = _replace_participants(deliberation, seats)
    for proposal in added:
        take_up(user, proposal, deliberation, commit=False)
    _arrange_agenda(deliberation, agenda)
    invite(user, deliberation, invited)
    if moved:
        tell_participants(user, [p for p in deliberation.participants if p not in invited],
              N_("The time or place of “%(title)s” has changed: now %(when)s"), deliberation)
    db.session.commit()
    return deliberation


def _fill(deliberation: Deliberation, fields: dict) -> None:
    deliberation.kind = fields["kind"]
    deliberation.title = fields["title"].strip()
    deliberation.description = (fields.get("description") or "").strip()
    deliberation.description_html = render_markdown(deliberation.description)
    deliberation.starts_at, deliberation.ends_at = fields["starts_at"], fields.get("ends_at")
    deliberation.place = (fields.get("place") or "").strip() or None
    deliberation.online_url = (fields.get("online_url") or "").strip() or None


def _replace_participants(deliberation: Deliberation, seats: list[Seat]) -> list[Participant]:
    """Keep those still listed (with their answers and attendance), drop the others; return the new ones."""
    current = {p.user_id: p for p in deliberation.participants}
    added = []
    kept = []
    for seat in seats:
        participant = current.get(seat.user_id)
        if participant is None:
            participant = Participant(user_id=seat.user_id)
            added.append(participant)
        participant.seat, participant.is_moderator = seat.seat, seat.is_moderator
        kept.append(participant)
    deliberation.participants = kept
    return added


def _arrange_agenda(deliberation: Deliberation, lines: list[str]) -> None:
    """The agenda in the order typed. A line that is a proposal's title stands for that proposal's
    item; proposals not named in the lines come last."""
    db.session.flush()
    db.session.expire(deliberation, ["agenda"])  # with the items the proposals service added
    for_proposals = [item for item in deliberation.agenda if item.proposal_id is not None]
    ordered: list = []
    for line in lines:
        item = next((i for i in for_proposals if i not in ordered and line in _names_of(i)), None)
        ordered.append(item if item is not None else line)
    ordered += [item for item in for_proposals if item not in ordered]
    # Two flushes, so that no two items share a position on the way (a unique constraint).
    deliberation.agenda = for_proposals
    for n, item in enumerate(for_proposals):
        item.position = -1 - n
    db.session.flush()
    items = [AgendaItem(title=entry) if isinstance(entry, str) else entry for entry in ordered]
    for position, item in enumerate(items, start=1):
        item.position = position
    deliberation.agenda = items
    db.session.flush()


def _names_of(item: AgendaItem) -> set[str]:
    names = {item.title}
    if item.proposal is not None:
        names.add(item.proposal.title)
    return names


def _check_times(starts_at, ends) -> None:
    if starts_at <= utcnow():
        raise DeliberationError("starts_at", _l("The start must be in the future."))
    if ends is not None and ends <= starts_at:
        raise DeliberationError("ends_at", _l("The end must be after the start."))
    if ends is not None and ends - starts_at > timedelta(hours=MAX_HOURS):
        raise DeliberationError("ends_at", _l("A meeting can last at most 24 hours."))


def _check_place(fields: dict) -> None:
    if not (fields.get("place") or "").strip() and not (fields.get("online_url") or "").strip():
        raise DeliberationError("place", _l("Please give the place, or a link for meeting online (or both)."))


def _check_seats(community: Community, seats: list[Seat], deliberation: Deliberation | None = None) -> None:
    if not seats:
        raise DeliberationError("participants", _l("Please name the participants and their seats."))
    if len({s.user_id for s in seats}) != len(seats):
        raise DeliberationError("participants", _l("Each person can take only one seat."))
    if not any(s.is_moderator for s in seats):
        raise DeliberationError("participants", _l("Please tick at least one participant as moderator."))
    allowed = {u.id for _, users in candidates(community, deliberation) for u in users}
    if any(s.user_id not in allowed for s in seats):
        raise DeliberationError("participants", _l("Participants must belong to the community or serve it."))


def _check_agenda(agenda: list[str], proposals: list) -> None:
    if not agenda and not proposals:
        raise DeliberationError("agenda", _l("Please choose a proposal or write at least one agenda item."))
    if any(len(line) > 200 for line in agenda):
        raise DeliberationError("agenda", _l("An agenda item can have at most 200 characters."))


def _check_proposals(community: Community, proposals: list) -> None:
    waiting = {p.id for p in proposals_to_take_up(community)}
    if any(p.id not in waiting for p in proposals):
        raise DeliberationError("proposals", _l("One of the proposals has already been taken up or closed."))


# --- notifications ------------------------------------------------------------------------


def when_of(deliberation: Deliberation) -> str:
    """The start as Beijing time, for notification texts (which keep plain values)."""
    return format_datetime(deliberation.starts_at, "yyyy-MM-dd HH:mm")


def tell_participants(actor, participants, message: str, deliberation: Deliberation, **params) -> None:
    from forum.notifications.services import notify

    db.session.flush()
    notify([p.user if p.user is not None else db.session.get(User, p.user_id) for p in participants], message,
           path_for("deliberations.show", deliberation_id=deliberation.id), actor=actor,
           title=deliberation.title, when=when_of(deliberation), **params)


def invite(actor, deliberation: Deliberation, participants) -> None:
    """Tell `participants` they are invited (no commit)."""
    tell_participants(actor, participants, N_("You are invited to the deliberation “%(title)s” on %(when)s"),
                      deliberation)
