"""Projects (项目清单): staff join needs and resources; the lead reports; residents rate.

Linking a need claims it for the lead unit; completing the project resolves its needs
and asks their authors and supporters for a satisfaction rating (满意度).
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from forum.core.i18n import N_
from forum.core.markup import render_markdown
from forum.core.models import utcnow
from forum.core.pagination import paginate
from forum.core.permissions import ensure
from forum.core.urls import path_for
from forum.core.workflow import declare
from forum.extensions import db
from forum.lists import needs as need_service
from forum.lists.models import Milestone, Need, Project, ProjectRating, ProjectUpdate, Resource
from forum.lists.photos import save_photo
from forum.places.models import Community
from forum.search.services import only_matching

PROJECT = declare("project", "planned", {
    ("planned", "start"): ("in_progress", {"staff", "lead", "responsible"}),
    ("in_progress", "complete"): ("completed", {"staff", "lead", "responsible"}),
    ("completed", "evaluate"): ("evaluated", {"staff"}),
    ("planned", "cancel"): ("cancelled", {"staff"}, True),
    ("in_progress", "cancel"): ("cancelled", {"staff"}, True),
})
STATUS_MSGIDS = {"planned": N_("Planned"), "in_progress": N_("In progress"), "completed": N_("Completed"),
                 "evaluated": N_("Evaluated"), "cancelled": N_("Cancelled")}
STATUS_LABELS = {code: _l(msgid) for code, msgid in STATUS_MSGIDS.items()}
ACTION_LABELS = {"create": _l("Project set up"), "start": _l("Work started"), "complete": _l("Completed"),
                 "evaluate": _l("Evaluation closed"), "cancel": _l("Cancelled")}
LINKABLE_NEED_STATUSES = ("published", "claimed", "in_progress")
RATING_STATUSES = ("completed", "evaluated")


class ProjectError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def staff_of(community: Community) -> list:
    """Who can be responsible for a project: the community's (and its street's) staff."""
    from forum.accounts.models import RoleGrant, User

    return list(db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "staff",
               or_(RoleGrant.community_id == community.id, RoleGrant.street_id == community.street_id))
        .distinct().order_by(User.id)))


def linkable_needs(community: Community) -> list[Need]:
    return list(db.session.scalars(select(Need).where(
        Need.community_id == community.id, Need.status.in_(LINKABLE_NEED_STATUSES)).order_by(Need.id.desc())))


def offered_to(community: Community, today: date):
    """The statement for available resources offered to `community`: posted there, offered
    to its whole street, or offered by a unit stationed in it."""
    from forum.places.models import Community as Home, unit_communities

    stationed_here = select(unit_communities.c.unit_id).where(unit_communities.c.community_id == community.id)
    return (select(Resource).join(Home, Home.id == Resource.community_id)
            .where(Resource.status == "available", Resource.moderation_state.is_(None),
                   or_(Resource.available_until.is_(None), Resource.available_until >= today),
                   or_(Resource.community_id == community.id,
                       (Resource.scope == "street") & (Home.street_id == community.street_id),
                       Resource.unit_id.in_(stationed_here)))
            .order_by(Resource.id.desc()))


def usable_resources(community: Community, today: date) -> list[Resource]:
    return list(db.session.scalars(offered_to(community, today)))


def create_project(staff, community: Community, fields: dict, need_ids, resource_ids, milestones) -> Project:
    ensure(staff, "create_project", community)
    chosen_needs = {n.id: n for n in linkable_needs(community)}
    chosen_resources = {r.id: r for r in usable_resources(community, date.today())}
    if not need_ids or any(i not in chosen_needs for i in need_ids):
        raise ProjectError("needs", _l("Please choose at least one open need of this community."))
    if not resource_ids or any(i not in chosen_resources for i in resource_ids):
        raise ProjectError("resources", _l("Please choose at least one available resource."))
    fields = dict(fields)
    responsible_id = fields.pop("responsible_id", None) or staff.id
    if responsible_id not in {u.id for u in staff_of(community)} | {staff.id}:
        raise ProjectError("responsible_id", _l("Please choose a staff member of this community."))
    project = Project(community=community, created_by_id=staff.id, responsible_id=responsible_id,
                      summary_html=render_markdown(fields.get("summary", "")), **fields)
    project.needs = [chosen_needs[i] for i in need_ids]
    project.resources = [chosen_resources[i] for i in resource_ids]
    project.milestones = [Milestone(title=title, due_on=due) for title, due in milestones]
    db.session.add(project)
    PROJECT.start(db.session, project, staff)
    for need in project.needs:
        _claim_for_project(staff, need, project)
    _tell_resource_units(staff, project)
    db.session.commit()
    return project


def _claim_for_project(staff, need: Need, project: Project) -> None:
    if need.status == "published":
        need_service.NEED.apply(db.session, need, "claim", staff, note=project.title)
        need_service.notify_status(staff, need)
    if need.claimed_unit is None:
        need.claimed_unit = project.lead_unit
        need.claimed_by_id = staff.id


def _tell_resource_units(actor, project: Project) -> None:
    from forum.notifications.services import notify

    for resource in project.resources:
        recipients = list(resource.unit.contacts) if resource.unit else [resource.owner]
        notify(recipients, N_("Your resource “%(resource)s” is now part of the project “%(project)s”."),
               path_for("projects.show", project_id=project.id), actor=actor,
               resource=resource.title, project=project.title)


def post_update(user, project: Project, body: str, percent: int, upload: bytes | None) -> ProjectUpdate:
    ensure(user, "post_project_update", project)
    update = ProjectUpdate(project_id=project.id, author_id=user.id, body=body.strip(),
                           body_html=render_markdown(body), percent_done=percent)
    db.session.add(update)
    if upload:
        save_photo(upload, user).project_update = update
    project.percent_done = percent
    db.session.commit()
    return update


def take_step(user, project: Project, action: str, note: str = "") -> None:
    PROJECT.transition(project.status, action)
    ensure(user, f"project:{action}", project)
    if PROJECT.transition(project.status, action).needs_note and not note.strip():
        raise ProjectError("note", _l("Please write a reason."))
    PROJECT.apply(db.session, project, action, user, note=note)
    if action == "complete":
        project.percent_done = 100
        _resolve_needs(user, project)
    db.session.commit()


def _resolve_needs(user, project: Project) -> None:
    from forum.notifications.services import notify

    for need in project.needs:
        if need.status in ("claimed", "in_progress"):
            need_service.NEED.apply_as_system(db.session, need, "resolve", note=project.title)
            need.resolution = need.resolution or project.title
            need_service.notify_status(user, need)
    notify(raters(project), N_("The project “%(title)s” is completed. How satisfied are you?"),
           path_for("projects.show", project_id=project.id), actor=user, title=project.title)


def raters(project: Project) -> list:
    """Who may rate: the authors and supporters of the project's needs."""
    people = {}
    for need in project.needs:
        for person in ([need.author] if need.author else []) + need_service.supporters(need):
            people[person.id] = person
    return list(people.values())


def rate(user, project: Project, score: int, comment: str) -> None:
    ensure(user, "rate_project", project)
    if score not in (1, 2, 3, 4, 5):
        raise ProjectError("score", _l("Please choose 1 to 5 stars."))
    db.session.add(ProjectRating(project_id=project.id, user_id=user.id, score=score, comment=comment.strip()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ProjectError("score", _l("You have already rated this project.")) from None


def rating_summary(project: Project) -> tuple[float | None, int]:
    average, count = db.session.execute(select(func.avg(ProjectRating.score), func.count(ProjectRating.id))
                                        .where(ProjectRating.project_id == project.id)).one()
    return (round(float(average), 1) if average is not None else None), count


def has_rated(user, project: Project) -> bool:
    return user.is_authenticated and db.session.scalar(select(ProjectRating.id).where(
        ProjectRating.project_id == project.id, ProjectRating.user_id == user.id)) is not None


def add_milestone(user, project: Project, title: str, due: date | None) -> None:
    ensure(user, "post_project_update", project)
    db.session.add(Milestone(project_id=project.id, title=title.strip(), due_on=due))
    db.session.commit()


def finish_milestone(user, milestone: Milestone, project: Project) -> None:
    ensure(user, "post_project_update", project)
    milestone.done_at = milestone.done_at or utcnow()
    db.session.commit()


def timeline(project: Project):
    return PROJECT.timeline(db.session, project)


def allowed_steps(user, project: Project) -> list[str]:
    from forum.core.permissions import can

    return [a for a in PROJECT.actions_from(project.status) if can(user, f"project:{a}", project)]


def projects_of(user) -> list[Project]:
    """The projects a user leads (through a unit), is responsible for, or can rate."""
    unit_ids = [u.id for u in user.units]
    stmt = select(Project).where(or_(Project.responsible_id == user.id, Project.lead_unit_id.in_(unit_ids)))
    return list(db.session.scalars(stmt.order_by(Project.id.desc())))


def add_to_project(staff, project: Project, need: Need, resource: Resource) -> None:
    """Add a matched need and resource to an open project (no commit)."""
    ensure(staff, "create_project", project.community)
    if need not in project.needs:
        project.needs.append(need)
        _claim_for_project(staff, need, project)
    if resource not in project.resources:
        project.resources.append(resource)
        _tell_resource_units(staff, project)


def list_page(community_id: int | None, status: str | None, page: int | None, words: str = ""):
    """One page of the projects list, newest first, served by ix_project_list (`words`: search words)."""
    stmt = only_matching(select(Project), Project, "project", words).order_by(Project.created_at.desc(), Project.id.desc())
    if community_id:
        stmt = stmt.where(Project.community_id == community_id)
    if status:
        stmt = stmt.where(Project.status == status)
    return paginate(stmt, page)
