"""Proposal operations: raise, submit, support (附议), expire, decline, take up, decide, implement.

Each function checks permission through forum.core.permissions, moves the status only
through the declared PROPOSAL workflow (which writes the timeline), notifies, and
commits (the functions deliberations and polls call take `commit=False` to join their
own transaction). Supporting takes the proposal's row lock first, so the count and the
step to "threshold met" happen once, also under concurrent supporters.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.core import audit
from forum.core.i18n import N_
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.permissions import can, ensure
from forum.core.urls import path_for
from forum.core.workflow import TransitionNotAllowed
from forum.extensions import db
from forum.moderation.words.screening import apply_hold, screen_fields
from forum.proposals.models import (
    PROPOSAL,
    STATUS_MSGIDS,
    SUPPORT_STATUSES,
    SYSTEM_ACTIONS,
    Proposal,
    ProposalSupport,
)

audit.LABELS.setdefault("community.proposal_settings", _l("changed the proposal threshold or window"))
# Deliberations a proposal can still be put on the agenda of.
TAKE_UP_STATUSES = ("scheduled", "open")
THRESHOLD_RANGE = (1, 1000)
WINDOW_RANGE = (1, 365)


class ProposalError(ValueError):
    """A problem the user can fix or should know about, and the form field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


# --- raising ---------------------------------------------------------------------------


def _clean(fields: dict) -> dict:
    return {"title": fields["title"].strip(), "body": fields.get("body") or "",
            "body_html": render_markdown(fields.get("body") or ""), "category": fields["category"]}


def create_proposal(author, community, fields: dict, submit: bool = False) -> Proposal:
    """A resident or council member writes a proposal: kept as a draft, or submitted at once."""
    ensure(author, "raise_proposal", community)
    fields, screening = screen_fields(author, community, fields, "title", "body")
    proposal = Proposal(community=community, author_id=author.id, **_clean(fields))
    db.session.add(proposal)
    PROPOSAL.start(db.session, proposal, author)
    apply_hold(proposal, screening)
    if submit:
        _open_collection(author, proposal)
    db.session.commit()
    return proposal


def update_draft(author, proposal: Proposal, fields: dict, submit: bool = False) -> None:
    ensure(author, "edit_proposal", proposal)
    fields, screening = screen_fields(author, proposal.community, fields, "title", "body")
    for name, value in _clean(fields).items():
        setattr(proposal, name, value)
    apply_hold(proposal, screening)
    if submit:
        _open_collection(author, proposal)
    db.session.commit()


def _open_collection(author, proposal: Proposal) -> None:
    """提交: the community's threshold and window at this moment hold for this proposal."""
    PROPOSAL.apply(db.session, proposal, "submit", author)
    community = proposal.community
    proposal.support_threshold = community.proposal_threshold
    proposal.collecting_since = utcnow()
    proposal.collecting_until = proposal.collecting_since + timedelta(days=community.proposal_window_days)


# --- supporting (附议) ----------------------------------------------------------------


def _locked(proposal: Proposal) -> Proposal:
    """The proposal re-read under its row lock, so what is checked next stays true until commit."""
    return db.session.scalars(select(Proposal).where(Proposal.id == proposal.id).with_for_update()
                              .execution_options(populate_existing=True)).one()


def support_refusal(user, proposal: Proposal):
    """Why `user` may not support `proposal` now, in words for them; None if they may."""
    if can(user, "support_proposal", proposal):
        return None
    if not user.is_authenticated:
        return _l("Please log in to support proposals.")
    if proposal.window_closed or proposal.status == "expired":
        return _l("The time to support this proposal ended on %(date)s.", date=local_date(proposal.collecting_until))
    if not proposal.accepts_support:
        return _l("This proposal no longer collects support.")
    if proposal.author_id == user.id:
        return _l("You raised this proposal; support comes from your neighbours.")
    return _l("Only verified residents of %(community)s can support its proposals. "
              "The community office verifies your household.", community=proposal.community.name)


def local_date(moment) -> str:
    from flask_babel import format_date, to_user_timezone

    return format_date(to_user_timezone(moment), "yyyy-MM-dd")


def support(user, proposal: Proposal) -> bool:
    """附议 once; True if added. Reaching the threshold moves the proposal on and tells
    its author and the community's staff. A second press (double click) changes nothing."""
    proposal = _locked(proposal)
    if proposal.window_closed:
        expire_overdue()
    refusal = support_refusal(user, proposal)
    if refusal is not None:
        raise ProposalError("support", refusal)
    if has_supported(user, proposal):
        db.session.rollback()
        return False
    db.session.add(ProposalSupport(proposal_id=proposal.id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:  # supported a moment ago in another request
        db.session.rollback()
        return False
    proposal.support_count = Proposal.support_count + 1
    db.session.flush()  # the count is read back from the database
    if proposal.status == "collecting" and proposal.support_count >= proposal.support_threshold:
        _reach_threshold(proposal)
    db.session.commit()
    return True


def withdraw_support(user, proposal: Proposal) -> bool:
    """Undo 附议 while support is collected. A met threshold stays met."""
    proposal = _locked(proposal)
    row = db.session.scalar(select(ProposalSupport).where(ProposalSupport.proposal_id == proposal.id,
                                                          ProposalSupport.user_id == user.id))
    if row is None:
        db.session.rollback()
        return False
    if proposal.status not in SUPPORT_STATUSES:
        raise ProposalError("support", _l("Support can no longer be withdrawn: the proposal has moved on."))
    db.session.delete(row)
    proposal.support_count = Proposal.support_count - 1
    db.session.commit()
    return True


def _reach_threshold(proposal: Proposal) -> None:
    from forum.lists.projects import staff_of
    from forum.notifications.services import notify

    PROPOSAL.apply_as_system(db.session, proposal, "reach_threshold",
                             note=str(_l("Supporters: %(count)d", count=proposal.support_count)))
    recipients = ([proposal.author] if proposal.author else []) + staff_of(proposal.community)
    notify(recipients, N_("The proposal “%(title)s” has reached its support threshold and waits for the council."),
           _url(proposal), title=proposal.title)


def has_supported(user, proposal: Proposal) -> bool:
    if not user.is_authenticated:
        return False
    return db.session.scalar(select(ProposalSupport.id).where(
        ProposalSupport.proposal_id == proposal.id, ProposalSupport.user_id == user.id)) is not None


def supporters(proposal: Proposal) -> list:
    from forum.accounts.models import User

    return list(db.session.scalars(select(User).join(ProposalSupport, ProposalSupport.user_id == User.id)
                                   .where(ProposalSupport.proposal_id == proposal.id).order_by(ProposalSupport.id)))


# --- the calendar ---------------------------------------------------------------------


def expire_overdue(now=None) -> int:
    """Close every collecting proposal whose window has passed; returns how many.

    Cheap enough to run before each list and proposal page: one range read on the
    (status, collecting_until) index, which finds nothing on almost every call. Rows
    another request is expiring at the same moment are skipped (PostgreSQL's SKIP
    LOCKED; SQLite lets only one writer through), so each expires once.
    """
    now = now or utcnow()
    overdue = list(db.session.scalars(
        select(Proposal).where(Proposal.status == "collecting", Proposal.collecting_until <= now)
        .order_by(Proposal.id).with_for_update(skip_locked=True)))
    for proposal in overdue:
        PROPOSAL.apply_as_system(db.session, proposal, "expire", note=str(_l(
            "%(count)d of %(threshold)d supporters", count=proposal.support_count,
            threshold=proposal.support_threshold)))
        _notify_status(None, proposal)
    if overdue:
        db.session.commit()
    return len(overdue)


# --- steps by people ------------------------------------------------------------------


def allowed_steps(user, proposal: Proposal) -> list[str]:
    """The steps `user` may take on the proposal's page (the site's own steps are not among them)."""
    return [action for action in PROPOSAL.actions_from(proposal.status)
            if action not in SYSTEM_ACTIONS and can(user, f"proposal:{action}", proposal)]


def take_step(user, proposal: Proposal, action: str, *, note: str = "", deliberation=None, project=None) -> None:
    """One step from the proposal's page, with what that step needs."""
    note = (note or "").strip()
    if action in SYSTEM_ACTIONS:
        raise TransitionNotAllowed(action)
    if action == "take_up":
        return take_up(user, proposal, _pick_deliberation(proposal, deliberation))
    if action in ("pass", "reject"):
        return decide(proposal, action == "pass", actor=user, note=note)
    if action == "implement":
        return implement(user, proposal, project)
    if action == "complete":
        return complete(user, proposal, note=note)
    if action == "submit":
        _open_collection(user, proposal)
        db.session.commit()
        return None
    PROPOSAL.transition(proposal.status, action)  # a step no longer possible (stale page) is refused first
    ensure(user, f"proposal:{action}", proposal)
    if action == "decline" and not note:
        raise ProposalError("note", _l("Please give the reason for declining."))
    PROPOSAL.apply(db.session, proposal, action, user, note=note)
    if action == "decline":
        proposal.decline_reason = note
    _notify_status(user, proposal)
    db.session.commit()
    return None


def _pick_deliberation(proposal: Proposal, deliberation):
    if deliberation is None or deliberation not in open_deliberations(proposal.community):
        raise ProposalError("deliberation", _l("Please choose a coming deliberation of this community."))
    return deliberation


def open_deliberations(community) -> list:
    """The community's deliberations a proposal can still be taken up into, soonest first."""
    from forum.deliberations.models import Deliberation

    return list(db.session.scalars(select(Deliberation).where(
        Deliberation.community_id == community.id, Deliberation.status.in_(TAKE_UP_STATUSES))
        .order_by(Deliberation.starts_at, Deliberation.id)))


def proposals_to_take_up(community) -> list[Proposal]:
    """Proposals of `community` that met their threshold and wait for a deliberation, most supported first."""
    return list(db.session.scalars(select(Proposal).where(
        Proposal.community_id == community.id, Proposal.status == "threshold_met")
        .order_by(Proposal.support_count.desc(), Proposal.id)))


def take_up(actor, proposal: Proposal, deliberation, commit: bool = True) -> None:
    """立项议事: put the proposal on `deliberation`'s agenda; its author and supporters hear of it."""
    from forum.deliberations.models import AgendaItem

    if deliberation.community_id != proposal.community_id:
        raise ProposalError("deliberation", _l("A proposal is deliberated in its own community."))
    PROPOSAL.apply(db.session, proposal, "take_up", actor, note=deliberation.title)
    if proposal not in deliberation.proposals:
        deliberation.proposals.append(proposal)
    if not any(item.proposal_id == proposal.id or item.proposal is proposal for item in deliberation.agenda):
        position = max((item.position for item in deliberation.agenda), default=0) + 1
        deliberation.agenda.append(AgendaItem(position=position, title=proposal.title, proposal=proposal))
    _notify_status(actor, proposal)
    _finish(commit)


def release(proposal: Proposal, deliberation, commit: bool = True) -> None:
    """The deliberation was cancelled: unless another running one has it, the proposal waits again."""
    from forum.deliberations.models import ACTIVE_STATUSES

    if proposal.status != "in_deliberation":
        return
    if any(d.id != deliberation.id and d.status in ACTIVE_STATUSES for d in proposal.deliberations):
        return
    PROPOSAL.apply_as_system(db.session, proposal, "release", note=deliberation.title)
    _notify_status(None, proposal)
    _finish(commit)


def decide(proposal: Proposal, passed: bool, actor=None, note: str = "", commit: bool = True) -> None:
    """通过 / 未通过: by a moderator or staff, or by the site from a poll's result (actor None)."""
    action = "pass" if passed else "reject"
    if actor is None:
        PROPOSAL.apply_as_system(db.session, proposal, action, note=note)
    else:
        PROPOSAL.apply(db.session, proposal, action, actor, note=note)
    _notify_status(actor, proposal)
    _finish(commit)


def implement(actor, proposal: Proposal, project, commit: bool = True) -> None:
    """落实: a passed proposal becomes (or joins) a project of its community's project list."""
    PROPOSAL.transition(proposal.status, "implement")
    ensure(actor, "proposal:implement", proposal)
    if project is None or project.community_id != proposal.community_id:
        raise ProposalError("project", _l("Please choose a project of this community."))
    PROPOSAL.apply(db.session, proposal, "implement", actor, note=project.title)
    proposal.project_id = project.id
    _notify_status(actor, proposal)
    _finish(commit)


def complete(actor, proposal: Proposal, note: str = "", commit: bool = True) -> None:
    PROPOSAL.apply(db.session, proposal, "complete", actor, note=note)
    _notify_status(actor, proposal)
    _finish(commit)


def projects_for(proposal: Proposal) -> list:
    """The community's projects a passed proposal can be implemented by, newest first."""
    from forum.lists.models import Project

    return list(db.session.scalars(select(Project).where(
        Project.community_id == proposal.community_id, Project.status.in_(("planned", "in_progress")))
        .order_by(Project.id.desc())))


# --- telling people -------------------------------------------------------------------


def _url(proposal: Proposal) -> str:
    return path_for("proposals.show", proposal_id=proposal.id)


def _notify_status(actor, proposal: Proposal) -> None:
    from forum.notifications.services import notify

    recipients = ([proposal.author] if proposal.author else []) + supporters(proposal)
    notify(recipients, N_("The proposal “%(title)s” is now: %(status_label)s"), _url(proposal), actor=actor,
           title=proposal.title, status_label=STATUS_MSGIDS[proposal.status])


def timeline(proposal: Proposal):
    return PROPOSAL.timeline(db.session, proposal)


# --- community settings ---------------------------------------------------------------


def set_settings(actor, community, threshold: int, window_days: int) -> None:
    """附议门槛 and 征集期 of the community, for proposals submitted from now on."""
    ensure(actor, "manage_proposal_settings", community)
    if not THRESHOLD_RANGE[0] <= threshold <= THRESHOLD_RANGE[1]:
        raise ProposalError("proposal_threshold", _l("Please enter a number of supporters from 1 to 1000."))
    if not WINDOW_RANGE[0] <= window_days <= WINDOW_RANGE[1]:
        raise ProposalError("proposal_window_days", _l("Please enter a number of days from 1 to 365."))
    community.proposal_threshold, community.proposal_window_days = threshold, window_days
    audit.record(db.session, actor, "community.proposal_settings", community, community_id=community.id,
                 detail=f"threshold={threshold} window_days={window_days}")
    db.session.commit()
