"""The staff queue of suggested matches (/matches/), and accepting or declining a pair."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.core.security import local_target
from forum.extensions import db
from forum.home.services import home_community
from forum.lists.models import Need, Project, Resource
from forum.lists.projects import ProjectError
from forum.matching import services
from forum.places.models import Community

bp = Blueprint("matches", __name__, url_prefix="/matches")


@bp.app_context_processor
def labels():
    return {"reason_labels": services.REASON_LABELS, "category_relations": services.CATEGORY_LABELS,
            "kind_fits": services.KIND_LABELS}


def _community() -> Community:
    community_id = request.values.get("community", type=int)
    community = db.session.get(Community, community_id) if community_id else home_community(current_user)
    if community is None:
        abort(404)
    return community


@bp.get("/")
@login_required
def index():
    community = _community()
    authorize("decide_match", community)
    return render("matches/index.html", community=community, rows=services.queue(community),
                  projects=services.open_projects(community), button=EmptyForm())


def _pair():
    need = db.get_or_404(Need, request.form.get("need", type=int) or 0)
    resource = db.get_or_404(Resource, request.form.get("resource", type=int) or 0)
    authorize("decide_match", need.community)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return need, resource


def _back(need) -> str:
    return local_target(request.form.get("next")) or url_for("needs.show", need_id=need.id)


@bp.post("/accept")
@login_required
def accept():
    need, resource = _pair()
    project_id = request.form.get("project", type=int)
    project = db.get_or_404(Project, project_id) if project_id else None
    if project is not None and project.community_id != need.community_id:
        abort(404)
    try:
        project = services.accept(current_user, need, resource, project)
    except (services.MatchError, ProjectError) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_back(need), 303)
    flash(_("Matched: the need and the resource are now in the project below."), "success")
    return redirect(url_for("projects.show", project_id=project.id), 303)


@bp.post("/decline")
@login_required
def decline():
    need, resource = _pair()
    try:
        services.decline(current_user, need, resource, request.form.get("reason", ""))
    except services.MatchError as error:
        flash(error.message, "error")
    else:
        flash(_("This suggestion will not be shown again."), "success")
    return redirect(_back(need), 303)
