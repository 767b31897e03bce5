"""The one place that decides who may do what: `can(user, action, obj)`.

Views, services and templates all ask this module; no role test is written
anywhere else. A user's roles are held per community (or per street, covering its
communities); admin is global. Besides the granted roles, `roles_in` gives the
pseudo-roles `member` (lives in the community), `verified` (verified resident),
`unit_contact` (contact of a unit serving it) and `street_<role>` (role held for the
whole street). Workflow actions (`"need:publish"`) are decided by the roles their
declared transition allows, plus `author` for the item's author.
"""
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

from flask import abort
from flask_login import current_user
from werkzeug.exceptions import Forbidden
from werkzeug.local import LocalProxy

from forum.places.models import Community, Street

# Roles that only an admin or the street's staff may hand out.
SENIOR_ROLES = {"staff", "supervisor"}
STAFF = {"staff", "admin"}
READERS = {"staff", "supervisor", "admin"}


def community_of(obj):
    """The community an object belongs to, for scoping roles."""
    if isinstance(obj, Community):
        return obj
    community = getattr(obj, "community", None)
    if isinstance(community, Community):
        return community
    return None


def roles_in(user, community) -> set[str]:
    """All roles `user` holds in `community` (empty for anonymous users)."""
    if user is None or not user.is_authenticated:
        return set()
    roles = {"admin"} if user.is_admin else set()
    if community is None:
        return roles
    membership = user.membership_in(community.id)
    if membership is not None:
        roles.add("member")
        if membership.is_verified:
            roles.add("verified")
    for grant in user.role_grants:
        if grant.covers(community):
            roles.add(grant.role)
            if grant.street_id is not None:
                roles.add(f"street_{grant.role}")
    if any(community in unit.communities for unit in user.units):
        roles.add("unit_contact")
    return roles


def communities_with_roles(user) -> set[int] | None:
    """The ids of the communities where `user` holds any role of `roles_in` (None: all, for admins);
    a search looks only there for what only some people of a community may see."""
    if user is None or not user.is_authenticated:
        return set()
    if user.is_admin:
        return None
    found = {m.community_id for m in user.memberships}
    for grant in user.role_grants:
        if grant.community_id:
            found.add(grant.community_id)
        elif grant.street is not None:
            found |= {c.id for c in grant.street.communities}
    for unit in user.units:
        found |= {c.id for c in unit.communities}
    return found


@dataclass
class Ask:
    """One question put to the rules: may `user` do it to `obj`?"""

    user: Any
    obj: Any

    @property
    def authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @cached_property
    def roles(self) -> set[str]:
        return roles_in(self.user, community_of(self.obj))

    @property
    def is_author(self) -> bool:
        return self.authenticated and getattr(self.obj, "author_id", None) == self.user.id

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF)


def _may_grant(ask: Ask, role: str) -> bool:
    if not ask.authenticated:
        return False
    if ask.roles & {"admin", "street_staff"}:
        return True
    return "staff" in ask.roles and role not in SENIOR_ROLES


def _need_visible(ask: Ask) -> bool:
    from forum.lists.needs import PUBLIC_STATUSES

    if ask.obj.status in PUBLIC_STATUSES:
        return True
    return ask.authenticated and (ask.is_author or ask.is_staff or "claimer" in ask.obj.relations_to(ask.user))


def _may_support(ask: Ask) -> bool:
    from forum.lists.needs import DEFAULT_LIST_STATUSES

    return ask.obj.status in DEFAULT_LIST_STATUSES and not ask.is_author and "member" in ask.roles


def _may_report_progress(ask: Ask) -> bool:
    return ask.is_staff or bool(ask.obj.relations_to(ask.user) & {"lead", "responsible"})


def _may_rate_project(ask: Ask) -> bool:
    from forum.lists.projects import RATING_STATUSES, raters

    return ask.obj.status in RATING_STATUSES and any(p.id == ask.user.id for p in raters(ask.obj))


def _may_comment(ask: Ask) -> bool:
    """obj: a Thread (perhaps not saved yet). On a locked thread, only moderators and staff."""
    moderates = RULES["moderate_thread"](ask)
    if ask.obj.is_locked:
        return moderates
    return moderates or ask.is_author or bool(ask.roles & {"member", "unit_contact"})


def _may_moderate_thread(ask: Ask) -> bool:
    """obj: a Thread or a Comment. Staff and the community's moderators; on a subject with moderators
    of its own (a deliberation's 主持人), those as well."""
    if ask.is_staff or "moderator" in ask.roles:
        return True
    thread = getattr(ask.obj, "thread", ask.obj)
    subject = thread.subject
    if subject is None and thread.id is not None:
        from forum.discussion.services import subject_of

        subject = subject_of(thread)
    return hasattr(subject, "relations_to") and "moderator" in subject.relations_to(ask.user)


def _runs_deliberation(ask: Ask) -> bool:
    """obj: a Deliberation. Staff, the community's moderators and the deliberation's own 主持人."""
    return ask.is_staff or "moderator" in ask.roles or "moderator" in ask.obj.relations_to(ask.user)


def _may_edit_comment(ask: Ask) -> bool:
    from forum.core.models import utcnow
    from forum.discussion.models import EDIT_WINDOW

    return ask.is_author and not ask.obj.is_deleted and utcnow() - ask.obj.created_at <= EDIT_WINDOW


# moderation: who moderates a community's content, and who still sees it when held or hidden.
MODERATORS = {"moderator", "staff", "admin"}


def _sees_moderated(ask: Ask) -> bool:
    """Held (先审后发) or hidden content: only its author and the community's moderators, staff,
    supervisors and admins. Every view rule of a reportable kind starts here."""
    if getattr(ask.obj, "moderation_state", None) is None:
        return True
    return ask.is_author or bool(ask.roles & (MODERATORS | {"supervisor"}))


def _may_report(ask: Ask) -> bool:
    """obj: a Need, Resource, Proposal, Comment or User. Anyone who sees it, except its author."""
    from forum.moderation.kinds import KINDS, kind_of

    if getattr(ask.obj, "is_deleted", False):
        return False
    entry = KINDS[kind_of(ask.obj)]
    seen = can(ask.user, entry.view_action, ask.obj)
    if entry.name == "comment":
        from forum.discussion.services import subject_of, view_action

        subject = subject_of(ask.obj.thread)
        seen = seen and can(ask.user, view_action(subject), subject)
    return seen and entry.author_id(ask.obj) != ask.user.id


def _may_sanction(ask: Ask) -> bool:
    """obj: a ModerationCase. Its community's moderators, on an author who is neither them nor an admin."""
    author = ask.obj.author
    return bool(ask.roles & MODERATORS) and author is not None and author.id != ask.user.id and not author.is_admin


def _reads_moderation_log(ask: Ask) -> bool:
    """obj: a Community, or None for "anywhere" (the menu)."""
    if ask.obj is None:
        return ask.user.is_admin or any(grant.role in READERS for grant in ask.user.role_grants)
    return bool(ask.roles & READERS)


def sanction_of(user):
    """("banned", None) or ("suspended", until) while a moderator's sanction lasts, else None."""
    from forum.core.models import utcnow

    if getattr(user, "banned_at", None) is not None:
        return ("banned", None)
    until = getattr(user, "suspended_until", None)
    return ("suspended", until) if until is not None and until > utcnow() else None


# What a suspended (禁言) or banned (封禁) user may not do.
SANCTIONED_ACTIONS = {
    "post_need", "support_need", "offer_resource", "post_resource", "post_own_resource", "post_unit_resource",
    "raise_proposal", "edit_proposal", "proposal:submit", "support_proposal", "comment_on_thread",
    "edit_comment", "vote_in_poll", "report_content",
}


# action → rule. Keep the sections by feature; a feature adds its actions here.
RULES: dict[str, Callable[[Ask], bool]] = {
    # accounts
    "view_profile": lambda a: a.authenticated,
    "edit_profile": lambda a: a.authenticated and a.user.id == a.obj.id,
    "view_members": lambda a: bool(a.roles & READERS),
    "read_audit": lambda a: bool(a.roles & READERS),
    "verify_member": lambda a: a.is_staff,
    "reveal_phone": lambda a: a.is_staff,
    "manage_unit_contacts": lambda a: a.is_staff,
    # needs
    "post_need": lambda a: bool(a.roles & {"member", "staff", "admin"}),
    "enter_need_for_resident": lambda a: a.is_staff,
    "view_need": lambda a: _sees_moderated(a) and _need_visible(a),
    "see_need_author": lambda a: a.is_staff,
    "support_need": _may_support,
    "manage_need_settings": lambda a: a.is_staff,
    # matching
    "see_match_suggestions": lambda a: bool(a.roles & {"staff", "admin", "unit_contact"}),
    "decide_match": lambda a: a.is_staff,
    "see_needs_for_resource": lambda a: a.is_staff or bool(a.obj.relations_to(a.user) & {"author", "owner_unit"}),
    # projects
    "view_project": lambda a: True,
    "create_project": lambda a: a.is_staff,
    "post_project_update": _may_report_progress,
    "rate_project": _may_rate_project,
    # notifications
    "read_notifications": lambda a: a.obj is not None and a.obj.id == a.user.id,  # obj: whose list
    "read_notification": lambda a: a.obj.user_id == a.user.id,  # only its recipient
    # resources
    "view_resource": _sees_moderated,
    # Whether the user may offer resources anywhere (the list shows 发布资源 to them).
    "offer_resource": lambda a: a.user.is_admin or any(unit.communities for unit in a.user.units)
    or any(grant.role in {"volunteer", "staff"} for grant in a.user.role_grants),
    # obj: a Community. Unit contacts serving it, volunteers, staff.
    "post_resource": lambda a: "unit_contact" in a.roles or RULES["post_own_resource"](a),
    # obj: a Community. A volunteer offers their own time where they volunteer or live.
    "post_own_resource": lambda a: bool(a.roles & {"volunteer", "staff", "admin"})
    or ("member" in a.roles and any(grant.role == "volunteer" for grant in a.user.role_grants)),
    "post_unit_resource": lambda a: a.user in a.obj.contacts,  # obj: a Unit
    # Only the owner or a contact of the resource's unit; staff pause or withdraw instead.
    "edit_resource": lambda a: bool(a.obj.relations_to(a.user) & {"author", "owner_unit"}),
    # activities
    # obj: a Community. Staff, or a contact of a unit serving it (for their own unit).
    "create_activity": lambda a: a.is_staff or "unit_contact" in a.roles,
    # obj: a Community. Staff organise in the community's own name or for any unit serving it.
    "organise_community_activity": lambda a: a.is_staff,
    # obj: an Activity. Residents of its community, and volunteers serving there.
    "sign_up_for_activity": lambda a: bool(a.roles & {"member", "volunteer"}),
    # obj: an Activity. Its community's staff, or the contacts of the organising unit.
    "confirm_attendance": lambda a: a.is_staff or "organiser" in a.obj.relations_to(a.user),
    "view_activity_signups": lambda a: RULES["confirm_attendance"](a),
    # discussion
    "comment_on_thread": _may_comment,
    # obj: a Thread or a Comment. Lock a thread, pin a comment: staff, the community's moderators, a
    # deliberation's own moderators on its thread.
    "moderate_thread": _may_moderate_thread,
    "pin_comment": lambda a: a.obj.parent_id is None and not a.obj.is_deleted and RULES["moderate_thread"](a),
    # obj: a Comment. Its author, within EDIT_WINDOW of posting it.
    "edit_comment": _may_edit_comment,
    "delete_comment": lambda a: a.is_author and not a.obj.is_deleted,
    # proposals
    # obj: a Proposal. Drafts (never submitted) only to their author and staff.
    "view_proposal": lambda a: _sees_moderated(a)
    and (a.obj.has_been_public or (a.authenticated and (a.is_author or a.is_staff))),
    "raise_proposal": lambda a: bool(a.roles & {"member", "council_member"}),  # obj: a Community
    "edit_proposal": lambda a: a.is_author and a.obj.status == "draft",
    # 附议: verified residents of its community, not its author, while it accepts support.
    "support_proposal": lambda a: "verified" in a.roles and not a.is_author and a.obj.accepts_support,
    "manage_proposal_settings": lambda a: a.is_staff,  # obj: a Community
    # deliberations
    "view_deliberation": lambda a: True,
    "create_deliberation": lambda a: a.is_staff,  # obj: a Community
    # obj: a Deliberation. Run it: take its steps, start its polls, moderate its thread.
    "run_deliberation": _runs_deliberation,
    "edit_deliberation": lambda a: a.obj.status == "scheduled" and _runs_deliberation(a),
    "rsvp_deliberation": lambda a: a.obj.status in ("scheduled", "open", "voting")
    and "participant" in a.obj.relations_to(a.user),
    "record_attendance": lambda a: a.obj.status in ("open", "voting", "concluded") and _runs_deliberation(a),
    "record_decision": lambda a: a.obj.status in ("open", "voting", "concluded") and _runs_deliberation(a),
    # minutes
    # obj: a Deliberation. Draft minutes and their comments: its participants, the community's staff
    # and supervisors.
    "view_minutes_drafts": lambda a: bool(a.roles & READERS) or "participant" in a.obj.relations_to(a.user),
    # obj: a MinutesVersion. Published versions are public.
    "view_minutes_version": lambda a: a.obj.status == "published"
    or RULES["view_minutes_drafts"](Ask(a.user, a.obj.deliberation)),
    # obj: a Deliberation. Its own moderators, once it has concluded.
    "draft_minutes": lambda a: a.obj.status == "concluded" and "moderator" in a.obj.relations_to(a.user),
    # obj: a MinutesVersion. Its text: a moderator of the deliberation, while a draft, to revise it
    # after the comments, or when it was sent back.
    "edit_minutes": lambda a: a.obj.status in ("draft", "commenting", "returned")
    and "deliberation_moderator" in a.obj.relations_to(a.user),
    # obj: a MinutesVersion open for comments: the participants recorded as present.
    "comment_on_minutes": lambda a: a.obj.status == "commenting"
    and "deliberation_attendee" in a.obj.relations_to(a.user),
    # obj: a MinutesVersion. Another moderator of the deliberation or staff; never who wrote it.
    "approve_minutes": lambda a: _workflow_allows(a, "minutes:approve") and a.user.id not in a.obj.editor_ids,
    # obj: a published MinutesVersion. A correction starts from it, by a moderator of the deliberation.
    "correct_minutes": lambda a: a.obj.status == "published"
    and "deliberation_moderator" in a.obj.relations_to(a.user),
    # voting
    # obj: a Deliberation, a Proposal or a Community. Staff; for a deliberation also those who run it.
    "create_poll": lambda a: a.is_staff or (type(a.obj).__name__ == "Deliberation" and _runs_deliberation(a)),
    # obj: a Poll. Change its rules (until the first ballot): staff, and for a deliberation's poll those who run it.
    "manage_poll": lambda a: a.is_staff or (a.obj.deliberation is not None
                                            and _runs_deliberation(Ask(a.user, a.obj.deliberation))),
    # obj: a Poll. Its electorate: the council, the verified residents or households (window checked apart).
    "vote_in_poll": lambda a: "elector" in a.obj.relations_to(a.user),
    # obj: a Poll. 纸质票: staff, the community's moderators, the deliberation's own moderators.
    "enter_paper_ballots": lambda a: a.is_staff or "moderator" in a.roles or "moderator" in a.obj.relations_to(a.user),
    # obj: a PaperTally. The same people, but never the one who entered the counts.
    "confirm_paper_ballots": lambda a: a.user.id != a.obj.entered_by_id
    and RULES["enter_paper_ballots"](Ask(a.user, a.obj.poll)),
    # stats and ledgers: the figures of /stats/ are public aggregates and need no rule. obj: a Community or a
    # Street. Ledgers (台账, some with names and masked phones): the community's staff, supervisors and admins;
    # for a whole street, only those holding the role for the street (and admins).
    "download_ledgers": lambda a: bool(a.roles & READERS) if not isinstance(a.obj, Street) else a.user.is_admin
    or any(grant.role in READERS and grant.street_id == a.obj.id for grant in a.user.role_grants),
    # moderation (reports, the queue, sanctions, the moderation log)
    # obj: a Comment. A held or hidden one shows as a placeholder to everyone else.
    "view_comment": _sees_moderated,
    "report_content": _may_report,
    # obj: a Community. Its queue (举报处理): moderators, staff, street roles, admins.
    "moderate_community": lambda a: bool(a.roles & MODERATORS),
    # obj: None. Whether the menu shows the queue: a moderator or staff anywhere, or an admin.
    "use_moderation_queue": lambda a: a.user.is_admin or any(g.role in MODERATORS for g in a.user.role_grants),
    # obj: a ModerationCase (of its community; a profile without one: admins).
    "moderate_case": lambda a: bool(a.roles & MODERATORS),
    "sanction_author": _may_sanction,
    # obj: a ModerationCase. 申请复核: the author of hidden content, once.
    "request_review": lambda a: a.is_author and a.obj.review_requested_at is None
    and getattr(a.obj.item, "moderation_state", None) == "hidden",
    "read_moderation_log": _reads_moderation_log,
    "manage_moderation_settings": lambda a: a.is_staff,  # obj: a Community
    # sensitive words
    # obj: a Community (its word list and its pre-moderation setting), or None for the global list.
    "manage_sensitive_words": lambda a: a.user.is_admin if a.obj is None else a.is_staff,
    # Whether the user may open the word lists at all: admins, and staff of some community.
    "open_sensitive_words": lambda a: a.user.is_admin or any(grant.role == "staff" for grant in a.user.role_grants),
    # obj: a Community that pre-moderates new users. Any standing there beyond living in it (verified,
    # staff, moderator, council member, unit contact, volunteer, admin) lets posts through at once.
    "post_without_premoderation": lambda a: bool(a.roles - {"member"}),
    # privacy (the user's own data, account deletion). obj: a User; only that person, for themselves.
    "give_consent": lambda a: a.obj is not None and a.obj.id == a.user.id,
    "download_own_data": lambda a: a.obj is not None and a.obj.id == a.user.id,
    "delete_own_account": lambda a: a.obj is not None and a.obj.id == a.user.id,
    # outreach (following items, e-mail settings). obj: a Need, Proposal, Project or Deliberation;
    # anyone logged in who may see it.
    "follow_item": lambda a: _sees_subject(a),
    "manage_email_settings": lambda a: a.obj is not None and a.obj.id == a.user.id,  # obj: a User
}


def _sees_subject(ask: Ask) -> bool:
    """obj: anything a discussion can be about; whether the user may see it."""
    from forum.discussion.subjects import SUBJECTS, kind_of

    return can(ask.user, SUBJECTS[kind_of(ask.obj)].view_action, ask.obj)


def _workflow_allows(ask: Ask, action: str) -> bool:
    from forum.core.workflow import REGISTRY

    name, _, step = action.partition(":")
    transition = REGISTRY[name].transitions.get((ask.obj.status, step))
    if transition is None or not ask.authenticated:
        return False
    roles = ask.roles | ({"author"} if ask.is_author else set())
    if hasattr(ask.obj, "relations_to"):
        roles |= ask.obj.relations_to(ask.user)
    return "admin" in roles or bool(roles & transition.roles)


def can(user, action: str, obj=None) -> bool:
    user = current_user if user is None else user
    if isinstance(user, LocalProxy):  # a rule reads the user many times; the proxy finds it anew each time
        user = user._get_current_object()
    ask = Ask(user, obj)
    if action in SANCTIONED_ACTIONS and sanction_of(ask.user) is not None:
        return False
    kind, _, rest = action.partition(":")
    if kind in ("grant_role", "revoke_role"):
        return _may_grant(ask, rest)
    if rest:
        return _workflow_allows(ask, action)
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"no permission rule for action {action!r}") from None
    return bool(rule(ask)) if (ask.authenticated or action in PUBLIC_ACTIONS) else False


def standing_in_thread(user, thread) -> tuple:
    """Everything the rules read of a user about a comment in `thread` that they did not write
    (view_comment, report_content, pin_comment; edit and delete are the author's): signed in or not,
    their roles in the thread's community, a sanction, whether they moderate the thread, whether
    they may see its subject. Users of the same standing are given the same actions on such
    comments, so a page of them is kept once for all of them (forum/discussion/rendering.py):
    a rule that reads more of the user must add it here."""
    from forum.discussion.services import subject_of, view_action

    if user is None or not user.is_authenticated:
        return ("visitor",)
    subject = subject_of(thread)
    return (frozenset(roles_in(user, community_of(thread))), sanction_of(user) is not None,
            can(user, "moderate_thread", thread), can(user, view_action(subject), subject))


# Actions an anonymous visitor may be allowed (their rule decides).
PUBLIC_ACTIONS: set[str] = {"view_need", "view_project", "view_resource", "view_deliberation", "view_proposal",
                           "view_minutes_version", "view_comment"}


def ensure(user, action: str, obj=None) -> None:
    """Raise Forbidden unless `can(user, action, obj)`; services call this."""
    if not can(user, action, obj):
        raise Forbidden()


def authorize(action: str, obj=None) -> None:
    """For views: refuse with 403, or send an anonymous visitor to the login page first.
    Held or hidden content is not found (404) by whoever may not see it."""
    from forum.extensions import login_manager

    if can(current_user, action, obj):
        return
    if action.startswith("view_") and getattr(obj, "moderation_state", None) is not None:
        abort(404)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    raise Forbidden()
