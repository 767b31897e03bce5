"""Pages of minutes: the minutes in force, each version, drafting and revising, comments, steps,
corrections, the differences between versions and the printable A4 page."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.core.limits import rate_limit
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.deliberations.models import Deliberation
from forum.extensions import db
from forum.minutes import services
from forum.minutes.forms import CommentForm, CorrectionForm, MinutesForm, StepForm
from forum.minutes.models import ACTION_LABELS, STATUS_LABELS, MinutesVersion
from forum.minutes.record import agenda_titles, attendance, compare

bp = Blueprint("minutes", __name__, url_prefix="/deliberations")
LABELS = {"status_labels": STATUS_LABELS, "action_labels": ACTION_LABELS}
STEP_DONE = {
    "open_comments": _l("The draft is open for the attendees' comments."),
    "approve": _l("The minutes are approved; they can now be published."),
    "send_back": _l("The minutes are sent back to the moderator."),
    "publish": _l("The minutes are published."),
    "discard": _l("The draft is discarded."),
}


def _version(deliberation_id: int, number: int) -> MinutesVersion:
    version = db.first_or_404(db.select(MinutesVersion).where(
        MinutesVersion.deliberation_id == deliberation_id, MinutesVersion.number == number))
    authorize("view_minutes_version", version)
    return version


def _to_version(version: MinutesVersion):
    return redirect(url_for("minutes.version", deliberation_id=version.deliberation_id, number=version.number), 303)


@bp.get("/<int:deliberation_id>/minutes")
def show(deliberation_id):
    return _show(db.get_or_404(Deliberation, deliberation_id))


def _show(deliberation, status=200, correction_form=None):
    user = current_user
    versions = services.versions_of(deliberation)
    visible = [v for v in versions if can(user, "view_minutes_version", v)]
    return render("minutes/show.html", status=status, deliberation=deliberation, versions=visible,
                  current=services.current_published(versions), working=services.open_version(visible),
                  shown_by_id={v.id: services.shown_status(v, versions) for v in visible},
                  may_draft=services.may_start_draft(user, deliberation, versions),
                  may_correct=services.may_correct(user, versions),
                  correction_form=correction_form or CorrectionForm(), **LABELS)


@bp.get("/<int:deliberation_id>/minutes/versions/<int:number>")
def version(deliberation_id, number):
    return _show_version(_version(deliberation_id, number))


def _show_version(version, status=200, comment_form=None, step_form=None):
    versions = services.versions_of(version.deliberation)
    visible = [v for v in versions if can(current_user, "view_minutes_version", v)]
    return render(
        "minutes/version.html", status=status, deliberation=version.deliberation, version=version,
        versions=visible, shown=services.shown_status(version, versions),
        shown_by_id={v.id: services.shown_status(v, versions) for v in visible},
        superseded_by=services.superseded_by(version, versions),
        previous=next((v for v in reversed(visible) if v.number < version.number), None),
        comments_open=services.comments_open(version), timeline=services.timeline(version),
        steps=services.available_steps(current_user, version), step_form=step_form or StepForm(),
        comment_form=comment_form or CommentForm(), **LABELS)


def _edit_page(deliberation, form, version=None, status=200):
    return render("minutes/edit.html", status=status, deliberation=deliberation, version=version, form=form,
                  titles=agenda_titles(deliberation), attendance=attendance(deliberation), **LABELS)


@bp.get("/<int:deliberation_id>/minutes/new")
@login_required
def new(deliberation_id):
    deliberation = db.get_or_404(Deliberation, deliberation_id)
    authorize("draft_minutes", deliberation)
    form = MinutesForm.for_version(None, agenda_titles(deliberation), current_user.display_name)
    return _edit_page(deliberation, form)


@bp.post("/<int:deliberation_id>/minutes/new")
@login_required
def create(deliberation_id):
    deliberation = db.get_or_404(Deliberation, deliberation_id)
    authorize("draft_minutes", deliberation)
    form = MinutesForm()
    if form.validate_on_submit():
        try:
            version = services.draft_minutes(current_user, deliberation, form.text_fields())
        except services.MinutesError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The draft is saved. Open it for the attendees' comments when it is ready."), "success")
            return _to_version(version)
    return _edit_page(deliberation, form, status=400)


@bp.get("/<int:deliberation_id>/minutes/versions/<int:number>/edit")
@login_required
def edit(deliberation_id, number):
    version = _version(deliberation_id, number)
    authorize("edit_minutes", version)
    form = MinutesForm.for_version(version, agenda_titles(version.deliberation))
    return _edit_page(version.deliberation, form, version)


@bp.post("/<int:deliberation_id>/minutes/versions/<int:number>/edit")
@login_required
def update(deliberation_id, number):
    version = _version(deliberation_id, number)
    authorize("edit_minutes", version)
    form = MinutesForm()
    if form.validate_on_submit():
        revising = version.status != "draft"
        try:
            services.save_text(current_user, version, form.text_fields())
        except services.MinutesError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The minutes are revised and wait for approval by another moderator or the community staff.")
                  if revising else _("The draft is saved."), "success")
            return _to_version(version)
    return _edit_page(version.deliberation, form, version, status=400)


@bp.post("/<int:deliberation_id>/minutes/versions/<int:number>/comments")
@rate_limit("post_comment")
@login_required
def comment(deliberation_id, number):
    version = _version(deliberation_id, number)
    authorize("comment_on_minutes", version)
    form = CommentForm()
    if not form.validate_on_submit():
        return _show_version(version, status=400, comment_form=form)
    try:
        services.add_comment(current_user, version, form.body.data)
    except services.MinutesError as error:
        form.body.errors.append(error.message)
        return _show_version(version, status=400, comment_form=form)
    flash(_("Thank you; the moderator will see your comment when revising the minutes."), "success")
    return redirect(url_for("minutes.version", deliberation_id=deliberation_id, number=number) + "#comments", 303)


@bp.post("/<int:deliberation_id>/minutes/versions/<int:number>/steps/<action>")
@login_required
def step(deliberation_id, number, action):
    version = _version(deliberation_id, number)
    form = StepForm()
    if not form.validate_on_submit():
        return _show_version(version, status=400, step_form=form)
    try:
        services.take_step(current_user, version, action, form.note.data)
    except TransitionNotAllowed:
        flash(_("This step is no longer possible; the page has been refreshed."), "error")
    except services.MinutesError as error:
        form.note.errors.append(error.message)
        return _show_version(version, status=400, step_form=form)
    else:
        flash(str(STEP_DONE[action]), "success")
    return _to_version(version)


@bp.post("/<int:deliberation_id>/minutes/correction")
@login_required
def correct(deliberation_id):
    deliberation = db.get_or_404(Deliberation, deliberation_id)
    published = services.current_published(services.versions_of(deliberation))
    if published is None:
        abort(404)
    authorize("correct_minutes", published)
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            version = services.start_correction(current_user, published, form.reason.data)
        except services.MinutesError as error:
            form.reason.errors.append(error.message)
        else:
            flash(_("A new version is started from the published minutes. Correct it, then take it through "
                    "the same steps."), "success")
            return redirect(url_for("minutes.edit", deliberation_id=deliberation_id, number=version.number), 303)
    return _show(deliberation, status=400, correction_form=form)


@bp.get("/<int:deliberation_id>/minutes/diff")
def diff(deliberation_id):
    deliberation = db.get_or_404(Deliberation, deliberation_id)
    old_number, new_number = request.args.get("from", type=int), request.args.get("to", type=int)
    if old_number is None or new_number is None:
        abort(404)
    old, new = _version(deliberation.id, old_number), _version(deliberation.id, new_number)
    return render("minutes/diff.html", deliberation=deliberation, old=old, new=new, hunks=compare(old, new))


@bp.get("/<int:deliberation_id>/minutes/print")
def print_view(deliberation_id):
    deliberation = db.get_or_404(Deliberation, deliberation_id)
    number = request.args.get("version", type=int)
    if number is None:
        current = services.current_published(services.versions_of(deliberation))
        if current is None:
            abort(404)
        number = current.number
    version = _version(deliberation.id, number)
    return render("minutes/print.html", deliberation=deliberation, version=version,
                  shown=services.shown_status(version, services.versions_of(deliberation)), **LABELS)
