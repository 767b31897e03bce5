"""What a page of statistics or a ledger is about: one community, or a street with all its communities."""
from dataclasses import dataclass
from typing import Union

from sqlalchemy import select

from forum.extensions import db
from forum.places.models import Community, Street


@dataclass(frozen=True)
class Scope:
    place: Union[Community, Street]
    community_ids: tuple[int, ...]

    @property
    def is_street(self) -> bool:
        return isinstance(self.place, Street)

    @property
    def key(self) -> str:
        """The value of the page's `scope` field: "c3" for a community, "s1" for a street."""
        return ("s" if self.is_street else "c") + str(self.place.id)

    @property
    def name(self) -> str:
        return self.place.name if self.is_street else self.place.full_name

    @property
    def communities(self) -> list[Community]:
        return list(self.place.communities) if self.is_street else [self.place]


def of_community(community: Community) -> Scope:
    return Scope(community, (community.id,))


def of_street(street: Street) -> Scope:
    return Scope(street, tuple(c.id for c in street.communities))


def from_key(key: str) -> Scope | None:
    """The scope named by "c<id>" or "s<id>"; None when there is no such place."""
    kind, number = key[:1], key[1:]
    if kind not in ("c", "s") or not number.isdigit():
        return None
    place = db.session.get(Community if kind == "c" else Street, int(number))
    if place is None:
        return None
    return of_community(place) if kind == "c" else of_street(place)


def choices() -> dict[str, list[tuple[str, str]]]:
    """For the scope select: per street (an optgroup), the whole street, then each of its communities."""
    from flask_babel import gettext as _

    return {street.name: [(of_street(street).key, _("%(street)s, all communities", street=street.name))]
            + [(of_community(c).key, c.name) for c in street.communities]
            for street in db.session.scalars(select(Street).order_by(Street.id))}
