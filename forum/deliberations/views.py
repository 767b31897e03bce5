"""Pages of deliberations: the list, scheduling and editing, the meeting page and its forms,
the calendar file and the printable notice."""
from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.deliberations import conduct, services
from forum.deliberations.calendar import calendar_ics
from forum.deliberations.forms import (
    AttendanceForm,
    DecisionForm,
    DeliberationForm,
    RsvpForm,
    StepForm,
    person_label,
)
from forum.deliberations.models import (
    ACTION_LABELS,
    ACTIVE_STATUSES,
    KIND_LABELS,
    RSVP_LABELS,
    SEAT_SUGGESTIONS,
    STATUS_LABELS,
    Deliberation,
)
from forum.extensions import db
from forum.home.services import all_communities, home_community, requested_community
from forum.places.models import Community
from forum.proposals.models import STATUS_LABELS as PROPOSAL_STATUS
from forum.voting.services import close_due, polls_of_deliberation

bp = Blueprint("deliberations", __name__, url_prefix="/deliberations")


@bp.app_context_processor
def labels():
    return {"deliberation_kinds": KIND_LABELS, "deliberation_status": STATUS_LABELS,
            "deliberation_actions": ACTION_LABELS, "rsvp_labels": RSVP_LABELS}


def _deliberation_or_404(deliberation_id) -> Deliberation:
    deliberation = db.get_or_404(Deliberation, deliberation_id)
    authorize("view_deliberation", deliberation)
    return deliberation


def _back_to(deliberation: Deliberation, anchor: str = ""):
    return redirect(url_for("deliberations.show", deliberation_id=deliberation.id) + anchor, 303)


@bp.get("/")
def index():
    community = requested_community(request.args)
    community_id = community.id if community else None
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    page = services.list_page(community_id=community_id, status=status, page=request.args.get("page", type=int))
    args = {k: v for k, v in {"community": community_id, "status": status}.items() if v}
    mine = community or home_community(current_user)
    return render("deliberations/index.html", fragment="results", page=page, community=community, state=status,
                  args=args, communities=all_communities(),
                  may_create=mine is not None and can(current_user, "create_deliberation", mine), home=mine)


# --- scheduling and editing -------------------------------------------------------------


def _community_for_new() -> Community:
    community_id = request.args.get("community", type=int)
    community = db.session.get(Community, community_id) if community_id else home_community(current_user)
    if community is None:
        abort(404)
    authorize("create_deliberation", community)
    return community


def _prepared(form: DeliberationForm, community: Community, deliberation=None) -> dict:
    """Fill the form's choices; the context its template needs."""
    groups = services.candidates(community, deliberation)
    proposals = [p for p in services.proposals_to_take_up(community) if can(current_user, "proposal:take_up", p)]
    form.set_choices(groups, proposals)
    return {"form": form, "community": community, "groups": groups, "seat_suggestions": SEAT_SUGGESTIONS,
            "person_label": person_label}


def _chosen_proposals(form: DeliberationForm) -> list:
    from forum.proposals.models import Proposal

    return [db.session.get(Proposal, proposal_id) for proposal_id in form.proposals.data or []]


def _saved(form: DeliberationForm, save):
    """Validate and save through `save()`; the deliberation, or None with the errors on the form."""
    if not form.validate_on_submit():
        return None
    try:
        return save()
    except services.DeliberationError as error:
        db.session.rollback()
        if error.field == "participants":
            form.participant_errors.append(error.message)
        else:
            getattr(form, error.field).errors.append(error.message)
    return None


@bp.get("/new")
@login_required
def new():
    community = _community_for_new()
    return render("deliberations/new.html", **_prepared(DeliberationForm(formdata=None), community))


@bp.post("/new")
@login_required
def create():
    community = _community_for_new()
    form = DeliberationForm()
    context = _prepared(form, community)
    deliberation = _saved(form, lambda: services.create_deliberation(
        current_user, community, form.fields(), form.seats(), form.agenda_lines(), _chosen_proposals(form)))
    if deliberation is None:
        return render("deliberations/new.html", status=400, **context)
    flash(_("The deliberation is scheduled and the participants have been invited."), "success")
    return _back_to(deliberation)


@bp.get("/<int:deliberation_id>/edit")
@login_required
def edit(deliberation_id):
    deliberation = _deliberation_or_404(deliberation_id)
    authorize("edit_deliberation", deliberation)
    form = DeliberationForm.for_deliberation(deliberation)
    return render("deliberations/edit.html", deliberation=deliberation,
                  **_prepared(form, deliberation.community, deliberation))


@bp.post("/<int:deliberation_id>/edit")
@login_required
def update(deliberation_id):
    deliberation = _deliberation_or_404(deliberation_id)
    authorize("edit_deliberation", deliberation)
    form = DeliberationForm()
    context = _prepared(form, deliberation.community, deliberation)
    saved = _saved(form, lambda: services.update_deliberation(
        current_user, deliberation, form.fields(), form.seats(), form.agenda_lines(), _chosen_proposals(form)))
    if saved is None:
        return render("deliberations/edit.html", status=400, deliberation=deliberation, **context)
    flash(_("The changes are saved."), "success")
    return _back_to(deliberation)


# --- the meeting ----------------------------------------------------------------------------


def _show(deliberation: Deliberation, status: int = 200, **forms):
    user = current_user
    close_due(polls_of_deliberation(deliberation))  # a poll whose time is up decides its proposal first
    me = deliberation.participant_for(user)
    return render(
        "deliberations/show.html", status=status, deliberation=deliberation, me=me,
        steps=conduct.available_steps(user, deliberation), step_form=forms.get("step_form") or StepForm(formdata=None),
        rsvp_form=forms.get("rsvp_form") or RsvpForm(formdata=None, rsvp=me.rsvp if me else None),
        counts=services.rsvp_counts(deliberation), seats=services.seats_in_order(deliberation),
        attendance_recorded=conduct.attendance_recorded(deliberation),
        attendance_form=(forms.get("attendance_form") or AttendanceForm.for_deliberation(deliberation))
        if can(user, "record_attendance", deliberation) else None,
        decisions=_decision_forms(deliberation, forms.get("decision_form")), proposal_status=PROPOSAL_STATUS,
        polls=conduct.polls_of(deliberation),
        new_poll_url=url_for("polls.new", deliberation=deliberation.id)
        if can(user, "create_poll", deliberation) and deliberation.status in ACTIVE_STATUSES else None,
        minutes_url=url_for("minutes.show", deliberation_id=deliberation.id),
        timeline=services.timeline(deliberation),
    )


def _decision_forms(deliberation: Deliberation, posted=None) -> dict:
    """A decision form for each proposal still undecided, for those who record decisions."""
    if not can(current_user, "record_decision", deliberation):
        return {}
    forms = {p.id: DecisionForm(formdata=None, prefix=f"proposal-{p.id}") for p in conduct.undecided(deliberation)}
    if posted is not None:  # (proposal id, the form sent with its errors)
        forms[posted[0]] = posted[1]
    return forms


@bp.get("/<int:deliberation_id>")
def show(deliberation_id):
    return _show(_deliberation_or_404(deliberation_id))


@bp.post("/<int:deliberation_id>/steps/<action>")
@login_required
def step(deliberation_id, action):
    deliberation = _deliberation_or_404(deliberation_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _show(deliberation, status=400, step_form=form)
    try:
        conduct.take_step(current_user, deliberation, action, form.note.data)
    except TransitionNotAllowed:
        flash(_("This step is no longer possible; the page has been refreshed."), "error")
    except services.DeliberationError as error:
        db.session.rollback()
        form.note.errors = [error.message]
        return _show(deliberation, status=400, step_form=form)
    return _back_to(deliberation)


@bp.post("/<int:deliberation_id>/rsvp")
@login_required
def rsvp(deliberation_id):
    deliberation = _deliberation_or_404(deliberation_id)
    authorize("rsvp_deliberation", deliberation)
    form = RsvpForm()
    if not form.validate_on_submit():
        return _show(deliberation, status=400, rsvp_form=form)
    conduct.answer_invitation(current_user, deliberation, form.rsvp.data)
    flash(_("Your answer is saved: %(answer)s.", answer=RSVP_LABELS[form.rsvp.data]), "success")
    return _back_to(deliberation, "#rsvp")


@bp.post("/<int:deliberation_id>/attendance")
@login_required
def attendance(deliberation_id):
    deliberation = _deliberation_or_404(deliberation_id)
    authorize("record_attendance", deliberation)
    form = AttendanceForm.for_deliberation(deliberation, posted=True)
    if not form.validate_on_submit():
        return _show(deliberation, status=400, attendance_form=form)
    conduct.record_attendance(current_user, deliberation, set(form.present.data or []))
    flash(_("Attendance is recorded."), "success")
    return _back_to(deliberation, "#attendance")


@bp.post("/<int:deliberation_id>/proposals/<int:proposal_id>/decision")
@login_required
def decide(deliberation_id, proposal_id):
    deliberation = _deliberation_or_404(deliberation_id)
    authorize("record_decision", deliberation)
    proposal = conduct.proposal_in(deliberation, proposal_id)
    if proposal is None:
        abort(404)
    form = DecisionForm(prefix=f"proposal-{proposal.id}")
    if form.validate_on_submit():
        try:
            conduct.record_decision(current_user, deliberation, proposal, form.passed.data == "yes", form.note.data)
        except services.DeliberationError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The decision on “%(title)s” is recorded.", title=proposal.title), "success")
            return _back_to(deliberation, "#proposals")
    return _show(deliberation, status=400, decision_form=(proposal.id, form))


# --- calendar and notice ----------------------------------------------------------------------


@bp.get("/<int:deliberation_id>/calendar.ics")
def calendar(deliberation_id):
    deliberation = _deliberation_or_404(deliberation_id)
    url = url_for("deliberations.show", deliberation_id=deliberation.id, _external=True)
    response = make_response(calendar_ics(deliberation, url, request.host.split(":")[0]))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="deliberation-{deliberation.id}.ics"'
    return response


@bp.get("/<int:deliberation_id>/notice")
def notice(deliberation_id):
    deliberation = _deliberation_or_404(deliberation_id)
    return render("deliberations/notice.html", deliberation=deliberation, seats=services.seats_in_order(deliberation))
