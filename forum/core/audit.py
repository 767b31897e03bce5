"""The append-only audit trail: who did what to whom, when, and why.

Rows are only ever inserted. The ORM refuses to update or delete them, and the
migrations add database triggers that refuse it too, so no code path can rewrite
history. Entries are kept at least RETENTION_DAYS (six months and a bit); only then may
`forum audit prune` delete them, and the database refuses to delete a younger one.
Entries carry no personal data beyond user ids: they outlive deleted accounts.
"""
from datetime import datetime, timedelta
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, delete
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, UTCDateTime, append_only, utcnow

# The database refuses to delete younger entries (migration 0013); keep the two in step.
RETENTION_DAYS = 183

LABELS = {
    "member.verify": _l("verified a household"),
    "member.reverify": _l("corrected a verified household"),
    "member.unverify": _l("withdrew a verification"),
    "member.reveal_phone": _l("looked at a full phone number"),
    "role.grant": _l("granted a role"),
    "role.revoke": _l("removed a role"),
    "unit.contact_add": _l("made a unit contact"),
    "unit.contact_remove": _l("removed a unit contact"),
    "user.make_admin": _l("made an administrator"),
    "match.accept": _l("accepted a suggested match"),
    "match.decline": _l("declined a suggested match"),
    "community.publish_verified_needs": _l("changed the review of new needs"),
    "need.reveal_phone": _l("looked at the phone number a need was entered for"),
    "privacy.export": _l("downloaded their own data"),
    "privacy.delete": _l("deleted their account"),
    "ledger.export": _l("downloaded a ledger with personal data"),
}


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[Optional[int]] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("User", foreign_keys=[actor_id])
    community = relationship("Community")


class AuditTrailIsAppendOnly(Exception):
    pass


append_only(AuditEntry, AuditTrailIsAppendOnly, "audit entries cannot be changed or deleted")


def record(session, actor, action: str, subject, community_id=None, detail: str = "") -> AuditEntry:
    """Add an audit entry to the session; the caller's commit makes it permanent."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        community_id=community_id,
        subject_type=type(subject).__name__.lower(),
        subject_id=getattr(subject, "id", None),
        detail=detail,
    )
    session.add(entry)
    return entry


def prune(session, older_than_days: int) -> int:
    """Delete the entries older than `older_than_days` (at least RETENTION_DAYS); commit; return how many."""
    if older_than_days < RETENTION_DAYS:
        raise ValueError(f"audit entries are kept at least {RETENTION_DAYS} days")
    cutoff = utcnow() - timedelta(days=older_than_days)
    # A bulk delete: the ORM guard above watches single objects, the database trigger the age.
    deleted = session.execute(delete(AuditEntry).where(AuditEntry.created_at < cutoff)).rowcount
    session.commit()
    return deleted
