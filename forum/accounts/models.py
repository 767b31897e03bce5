"""Users, their membership of communities (with the verified household), and role grants."""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin, UTCDateTime
from forum.places.models import Community, Compound, Street, Unit, unit_contacts

# Roles held per community (or per street, covering its communities). "resident" is
# the membership itself; "unit_contact" comes from a unit's contacts; "admin" is global.
GRANTABLE_ROLES = ("volunteer", "council_member", "moderator", "staff", "supervisor")
ROLE_LABELS = {
    "volunteer": _l("Volunteer"),
    "council_member": _l("Council member"),
    "moderator": _l("Moderator"),
    "staff": _l("Community staff"),
    "supervisor": _l("Supervisor"),
}
# What a deleted account (注销账号) is called wherever its author used to be named.
DELETED_USER_NAME = _l("Deleted user")


class User(UserMixin, CreatedMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(11), unique=True)
    # The name as stored; read `display_name`, which names a deleted account 已注销用户.
    stored_name: Mapped[str] = mapped_column("display_name", String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped at logout and password change: every older session and remember cookie dies.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    elder_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[Optional[str]] = mapped_column(String(10))
    consent_version: Mapped[Optional[str]] = mapped_column(String(20))
    consent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Moderation sanctions: no posting until `suspended_until` (禁言); banned (封禁) for good.
    suspended_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    banned_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # 注销: set when the person deleted their account; the row stays, emptied, for their content.
    deleted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", foreign_keys="Membership.user_id", order_by="Membership.id"
    )
    role_grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", foreign_keys="RoleGrant.user_id", order_by="RoleGrant.id"
    )
    units: Mapped[list[Unit]] = relationship(
        secondary=unit_contacts, back_populates="contacts", order_by="Unit.id"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @hybrid_property
    def display_name(self) -> str:
        return str(DELETED_USER_NAME) if self.deleted_at is not None else self.stored_name

    @display_name.inplace.setter
    def _set_display_name(self, value: str) -> None:
        self.stored_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_column(cls):
        return cls.stored_name

    def get_id(self) -> str:
        # The session version travels with the id, so a bumped version logs it out.
        return f"{self.id}:{self.session_version}"

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}"

    def membership_in(self, community_id: int) -> Optional["Membership"]:
        return next((m for m in self.memberships if m.community_id == community_id), None)


class Membership(CreatedMixin, Base):
    """A user's residence in a community; staff verify it and record the household."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"))
    building: Mapped[Optional[str]] = mapped_column(String(40))
    room: Mapped[Optional[str]] = mapped_column(String(40))
    floor_area: Mapped[Optional[Decimal]] = mapped_column(Numeric(8, 2))
    verified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    community: Mapped[Community] = relationship()
    compound: Mapped[Optional[Compound]] = relationship()
    verified_by: Mapped[Optional[User]] = relationship(foreign_keys=[verified_by_id])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def household(self) -> Optional[str]:
        """The household address as one label, once verified (一户一票 uses it)."""
        if not self.is_verified or not self.compound_id:
            return None
        return " ".join(filter(None, [self.compound.name, self.building, self.room]))


class RoleGrant(CreatedMixin, Base):
    """A role held in one community, or in a street (covering all its communities)."""

    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "community_id", "street_id"),
        CheckConstraint(
            "(community_id IS NULL) <> (street_id IS NULL)", name="one_scope"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"), index=True)
    street_id: Mapped[Optional[int]] = mapped_column(ForeignKey("street.id"), index=True)
    granted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(back_populates="role_grants", foreign_keys=[user_id])
    community: Mapped[Optional[Community]] = relationship()
    street: Mapped[Optional[Street]] = relationship()
    granted_by: Mapped[Optional[User]] = relationship(foreign_keys=[granted_by_id])

    def covers(self, community: Community) -> bool:
        if self.community_id is not None:
            return self.community_id == community.id
        return self.street_id == community.street_id
