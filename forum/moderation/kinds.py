"""The kinds of things that can be reported or held: how to load one, whose community, title, excerpt, URL.

Needs, resources and proposals are discussion subjects already (forum/discussion/subjects.py),
so their title and page come from there; comments and profiles are described here.
"""
from dataclasses import dataclass
from typing import Any, Callable, Optional

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from forum.core.urls import path_for
from forum.discussion import subjects
from forum.extensions import db

EXCERPT_LENGTH = 200


@dataclass(frozen=True)
class ReportableKind:
    name: str  # "need", "resource", "proposal", "comment", "profile"
    label: Any
    model: Any
    view_action: str  # the permission to see one
    community: Callable[[Any], Any]  # its Community, or None
    title: Callable[[Any], str]
    excerpt: Callable[[Any], str]  # plain text, at most EXCERPT_LENGTH characters
    url: Callable[[Any], str]  # its page (a comment: its place in the thread)
    author_id: Callable[[Any], Optional[int]]  # whose content it is (a profile: the user)
    # Only content carries moderation_state; a profile is handled by sanctioning its user.
    hideable: bool = True


def _shorten(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH - 1] + "…"


def _html_text(html: str) -> str:
    return Markup(html or "").striptags()


def _subject_kind(name: str, label) -> ReportableKind:
    subject = subjects.SUBJECTS[name]
    return ReportableKind(
        name=name, label=label, model=subject.model, view_action=subject.view_action,
        community=lambda item: item.community,
        title=subjects.title_of,
        excerpt=lambda item: _shorten(_html_text(item.body_html) or item.body),
        url=subjects.url_of,
        author_id=subject.author_id,
    )


def _comment_title(comment) -> str:
    from forum.discussion.services import subject_of

    return str(_l("Comment on “%(title)s”", title=subjects.title_of(subject_of(comment.thread))))


def _comment_url(comment) -> str:
    from forum.discussion.services import comment_url

    return comment_url(comment)


def _profile_community(user):
    return user.memberships[0].community if user.memberships else None


def _register() -> dict[str, ReportableKind]:
    from forum.accounts.models import User
    from forum.discussion.models import Comment

    found = {
        "need": _subject_kind("need", _l("Need")),
        "resource": _subject_kind("resource", _l("Resource")),
        "proposal": _subject_kind("proposal", _l("Proposal")),
        "comment": ReportableKind(
            name="comment", label=_l("Comment"), model=Comment, view_action="view_comment",
            community=lambda comment: comment.thread.community, title=_comment_title,
            excerpt=lambda comment: _shorten(_html_text(comment.body_html) or comment.body),
            url=_comment_url, author_id=lambda comment: comment.author_id),
        "profile": ReportableKind(
            name="profile", label=_l("Profile"), model=User, view_action="view_profile",
            community=_profile_community, title=lambda user: user.display_name, excerpt=lambda user: "",
            url=lambda user: path_for("accounts.user_page", user_id=user.id),
            author_id=lambda user: user.id, hideable=False),
    }
    return found


KINDS: dict[str, ReportableKind] = _register()


def kind_of(item) -> str:
    """The registry's name for `item` ("need", ..., "profile")."""
    return next(name for name, entry in KINDS.items() if isinstance(item, entry.model))


def entry_of(item) -> ReportableKind:
    return KINDS[kind_of(item)]


def load(kind: str, item_id: int):
    """The item, or None when the kind is unknown or there is no such item."""
    entry = KINDS.get(kind)
    return db.session.get(entry.model, item_id) if entry is not None else None
