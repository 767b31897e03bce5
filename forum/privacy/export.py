"""下载我的数据: what the site holds on one person, as JSON files in a ZIP.

Only the person's own records: never another user's phone, household or ballot. A secret
ballot's choice is not stored with its voter at all (forum.voting.models), so it cannot be
exported; the archive says only that they took part, and its README explains why.
"""
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from forum.core.models import utcnow
from forum.core.permissions import ensure
from forum.extensions import db
from forum.privacy.services import record_for_each_community

CONTENT = ("title", "body", "category", "status", "created_at")


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def _fields(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _all(model, column, user, names) -> list[dict]:
    rows = db.session.scalars(select(model).where(column == user.id).order_by(model.id))
    return [_fields(row, ("id",) + tuple(names)) for row in rows]


def profile(user) -> dict:
    from forum.notifications.models import EmailSettings

    email = db.session.get(EmailSettings, user.id)
    return {
        **_fields(user, ("id", "phone", "display_name", "created_at", "last_login_at", "consent_version",
                         "consent_at", "elder_mode", "locale", "is_admin")),
        "memberships": [{
            "community": m.community.name, "compound": m.compound.name if m.compound else None,
            **_fields(m, ("building", "room", "floor_area", "verified_at", "created_at")),
        } for m in user.memberships],
        "roles": [{"role": g.role, "community": g.community.name if g.community else None,
                   "street": g.street.name if g.street else None, "granted_at": g.created_at}
                  for g in user.role_grants],
        "unit_contact_of": [unit.name for unit in user.units],
        "email_notifications": _fields(email, ("address", "frequency")) if email else None,
    }


def contributions(user) -> dict[str, list]:
    """The person's needs, proposals, resources and activities, each a list of records."""
    from forum.activities.models import Activity
    from forum.lists.models import Need, Resource
    from forum.proposals.models import Proposal

    return {
        "needs": _all(Need, Need.author_id, user, CONTENT + ("urgency", "location", "anonymous", "support_count",
                                                             "resolution", "rating", "rating_comment")),
        "proposals": _all(Proposal, Proposal.author_id, user, CONTENT + ("support_count",)),
        "resources": _all(Resource, Resource.owner_id, user, CONTENT + ("kind", "capacity", "available_from",
                                                                        "available_until")),
        "activities_organised": _all(Activity, Activity.author_id, user, ("title", "body", "status", "created_at",
                                                                           "place", "starts_at", "ends_at")),
    }


def comments(user) -> dict[str, list]:
    from forum.discussion.models import Comment, Thread
    from forum.minutes.models import MinutesComment

    rows = db.session.execute(select(Comment, Thread).join(Thread, Thread.id == Comment.thread_id)
                              .where(Comment.author_id == user.id).order_by(Comment.id))
    return {
        "comments": [{"on": thread.subject_type, "on_id": thread.subject_id,
                      **_fields(comment, ("id", "body", "created_at", "edited_at", "deleted_at"))}
                     for comment, thread in rows],
        "minutes_comments": [{"deliberation_id": c.version.deliberation_id,
                              **_fields(c, ("id", "body", "created_at"))}
                             for c in db.session.scalars(select(MinutesComment)
                                                         .where(MinutesComment.author_id == user.id))],
    }


def supports(user) -> dict[str, list]:
    from forum.lists.models import Need, NeedSupport
    from forum.proposals.models import Proposal, ProposalSupport

    def of(support_model, item_model, item_column):
        rows = db.session.execute(select(support_model.created_at, item_model.id, item_model.title)
                                  .join(item_model, item_model.id == item_column)
                                  .where(support_model.user_id == user.id).order_by(support_model.id))
        return [{"id": item_id, "title": title, "supported_at": at} for at, item_id, title in rows]

    return {"needs": of(NeedSupport, Need, NeedSupport.need_id),
            "proposals": of(ProposalSupport, Proposal, ProposalSupport.proposal_id)}


def votes(user) -> dict[str, list]:
    from forum.voting.models import Ballot, Poll, PollOption, PollVoter
    from forum.voting.results import option_label

    polls = db.session.scalars(select(Poll).join(PollVoter, PollVoter.poll_id == Poll.id)
                               .where(PollVoter.user_id == user.id).order_by(Poll.id)).all()
    ballots = {b.poll_id: b for b in db.session.scalars(select(Ballot).where(Ballot.voter_id == user.id))}
    labels = {o.id: option_label(o) for o in db.session.scalars(
        select(PollOption).where(PollOption.poll_id.in_([p.id for p in polls if not p.secret])))}
    open_ballots, secret_polls = [], []
    for poll in polls:
        record = {"poll_id": poll.id, "poll": poll.title}
        if poll.secret:
            secret_polls.append(record)
        elif poll.id in ballots:
            open_ballots.append({**record, "receipt": ballots[poll.id].receipt,
                                 "choices": [labels[c.option_id] for c in ballots[poll.id].choices]})
    return {"open_ballots": open_ballots, "secret_polls_voted_in": secret_polls}


def participation(user) -> dict[str, list]:
    from forum.activities.models import Signup
    from forum.deliberations.models import Participant
    from forum.lists.models import ProjectRating
    from forum.moderation.models import Report
    from forum.outreach.models import Follow

    signups = db.session.scalars(select(Signup).where(Signup.user_id == user.id).order_by(Signup.id))
    seats = db.session.scalars(select(Participant).where(Participant.user_id == user.id).order_by(Participant.id))
    return {
        "activity_signups": [{"activity": s.activity.title, "starts_at": s.activity.starts_at,
                              **_fields(s, ("created_at", "attended", "hours"))} for s in signups],
        "deliberation_seats": [{"deliberation": p.deliberation.title,
                                **_fields(p, ("seat", "is_moderator", "rsvp", "attended"))} for p in seats],
        "project_ratings": _all(ProjectRating, ProjectRating.user_id, user, ("project_id", "score", "comment",
                                                                              "created_at")),
        "follows": _all(Follow, Follow.user_id, user, ("subject_type", "subject_id", "created_at")),
        "reports_made": [{"reported": f"{r.case.kind}:{r.case.item_id}",
                          **_fields(r, ("reason", "note", "created_at"))}
                         for r in db.session.scalars(select(Report).where(Report.reporter_id == user.id)
                                                     .order_by(Report.id))],
    }


def notifications(user) -> list[dict]:
    from forum.notifications.models import Notification

    rows = db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    return [{"text": n.text, **_fields(n, ("url", "created_at", "read_at"))} for n in rows]


def readme(names, made_at: datetime) -> str:
    """README.txt: what the files are, and what is left out of them and why."""
    left_out = [
        _("Your choices on secret ballots. The site never stores who cast a secret ballot, so nobody, not even "
          "you or the community staff, can find your choice. votes.json lists only the secret polls you voted "
          "in. Your receipt code, shown when you voted, is the only way to check your ballot on the poll’s page."),
        _("Other people’s data: who verified your household, other people’s comments, supports and votes."),
        _("The photos you uploaded: they are shown on the pages of your needs."),
        _("The audit trail: it is the community office’s record of what staff did, and holds no personal data "
          "beyond your account number."),
    ]
    return "\n".join([
        _("议事厅: your data"), _("Made on %(time)s (UTC).", time=made_at.strftime("%Y-%m-%d %H:%M")), "",
        _("These files hold what the site keeps about you, as JSON (UTF-8):"), *[f"- {name}" for name in names], "",
        _("What is left out, and why:"), *[f"- {line}" for line in left_out], "",
        _("To correct or delete what is here, see your profile page, or ask the staff of your community office."),
    ]) + "\n"


def archive_name(today: date) -> str:
    return f"yishiting-data-{today.isoformat()}.zip"


def build_archive(user) -> bytes:
    """The ZIP for `user` (only they may ask); writes the audit entry and commits."""
    ensure(user, "download_own_data", user)
    files = {"profile.json": profile(user), "needs_proposals_resources.json": contributions(user),
             "comments.json": comments(user), "supports.json": supports(user), "votes.json": votes(user),
             "participation.json": participation(user), "notifications.json": notifications(user)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(files, utcnow()))
        for name, content in files.items():
            archive.writestr(name, json.dumps(content, ensure_ascii=False, indent=2, default=_plain))
    record_for_each_community(user, "privacy.export")
    db.session.commit()
    return buffer.getvalue()
