"""The one place that decides who may do what: `can(user, action, obj)`.

Views, services and templates all ask this module; no role test is written
anywhere else. A user's roles are held per community (or per street, covering its
communities); admin is global. Besides the granted roles, `roles_in` gives the
pseudo-roles `member` (lives in the community), `verified` (verified resident),
`unit_contact` (contact of a unit serving it) and `street_<role>` (role held for the
whole street). Workflow actions (`"need:publish"`) are decided by the roles their
declared transition allows, plus `author` for the item's author.
"""
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

from flask import abort
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from forum.places.models import Community

# Roles that only an admin or the street's staff may hand out.
SENIOR_ROLES = {"staff", "supervisor"}
STAFF = {"staff", "admin"}
READERS = {"staff", "supervisor", "admin"}


def community_of(obj):
    """The community an object belongs to, for scoping roles."""
    if isinstance(obj, Community):
        return obj
    community = getattr(obj, "community", None)
    if isinstance(community, Community):
        return community
    return None


def roles_in(user, community) -> set[str]:
    """All roles `user` holds in `community` (empty for anonymous users)."""
    if user is None or not user.is_authenticated:
        return set()
    roles = {"admin"} if user.is_admin else set()
    if community is None:
        return roles
    membership = user.membership_in(community.id)
    if membership is not None:
        roles.add("member")
        if membership.is_verified:
            roles.add("verified")
    for grant in user.role_grants:
        if grant.covers(community):
            roles.add(grant.role)
            if grant.street_id is not None:
                roles.add(f"street_{grant.role}")
    if any(community in unit.communities for unit in user.units):
        roles.add("unit_contact")
    return roles


@dataclass
class Ask:
    """One question put to the rules: may `user` do it to `obj`?"""

    user: Any
    obj: Any

    @property
    def authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @cached_property
    def roles(self) -> set[str]:
        return roles_in(self.user, community_of(self.obj))

    @property
    def is_author(self) -> bool:
        return self.authenticated and getattr(self.obj, "author_id", None) == self.user.id

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF)


def _may_grant(ask: Ask, role: str) -> bool:
    if not ask.authenticated:
        return False
    if ask.roles & {"admin", "street_staff"}:
        return True
    return "staff" in ask.roles and role not in SENIOR_ROLES


# action → rule. Keep the sections by feature; a feature adds its actions here.
RULES: dict[str, Callable[[Ask], bool]] = {
    # accounts
    "view_profile": lambda a: a.authenticated,
    "edit_profile": lambda a: a.authenticated and a.user.id == a.obj.id,
    "view_members": lambda a: bool(a.roles & READERS),
    "read_audit": lambda a: bool(a.roles & READERS),
    "verify_member": lambda a: a.is_staff,
    "reveal_phone": lambda a: a.is_staff,
    "manage_unit_contacts": lambda a: a.is_staff,
}


def _workflow_allows(ask: Ask, action: str) -> bool:
    from forum.core.workflow import REGISTRY

    name, _, step = action.partition(":")
    transition = REGISTRY[name].transitions.get((ask.obj.status, step))
    if transition is None or not ask.authenticated:
        return False
    roles = ask.roles | ({"author"} if ask.is_author else set())
    return "admin" in roles or bool(roles & transition.roles)


def can(user, action: str, obj=None) -> bool:
    ask = Ask(user if user is not None else current_user, obj)
    kind, _, rest = action.partition(":")
    if kind in ("grant_role", "revoke_role"):
        return _may_grant(ask, rest)
    if rest:
        return _workflow_allows(ask, action)
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"no permission rule for action {action!r}") from None
    return bool(rule(ask)) if (ask.authenticated or action in PUBLIC_ACTIONS) else False


# Actions an anonymous visitor may be allowed (their rule decides).
PUBLIC_ACTIONS: set[str] = set()


def ensure(user, action: str, obj=None) -> None:
    """Raise Forbidden unless `can(user, action, obj)`; services call this."""
    if not can(user, action, obj):
        raise Forbidden()


def authorize(action: str, obj=None) -> None:
    """For views: send anonymous users to the login page, refuse others with 403."""
    from forum.extensions import login_manager

    if not current_user.is_authenticated and action not in PUBLIC_ACTIONS:
        abort(login_manager.unauthorized())
    ensure(current_user, action, obj)
