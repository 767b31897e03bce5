"""Suggestions on the site's pages, and staff decisions on them (对接).

The engine ranks plain records; this module picks the candidates from the database
(the same street, available resources / open needs), leaves out pairs staff have
already decided, and turns an accepted pair into a project.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.core import audit
from forum.core.i18n import N_
from forum.core.permissions import ensure
from forum.core.urls import path_for
from forum.extensions import db
from forum.lists import projects
from forum.lists.models import Need, Project, Resource
from forum.matching.engine import build_index, rank_needs, rank_resources
from forum.matching.models import MatchDecision
from forum.matching.records import need_record, resource_record
from forum.places.models import Community, Compound

OPEN_NEEDS = ("published", "claimed", "in_progress")
REASON_LABELS = {
    "shared_words": _l("Words in common"), "synonyms": _l("Related words"), "title": _l("Speaks to the title"),
    "same_community": _l("Same community"), "same_street": _l("Same street"), "urgency": _l("Urgency"),
    "supporters": _l("Supporters"),
}
CATEGORY_LABELS = {"same": _l("Same category"), "related": _l("Related category")}
KIND_LABELS = {"asked": _l("The kind of help asked for"), "help": _l("People or a service to help")}


class MatchError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _place_names(street_id) -> list[str]:
    communities = db.session.scalars(select(Community).where(Community.street_id == street_id)).all()
    compounds = db.session.scalars(select(Compound.name).where(
        Compound.community_id.in_([c.id for c in communities]))).all()
    return [c.street.name for c in communities[:1]] + [c.name for c in communities] + list(compounds)


def _decided(need_ids=None, resource_ids=None) -> set[tuple[int, int]]:
    stmt = select(MatchDecision.need_id, MatchDecision.resource_id)
    if need_ids is not None:
        stmt = stmt.where(MatchDecision.need_id.in_(need_ids))
    if resource_ids is not None:
        stmt = stmt.where(MatchDecision.resource_id.in_(resource_ids))
    return set(db.session.execute(stmt).all())


def _resource_index(community: Community):
    """The index of the resources offered to `community` (see projects.offered_to)."""
    resources = list(db.session.scalars(projects.offered_to(community, date.today()).options(
        selectinload(Resource.community), selectinload(Resource.unit))))
    index = build_index([resource_record(r) for r in resources], place_names=_place_names(community.street_id),
                        side="resources")
    return index, {r.id: r for r in resources}


def for_need(need: Need, limit: int = 3, index=None):
    """(resource, suggestion) pairs for a need, best first, minus decided pairs."""
    index, by_id = index or _resource_index(need.community)
    decided = _decided(need_ids=[need.id])
    ranked = rank_resources(need_record(need), index, today=date.today(), limit=limit + len(decided))
    return [(by_id[s.id], s) for s in ranked if (need.id, s.id) not in decided][:limit]


def for_resource(resource: Resource, limit: int = 5):
    """(need, suggestion) pairs: open needs of the street this resource could meet."""
    street_id = resource.community.street_id
    needs = list(db.session.scalars(
        select(Need).join(Community, Community.id == Need.community_id)
        .where(Community.street_id == street_id, Need.status.in_(OPEN_NEEDS), Need.moderation_state.is_(None))
        .options(selectinload(Need.community))))
    if not needs:
        return []
    index = build_index([need_record(n) for n in needs], place_names=_place_names(street_id), side="needs")
    decided = _decided(resource_ids=[resource.id])
    by_id = {n.id: n for n in needs}
    ranked = rank_needs(resource_record(resource), index, today=date.today(), limit=limit + len(decided))
    return [(by_id[s.id], s) for s in ranked if (s.id, resource.id) not in decided][:limit]


def queue(community: Community, limit: int = 30):
    """The staff queue: each open need of the community without a project, with its best match."""
    needs = [n for n in db.session.scalars(
        select(Need).where(Need.community_id == community.id, Need.status.in_(OPEN_NEEDS),
                           Need.moderation_state.is_(None))
        .order_by(Need.urgency.desc(), Need.created_at.desc()).limit(limit * 2)) if not n.projects]
    if not needs:
        return []
    index = _resource_index(community)
    rows = []
    for need in needs:
        found = for_need(need, limit=1, index=index)
        if found:
            rows.append((need, *found[0]))
    return rows[:limit]


def open_projects(community: Community) -> list[Project]:
    return list(db.session.scalars(select(Project).where(
        Project.community_id == community.id, Project.status.in_(("planned", "in_progress")))))


def accept(staff, need: Need, resource: Resource, project: Project | None = None) -> Project:
    """对接: join the pair in a new project, or add it to an open one; audited and notified."""
    ensure(staff, "decide_match", need.community)
    if _decided(need_ids=[need.id], resource_ids=[resource.id]):
        raise MatchError(_l("This pair has already been decided."))
    if project is None:
        project = projects.create_project(
            staff, need.community, {"title": need.title[:60], "summary": "", "lead_unit": resource.unit,
                                    "planned_start": None, "planned_end": None, "budget": None},
            [need.id], [resource.id], [])
    else:
        projects.add_to_project(staff, project, need, resource)
    db.session.add(MatchDecision(need_id=need.id, resource_id=resource.id, accepted=True,
                                 decided_by_id=staff.id, project_id=project.id))
    audit.record(db.session, staff, "match.accept", need, community_id=need.community_id,
                 detail=f"#{need.id} ↔ {resource.title} → #{project.id}")
    _tell_author(staff, need, resource)
    db.session.commit()
    return project


def _tell_author(staff, need: Need, resource: Resource) -> None:
    from forum.notifications.services import notify

    provider = resource.unit.name if resource.unit else resource.owner.display_name
    notify([need.author], N_("%(provider)s will help with your need “%(title)s”."),
           path_for("needs.show", need_id=need.id), actor=staff, provider=provider, title=need.title)


def decline(staff, need: Need, resource: Resource, reason: str = "") -> None:
    """Never suggest this pair again; the reason is kept and audited."""
    ensure(staff, "decide_match", need.community)
    if _decided(need_ids=[need.id], resource_ids=[resource.id]):
        raise MatchError(_l("This pair has already been decided."))
    db.session.add(MatchDecision(need_id=need.id, resource_id=resource.id, accepted=False,
                                 reason=reason.strip(), decided_by_id=staff.id))
    audit.record(db.session, staff, "match.decline", need, community_id=need.community_id,
                 detail=f"#{need.id} ↔ {resource.title}: {reason.strip()}")
    db.session.commit()
