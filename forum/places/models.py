"""Street → Community → Compound, and the units stationed in communities."""
from typing import Optional

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin

UNIT_KINDS = ("school", "hospital", "law_firm", "enterprise", "government", "social_org", "property")

unit_communities = Table(
    "unit_community",
    Base.metadata,
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("community.id", ondelete="CASCADE"), primary_key=True),
)

unit_contacts = Table(
    "unit_contact",
    Base.metadata,
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Street(CreatedMixin, Base):
    __tablename__ = "street"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    communities: Mapped[list["Community"]] = relationship(
        back_populates="street", order_by="Community.id"
    )


class Community(CreatedMixin, Base):
    __tablename__ = "community"
    __table_args__ = (UniqueConstraint("street_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    # Community setting: needs of verified residents are published without review.
    publish_verified_needs: Mapped[bool] = mapped_column(Boolean, default=False)
    # Community settings for proposals (议题): supporters needed, and days to collect them.
    proposal_threshold: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    proposal_window_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # Community setting: content reported by this many different users is hidden until reviewed.
    report_hide_threshold: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # Community setting (先审后发 for newcomers): posts of people with no standing beyond living here
    # (not verified, no role) wait for a moderator's review.
    premoderate_new_users: Mapped[bool] = mapped_column(Boolean, default=False)
    street: Mapped[Street] = relationship(back_populates="communities")
    compounds: Mapped[list["Compound"]] = relationship(
        back_populates="community", order_by="Compound.id"
    )
    units: Mapped[list["Unit"]] = relationship(
        secondary=unit_communities, back_populates="communities", order_by="Unit.id"
    )

    @property
    def full_name(self) -> str:
        return f"{self.street.name} · {self.name}"


class Compound(CreatedMixin, Base):
    __tablename__ = "compound"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    community: Mapped[Community] = relationship(back_populates="compounds")


class Unit(CreatedMixin, Base):
    """A unit stationed in the district (驻区单位): school, hospital, law firm, ..."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[Optional[str]] = mapped_column(String(200))
    communities: Mapped[list[Community]] = relationship(
        secondary=unit_communities, back_populates="units", order_by="Community.id"
    )
    contacts: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary=unit_contacts, back_populates="units", order_by="User.id"
    )
