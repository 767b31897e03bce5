"""Plain records the matching engine ranks, and thin adapters from the Need/Resource models.

The engine never sees the ORM: pages and commands build these records (one query,
then `need_record`/`resource_record` on each row) and pass them in.
"""
from dataclasses import dataclass
from datetime import date
from typing import Hashable, Optional


@dataclass(frozen=True)
class ResourceRecord:
    id: Hashable
    title: str
    body: str
    category: str
    kind: str                      # people, venue, funds, goods, service, volunteer
    community_id: Optional[Hashable] = None
    street_id: Optional[Hashable] = None
    status: str = "available"
    available_until: Optional[date] = None
    scope: str = "communities"     # "street": offered to the whole street


@dataclass(frozen=True)
class NeedRecord:
    id: Hashable
    title: str
    body: str
    category: str
    community_id: Optional[Hashable] = None
    street_id: Optional[Hashable] = None
    status: str = "published"
    urgency: int = 1               # 1 normal, 2 rather urgent, 3 urgent
    supporters: int = 0


def _street_id(item) -> Optional[Hashable]:
    community = item.community
    return community.street_id if community is not None else None


def need_record(need) -> NeedRecord:
    """A Need row as a record (reads `need.community`; load it with the query)."""
    return NeedRecord(
        id=need.id, title=need.title, body=need.body or "", category=need.category,
        community_id=need.community_id, street_id=_street_id(need), status=need.status,
        urgency=need.urgency or 1, supporters=need.support_count or 0,
    )


def resource_record(resource) -> ResourceRecord:
    """A Resource row as a record (reads `resource.community`; load it with the query)."""
    return ResourceRecord(
        id=resource.id, title=resource.title, body=resource.body or "", category=resource.category,
        kind=resource.kind, community_id=resource.community_id, street_id=_street_id(resource),
        status=resource.status, available_until=resource.available_until,
        scope=resource.scope or "communities",
    )
