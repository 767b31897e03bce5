"""The append-only audit trail: who did what to whom, when, and why.

Rows are only ever inserted. The ORM refuses to update or delete them, and the
migration adds database triggers that refuse it too, so no code path can rewrite
history.
"""
from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from forum.core.models import Base, UTCDateTime, utcnow


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


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise AuditTrailIsAppendOnly("audit entries cannot be changed or deleted")


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
