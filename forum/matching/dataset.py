"""A labelled matching set (the format of shared/data/matching/dev.json) in the database.

`load_dataset` writes it as streets, communities, units (each with one contact user who
owns its resources), resources and published needs; `records_from_database` reads the
needs and resources back through the adapters of `records.py`, as the pages will.
"""
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.accounts.services import create_user
from forum.extensions import db
from forum.lists.models import Need, Resource
from forum.matching.records import need_record, resource_record
from forum.places.models import Community, Compound, Street, Unit

# A unit's kind from its name, for the Unit rows only (matching does not read it).
_UNIT_KINDS = [
    (("小学", "中学", "学校", "学院", "幼儿园", "大学"), "school"),
    (("医院", "卫生", "诊所"), "hospital"),
    (("律师", "律所"), "law_firm"),
    (("物业",), "property"),
    (("社会工作", "家庭服务", "社工", "协会", "基金会"), "social_org"),
    (("局", "所", "大队", "中心", "馆", "委", "联合会", "中队", "管理处", "派出所"), "government"),
]


@dataclass
class LoadedSet:
    need_ids: dict        # database id → the set's need id
    resource_ids: dict    # database id → the set's resource id
    relevant: dict        # the set's need id → set of the set's resource ids


def read_dataset(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def unit_kind(name: str) -> str:
    for markers, kind in _UNIT_KINDS:
        if any(marker in name for marker in markers):
            return kind
    return "enterprise"


def load_dataset(data: dict) -> LoadedSet:
    """Write the set into the (empty, migrated) database of the current app and commit."""
    streets, communities = {}, {}
    for item in data["communities"]:
        street = streets.get(item["street"])
        if street is None:
            street = streets[item["street"]] = Street(name=item["street"])
        communities[item["id"]] = Community(street=street, name=item["name"])
    db.session.add_all(streets.values())
    db.session.flush()

    units, owners = {}, {}
    for item in data["resources"]:
        name = item.get("unit") or f"单位{item['id']}"
        if name not in units:
            owner = create_user(f"1380000{len(units):04d}", f"联络人{len(units) + 1}", "matching-evaluation")
            units[name] = Unit(name=name, kind=unit_kind(name), communities=[communities[item["community"]]],
                               contacts=[owner])
            owners[name] = owner
            db.session.add(units[name])
    db.session.flush()

    resources = {}
    for item in data["resources"]:
        name = item.get("unit") or f"单位{item['id']}"
        until = item.get("available_until")
        resources[item["id"]] = Resource(
            community=communities[item["community"]], unit=units[name], owner=owners[name],
            title=item["title"], body=item.get("body", ""), category=item["category"], kind=item["kind"],
            capacity=item.get("capacity"), available_until=date.fromisoformat(until) if until else None,
            status="available")
    needs = {}
    for item in data["needs"]:
        needs[item["id"]] = Need(
            community=communities[item["community"]], title=item["title"], body=item.get("body", ""),
            category=item["category"], urgency=item.get("urgency", 1), status="published")
    db.session.add_all([*resources.values(), *needs.values()])
    db.session.commit()
    return LoadedSet(
        need_ids={need.id: key for key, need in needs.items()},
        resource_ids={resource.id: key for key, resource in resources.items()},
        relevant={item["id"]: set(item.get("relevant", [])) for item in data["needs"]},
    )


def records_from_database() -> tuple[list, list, list]:
    """(need records, resource records, place names) of the whole database."""
    needs = db.session.scalars(select(Need).options(selectinload(Need.community)).order_by(Need.id)).all()
    resources = db.session.scalars(
        select(Resource).options(selectinload(Resource.community)).order_by(Resource.id)).all()
    places = [*db.session.scalars(select(Street.name)), *db.session.scalars(select(Community.name)),
              *db.session.scalars(select(Compound.name))]
    return [need_record(n) for n in needs], [resource_record(r) for r in resources], places
