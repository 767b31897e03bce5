"""Account operations: register, log in and out, verify households, grant roles.

Each function checks permission through forum.core.permissions, writes the audit
trail where the change concerns someone else, and commits.
"""
import re
from decimal import Decimal
from typing import Optional

from blinker import Namespace
from flask import current_app, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts.models import GRANTABLE_ROLES, Membership, RoleGrant, User
from forum.core import audit
from forum.core.models import utcnow
from forum.core.permissions import ensure
from forum.extensions import db
from forum.places.models import Community, Compound, Unit

PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
# Sent after a resident registers; other features adopt what was kept for that phone.
user_registered = Namespace().signal("user-registered")
# Session keys that survive the new session made at login (preferences, not identity).
KEPT_ACROSS_LOGIN = ("elder_mode", "lang")


class AccountError(ValueError):
    """A problem the user can fix: the form field it concerns and a message for them."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_phone(raw: str) -> str:
    phone = re.sub(r"[\s\-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    return phone


def is_mainland_mobile(phone: str) -> bool:
    return bool(PHONE_PATTERN.match(phone))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_by_phone(phone: str) -> Optional[User]:
    return db.session.scalar(select(User).where(User.phone == normalise_phone(phone)))


def create_user(phone, display_name, password, *, is_admin=False, consent_version=None) -> User:
    user = User(
        phone=normalise_phone(phone),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        is_admin=is_admin,
        consent_version=consent_version,
        consent_at=utcnow() if consent_version else None,
    )
    db.session.add(user)
    return user


def register(phone, display_name, password, community: Community, compound: Optional[Compound]) -> User:
    """A resident signs up into a community; staff verify the household later."""
    if compound is not None and compound.community_id != community.id:
        raise AccountError("compound", _("This compound is not in the chosen community."))
    user = create_user(
        phone, display_name, password,
        consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    user.elder_mode = bool(session.get("elder_mode"))
    user.locale = session.get("lang")
    db.session.add(Membership(user=user, community=community, compound=compound))
    try:
        db.session.commit()
    except IntegrityError:  # the same phone registered a moment ago
        db.session.rollback()
        raise AccountError("phone", _("This phone number is already registered. Please log in.")) from None
    start_session(user)
    user_registered.send(current_app._get_current_object(), user=user)
    return user


def authenticate(phone: str, password: str) -> Optional[User]:
    user = find_by_phone(phone)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal who is registered.
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def _dummy_hash() -> str:
    key = "_dummy_password_hash"
    if key not in current_app.extensions:
        current_app.extensions[key] = hash_password("not-a-real-password")
    return current_app.extensions[key]


def start_session(user: User, remember: bool = False) -> None:
    """A brand-new session at login: nothing from before survives but preferences."""
    kept = {k: session[k] for k in KEPT_ACROSS_LOGIN if k in session}
    session.clear()
    session.update(kept)
    user.last_login_at = utcnow()
    db.session.commit()
    login_user(user, remember=remember)


def end_session(user: User) -> None:
    """Log out here and revoke every session and remember cookie of this user."""
    user.session_version += 1
    db.session.commit()
    logout_user()
    kept = {k: session[k] for k in KEPT_ACROSS_LOGIN if k in session}
    session.clear()
    session.update(kept)


def load_session_user(user_id: str) -> Optional[User]:
    """Flask-Login's loader: the id carries the session version it was issued with."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit() or not version.isdigit():
        return None
    # With what every page's permission checks read (roles_in): one query instead of four.
    user = db.session.execute(select(User).where(User.id == int(raw_id)).options(
        joinedload(User.memberships), joinedload(User.role_grants), joinedload(User.units))).unique().scalar()
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise AccountError("current", _("The current password is not correct."))
    user.password_hash = hash_password(new)
    user.session_version += 1
    db.session.commit()
    start_session(user)


def update_profile(user: User, display_name: str) -> None:
    ensure(user, "edit_profile", user)
    user.display_name = display_name.strip()
    db.session.commit()


def set_preferences(user, *, elder_mode: Optional[bool] = None, lang: Optional[str] = None) -> None:
    """Elder mode and language: kept on the user when logged in, in the session always."""
    if elder_mode is not None:
        session["elder_mode"] = elder_mode
    if lang is not None:
        session["lang"] = lang
    if user.is_authenticated:
        if elder_mode is not None:
            user.elder_mode = elder_mode
        if lang is not None:
            user.locale = lang
        db.session.commit()


# --- staff operations ---------------------------------------------------------------


def members_of(community: Community, *, query: str = "", verified: Optional[bool] = None):
    stmt = (
        select(Membership).join(Membership.user)
        .where(Membership.community_id == community.id)
        .order_by(Membership.verified_at.is_not(None), Membership.id.desc())
    )
    query = query.strip()
    if query:
        digits = re.sub(r"\D", "", query)
        condition = User.display_name.contains(query)
        if len(digits) >= 4:
            condition = condition | User.phone.contains(digits)
        stmt = stmt.where(condition)
    if verified is True:
        stmt = stmt.where(Membership.verified_at.is_not(None))
    elif verified is False:
        stmt = stmt.where(Membership.verified_at.is_(None))
    return db.session.scalars(stmt).all()


def count_unverified(community: Community) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.community_id == community.id, Membership.verified_at.is_(None)
        )
    )


def verify_household(actor: User, membership: Membership, *, compound: Compound,
                     building: str, room: str, floor_area: Optional[Decimal]) -> None:
    """Staff confirm in person who lives where (实名/住户核验)."""
    ensure(actor, "verify_member", membership)
    if compound.community_id != membership.community_id:
        raise AccountError("compound", _("This compound is not in the chosen community."))
    membership.compound = compound
    membership.building = building.strip() or None
    membership.room = room.strip() or None
    membership.floor_area = floor_area
    first_time = membership.verified_at is None
    membership.verified_at = utcnow()
    membership.verified_by_id = actor.id
    # The compound only: the trail outlives a deleted account and must not keep its address.
    audit.record(
        db.session, actor, "member.verify" if first_time else "member.reverify", membership.user,
        community_id=membership.community_id, detail=compound.name,
    )
    db.session.commit()


def unverify(actor: User, membership: Membership, reason: str) -> None:
    ensure(actor, "verify_member", membership)
    membership.verified_at = None
    membership.verified_by_id = None
    audit.record(db.session, actor, "member.unverify", membership.user,
                 community_id=membership.community_id, detail=reason.strip())
    db.session.commit()


def grant_role(actor: User, user: User, role: str, community: Community) -> RoleGrant:
    if role not in GRANTABLE_ROLES:
        raise AccountError("role", _("There is no such role."))
    ensure(actor, f"grant_role:{role}", community)
    existing = db.session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.role == role, RoleGrant.community_id == community.id
    ))
    if existing is not None:
        return existing
    grant = RoleGrant(user=user, role=role, community=community, granted_by_id=actor.id)
    db.session.add(grant)
    audit.record(db.session, actor, "role.grant", user, community_id=community.id, detail=role)
    db.session.commit()
    return grant


def revoke_role(actor: User, grant: RoleGrant) -> None:
    ensure(actor, f"revoke_role:{grant.role}", grant.community or grant.street)
    audit.record(db.session, actor, "role.revoke", grant.user,
                 community_id=grant.community_id, detail=grant.role)
    db.session.delete(grant)
    db.session.commit()


def set_unit_contact(actor: User, unit: Unit, user: User, community: Community, on: bool) -> bool:
    """Make `user` a contact of `unit` (or stop), as staff of a community the unit serves.

    Returns whether anything changed."""
    ensure(actor, "manage_unit_contacts", community)
    if community not in unit.communities:
        raise AccountError("unit", _("This unit is not stationed in this community."))
    if on and user not in unit.contacts:
        unit.contacts.append(user)
    elif not on and user in unit.contacts:
        unit.contacts.remove(user)
    else:
        return False
    audit.record(db.session, actor, "unit.contact_add" if on else "unit.contact_remove", user,
                 community_id=community.id, detail=unit.name)
    db.session.commit()
    return True


def reveal_phone(actor: User, membership: Membership) -> str:
    """Staff see a full phone number; every look is written down."""
    ensure(actor, "reveal_phone", membership)
    audit.record(db.session, actor, "member.reveal_phone", membership.user,
                 community_id=membership.community_id)
    db.session.commit()
    return membership.user.phone


def audit_entries(community: Community, limit: int = 200):
    from forum.core.audit import AuditEntry

    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.community_id == community.id)
        .order_by(AuditEntry.id.desc()).limit(limit)
    ).all()
