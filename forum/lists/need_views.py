"""Pages of the needs list: browse, post, enter for a resident, support, take steps."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.categories import CATEGORIES
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.core.limits import rate_limit
from forum.extensions import db
from forum.home.services import all_communities, home_community
from forum.lists import need_queries, needs
from forum.lists.need_forms import NeedForm, ResidentNeedForm, StepForm
from forum.lists.models import Need
from forum.lists.photos import PhotoError, check_uploads
from forum.moderation.words.screening import tell_author_if_held
from forum.places.models import Community

bp = Blueprint("needs", __name__, url_prefix="/needs")


@bp.app_context_processor
def labels():
    return {"categories": CATEGORIES, "need_status": needs.STATUS_LABELS,
            "need_status_filters": [(code, needs.STATUS_LABELS[code]) for code in need_queries.LISTABLE_STATUSES],
            "review_status_filters": [(code, needs.STATUS_LABELS[code])
                                      for code in ("submitted",) + need_queries.LISTABLE_STATUSES],
            "need_actions": needs.ACTION_LABELS, "urgency_labels": needs.URGENCY_LABELS}


def _need_or_404(need_id) -> Need:
    need = db.get_or_404(Need, need_id)
    authorize("view_need", need)
    return need


@bp.get("/")
def index():
    community = db.session.get(Community, request.args.get("community", type=int) or 0)
    reviewer = community is not None and can(current_user, "enter_need_for_resident", community)
    filters = need_queries.Filters.from_args(request.args, reviewer=reviewer)
    page = need_queries.list_page(filters, request.args.get("page", type=int))
    return render("needs/index.html", fragment="results", page=page, filters=filters, reviewer=reviewer,
                  communities=all_communities(), home=home_community(current_user))


def _posting_community(form_community_id=None) -> Community:
    community_id = form_community_id or request.args.get("community", type=int)
    community = db.session.get(Community, community_id) if community_id else home_community(current_user)
    if community is None:
        if community_id:
            abort(404)
        flash(_("Needs are posted by residents of a community. Register or ask the community office to add you."),
              "error")
        abort(redirect(url_for("needs.index")))
    return community


def _prepared(form_class, action: str, posted: bool = False):
    """The community posted to (checked for `action`) and the need form for it."""
    community = _posting_community(request.form.get("community", type=int) if posted else None)
    authorize(action, community)
    form = form_class()
    form.set_choices(community)
    return community, form


def _save(form, community, template: str, create):
    """Validate, read the photos and save through `create(fields, uploads)`.

    Returns (need, None), or (None, the form page again with the errors).
    """
    if form.validate_on_submit():
        try:
            uploads = check_uploads(request.files.getlist("photos"))
            return create(form.need_fields(community), uploads), None
        except PhotoError as error:
            db.session.rollback()
            form.photos.errors = [error.message]
    return None, render(template, form=form, community=community, status=400)


@bp.get("/new")
@login_required
def new():
    community, form = _prepared(NeedForm, "post_need")
    return render("needs/new.html", form=form, community=community)


@bp.post("/new")
@login_required
@rate_limit("post_need")
def create():
    community, form = _prepared(NeedForm, "post_need", posted=True)
    need, page = _save(form, community, "needs/new.html",
                       lambda fields, uploads: needs.create_need(current_user, community, fields, uploads))
    if page:
        return page
    if not tell_author_if_held(need):
        flash(_("Your need has been published.") if need.status == "published"
              else _("Your need has been submitted. Community staff will review it soon."), "success")
    return redirect(url_for("needs.show", need_id=need.id), 303)


@bp.get("/for-resident")
@login_required
def new_for_resident():
    community, form = _prepared(ResidentNeedForm, "enter_need_for_resident")
    return render("needs/for_resident.html", form=form, community=community)


@bp.post("/for-resident")
@login_required
def create_for_resident():
    community, form = _prepared(ResidentNeedForm, "enter_need_for_resident", posted=True)
    need, page = _save(form, community, "needs/for_resident.html", lambda fields, uploads: needs.create_for_resident(
        current_user, community, form.proxy_name.data, form.proxy_phone.data, fields, uploads))
    if page:
        return page
    if not tell_author_if_held(need):
        flash(_("The need has been entered and published."), "success")
    return redirect(url_for("needs.show", need_id=need.id), 303)


def _suggestions(need: Need):
    from forum.matching import services as matching

    if need.status not in matching.OPEN_NEEDS or not can(current_user, "see_match_suggestions", need.community):
        return []
    return matching.for_need(need)


def _show(need: Need, status=200, step_form=None, failed_step=None, revealed_phone=None):
    return render("needs/show.html", status=status, suggestions=_suggestions(need),
                  need=need, timeline=needs.timeline(current_user, need),
                  steps=needs.allowed_steps(current_user, need), step_form=step_form or StepForm(),
                  failed_step=failed_step, supported=needs.has_supported(current_user, need),
                  button=EmptyForm(), revealed_phone=revealed_phone)


@bp.get("/<int:need_id>")
def show(need_id):
    need = _need_or_404(need_id)
    if need.status == "merged" and need.merged_into_id:
        flash(_("This need was merged into the one below."), "success")
        return redirect(url_for("needs.show", need_id=need.merged_into_id))
    return _show(need)


@bp.post("/<int:need_id>/phone")
@login_required
def reveal_phone(need_id):
    need = _need_or_404(need_id)
    authorize("see_need_author", need)
    if not EmptyForm().validate_on_submit() or not need.proxy_phone:
        abort(400)
    return _show(need, revealed_phone=needs.reveal_proxy_phone(current_user, need))


@bp.post("/<int:need_id>/support")
@login_required
@rate_limit("support_need")
def support(need_id):
    need = _need_or_404(need_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    refused = None
    if request.form.get("undo"):
        needs.withdraw_support(current_user, need)
    elif can(current_user, "support_need", need):
        needs.support(current_user, need)
    else:  # a stale page: the need moved on, or the person may not support it
        refused = _("This need cannot be supported any more; the page has been refreshed.")
    db.session.refresh(need)
    if request.headers.get("HX-Request"):
        return render("needs/show.html", fragment="support", need=need, button=EmptyForm(),
                      supported=needs.has_supported(current_user, need), support_refused=refused)
    if refused:
        flash(refused, "error")
    return redirect(url_for("needs.show", need_id=need.id), 303)


@bp.post("/<int:need_id>/steps/<action>")
@login_required
def step(need_id, action):
    need = _need_or_404(need_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _show(need, status=400, step_form=form, failed_step=action)
    try:
        needs.take_step(current_user, need, action, note=form.note.data, score=form.score.data,
                        comment=form.comment.data, target_id=form.target.data)
        flash(_("Done. The need is now: %(status)s", status=needs.STATUS_LABELS[need.status]), "success")
    except TransitionNotAllowed:
        flash(_("This step is no longer possible; the page has been refreshed."), "error")
    except needs.NeedError as error:
        db.session.rollback()
        getattr(form, error.field).errors = [error.message]
        return _show(need, status=400, step_form=form, failed_step=action)
    return redirect(url_for("needs.show", need_id=need.id), 303)


@bp.get("/mine")
@login_required
def mine():
    return render("needs/mine.html", mine=need_queries.authored_by(current_user),
                  supported=need_queries.supported_by(current_user), home=home_community(current_user))


@bp.post("/settings/<int:community_id>")
@login_required
def settings(community_id):
    community = db.get_or_404(Community, community_id)
    authorize("manage_need_settings", community)
    if EmptyForm().validate_on_submit():
        need_queries.set_publish_verified(current_user, community, request.form.get("publish_verified") == "on")
        flash(_("The setting has been saved."), "success")
    return redirect(url_for("needs.index", community=community.id), 303)
