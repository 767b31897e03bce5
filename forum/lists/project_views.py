"""Pages of the projects list: browse, set up from needs and resources, report, rate."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.limits import rate_limit
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.extensions import db
from forum.home.services import all_communities, home_community
from forum.lists import projects
from forum.lists.models import Milestone, Project
from forum.lists.photos import PhotoError, check_uploads
from forum.lists.project_forms import MilestoneForm, ProjectForm, ProjectStepForm, RatingForm, UpdateForm
from forum.places.models import Community
from forum.search.services import words_of

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.app_context_processor
def labels():
    return {"project_status": projects.STATUS_LABELS, "project_actions": projects.ACTION_LABELS}


@bp.get("/")
def index():
    community_id = request.args.get("community", type=int)
    status = request.args.get("status") if request.args.get("status") in projects.STATUS_LABELS else None
    words = words_of(request.args)
    page = projects.list_page(community_id, status, request.args.get("page", type=int), words)
    args = {k: v for k, v in {"community": community_id, "status": status, "q": words}.items() if v}
    return render("projects/index.html", fragment="results", page=page, args=args, status_filter=status,
                  community_filter=community_id, communities=all_communities(),
                  home=home_community(current_user))


def _form_for(community):
    form = ProjectForm()
    form.set_choices(community, projects.linkable_needs(community), projects.usable_resources(community, date.today()),
                     projects.staff_of(community))
    if form.responsible_id.data is None:
        form.responsible_id.data = current_user.id
    return form


@bp.get("/new")
@login_required
def new():
    community = db.get_or_404(Community, request.args.get("community", type=int) or
                              getattr(home_community(current_user), "id", 0))
    authorize("create_project", community)
    form = _form_for(community)
    form.needs.data = request.args.getlist("need", type=int)
    form.resources.data = request.args.getlist("resource", type=int)
    return render("projects/new.html", form=form, community=community)


@bp.post("/new")
@login_required
def create():
    community = db.get_or_404(Community, request.form.get("community", type=int) or
                              request.args.get("community", type=int) or 0)
    authorize("create_project", community)
    form = _form_for(community)
    if form.validate_on_submit():
        try:
            project = projects.create_project(current_user, community, form.project_fields(community),
                                              form.needs.data, form.resources.data, form.milestone_lines())
        except projects.ProjectError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [error.message]
        else:
            flash(_("The project has been set up; its needs are claimed."), "success")
            return redirect(url_for("projects.show", project_id=project.id), 303)
    return render("projects/new.html", form=form, community=community, status=400)


def _show(project, status=200, **forms):
    average, count = projects.rating_summary(project)
    return render("projects/show.html", status=status, project=project, timeline=projects.timeline(project),
                  steps=projects.allowed_steps(current_user, project), average=average, rating_count=count,
                  has_rated=projects.has_rated(current_user, project),
                  update_form=forms.get("update_form") or UpdateForm(),
                  rating_form=forms.get("rating_form") or RatingForm(),
                  milestone_form=forms.get("milestone_form") or MilestoneForm(),
                  step_form=forms.get("step_form") or ProjectStepForm(), button=EmptyForm())


@bp.get("/<int:project_id>")
def show(project_id):
    project = db.get_or_404(Project, project_id)
    authorize("view_project", project)
    return _show(project)


@bp.post("/<int:project_id>/updates")
@rate_limit("post_project_update")
@login_required
def post_update(project_id):
    project = db.get_or_404(Project, project_id)
    authorize("post_project_update", project)
    form = UpdateForm()
    if form.validate_on_submit():
        try:
            uploads = check_uploads([form.photo.data] if form.photo.data else [])
            projects.post_update(current_user, project, form.body.data, form.percent_done.data,
                                 uploads[0] if uploads else None)
        except PhotoError as error:
            db.session.rollback()
            form.photo.errors = [error.message]
        else:
            flash(_("The progress update has been posted."), "success")
            return redirect(url_for("projects.show", project_id=project.id), 303)
    return _show(project, status=400, update_form=form)


@bp.post("/<int:project_id>/steps/<action>")
@login_required
def step(project_id, action):
    project = db.get_or_404(Project, project_id)
    form = ProjectStepForm()
    if form.validate_on_submit():
        try:
            projects.take_step(current_user, project, action, note=form.note.data or "")
        except TransitionNotAllowed:
            flash(_("This step is no longer possible; the page has been refreshed."), "error")
        except projects.ProjectError as error:
            form.note.errors = [error.message]
            return _show(project, status=400, step_form=form)
        return redirect(url_for("projects.show", project_id=project.id), 303)
    return _show(project, status=400, step_form=form)


@bp.post("/<int:project_id>/rating")
@login_required
def rate(project_id):
    project = db.get_or_404(Project, project_id)
    authorize("rate_project", project)
    form = RatingForm()
    if form.validate_on_submit():
        try:
            projects.rate(current_user, project, form.score.data, form.comment.data or "")
        except projects.ProjectError as error:
            form.score.errors = [error.message]
        else:
            flash(_("Thank you for your rating."), "success")
            return redirect(url_for("projects.show", project_id=project.id), 303)
    return _show(project, status=400, rating_form=form)


@bp.post("/<int:project_id>/milestones")
@login_required
def add_milestone(project_id):
    project = db.get_or_404(Project, project_id)
    authorize("post_project_update", project)
    form = MilestoneForm()
    if form.validate_on_submit():
        projects.add_milestone(current_user, project, form.title.data, form.due_on.data)
        return redirect(url_for("projects.show", project_id=project.id), 303)
    return _show(project, status=400, milestone_form=form)


@bp.post("/<int:project_id>/milestones/<int:milestone_id>/done")
@login_required
def finish_milestone(project_id, milestone_id):
    project = db.get_or_404(Project, project_id)
    milestone = db.get_or_404(Milestone, milestone_id)
    if milestone.project_id != project.id:
        abort(404)
    authorize("post_project_update", project)
    if EmptyForm().validate_on_submit():
        projects.finish_milestone(current_user, milestone, project)
    return redirect(url_for("projects.show", project_id=project.id), 303)


@bp.get("/mine")
@login_required
def mine():
    return render("projects/mine.html", mine=projects.projects_of(current_user))
