"""Pages of polls: the list, setting one up, voting, the result, the published ballots."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.limits import rate_limit
from forum.core.models import utcnow
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.extensions import db
from forum.home.services import all_communities, requested_community
from forum.places.models import Community
from forum.voting import paper, results, services, setup
from forum.voting.export import csv_response
from forum.voting.forms import CloseForm, PaperForm, PollForm
from forum.voting.models import (
    ACTION_LABELS,
    ELECTORATE_LABELS,
    METHOD_LABELS,
    PASS_RULE_LABELS,
    STATE_LABELS,
    Poll,
)

bp = Blueprint("polls", __name__, url_prefix="/polls")
LABELS = {"state_labels": STATE_LABELS, "method_labels": METHOD_LABELS, "electorate_labels": ELECTORATE_LABELS,
          "pass_rule_labels": PASS_RULE_LABELS, "action_labels": ACTION_LABELS}
RECEIPTS = "poll_receipts"  # in the voter's own (signed, client-side) session only


@bp.app_context_processor
def labels():
    """The poll cards also appear on the home, proposal and deliberation pages."""
    return LABELS


def _back_to(poll: Poll, anchor: str | None = None):
    return redirect(url_for("polls.show", poll_id=poll.id, _anchor=anchor), 303)


def _poll(poll_id: int) -> Poll:
    """The poll, closed first if its time is up (so every page shows it as it now stands)."""
    poll = db.get_or_404(Poll, poll_id)
    services.close_if_due(poll)
    return db.session.get(Poll, poll_id)


@bp.get("/")
def index():
    community = requested_community(request.args)
    community_id = community.id if community else None
    services.close_due_polls()
    page = services.list_page(community_id, request.args.get("page", type=int))
    return render("voting/index.html", fragment="results", page=page, community=community,
                  communities=all_communities(), args={"community": community_id} if community_id else {},
                  may_create=community is not None and can(current_user, "create_poll", community), **LABELS)


# --- setting up ---------------------------------------------------------------------


def _target() -> setup.Target:
    from forum.deliberations.models import Deliberation
    from forum.proposals.models import Proposal

    if "deliberation" in request.args:
        deliberation = db.session.get(Deliberation, request.args.get("deliberation", type=int) or 0) or abort(404)
        return setup.Target(deliberation.community, deliberation=deliberation)
    if "proposal" in request.args:
        proposal = db.session.get(Proposal, request.args.get("proposal", type=int) or 0) or abort(404)
        return setup.Target(proposal.community, proposal=proposal)
    community = db.session.get(Community, request.args.get("community", type=int) or 0) or abort(404)
    return setup.Target(community)


def _new_form(target: setup.Target, form: PollForm | None = None) -> PollForm:
    if form is None:
        opens = utcnow().replace(second=0, microsecond=0)
        ends = getattr(target.deliberation, "ends_at", None)
        closes = ends if ends and ends > opens + timedelta(hours=1) else opens + timedelta(days=7)
        proposals = target.proposals()
        form = PollForm(opens_at=opens, closes_at=closes,
                        proposal_id=proposals[0].id if len(proposals) == 1 else None,
                        electorate="council" if target.deliberation is not None else "residents")
    form.set_choices(target)
    return form


@bp.get("/new")
@login_required
def new():
    target = _target()
    authorize("create_poll", target.subject)
    return render("voting/new.html", form=_new_form(target), target=target, **LABELS)


@bp.post("/new")
@rate_limit("set_up_poll")
@login_required
def create():
    target = _target()
    authorize("create_poll", target.subject)
    form = _new_form(target, PollForm())
    if form.validate_on_submit():
        try:
            poll = setup.create_poll(current_user, target, form.poll_fields())
        except services.PollError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The poll is set up. Its rules can be changed until the first ballot is cast."), "success")
            return _back_to(poll)
    return render("voting/new.html", form=form, target=target, status=400, **LABELS)


@bp.get("/<int:poll_id>/edit")
@login_required
def edit(poll_id):
    poll = _poll(poll_id)
    authorize("manage_poll", poll)
    form = PollForm.for_poll(poll)
    form.set_choices(setup.target_of(poll))
    return render("voting/edit.html", form=form, poll=poll, frozen=services.has_ballots(poll), **LABELS)


@bp.post("/<int:poll_id>/edit")
@login_required
def update(poll_id):
    poll = _poll(poll_id)
    authorize("manage_poll", poll)
    form = PollForm()
    form.set_choices(setup.target_of(poll))
    if form.validate_on_submit():
        try:
            setup.update_poll(current_user, poll, form.poll_fields())
        except services.PollError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The rules of the poll are changed."), "success")
            return _back_to(poll)
    return render("voting/edit.html", form=form, poll=poll, frozen=services.has_ballots(poll), status=400, **LABELS)


# --- the poll -----------------------------------------------------------------------


def _show(poll: Poll, status=200, close_form=None, paper_form=None):
    user = current_user._get_current_object()
    visible, may_vote = poll.results_visible, can(user, "vote_in_poll", poll)
    tally = paper.tally_of(poll)
    return render(
        "voting/show.html", status=status, poll=poll, me=services.voter_status(user, poll),
        receipt=session.get(RECEIPTS, {}).get(str(poll.id)), may_vote=may_vote,
        why_not=services.not_elector_message(poll, user) if user.is_authenticated and not may_vote else None,
        outcome=results.outcome(poll) if visible else None, turnout=results.online_ballots(poll),
        size=results.electorate_of(poll)[0], timeline=services.timeline(poll),
        frozen=services.has_ballots(poll), close_form=close_form or CloseForm(), tally=tally,
        paper_form=paper_form or (PaperForm.for_poll(poll) if tally is None else None),
        option_labels={o.id: results.option_label(o) for o in poll.options}, **LABELS)


@bp.get("/<int:poll_id>")
def show(poll_id):
    return _show(_poll(poll_id))


@bp.post("/<int:poll_id>/vote")
@rate_limit("vote")
@login_required
def vote(poll_id):
    poll = _poll(poll_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    # Read before the vote commits what is shown after it: the commit expires the poll and the user
    # (whose language the message needs), and reloading them would begin another transaction, which
    # on SQLite waits for the write lock again.
    secret, thanks, back = poll.secret, _("Your vote is cast. Thank you!"), _back_to(poll, "vote")
    try:
        receipt = services.vote(current_user, poll, request.form.getlist("option", type=int))
    except services.PollError as error:
        flash(str(error.message), "error")
        return back
    if secret:  # an open ballot is found by the voter's name; a secret one only by this code
        session[RECEIPTS] = {**session.get(RECEIPTS, {}), str(poll_id): receipt}
    flash(thanks, "success")
    return back


@bp.post("/<int:poll_id>/close")
@login_required
def close(poll_id):
    poll = _poll(poll_id)
    if poll.status == "closed":
        flash(_("The poll has already closed."), "error")
        return _back_to(poll, "result")
    authorize("poll:close_early", poll)
    form = CloseForm()
    if not form.validate_on_submit():
        return _show(poll, status=400, close_form=form)
    try:
        services.close_early(current_user, poll, form.note.data)
    except TransitionNotAllowed:
        flash(_("The poll has already closed."), "error")
    except services.PollError as error:
        form.note.errors = [error.message]
        return _show(poll, status=400, close_form=form)
    else:
        flash(_("The poll is closed and counted."), "success")
    return _back_to(poll, "result")


# --- results and ballots --------------------------------------------------------------


@bp.get("/<int:poll_id>/ballots")
def ballots(poll_id):
    poll = _poll(poll_id)
    if not poll.is_closed:
        return render("voting/ballots.html", poll=poll, page=None, status=404, **LABELS)
    checked = request.args.get("receipt", "").strip()
    return render("voting/ballots.html", poll=poll, page=results.published_ballots(poll, request.args.get(
        "page", type=int)), checked=checked, found=results.find_ballot(poll, checked) if checked else None,
                  option_labels={o.id: results.option_label(o) for o in poll.options},
                  tally=results.confirmed_paper(poll), **LABELS)


@bp.get("/<int:poll_id>/results.csv")
def export(poll_id):
    poll = _poll(poll_id)
    if not poll.results_visible:
        abort(404)
    return csv_response(poll, results.outcome(poll))


# --- paper ballots --------------------------------------------------------------------


@bp.post("/<int:poll_id>/paper")
@login_required
def enter_paper(poll_id):
    poll = _poll(poll_id)
    authorize("enter_paper_ballots", poll)
    form = PaperForm()
    if form.validate_on_submit():
        votes, areas = form.counts()
        try:
            paper.enter(current_user, poll, votes, areas, form.ballot_count.data, form.note.data)
        except services.PollError as error:
            (form.ballot_count.errors if error.field == "ballot_count" else form.form_errors).append(error.message)
        else:
            flash(_("The paper ballot counts are entered. A second moderator or staff member must confirm them."),
                  "success")
            return _back_to(poll, "paper")
    return _show(poll, status=400, paper_form=form)


@bp.post("/<int:poll_id>/paper/<step>")
@login_required
def paper_step(poll_id, step):
    poll = _poll(poll_id)
    tally = paper.tally_of(poll) or abort(404)
    if step not in ("confirm", "discard") or not EmptyForm().validate_on_submit():
        abort(400 if step in ("confirm", "discard") else 404)
    authorize("confirm_paper_ballots" if step == "confirm" else "enter_paper_ballots",
              tally if step == "confirm" else poll)
    try:
        (paper.confirm if step == "confirm" else paper.discard)(current_user, tally)
    except services.PollError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The paper ballot counts are confirmed and counted.") if step == "confirm"
              else _("The paper ballot counts are discarded; they can be entered again."), "success")
    return _back_to(poll, "paper")
