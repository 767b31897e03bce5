"""Consent to the privacy notice (同意隐私政策): asked at registration, asked again when it changes."""
from flask import current_app
from sqlalchemy import select

from forum.core import audit
from forum.core.models import utcnow
from forum.core.permissions import ensure
from forum.extensions import db


def notice_version() -> str:
    return current_app.config["PRIVACY_NOTICE_VERSION"]


def needs_consent(user) -> bool:
    """Whether `user` has yet to accept the current notice (never did, or an older version)."""
    return bool(user.is_authenticated) and user.consent_version != notice_version()


def record_consent(user) -> None:
    """The user accepts the current notice: its version and the time are kept on the profile."""
    ensure(user, "give_consent", user)
    user.consent_version, user.consent_at = notice_version(), utcnow()
    db.session.commit()


def record_for_each_community(user, action: str) -> None:
    """An audit entry in each community the user lives in (its staff and supervisors read it there)."""
    from forum.accounts.models import Membership

    community_ids = db.session.scalars(select(Membership.community_id).where(Membership.user_id == user.id)).all()
    for community_id in community_ids or [None]:
        audit.record(db.session, user, action, user, community_id=community_id)
