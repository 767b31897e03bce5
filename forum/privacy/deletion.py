"""注销账号: erase a person from the site in one transaction, keeping what they wrote under 已注销用户.

The user row stays (their needs, comments, proposals and supports point at it) but holds
nothing personal: a placeholder instead of the phone, no name, no password, no household.
What is kept, and why:
- their content and supports, shown as by 已注销用户 (DELETED_USER_NAME);
- secret ballots: a ballot never carried its voter (forum.voting.models) and still counts;
  the record that the account voted keeps only a digest of the household, never the address;
- open (roll-call) ballots: still counted and published, by 已注销用户, as the roll call of a
  vote already taken cannot change;
- published minutes: frozen by the database, they keep the attendance as it was recorded;
- the audit trail, which holds no personal data: one entry says an account was deleted.
"""
from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import delete, or_, select
from werkzeug.security import check_password_hash

from forum.accounts.models import DELETED_USER_NAME, User
from forum.core.models import utcnow
from forum.core.permissions import ensure
from forum.extensions import db
from forum.privacy.services import record_for_each_community


class WrongPassword(ValueError):
    pass


def placeholder_phone(user: User) -> str:
    """Unique, 11 characters like a phone, and never a mainland mobile (it starts with a letter)."""
    return f"D{user.id:010d}"


def delete_account(user: User, password: str) -> None:
    """The person deletes their own account; everything below commits together or not at all."""
    ensure(user, "delete_own_account", user)
    if not check_password_hash(user.password_hash, password or ""):
        raise WrongPassword(_("The password is not correct."))
    name, phone = user.stored_name, user.phone
    try:
        record_for_each_community(user, "privacy.delete")
        _forget_needs_entered_for(phone)
        _rename_in_others_notifications(user, name)
        _rename_in_draft_minutes(user, name)
        _forget_households(user)
        _erase_user(user)
        db.session.commit()
    except Exception:
        db.session.rollback()  # half an erasure is never kept
        raise


def _deleted_name(locale: str | None = None) -> str:
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(DELETED_USER_NAME)


def _forget_needs_entered_for(phone: str) -> None:
    """代录入: the name and phone staff typed in for this person, and the timeline note naming them."""
    from forum.core.workflow import StatusChange
    from forum.lists.models import Need

    for need in db.session.scalars(select(Need).where(Need.proxy_phone == phone)):
        if need.proxy_name:
            for change in db.session.scalars(select(StatusChange).where(
                    StatusChange.subject_type == "need", StatusChange.subject_id == need.id)):
                change.note = change.note.replace(need.proxy_name, _deleted_name())
        need.proxy_name, need.proxy_phone = None, None


def _rename_in_others_notifications(user: User, name: str) -> None:
    """Their own notifications go; in others' ("张三 commented on ...") their name becomes 已注销用户."""
    from forum.notifications.models import Notification

    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    for note in db.session.scalars(select(Notification).where(Notification.actor_id == user.id)):
        label = _deleted_name(note.user.locale)
        note.params = {key: label if value == name else value for key, value in (note.params or {}).items()}


def _rename_in_draft_minutes(user: User, name: str) -> None:
    """Minutes not yet published name them as 已注销用户; published minutes are frozen (see above)."""
    from forum.deliberations.models import Participant
    from forum.minutes.models import MinutesVersion

    deliberations = select(Participant.deliberation_id).where(Participant.user_id == user.id)
    drafts = db.session.scalars(select(MinutesVersion).where(
        MinutesVersion.status != "published",
        or_(MinutesVersion.deliberation_id.in_(deliberations), MinutesVersion.recorder == name)))
    label = _deleted_name()
    for version in drafts:
        version.attendees = [{**p, "name": label} if p.get("name") == name else p for p in version.attendees]
        version.absentees = [{**p, "name": label} if p.get("name") == name else p for p in version.absentees]
        if version.recorder == name:
            version.recorder = label


def _forget_households(user: User) -> None:
    from forum.voting.models import PollVoter

    for voter in db.session.scalars(select(PollVoter).where(PollVoter.user_id == user.id)):
        voter.household_label = None  # the key is already a digest (forum.voting.electorate)
    for row in list(user.memberships) + list(user.role_grants):
        db.session.delete(row)
    user.units.clear()


def _erase_user(user: User) -> None:
    user.phone = placeholder_phone(user)
    user.stored_name = ""
    user.password_hash = ""  # matches no password
    user.is_admin, user.active, user.elder_mode = False, False, False
    user.locale = user.consent_version = user.consent_at = user.last_login_at = None
    user.deleted_at = utcnow()
    user.session_version += 1  # every session and remember cookie of theirs dies on its next request
