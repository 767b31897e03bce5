"""What the open data API publishes: each collection's filters, query and records.

Only what an anonymous visitor sees on the public pages, and less: no person is named
(not authors, supporters, moderators, attendees or voters; units and communities are),
no phone, household, draft, held or hidden item. The lists use the pages' own queries
where there is one, so a filter means the same here as there, and each single item is
checked against the permission rules as an anonymous visitor.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.core.categories import CATEGORIES
from forum.core.urls import absolute_url
from forum.deliberations.models import Deliberation
from forum.deliberations.models import STATUS_LABELS as DELIBERATION_STATUSES
from forum.lists import need_queries, projects, resources
from forum.lists.models import RESOURCE_KINDS, Need, Project, Resource
from forum.minutes.services import shown_status as minutes_status, versions_of
from forum.places.models import Community
from forum.proposals import queries as proposal_queries
from forum.proposals.models import Proposal
from forum.voting.models import Poll
from forum.voting.results import outcome

ANYONE = AnonymousUserMixin()  # the API answers everyone alike, as the public pages answer a visitor
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Collection:
    name: str  # the path: /api/v1/<name>
    schema: str  # the record's schema in the OpenAPI document
    summary: str
    model: Any
    filters: dict[str, dict]  # query parameter → its JSON schema
    statement: Callable[[dict], Any]  # the parsed filters → select() of the listed items, in order
    record: Callable[[Any], dict]
    view_action: str | None = None  # a single item is shown if an anonymous visitor may see it
    shown: Callable[[Any], bool] = lambda item: True  # and if this says so


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _percent(value: Decimal | None) -> float | None:
    return float(round(value, 2)) if value is not None else None


def _community(community) -> dict:
    return {"id": community.id, "name": community.name}


def _unit(unit) -> dict | None:
    return {"id": unit.id, "name": unit.name} if unit is not None else None


COMMUNITY_FILTER = {"community": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                  "description": "Only the items of this community (see /api/v1/communities)."}}
CATEGORY_FILTER = {"category": {"type": "string", "enum": list(CATEGORIES), "description": "Only this category."}}


def _status_filter(values, default: str) -> dict:
    return {"status": {"type": "string", "enum": list(values), "description": f"Only this status. {default}"}}


# --- communities -----------------------------------------------------------------------------------


def community_record(community: Community) -> dict:
    return {"id": community.id, "name": community.name, "street": community.street.name,
            "description": community.description or "", "url": absolute_url("home.index", community=community.id)}


def _communities(args):
    return select(Community).options(selectinload(Community.street)).order_by(Community.id)


# --- needs ---------------------------------------------------------------------------------------


def need_record(need: Need) -> dict:
    place = " ".join(filter(None, [need.compound.name if need.compound else None, need.location]))
    return {
        "id": need.id, "url": absolute_url("needs.show", need_id=need.id), "community": _community(need.community),
        "title": need.title, "body": need.body, "category": need.category, "urgency": need.urgency,
        "status": need.status, "place": place or None, "support_count": need.support_count,
        "entered_by_staff": need.entered_by_id is not None, "claimed_by_unit": _unit(need.claimed_unit),
        "resolution": need.resolution if need.status in ("resolved", "closed") else None,
        "rating": need.rating if need.status in ("resolved", "closed") else None,
        "merged_into": need.merged_into_id if need.status == "merged" else None,
        "photos": [absolute_url("photos.photo", name=f"{photo.key}.webp") for photo in need.photos],
        "created_at": _iso(need.created_at), "updated_at": _iso(need.updated_at),
    }


def _needs(args):
    filters = need_queries.Filters(community=args.get("community"), category=args.get("category"),
                                   status=args.get("status"))
    return need_queries.list_statement(filters).options(
        selectinload(Need.community), selectinload(Need.compound), selectinload(Need.claimed_unit),
        selectinload(Need.photos))


# --- resources -----------------------------------------------------------------------------------


def resource_record(resource: Resource) -> dict:
    return {
        "id": resource.id, "url": absolute_url("resources.show", resource_id=resource.id),
        "community": _community(resource.community), "title": resource.title, "body": resource.body,
        "category": resource.category, "kind": resource.kind, "capacity": resource.capacity,
        "available_from": _iso(resource.available_from), "available_until": _iso(resource.available_until),
        "scope": resource.scope, "status": resources.shown_status(resource), "unit": _unit(resource.unit),
        "offered_by": "unit" if resource.unit is not None else "volunteer", "created_at": _iso(resource.created_at),
    }


def _resources(args):
    filters = resources.Filters(community=args.get("community"), category=args.get("category"),
                                status=args.get("status"), kind=args.get("kind"))
    return resources.list_statement(filters, date.today()).options(
        selectinload(Resource.community), selectinload(Resource.unit))


# --- projects ------------------------------------------------------------------------------------


def project_record(project: Project) -> dict:
    average, count = projects.rating_summary(project)
    return {
        "id": project.id, "url": absolute_url("projects.show", project_id=project.id),
        "community": _community(project.community), "title": project.title, "summary": project.summary,
        "lead_unit": _unit(project.lead_unit), "status": project.status, "percent_done": project.percent_done,
        "planned_start": _iso(project.planned_start), "planned_end": _iso(project.planned_end),
        "budget": str(project.budget) if project.budget is not None else None,
        "needs": [need.id for need in project.needs if need.moderation_state is None
                  and need.status in need_queries.PUBLIC_STATUSES],
        "resources": [resource.id for resource in project.resources if resource.moderation_state is None],
        "milestones": [{"title": m.title, "due_on": _iso(m.due_on), "done": m.done_at is not None}
                       for m in project.milestones],
        "updates": [{"body": u.body, "percent_done": u.percent_done, "created_at": _iso(u.created_at)}
                    for u in project.updates],
        "satisfaction": {"average": average, "ratings": count},
        "created_at": _iso(project.created_at),
    }


def _projects(args):
    stmt = select(Project).options(selectinload(Project.community), selectinload(Project.lead_unit))
    if args.get("community"):
        stmt = stmt.where(Project.community_id == args["community"])
    if args.get("status"):
        stmt = stmt.where(Project.status == args["status"])
    return stmt.order_by(Project.created_at.desc(), Project.id.desc())


# --- proposals -----------------------------------------------------------------------------------


def proposal_record(proposal: Proposal) -> dict:
    return {
        "id": proposal.id, "url": absolute_url("proposals.show", proposal_id=proposal.id),
        "community": _community(proposal.community), "title": proposal.title, "body": proposal.body,
        "category": proposal.category, "status": proposal.status, "support_count": proposal.support_count,
        "support_threshold": proposal.support_threshold, "collecting_since": _iso(proposal.collecting_since),
        "collecting_until": _iso(proposal.collecting_until),
        "decline_reason": proposal.decline_reason if proposal.status == "declined" else None,
        "deliberations": [d.id for d in proposal.deliberations], "project": proposal.project_id,
        "created_at": _iso(proposal.created_at),
    }


def _proposals(args):
    filters = proposal_queries.Filters(community=args.get("community"), category=args.get("category"),
                                       status=args.get("status"))
    return proposal_queries.list_statement(filters).options(selectinload(Proposal.deliberations))


# --- deliberations and their published minutes ---------------------------------------------------


def _text(notes: list, *keys) -> list[dict]:
    return [{key: note.get(key) or "" for key in keys} for note in notes or []]


def minutes_record(version, versions) -> dict:
    return {
        "number": version.number, "status": minutes_status(version, versions),
        "published_at": _iso(version.published_at),
        "corrects": version.corrects.number if version.corrects else None,
        "correction_reason": version.correction_reason, "summary": version.summary,
        "agenda": _text(version.agenda_notes, "title", "discussion", "decision"),
        "dissent": version.dissent, "action_items": _text(version.action_items, "task", "due"),
        "present": len(version.attendees or []), "absent": len(version.absentees or []),
        "polls": _text(version.poll_results, "title", "sentence"),
        "url": absolute_url("minutes.version", deliberation_id=version.deliberation_id, number=version.number),
    }


def deliberation_record(deliberation: Deliberation) -> dict:
    versions = versions_of(deliberation)
    return {
        "id": deliberation.id, "url": absolute_url("deliberations.show", deliberation_id=deliberation.id),
        "community": _community(deliberation.community), "kind": deliberation.kind, "title": deliberation.title,
        "description": deliberation.description, "status": deliberation.status,
        "starts_at": _iso(deliberation.starts_at), "ends_at": _iso(deliberation.ends_at),
        "place": deliberation.place, "online_url": deliberation.online_url,
        "agenda": [item.title for item in deliberation.agenda],
        "proposals": [p.id for p in deliberation.proposals if p.moderation_state is None and p.has_been_public],
        "minutes": [minutes_record(v, versions) for v in versions if v.status == "published"],
    }


def _deliberations(args):
    stmt = select(Deliberation).options(selectinload(Deliberation.community), selectinload(Deliberation.agenda),
                                        selectinload(Deliberation.proposals))
    if args.get("community"):
        stmt = stmt.where(Deliberation.community_id == args["community"])
    if args.get("status"):
        stmt = stmt.where(Deliberation.status == args["status"])
    return stmt.order_by(Deliberation.starts_at.desc(), Deliberation.id.desc())


# --- closed polls and their results --------------------------------------------------------------


def poll_record(poll: Poll) -> dict:
    shown = outcome(poll)
    result, sentence = shown.result, shown.sentence
    return {
        "id": poll.id, "url": absolute_url("polls.show", poll_id=poll.id), "community": _community(poll.community),
        "title": poll.title, "body": poll.body, "method": poll.method, "electorate": poll.electorate,
        "pass_rule": poll.pass_rule, "quorum_percent": poll.quorum_percent, "secret": poll.secret,
        "opens_at": _iso(poll.opens_at), "closes_at": _iso(poll.closes_at), "closed_at": _iso(poll.closed_at),
        "deliberation": poll.deliberation_id, "proposal": poll.proposal_id,
        "result": {
            "ballots": result.ballots, "paper_ballots": result.paper_ballots, "electorate": result.electorate,
            "turnout_percent": _percent(result.turnout_share), "quorum_met": result.quorum_met,
            "passed": poll.passed, "sentence": str(sentence),
            "options": [{"label": row.label, "key": row.key, "votes": row.votes, "online": row.online,
                         "paper": row.paper, "share_percent": _percent(row.share)} for row in result.rows],
        },
    }


def _polls(args):
    stmt = select(Poll).options(selectinload(Poll.community), selectinload(Poll.options)).where(Poll.status == "closed")
    if args.get("community"):
        stmt = stmt.where(Poll.community_id == args["community"])
    return stmt.order_by(Poll.closed_at.desc(), Poll.id.desc())


COLLECTIONS = {c.name: c for c in (
    Collection("communities", "Community", "The communities (社区), for the community filter of the other lists.",
               Community, {}, _communities, community_record),
    Collection("needs", "Need", "Public needs (需求清单), newest first.", Need,
               {**COMMUNITY_FILTER, **CATEGORY_FILTER, **_status_filter(
                   need_queries.LISTABLE_STATUSES, "Without it: the needs still open (published, claimed, in_progress).")},
               _needs, need_record, "view_need"),
    Collection("resources", "Resource", "Resources (资源清单) offered by stationed units and volunteers, newest first.",
               Resource, {**COMMUNITY_FILTER, **CATEGORY_FILTER, **_status_filter(
                   resources.STATUS_LABELS, "Without it: the resources available now."),
                   "kind": {"type": "string", "enum": list(RESOURCE_KINDS), "description": "Only this kind."}},
               _resources, resource_record, "view_resource"),
    Collection("projects", "Project", "Projects (项目清单), newest first.", Project,
               {**COMMUNITY_FILTER, **_status_filter(projects.STATUS_LABELS, "Without it: every status.")},
               _projects, project_record, "view_project"),
    Collection("proposals", "Proposal", "Proposals (议题) that have been public, newest first.", Proposal,
               {**COMMUNITY_FILTER, **CATEGORY_FILTER, **_status_filter(
                   proposal_queries.FILTER_STATUSES, "Without it: every status except withdrawn.")},
               _proposals, proposal_record, "view_proposal"),
    Collection("deliberations", "Deliberation", "Deliberations (议事) with their published minutes (会议纪要), "
               "latest first.", Deliberation,
               {**COMMUNITY_FILTER, **_status_filter(DELIBERATION_STATUSES, "Without it: every status.")},
               _deliberations, deliberation_record, "view_deliberation"),
    Collection("polls", "Poll", "Closed polls (表决) and their results, latest first.", Poll,
               COMMUNITY_FILTER, _polls, poll_record, shown=lambda poll: poll.status == "closed"),
)}
