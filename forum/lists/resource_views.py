"""Pages of the resources list: browse, my resources, post, edit, and the workflow steps."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.core.categories import CATEGORIES
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.core.limits import rate_limit
from forum.extensions import db
from forum.home.services import all_communities
from forum.lists import resources
from forum.lists.models import Resource
from forum.lists.resource_forms import ResourceEditForm, ResourceForm, StepForm
from forum.moderation.words.screening import tell_author_if_held
from forum.places.models import Community, Unit

bp = Blueprint("resources", __name__, url_prefix="/resources")


@bp.context_processor
def _labels():
    return {"categories": CATEGORIES, "resource_kinds": resources.KIND_LABELS,
            "resource_status": resources.STATUS_LABELS, "resource_scopes": resources.SCOPE_LABELS,
            "shown_status": resources.shown_status}


def _resource_or_404(resource_id) -> Resource:
    resource = db.get_or_404(Resource, resource_id)
    authorize("view_resource", resource)
    return resource


@bp.get("/")
def index():
    filters = resources.Filters.from_args(request.args)
    if filters.community and db.session.get(Community, filters.community) is None:
        abort(404)
    page = resources.list_page(filters, request.args.get("page", type=int))
    status_options = [("" if code == "available" else code, label)
                      for code, label in resources.STATUS_LABELS.items()]
    return render("resources/index.html", fragment="results", page=page, filters=filters,
                  communities=all_communities(), status_options=status_options)


@bp.get("/mine")
@login_required
def mine():
    page = resources.resources_of(current_user, request.args.get("page", type=int))
    return render("resources/mine.html", page=page)


def _posting_form(form: ResourceForm) -> ResourceForm:
    authorize("offer_resource")
    form.set_choices(*resources.posting_choices(current_user))
    return form


@bp.get("/new")
@login_required
def new():
    form = _posting_form(ResourceForm(community=request.args.get("community", type=int)))
    return render("resources/new.html", form=form)


@bp.post("/new")
@login_required
@rate_limit("post_resource")
def create():
    form = _posting_form(ResourceForm())
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
        community = db.get_or_404(Community, form.community.data)
        try:
            resource = resources.post_resource(current_user, unit=unit, community=community,
                                               fields=form.resource_fields())
        except resources.ResourceError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            if not tell_author_if_held(resource):
                flash(_("Your resource has been posted."), "success")
            return redirect(url_for("resources.show", resource_id=resource.id), 303)
    return render("resources/new.html", form=form, status=400)


def _needs_it_could_meet(resource: Resource):
    from forum.matching import services as matching

    if resource.status != "available" or not can(current_user, "see_needs_for_resource", resource):
        return []
    return matching.for_resource(resource)


def _show(resource: Resource, status=200, step_form=None):
    return render("resources/show.html", status=status, resource=resource,
                  could_meet=_needs_it_could_meet(resource),
                  timeline=resources.timeline(resource), steps=resources.allowed_steps(current_user, resource),
                  step_form=step_form or StepForm(), step_labels=resources.BUTTON_LABELS,
                  action_labels=resources.ACTION_LABELS)


@bp.get("/<int:resource_id>")
def show(resource_id):
    return _show(_resource_or_404(resource_id))


@bp.get("/<int:resource_id>/edit")
@login_required
def edit(resource_id):
    resource = _resource_or_404(resource_id)
    authorize("edit_resource", resource)
    return render("resources/edit.html", resource=resource, form=ResourceEditForm(obj=resource))


@bp.post("/<int:resource_id>/edit")
@login_required
def update(resource_id):
    resource = _resource_or_404(resource_id)
    authorize("edit_resource", resource)
    form = ResourceEditForm()
    if form.validate_on_submit():
        try:
            resources.update_resource(current_user, resource, form.resource_fields())
        except resources.ResourceError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            if not tell_author_if_held(resource):
                flash(_("Your changes have been saved."), "success")
            return redirect(url_for("resources.show", resource_id=resource.id), 303)
    return render("resources/edit.html", resource=resource, form=form, status=400)


@bp.post("/<int:resource_id>/steps/<action>")
@login_required
def step(resource_id, action):
    resource = _resource_or_404(resource_id)
    if action not in resources.BUTTON_LABELS:
        abort(404)
    form = StepForm()
    if not form.validate_on_submit():
        return _show(resource, status=400, step_form=form)
    try:
        resources.take_step(current_user, resource, action, form.note.data)
    except TransitionNotAllowed:
        flash(_("This step is no longer possible; the page has been refreshed."), "error")
    else:
        status = resources.STATUS_LABELS[resources.shown_status(resource)]
        flash(_("The resource is now: %(status)s.", status=status), "success")
    return redirect(url_for("resources.show", resource_id=resource.id), 303)
