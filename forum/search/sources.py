"""What is searchable: for each kind of item, when it is indexed and the document it gives.

Only public states are indexed (a need under review, a withdrawn resource, a draft or
hidden proposal never is). Each document says who may see it: `public` (anyone may, by
the kind's view rule) or `members` (only some people of its community may; the search
checks those hits one by one). Comments follow their subject; a deliberation's document
carries its published minutes.
"""
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from sqlalchemy import select

PUBLIC, MEMBERS = "public", "members"
# States that are never public, whatever a kind declares (moderation and drafts).
NEVER_PUBLIC = frozenset({"draft", "submitted", "held", "hidden", "withdrawn", "rejected", "merged", "deleted"})


@dataclass
class Document:
    key: str  # "need:12"
    kind: str
    item_id: int
    community_id: int | None
    title: str
    body: str
    date: datetime
    category: str = ""
    status: str = ""
    author_id: int | None = None
    author_name: str = ""  # only where the site shows the author to everyone
    parent: str = ""  # a comment's subject key
    audience: str = PUBLIC


@dataclass
class Source:
    kind: str
    label: Any
    model: Any
    view_action: str | None  # the permission rule to see an item (None: anyone, once indexed)
    watched: tuple[str, ...]  # attributes whose change re-indexes the item
    builder: Callable[["Source", Any], Document | None]
    item_date: Callable[[Any], datetime] = lambda item: item.created_at
    public_statuses: Callable[[], tuple] | None = None
    author_column: str | None = None  # whose display name the document carries
    unit_column: str | None = None  # which unit's name the document carries

    def document(self, item) -> Document | None:
        """The item's document; None when it is not indexed in its present state."""
        return self.builder(self, item)


def key_of(kind: str, item_id: int) -> str:
    return f"{kind}:{item_id}"


def split_key(key: str) -> tuple[str, int]:
    kind, _, item_id = key.partition(":")
    return kind, int(item_id)


def audience_of(source: Source, item) -> str:
    from forum.core.permissions import RULES, can

    if source.view_action is None or source.view_action not in RULES:
        return PUBLIC
    return PUBLIC if can(AnonymousUserMixin(), source.view_action, item) else MEMBERS


def _doc(source: Source, item, title: str, body: str, author_name: str = "", author_id=None, **extra) -> Document:
    return Document(key=key_of(source.kind, item.id), kind=source.kind, item_id=item.id,
                    community_id=item.community_id, title=title or "", body=body or "",
                    date=source.item_date(item), category=getattr(item, "category", "") or "",
                    status=item.status or "", author_id=author_id, author_name=author_name or "",
                    audience=audience_of(source, item), **extra)


@functools.lru_cache
def _statuses_of(feature: str):
    """A feature's PUBLIC_STATUSES (or LISTED_STATUSES) if it declares them; None: all but NEVER_PUBLIC."""
    import importlib

    for attribute in ("PUBLIC_STATUSES", "LISTED_STATUSES"):
        for name in (f"forum.{feature}.models", f"forum.{feature}.services"):
            try:
                found = getattr(importlib.import_module(name), attribute, None)
            except ImportError:
                continue
            if found:
                return tuple(found)
    return None


def shown_status(item) -> str:
    """Its status, unless moderation holds or hides it ("held", "hidden": NEVER_PUBLIC)."""
    return getattr(item, "moderation_state", None) or item.status


def is_public_status(source: Source, status: str) -> bool:
    if status in NEVER_PUBLIC:
        return False
    allowed = source.public_statuses() if source.public_statuses else None
    return allowed is None or status in allowed


# --- the kinds ---------------------------------------------------------------------


def _need(source, need):
    if not is_public_status(source, shown_status(need)):
        return None
    # The author of a need is shown only to staff: not indexed.
    return _doc(source, need, need.title, "\n".join(filter(None, [need.body, need.location])))


def _resource(source, resource):
    if not is_public_status(source, shown_status(resource)):
        return None
    offered_by = resource.unit.name if resource.unit is not None else resource.owner.display_name
    return _doc(source, resource, resource.title, "\n".join(filter(None, [resource.body, resource.capacity])),
                author_name=offered_by)


def _project(source, project):
    if not is_public_status(source, project.status):
        return None
    lead = project.lead_unit.name if project.lead_unit is not None else ""
    return _doc(source, project, project.title, project.summary, author_name=lead)


def _activity(source, activity):
    if not is_public_status(source, activity.status):
        return None
    organiser = activity.unit.name if activity.unit is not None else ""
    return _doc(source, activity, activity.title, f"{activity.body}\n{activity.place}", author_name=organiser)


def _proposal(source, proposal):
    if not is_public_status(source, shown_status(proposal)):
        return None
    author = proposal.author.display_name if proposal.author is not None else ""
    return _doc(source, proposal, proposal.title, proposal.body, author_name=author, author_id=proposal.author_id)


def _deliberation(source, deliberation):
    if not is_public_status(source, deliberation.status):
        return None
    minutes = published_minutes_text(deliberation)
    body = "\n".join(filter(None, [deliberation.description, deliberation.place, minutes]))
    return _doc(source, deliberation, deliberation.title, body)


def _comment(source, comment):
    from sqlalchemy.orm import object_session

    if comment.is_deleted or comment.moderation_state is not None:
        return None
    thread = comment.thread
    subject_source = SOURCES.get(thread.subject_type)
    subject = object_session(comment).get(subject_source.model, thread.subject_id) if subject_source else None
    subject_doc = subject_source.document(subject) if subject is not None else None
    if subject_doc is None:
        return None
    return Document(key=key_of("comment", comment.id), kind="comment", item_id=comment.id,
                    community_id=thread.community_id, title="", body=comment.body, date=comment.created_at,
                    category=subject_doc.category, status="", author_id=comment.author_id,
                    author_name=comment.author.display_name, parent=subject_doc.key, audience=subject_doc.audience)


# --- minutes (the minutes feature's model, found by name) ----------------------------

MINUTES_MODEL_NAMES = ("MinutesVersion", "Minutes")
MINUTES_TEXT_FIELDS = ("summary", "agenda_notes", "dissent", "action_items")
MINUTES_ITEM_KEYS = ("title", "discussion", "decision", "task", "owner")


def minutes_model():
    """The minutes feature's model: a class in forum.minutes.models named one of
    MINUTES_MODEL_NAMES with a `deliberation_id` (None while there is none). Its latest
    published version is indexed as part of its deliberation."""
    from forum.minutes import models

    for name in MINUTES_MODEL_NAMES:
        model = getattr(models, name, None)
        if model is not None and hasattr(model, "deliberation_id"):
            return model
    return None


def is_published_minutes(minutes) -> bool:
    return getattr(minutes, "status", None) == "published"


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):  # [{title, discussion, decision}], [{task, owner, due}]
        return [entry[key] for entry in value if isinstance(entry, dict)
                for key in MINUTES_ITEM_KEYS if isinstance(entry.get(key), str)]
    return []


def published_minutes_text(deliberation) -> str:
    """The text of the deliberation's latest published minutes ("" if none, or no minutes feature)."""
    from sqlalchemy.orm import object_session

    model = minutes_model()
    if model is None:
        return ""
    order = model.number.desc() if hasattr(model, "number") else model.id.desc()
    latest = object_session(deliberation).scalars(
        select(model).where(model.deliberation_id == deliberation.id, model.status == "published")
        .order_by(order).limit(1)).first()
    if latest is None:
        return ""
    return "\n".join(text for name in MINUTES_TEXT_FIELDS for text in _texts(getattr(latest, name, None)))


# --- the registry ------------------------------------------------------------------

SOURCES: dict[str, Source] = {}
KIND_ORDER = ("need", "resource", "project", "activity", "proposal", "deliberation", "comment")


def _register() -> None:
    from forum.activities.models import Activity
    from forum.deliberations.models import Deliberation
    from forum.discussion.models import Comment
    from forum.lists.models import Need, Project, Resource
    from forum.lists.needs import PUBLIC_STATUSES as NEED_PUBLIC
    from forum.proposals.models import Proposal

    def add(kind, label, model, action, watched, builder, **more):
        SOURCES[kind] = Source(kind, label, model, action, watched, builder, **more)

    common = ("title", "status", "category", "community_id", "moderation_state")
    add("need", _l("Need"), Need, "view_need", common + ("body", "location"), _need,
        public_statuses=lambda: tuple(s for s in NEED_PUBLIC if s != "merged"))
    add("resource", _l("Resource"), Resource, "view_resource",
        common + ("body", "capacity", "unit_id", "owner_id"), _resource, author_column="owner_id",
        unit_column="unit_id")
    add("project", _l("Project"), Project, "view_project",
        ("title", "status", "community_id", "summary", "lead_unit_id"), _project, unit_column="lead_unit_id")
    add("activity", _l("Activity"), Activity, None,
        ("title", "status", "community_id", "body", "place", "unit_id", "starts_at"), _activity,
        item_date=lambda activity: activity.starts_at, unit_column="unit_id")
    add("proposal", _l("Proposal"), Proposal, "view_proposal", common + ("body", "author_id"), _proposal,
        public_statuses=lambda: _statuses_of("proposals"), author_column="author_id")
    add("deliberation", _l("Deliberation"), Deliberation, "view_deliberation",
        ("title", "status", "community_id", "description", "place", "starts_at"), _deliberation,
        item_date=lambda deliberation: deliberation.starts_at,
        public_statuses=lambda: _statuses_of("deliberations"))
    add("comment", _l("Comment"), Comment, None, ("body", "deleted_at", "moderation_state"), _comment,
        author_column="author_id")


def sources() -> dict[str, Source]:
    if not SOURCES:
        _register()
    return SOURCES


def keys_naming(session, kind: str, named_id: int) -> list[str]:
    """The items whose documents carry the name of this user (`kind` "user") or unit ("unit")."""
    found = []
    for source in sources().values():
        column_name = source.author_column if kind == "user" else source.unit_column
        if column_name:
            column = getattr(source.model, column_name)
            found.extend(key_of(source.kind, item_id)
                         for item_id in session.scalars(select(source.model.id).where(column == named_id)))
    return found


def build_document(session, key: str) -> Document | None:
    """The document for `key` as the database has it now (None: delete it from the index)."""
    kind, item_id = split_key(key)
    source = sources().get(kind)
    item = session.get(source.model, item_id) if source is not None else None
    return source.document(item) if item is not None else None
