"""Needs (需求清单): residents say what they need; staff review; units claim and resolve.

Every status change goes through the declared NEED workflow and is heard by the
need's author and supporters.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.accounts.services import user_registered
from forum.core import audit
from forum.core.i18n import N_
from forum.core.markup import render_markdown
from forum.core.urls import path_for
from forum.core.permissions import ensure, roles_in
from forum.core.workflow import declare
from forum.extensions import db
from forum.lists.models import Need, NeedSupport
from forum.lists.photos import save_photo
from forum.moderation.words.screening import apply_hold, screen_fields

OPEN_WORK = ("submitted", "published", "claimed", "in_progress")
NEED = declare("need", "submitted", {
    ("submitted", "publish"): ("published", {"staff"}),
    ("submitted", "reject"): ("rejected", {"staff"}, True),
    ("submitted", "withdraw"): ("withdrawn", {"author"}),
    ("published", "withdraw"): ("withdrawn", {"author"}),
    ("published", "claim"): ("claimed", {"unit_contact", "staff"}),
    ("claimed", "release"): ("published", {"claimer", "staff"}),
    ("claimed", "start"): ("in_progress", {"claimer", "staff"}),
    ("claimed", "resolve"): ("resolved", {"claimer", "staff"}, True),
    ("in_progress", "resolve"): ("resolved", {"claimer", "staff"}, True),
    ("resolved", "close"): ("closed", {"rater"}),
    ("resolved", "reopen"): ("in_progress", {"rater"}),
    **{(state, "merge"): ("merged", {"staff"}, True) for state in OPEN_WORK},
})

# Statuses as msgids (N_) so notifications can store them and translate when read.
STATUS_MSGIDS = {
    "submitted": N_("Waiting for review"), "published": N_("Published"), "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"), "claimed": N_("Claimed"), "in_progress": N_("In progress"),
    "resolved": N_("Resolved"), "closed": N_("Closed"), "merged": N_("Merged"),
}
STATUS_LABELS = {code: _l(msgid) for code, msgid in STATUS_MSGIDS.items()}
ACTION_LABELS = {
    "create": _l("Submitted"), "publish": _l("Published after review"), "reject": _l("Rejected"),
    "withdraw": _l("Withdrawn by the author"), "claim": _l("Claimed"), "release": _l("Claim given up"),
    "start": _l("Work started"), "resolve": _l("Resolved"), "close": _l("Rated and closed"),
    "reopen": _l("Rated unsatisfied and reopened"), "merge": _l("Merged into another need"),
}
URGENCY_LABELS = {1: _l("Normal"), 2: _l("Rather urgent"), 3: _l("Urgent")}
PUBLIC_STATUSES = ("published", "claimed", "in_progress", "resolved", "closed", "merged")
DEFAULT_LIST_STATUSES = ("published", "claimed", "in_progress")


class NeedError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def is_public(need: Need) -> bool:
    return need.status in PUBLIC_STATUSES


def _add_photos(need: Need, uploads: list[bytes], uploader) -> None:
    for data in uploads:
        save_photo(data, uploader).need = need


def create_need(author: User, community, fields: dict, uploads: list[bytes]) -> Need:
    """A resident posts a need in their community (photos already read from the form)."""
    ensure(author, "post_need", community)
    fields, screening = screen_fields(author, community, fields, "title", "body", "location")
    need = Need(community=community, author_id=author.id, **_clean(fields))
    db.session.add(need)
    _add_photos(need, uploads, author)
    NEED.start(db.session, need, author)
    apply_hold(need, screening)
    if community.publish_verified_needs and "verified" in roles_in(author, community):
        NEED.apply_as_system(db.session, need, "publish", note=str(_l("Verified resident: published at once.")))
    else:
        _ask_for_review(author, need)
    db.session.commit()
    return need


def _ask_for_review(author: User, need: Need) -> None:
    from forum.lists.projects import staff_of
    from forum.notifications.services import notify

    db.session.flush()
    notify(staff_of(need.community), N_("A new need waits for review: “%(title)s”"),
           path_for("needs.show", need_id=need.id), actor=author, title=need.title)


def create_for_resident(staff: User, community, name: str, phone: str, fields: dict, uploads) -> Need:
    """代录入: staff enter a need for a resident who cannot use a phone; published at once."""
    ensure(staff, "enter_need_for_resident", community)
    owner = db.session.scalar(select(User).where(User.phone == phone))
    fields, screening = screen_fields(staff, community, fields, "title", "body", "location")
    need = Need(community=community, author_id=owner.id if owner else None, entered_by_id=staff.id,
                proxy_name=name.strip(), proxy_phone=phone, **_clean(fields))
    db.session.add(need)
    _add_photos(need, uploads, staff)
    NEED.start(db.session, need, staff, note=str(_l("Entered by community staff for %(name)s.", name=name)))
    NEED.apply(db.session, need, "publish", staff)
    apply_hold(need, screening, actor=staff)
    db.session.commit()
    return need


def adopt_entered_needs(user: User) -> int:
    """When a resident registers with the phone staff entered, their needs become theirs."""
    needs = db.session.scalars(select(Need).where(Need.proxy_phone == user.phone, Need.author_id.is_(None))).all()
    for need in needs:
        need.author_id = user.id
    db.session.commit()
    return len(needs)


def reveal_proxy_phone(actor: User, need: Need) -> str:
    """Staff see the full phone number a need was entered for (代录入); every look is written down."""
    ensure(actor, "see_need_author", need)
    audit.record(db.session, actor, "need.reveal_phone", need, community_id=need.community_id)
    db.session.commit()
    return need.proxy_phone


@user_registered.connect
def _adopt_on_registration(app, user: User) -> None:
    adopt_entered_needs(user)


def _clean(fields: dict) -> dict:
    cleaned = dict(fields)
    cleaned["title"] = cleaned["title"].strip()
    cleaned["body_html"] = render_markdown(cleaned.get("body", ""))
    return cleaned


def support(user: User, need: Need) -> bool:
    """我也需要: add the user's support once; True if it was added."""
    ensure(user, "support_need", need)
    db.session.add(NeedSupport(need_id=need.id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:  # supported a moment ago (double tap)
        db.session.rollback()
        return False
    need.support_count = Need.support_count + 1
    db.session.commit()
    return True


def withdraw_support(user: User, need: Need) -> bool:
    row = db.session.scalar(select(NeedSupport).where(NeedSupport.need_id == need.id,
                                                       NeedSupport.user_id == user.id))
    if row is None:
        return False
    db.session.delete(row)
    need.support_count = Need.support_count - 1
    db.session.commit()
    return True


def has_supported(user, need: Need) -> bool:
    if not user.is_authenticated:
        return False
    return db.session.scalar(select(NeedSupport.id).where(
        NeedSupport.need_id == need.id, NeedSupport.user_id == user.id)) is not None


def supporters(need: Need) -> list[User]:
    return list(db.session.scalars(select(User).join(NeedSupport, NeedSupport.user_id == User.id)
                                   .where(NeedSupport.need_id == need.id)))


def take_step(user: User, need: Need, action: str, *, note: str = "", score=None, comment: str = "",
              target_id=None) -> None:
    """One workflow step on a need, with what that step records, then notify and commit."""
    note = (note or "").strip()
    if action == "rate":
        if score not in (1, 2, 3, 4, 5):
            raise NeedError("score", _l("Please choose 1 to 5 stars."))
        action = "close" if score >= 3 else "reopen"
    NEED.transition(need.status, action)  # a step no longer possible (stale page) is refused first
    ensure(user, f"need:{action}", need)
    if action in ("close", "reopen"):
        note = _rate(need, score, comment)
    elif action == "merge":
        note = _merge(need, target_id, note)
    elif action in ("reject", "resolve") and not note:
        raise NeedError("note", _l("Please write a reason.") if action == "reject" else
                        _l("Please say how the need was resolved."))
    NEED.apply(db.session, need, action, user, note=note)
    if action == "reject":
        need.rejection_reason = note
    elif action == "claim":
        need.claimed_by_id = user.id
        need.claimed_unit = next((u for u in user.units if need.community in u.communities), None)
    elif action == "release":
        need.claimed_by_id, need.claimed_unit = None, None
    elif action == "resolve":
        need.resolution = note
    notify_status(user, need)
    db.session.commit()


def _rate(need: Need, score: int, comment: str) -> str:
    need.rating, need.rating_comment = score, (comment or "").strip() or None
    return f"{'★' * score}{'☆' * (5 - score)} {(comment or '').strip()}".strip()


def _merge(need: Need, target_id, note: str) -> str:
    target = db.session.get(Need, target_id) if target_id else None
    if target is None or target.id == need.id or target.community_id != need.community_id \
            or target.status not in OPEN_WORK:
        raise NeedError("target", _l("Please give the number of an open need of the same community."))
    already = {s.user_id for s in db.session.scalars(select(NeedSupport).where(NeedSupport.need_id == target.id))}
    carried = [s for s in db.session.scalars(select(NeedSupport).where(NeedSupport.need_id == need.id))
               if s.user_id not in already and s.user_id != target.author_id]
    for row in carried:
        row.need_id = target.id
    if need.author_id and need.author_id not in already and need.author_id != target.author_id:
        db.session.add(NeedSupport(need_id=target.id, user_id=need.author_id))
        carried.append(None)
    target.support_count = Need.support_count + len(carried)
    need.support_count = 0
    need.merged_into = target
    return f"#{target.id} {target.title}" + (f" — {note}" if note else "")


def notify_status(actor: User, need: Need) -> None:
    from forum.notifications.services import notify

    recipients = ([need.author] if need.author else []) + supporters(need)
    notify(recipients, N_("The need “%(title)s” is now: %(status_label)s"),
           path_for("needs.show", need_id=need.id), actor=actor,
           title=need.title, status_label=STATUS_MSGIDS[need.status])


def timeline(viewer, need: Need):
    """The need's status history, hiding an anonymous author's name from the public."""
    from forum.core.permissions import can

    hide = need.anonymous and not can(viewer, "see_need_author", need)
    rows = []
    for change in NEED.timeline(db.session, need):
        if change.actor is None:
            who = _l("the site")
        elif hide and change.actor_id == need.author_id:
            who = _l("Anonymous resident")
        else:
            who = change.actor.display_name
        rows.append((change, who))
    return rows


def allowed_steps(user, need: Need) -> list[str]:
    from forum.core.permissions import can

    return [a for a in NEED.actions_from(need.status) if can(user, f"need:{a}", need)]
