"""Running a deliberation: its steps, the participants' answers, attendance and the decisions."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.core.i18n import N_
from forum.core.models import utcnow
from forum.core.permissions import can, ensure
from forum.deliberations.models import DELIBERATION, RSVP_ANSWERS, Deliberation
from forum.deliberations.services import DeliberationError, tell_participants
from forum.extensions import db

# Steps taken with their own forms or by other features, not with the step buttons.
NOT_BUTTONS = {"publish_minutes"}


def polls_of(deliberation: Deliberation) -> list:
    from forum.voting.summary import poll_summaries

    return list(poll_summaries(deliberation))


def available_steps(user, deliberation: Deliberation) -> list[str]:
    """The steps `user` may take now (voting starts only once the deliberation has a poll)."""
    steps = [action for action in DELIBERATION.actions_from(deliberation.status)
             if action not in NOT_BUTTONS and can(user, f"deliberation:{action}", deliberation)]
    if "start_voting" in steps and not polls_of(deliberation):
        steps.remove("start_voting")
    return steps


def take_step(user, deliberation: Deliberation, action: str, note: str = "") -> None:
    """Open the session, start voting, conclude, or cancel (with a reason the participants see)."""
    note = (note or "").strip()
    transition = DELIBERATION.transition(deliberation.status, action)  # a stale page is refused first
    if action in NOT_BUTTONS:
        raise DeliberationError("note", _l("The minutes are published from the minutes page."))
    ensure(user, f"deliberation:{action}", deliberation)
    if transition.needs_note and not note:
        raise DeliberationError("note", _l("Please give a reason; every participant will see it."))
    if action == "start_voting" and not polls_of(deliberation):
        raise DeliberationError("note", _l("Start a poll first; then voting can begin."))
    DELIBERATION.apply(db.session, deliberation, action, user, note=note)
    if action == "open":
        tell_participants(user, deliberation.participants,
                          N_("The deliberation “%(title)s” has opened; join the discussion"), deliberation)
    elif action == "cancel":
        from forum.proposals.services import release

        for proposal in deliberation.proposals:
            release(proposal, deliberation, commit=False)
        tell_participants(user, deliberation.participants,
                          N_("The deliberation “%(title)s” on %(when)s is cancelled: %(reason)s"), deliberation,
                          reason=note)
    db.session.commit()


def answer_invitation(user, deliberation: Deliberation, answer: str) -> None:
    """A participant says whether they will come (参加 / 不参加 / 待定); they may change it."""
    ensure(user, "rsvp_deliberation", deliberation)
    if answer not in RSVP_ANSWERS:
        raise DeliberationError("rsvp", _l("Please choose whether you will attend."))
    participant = deliberation.participant_for(user)
    participant.rsvp, participant.rsvp_at = answer, utcnow()
    db.session.commit()


def record_attendance(user, deliberation: Deliberation, present_ids: set[int]) -> None:
    """Who came and who did not: every participant is recorded present or absent (again, if corrected)."""
    ensure(user, "record_attendance", deliberation)
    known = {p.id for p in deliberation.participants}
    if not present_ids <= known:
        raise DeliberationError("present", _l("Only this deliberation's participants can be recorded."))
    now = utcnow()
    for participant in deliberation.participants:
        participant.attended = participant.id in present_ids
        participant.attendance_recorded_by_id, participant.attendance_recorded_at = user.id, now
    db.session.commit()


def attendance_recorded(deliberation: Deliberation) -> bool:
    return any(p.attended is not None for p in deliberation.participants)


def proposal_in(deliberation: Deliberation, proposal_id: int):
    """One of the deliberation's proposals, or None."""
    from forum.proposals.models import Proposal

    return db.session.scalar(select(Proposal).where(
        Proposal.id == proposal_id, Proposal.deliberations.any(Deliberation.id == deliberation.id)))


def undecided(deliberation: Deliberation) -> list:
    """The proposals still waiting for this deliberation's decision."""
    return [p for p in deliberation.proposals if p.status == "in_deliberation"]


def record_decision(user, deliberation: Deliberation, proposal, passed: bool, note: str) -> None:
    """The deliberation's decision on one of its proposals: passed, or not passed (with the reason)."""
    from forum.proposals.services import decide

    ensure(user, "record_decision", deliberation)
    note = (note or "").strip()
    if proposal not in undecided(deliberation):
        raise DeliberationError("passed", _l("This proposal has already been decided."))
    if not passed and not note:
        raise DeliberationError("note", _l("Please say why the proposal did not pass."))
    decide(proposal, passed, actor=user, note=note)
    db.session.commit()
