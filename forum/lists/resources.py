"""Resources (资源清单): what stationed units and volunteers can offer, and its workflow.

A resource is posted by a unit's contact for the unit, or by a volunteer for
themself. It is available until paused, used up or withdrawn (the RESOURCE
workflow); past its available_until date it shows as expired and leaves the
default list, whatever its stored status, so nothing has to run at midnight.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum.core.categories import CATEGORIES
from forum.core.markup import render_markdown
from forum.core.pagination import paginate
from forum.core.permissions import can, ensure
from forum.core.workflow import declare
from forum.extensions import db
from forum.lists.models import RESOURCE_KINDS, Resource
from forum.moderation.words.screening import apply_hold, screen_fields
from forum.places.models import Community, Unit
from forum.search.services import only_matching, words_of

OWNERS = {"author", "owner_unit"}
RESOURCE = declare("resource", "available", {
    ("available", "pause"): ("paused", OWNERS | {"staff"}),
    ("paused", "resume"): ("available", OWNERS),
    ("available", "exhaust"): ("exhausted", OWNERS),
    ("paused", "exhaust"): ("exhausted", OWNERS),
    ("available", "withdraw"): ("withdrawn", OWNERS | {"staff"}),
    ("paused", "withdraw"): ("withdrawn", OWNERS | {"staff"}),
})

# Stored statuses that are still on offer; past available_until they show as expired.
LIVE = ("available", "paused")
STATUS_LABELS = {
    "available": _l("Available"), "paused": _l("Paused"), "exhausted": _l("Used up"),
    "withdrawn": _l("Withdrawn"), "expired": _l("Expired"),
}
ACTION_LABELS = {
    "create": _l("Resource posted"), "pause": _l("Paused"), "resume": _l("Available again"),
    "exhaust": _l("Marked as used up"), "withdraw": _l("Withdrawn"),
}
BUTTON_LABELS = {
    "pause": _l("Pause"), "resume": _l("Resume"), "exhaust": _l("Mark as used up"), "withdraw": _l("Withdraw"),
}
KIND_LABELS = dict(zip(RESOURCE_KINDS, (
    _l("People and skills"), _l("Venue"), _l("Funds"), _l("Goods"), _l("Service"), _l("Volunteer hours"),
)))
SCOPE_LABELS = {"communities": _l("The unit's communities"), "street": _l("The whole street")}
SORTS = {
    "newest": (Resource.created_at.desc(), Resource.id.desc()),
    "expiring": (Resource.available_until.is_(None), Resource.available_until, Resource.created_at.desc()),
}
# A mainland mobile number, also written with spaces or dashes.
MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)")


class ResourceError(ValueError):
    """A problem the poster can fix: the form field it concerns and a message for them."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def today() -> date:
    """Today in the site's time zone (Asia/Shanghai), where availability dates live."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def shown_status(resource: Resource, on: date | None = None) -> str:
    """The status people see: a live resource past its last day shows as expired."""
    if resource.status in LIVE and resource.is_expired(on or today()):
        return "expired"
    return resource.status


def has_mobile_number(text: str | None) -> bool:
    return bool(MOBILE.search(text or ""))


# --- reading ---------------------------------------------------------------------------


@dataclass
class Filters:
    community: int | None = None
    category: str | None = None
    status: str | None = None
    kind: str | None = None
    sort: str = "newest"
    q: str = ""  # search words: only resources the search index matches

    @classmethod
    def from_args(cls, args) -> "Filters":
        def pick(name, allowed):
            return args.get(name) if args.get(name) in allowed else None

        return cls(community=args.get("community", type=int) or None, category=pick("category", CATEGORIES),
                   status=pick("status", STATUS_LABELS), kind=pick("kind", KIND_LABELS),
                   sort=pick("sort", SORTS) or "newest", q=words_of(args))

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v and not (k == "sort" and v == "newest")}

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the community is chosen (the empty state says so)."""
        return bool(self.category or self.status or self.kind or self.q)


def list_statement(filters: Filters, on: date):
    """Resources matching `filters`; every branch filters on status (and community), so the
    query is served by ix_resource_list or ix_resource_status_created."""
    status = filters.status or "available"
    if status == "expired":
        stmt = select(Resource).where(Resource.status.in_(LIVE), Resource.available_until < on)
    else:
        stmt = select(Resource).where(Resource.status == status)
        if status in LIVE:
            stmt = stmt.where(or_(Resource.available_until.is_(None), Resource.available_until >= on))
    stmt = stmt.where(Resource.moderation_state.is_(None))  # held or hidden: in no list
    if filters.community:
        stmt = stmt.where(Resource.community_id == filters.community)
    if filters.category:
        stmt = stmt.where(Resource.category == filters.category)
    if filters.kind:
        stmt = stmt.where(Resource.kind == filters.kind)
    stmt = only_matching(stmt, Resource, "resource", filters.q)
    return stmt.order_by(*SORTS[filters.sort])


def _card_loads():
    """What a card shows besides the resource itself: one query each per page, not per card."""
    return selectinload(Resource.unit), selectinload(Resource.owner), selectinload(Resource.community)


def list_page(filters: Filters, page: int | None):
    return paginate(list_statement(filters, today()).options(*_card_loads()), page)


def resources_of(user, page: int | None):
    """My page: the resources of every unit I am a contact of, and those I posted myself."""
    unit_ids = [unit.id for unit in user.units]
    mine = Resource.owner_id == user.id
    stmt = select(Resource).where(or_(mine, Resource.unit_id.in_(unit_ids)) if unit_ids else mine)
    return paginate(stmt.order_by(*SORTS["newest"]).options(*_card_loads()), page)


def timeline(resource: Resource):
    return RESOURCE.timeline(db.session, resource)


def allowed_steps(user, resource: Resource) -> list[str]:
    return [action for action in RESOURCE.actions_from(resource.status)
            if can(user, f"resource:{action}", resource)]


# --- where a user may post ---------------------------------------------------------------


def posting_choices(user) -> tuple[list[Unit], list[Community], bool]:
    """The units the user may post for, the communities they may post in, and whether they
    may post for themself (as a volunteer)."""
    ensure(user, "offer_resource")
    units = [unit for unit in user.units if unit.communities and can(user, "post_unit_resource", unit)]
    communities = [c for c in db.session.scalars(select(Community).order_by(Community.id))
                   if can(user, "post_resource", c)]
    as_self = any(can(user, "post_own_resource", c) for c in communities)
    return units, communities, as_self


# --- writing ---------------------------------------------------------------------------


def _check_place(user, unit: Unit | None, community: Community) -> None:
    if unit is not None:
        ensure(user, "post_unit_resource", unit)
        if community not in unit.communities:
            raise ResourceError("community", _("%(unit)s is not stationed in this community.", unit=unit.name))
    elif not can(user, "post_own_resource", community):
        raise ResourceError("community", _("You can offer something of your own only in a community "
                                           "where you live and volunteer."))


def _check_text(fields: dict) -> None:
    for name in ("title", "body", "capacity"):
        if has_mobile_number(fields.get(name)):
            raise ResourceError(name, _("Please leave out phone numbers; residents reach you through the site."))
    start, end = fields.get("available_from"), fields.get("available_until")
    if start and end and end < start:
        raise ResourceError("available_until", _("The last day cannot be before the first day."))


def _apply_text(resource: Resource, fields: dict) -> None:
    resource.title = fields["title"].strip()
    resource.body = fields.get("body") or ""
    resource.body_html = render_markdown(resource.body)
    resource.capacity = (fields.get("capacity") or "").strip() or None
    resource.available_from = fields.get("available_from")
    resource.available_until = fields.get("available_until")


def post_resource(user, *, unit: Unit | None, community: Community, fields: dict) -> Resource:
    """A unit's contact offers something of the unit's (or a volunteer their own) in a community.

    `fields`: title, body, category, kind, capacity, available_from, available_until, scope.
    """
    ensure(user, "post_resource", community)
    _check_place(user, unit, community)
    _check_text(fields)
    if fields.get("available_until") and fields["available_until"] < today():
        raise ResourceError("available_until", _("The last day has already passed."))
    for name, allowed in (("category", CATEGORIES), ("kind", KIND_LABELS), ("scope", SCOPE_LABELS)):
        if fields.get(name) not in allowed:
            raise ResourceError(name, _("Please choose from the list."))
    fields, screening = screen_fields(user, community, fields, "title", "body", "capacity")
    resource = Resource(community=community, unit=unit, owner_id=user.id, category=fields["category"],
                        kind=fields["kind"], scope=fields["scope"])
    _apply_text(resource, fields)
    db.session.add(resource)
    RESOURCE.start(db.session, resource, user)
    apply_hold(resource, screening)
    db.session.commit()
    return resource


def update_resource(user, resource: Resource, fields: dict) -> None:
    """The owner or a contact of its unit changes the title, text, capacity and dates."""
    ensure(user, "edit_resource", resource)
    _check_text(fields)
    fields, screening = screen_fields(user, resource.community, fields, "title", "body", "capacity")
    _apply_text(resource, fields)
    apply_hold(resource, screening)
    db.session.commit()


def take_step(user, resource: Resource, action: str, note: str = "") -> None:
    """Pause, resume, mark as used up or withdraw; the step lands on the timeline."""
    RESOURCE.apply(db.session, resource, action, user, note=(note or "").strip())
    db.session.commit()
