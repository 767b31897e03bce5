"""The one place that decides who may do what: `can(user, action, obj)`.

Views, services and templates all ask this module; no role test is written
anywhere else. A user's roles are held per community (or per street, covering its
communities); admin is global. Pseudo-roles used by workflows:
`author` (the item's author), `verified` (a verified resident of the item's
community) and `member` (any resident of it).
"""
from flask import abort
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from forum.places.models import Community, Unit

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


def _is_author(user, obj) -> bool:
    return user.is_authenticated and getattr(obj, "author_id", None) == user.id


def _workflow_allows(user, action, obj) -> bool:
    from forum.core.workflow import REGISTRY

    name, _, step = action.partition(":")
    transition = REGISTRY[name].transitions.get((obj.status, step))
    if transition is None or not user.is_authenticated:
        return False
    roles = roles_in(user, community_of(obj))
    if _is_author(user, obj):
        roles.add("author")
    return "admin" in roles or bool(roles & transition.roles)


def _may_grant(user, role, community) -> bool:
    roles = roles_in(user, community)
    if "admin" in roles or "street_staff" in roles:
        return True
    return "staff" in roles and role not in SENIOR_ROLES


def can(user, action: str, obj=None) -> bool:
    user = user if user is not None else current_user
    authenticated = bool(user and user.is_authenticated)
    if ":" in action and not action.startswith(("grant_role:", "revoke_role:")):
        return _workflow_allows(user, action, obj)
    if action == "view_profile":
        return authenticated
    if action == "edit_profile":
        return authenticated and user.id == obj.id
    if action.startswith(("grant_role:", "revoke_role:")):
        role = action.partition(":")[2]
        return authenticated and _may_grant(user, role, community_of(obj))
    if not authenticated:
        return False
    roles = roles_in(user, community_of(obj))
    if action in {"view_members", "read_audit"}:
        return bool(roles & READERS)
    if action in {"verify_member", "reveal_phone", "manage_unit_contacts"}:
        return bool(roles & STAFF)
    if action == "manage_unit" and isinstance(obj, Unit):
        return user.is_admin or any(bool(roles_in(user, c) & STAFF) for c in obj.communities)
    raise ValueError(f"no permission rule for action {action!r}")


def ensure(user, action: str, obj=None) -> None:
    """Raise Forbidden unless `can(user, action, obj)`; services call this."""
    if not can(user, action, obj):
        raise Forbidden()


def authorize(action: str, obj=None) -> None:
    """For views: send anonymous users to the login page, refuse others with 403."""
    from forum.extensions import login_manager

    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    ensure(current_user, action, obj)
