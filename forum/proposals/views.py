"""Pages of proposals (议题): browse, raise and edit drafts, support (附议), take steps, settings."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from forum.accounts.forms import EmptyForm
from forum.core.categories import CATEGORIES
from forum.core.limits import rate_limit
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.extensions import db
from forum.home.services import all_communities, home_community
from forum.moderation.words.screening import tell_author_if_held
from forum.places.models import Community
from forum.proposals import queries, services
from forum.proposals.forms import ProposalForm, SettingsForm, StepForm
from forum.proposals.models import ACTION_LABELS, STATUS_LABELS, Proposal
from forum.voting.services import close_due, polls_of_proposal

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.app_context_processor
def labels():
    return {"proposal_status": STATUS_LABELS, "proposal_actions": ACTION_LABELS,
            "proposal_status_filters": [(code, STATUS_LABELS[code]) for code in queries.FILTER_STATUSES]}


def _proposal_or_404(proposal_id) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    authorize("view_proposal", proposal)
    return proposal


def _expire_due() -> None:
    """Close overdue windows before a page shows them. A page is only read, so if the
    database is busy with another writer, this one leaves it to the next page or the cron job."""
    try:
        services.expire_overdue()
    except OperationalError:
        db.session.rollback()


def _back_to(proposal: Proposal):
    return redirect(url_for("proposals.show", proposal_id=proposal.id), 303)


def _index(filters: queries.Filters, settings_form=None, status=200):
    _expire_due()
    home = home_community(current_user, filters.community)
    if filters.community and home is None:
        abort(404)
    if settings_form is None and home is not None:
        settings_form = SettingsForm(obj=home)
    return render("proposals/index.html", fragment="results", status=status, filters=filters, home=home,
                  page=queries.list_page(filters, request.args.get("page", type=int)),
                  communities=all_communities(), categories=CATEGORIES, settings_form=settings_form)


@bp.get("/")
def index():
    return _index(queries.Filters.from_args(request.args))


@bp.get("/mine")
@login_required
def mine():
    user = current_user._get_current_object()
    return render("proposals/mine.html", mine=queries.authored_by(user), supported=queries.supported_by(user),
                  home=home_community(user))


def _raising_community(form_community_id=None) -> Community:
    community_id = form_community_id or request.args.get("community", type=int)
    community = db.session.get(Community, community_id) if community_id else home_community(current_user)
    if community is None:
        if community_id:
            abort(404)
        flash(_("Proposals are raised by residents of a community. Register or ask the community office "
                "to add you."), "error")
        abort(redirect(url_for("proposals.index")))
    authorize("raise_proposal", community)
    return community


def _submit_now() -> bool:
    return request.form.get("intent") == "submit"


def _saved_message(proposal: Proposal) -> str:
    if proposal.status == "collecting":
        return _("Your proposal is published and collects support until %(date)s.",
                 date=services.local_date(proposal.collecting_until))
    return _("Your draft is saved. Only you and the community staff can see it.")


@bp.get("/new")
@login_required
def new():
    community = _raising_community()
    return render("proposals/new.html", form=ProposalForm().set_choices(), community=community, proposal=None)


@bp.post("/new")
@login_required
@rate_limit("post_proposal")
def create():
    community = _raising_community(request.form.get("community", type=int))
    form = ProposalForm().set_choices()
    if not form.validate_on_submit():
        return render("proposals/new.html", form=form, community=community, proposal=None, status=400)
    proposal = services.create_proposal(current_user, community, form.proposal_fields(), submit=_submit_now())
    if not tell_author_if_held(proposal):
        flash(_saved_message(proposal), "success")
    return _back_to(proposal)


def _draft_or_403(proposal_id) -> Proposal:
    proposal = _proposal_or_404(proposal_id)
    authorize("edit_proposal", proposal)
    return proposal


@bp.get("/<int:proposal_id>/edit")
@login_required
def edit(proposal_id):
    proposal = _draft_or_403(proposal_id)
    form = ProposalForm(obj=proposal).set_choices()
    return render("proposals/new.html", form=form, community=proposal.community, proposal=proposal)


@bp.post("/<int:proposal_id>/edit")
@login_required
def update(proposal_id):
    proposal = _draft_or_403(proposal_id)
    form = ProposalForm().set_choices()
    if not form.validate_on_submit():
        return render("proposals/new.html", form=form, community=proposal.community, proposal=proposal,
                      status=400)
    services.update_draft(current_user, proposal, form.proposal_fields(), submit=_submit_now())
    if not tell_author_if_held(proposal):
        flash(_saved_message(proposal), "success")
    return _back_to(proposal)


def _step_form(proposal: Proposal, steps, form=None) -> StepForm:
    form = form or StepForm()
    deliberations = services.open_deliberations(proposal.community) if "take_up" in steps else []
    form.deliberation.choices = [(d.id, d.title) for d in deliberations]
    projects = services.projects_for(proposal) if "implement" in steps else []
    form.project.choices = [(p.id, p.title) for p in projects]
    return form


def _show(proposal: Proposal, status=200, step_form=None, failed_step=None):
    polls = polls_of_proposal(proposal)
    close_due(polls)  # a poll whose time is up decides the proposal before the page shows it
    steps = services.allowed_steps(current_user, proposal)
    return render("proposals/show.html", status=status, steps=steps, polls=polls,
                  step_form=_step_form(proposal, steps, step_form), failed_step=failed_step,
                  timeline=services.timeline(proposal), **_support_context(proposal))


def _support_context(proposal: Proposal, refused=None) -> dict:
    supported = services.has_supported(current_user, proposal)
    return {"proposal": proposal, "supported": supported, "support_refused": refused,
            "may_support": can(current_user, "support_proposal", proposal),
            "why_not": None if supported else services.support_refusal(current_user, proposal)}


@bp.get("/<int:proposal_id>")
def show(proposal_id):
    _expire_due()
    return _show(_proposal_or_404(proposal_id))


@bp.post("/<int:proposal_id>/support")
@login_required
@rate_limit("support_proposal")
def support(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    refused = None
    try:
        if request.form.get("undo"):
            services.withdraw_support(current_user, proposal)
        else:
            services.support(current_user, proposal)
    except services.ProposalError as error:
        db.session.rollback()
        refused = str(error.message)
    db.session.refresh(proposal)
    if request.headers.get("HX-Request"):
        return render("proposals/show.html", fragment="support", **_support_context(proposal, refused))
    if refused:
        flash(refused, "error")
    return _back_to(proposal)


@bp.post("/<int:proposal_id>/steps/<action>")
@login_required
def step(proposal_id, action):
    proposal = _proposal_or_404(proposal_id)
    form = _step_form(proposal, services.allowed_steps(current_user, proposal), StepForm())
    if not form.validate_on_submit():
        return _show(proposal, status=400, step_form=form, failed_step=action)
    try:
        services.take_step(current_user, proposal, action, note=form.note.data,
                           deliberation=_chosen(form.deliberation.data, "deliberation"),
                           project=_chosen(form.project.data, "project"))
    except TransitionNotAllowed:
        db.session.rollback()
        flash(_("This step is no longer possible; the page has been refreshed."), "error")
    except services.ProposalError as error:
        db.session.rollback()
        getattr(form, error.field).errors = [error.message]
        return _show(proposal, status=400, step_form=form, failed_step=action)
    else:
        flash(_("Done. The proposal is now: %(status)s", status=STATUS_LABELS[proposal.status]), "success")
    return _back_to(proposal)


def _chosen(item_id, kind: str):
    if not item_id:
        return None
    if kind == "deliberation":
        from forum.deliberations.models import Deliberation

        return db.session.get(Deliberation, item_id)
    from forum.lists.models import Project

    return db.session.get(Project, item_id)


@bp.post("/settings/<int:community_id>")
@login_required
def settings(community_id):
    community = db.get_or_404(Community, community_id)
    authorize("manage_proposal_settings", community)
    form = SettingsForm()
    if form.validate_on_submit():
        services.set_settings(current_user, community, form.proposal_threshold.data,
                              form.proposal_window_days.data)
        flash(_("The settings are saved. They apply to proposals submitted from now on."), "success")
        return redirect(url_for("proposals.index", community=community.id), 303)
    return _index(queries.Filters(community=community.id), settings_form=form, status=400)
