"""Minutes (会议纪要): numbered versions of one deliberation's record, and comments on a draft.

A version moves through the declared MINUTES workflow. Once published it is never
changed: the ORM refuses any flush that would alter or delete it (or its comments), and
migration 0008 adds database triggers that refuse it too. A correction is a new
version; the one it replaces is then shown as superseded, which is worked out from the
later published version, not written into the old row.
"""
from datetime import datetime
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from forum.core.models import Base, CreatedMixin, UTCDateTime
from forum.core.workflow import declare

MODERATOR = "deliberation_moderator"  # a moderator of this deliberation (not just of the community)
# draft → commenting (attendees comment for a set period) → revised → approved → published.
# An approver may send a revised version back ("returned"); a draft may be discarded.
MINUTES = declare("minutes", "draft", {
    ("draft", "open_comments"): ("commenting", {MODERATOR}),
    ("commenting", "revise"): ("revised", {MODERATOR}),
    ("returned", "revise"): ("revised", {MODERATOR}),
    ("revised", "approve"): ("approved", {MODERATOR, "staff"}),
    ("revised", "send_back"): ("returned", {MODERATOR, "staff"}, True),
    ("approved", "publish"): ("published", {MODERATOR, "staff"}),
    ("draft", "discard"): ("discarded", {MODERATOR}, True),
    ("returned", "discard"): ("discarded", {MODERATOR}, True),
})
OPEN_STATES = ("draft", "commenting", "revised", "returned", "approved")
EDITABLE_STATES = ("draft", "commenting", "returned")

STATUS_LABELS = {
    "draft": _l("Draft"),
    "commenting": _l("Open for comments"),
    "revised": _l("Waiting for approval"),
    "returned": _l("Sent back for changes"),
    "approved": _l("Approved, not yet published"),
    "published": _l("Published and in force"),
    "superseded": _l("Superseded by a correction"),
    "discarded": _l("Discarded"),
}
ACTION_LABELS = {
    "create": _l("Drafted"),
    "open_comments": _l("Opened for comments by the attendees"),
    "revise": _l("Revised and submitted for approval"),
    "send_back": _l("Sent back for changes"),
    "approve": _l("Approved"),
    "publish": _l("Minutes published"),
    "discard": _l("Discarded"),
}


class MinutesArePublished(Exception):
    """Something tried to change or delete published minutes, or comment on them."""


class MinutesVersion(CreatedMixin, Base):
    """One version of a deliberation's minutes, with what it recorded frozen inside it.

    `agenda_notes`: [{title, discussion, discussion_html, decision, decision_html}];
    `action_items`: [{task, owner, due (YYYY-MM-DD or "")}]; `attendees` and `absentees`:
    [{name, seat, recorded}] copied from the recorded attendance; `poll_results`:
    [{title, url, sentence, passed}] of the closed polls. All are refreshed each time the
    text is saved, and frozen with it on publication.
    """

    __tablename__ = "minutes_version"
    __table_args__ = (UniqueConstraint("deliberation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(ForeignKey("deliberation.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # A correction: the published version it corrects, and why.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("minutes_version.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    agenda_notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    dissent: Mapped[str] = mapped_column(Text, default="")
    dissent_html: Mapped[str] = mapped_column(Text, default="")
    action_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recorder: Mapped[str] = mapped_column(String(60))
    attendees: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    absentees: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    poll_results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    snapshot_at: Mapped[datetime] = mapped_column(UTCDateTime())
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    revised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    comments_open_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    deliberation = relationship("Deliberation")
    corrects: Mapped[Optional["MinutesVersion"]] = relationship(remote_side=[id])
    drafted_by = relationship("User", foreign_keys=[drafted_by_id])
    revised_by = relationship("User", foreign_keys=[revised_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    comments: Mapped[list["MinutesComment"]] = relationship(
        back_populates="version", order_by="MinutesComment.id"
    )

    @property
    def community(self):
        return self.deliberation.community

    @property
    def editor_ids(self) -> set[int]:
        """Who wrote this text: they may not also approve it."""
        return {i for i in (self.drafted_by_id, self.revised_by_id) if i is not None}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def relations_to(self, user) -> set[str]:
        """The user's place at the deliberation: deliberation_moderator, _participant, _attendee."""
        return {f"deliberation_{relation}" for relation in self.deliberation.relations_to(user)}


class MinutesComment(CreatedMixin, Base):
    """An attendee's comment on a version open for comments (Markdown, stored rendered)."""

    __tablename__ = "minutes_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("minutes_version.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)

    version: Mapped[MinutesVersion] = relationship(back_populates="comments")
    author = relationship("User")


def _stored_status(session, version: MinutesVersion) -> str | None:
    """The status the database holds for `version` (before this flush changes it)."""
    history = inspect(version).attrs.status.history
    if history.deleted or history.unchanged:
        return (history.deleted or history.unchanged)[0]
    return session.scalar(select(MinutesVersion.status).where(MinutesVersion.id == version.id))


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_published_minutes(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        changed = isinstance(obj, MinutesVersion) and (obj in session.deleted or session.is_modified(obj))
        if changed and _stored_status(session, obj) == "published":
            raise MinutesArePublished(f"minutes version {obj.id} is published and cannot change")
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, MinutesComment) and (obj in session.new or session.is_modified(obj)
                                                or obj in session.deleted):
            version = obj.version or session.get(MinutesVersion, obj.version_id)
            if version is not None and version.id is not None and _stored_status(session, version) == "published":
                raise MinutesArePublished("comments on published minutes cannot change")
