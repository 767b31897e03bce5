"""A notification: one message for one user, kept as a msgid and its parameters.

The text is not stored translated: each reader sees it in their own language,
translated when shown.
"""
from datetime import datetime
from typing import Any, Optional

from flask_babel import gettext
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, UTCDateTime, utcnow

# Parameters whose key ends so are themselves msgids, translated when shown.
LABEL_SUFFIX = "_label"
# How often a user with an e-mail address hears of their notifications by mail.
EMAIL_FREQUENCIES = ("none", "immediate", "daily")


class Notification(Base):
    __tablename__ = "notification"
    # The bell counts a user's unread rows on every page: this index answers it alone.
    __table_args__ = (Index("ix_notification_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    message: Mapped[str] = mapped_column(String(255))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user = relationship("User", foreign_keys=[user_id])
    actor = relationship("User", foreign_keys=[actor_id])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def text(self) -> str:
        """The message in the current reader's language."""
        params = {
            key: gettext(value) if key.endswith(LABEL_SUFFIX) and value and isinstance(value, str) else value
            for key, value in (self.params or {}).items()
        }
        # A translation (or an old row) whose placeholders do not match must not break
        # the page: fall back to the English text, then to the bare msgid.
        for template in (gettext(self.message), self.message):
            try:
                return template % params
            except (KeyError, ValueError, TypeError):
                continue
        return self.message


class EmailSettings(Base):
    """A user's e-mail address and how often notifications are mailed to it (forum.notifications.mail).

    `token` is the secret of the unsubscribe link in every mail; `digest_until` is the end of the
    period the last daily digest covered.
    """

    __tablename__ = "email_settings"
    __table_args__ = (CheckConstraint("frequency IN ('none', 'immediate', 'daily')", name="frequency_choice"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    address: Mapped[str] = mapped_column(String(254))
    frequency: Mapped[str] = mapped_column(String(10), default="none")
    token: Mapped[str] = mapped_column(String(64), unique=True)
    digest_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user = relationship("User")
