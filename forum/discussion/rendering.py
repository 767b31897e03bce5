"""Comments as HTML, kept per process so that a long discussion is not loaded and rendered anew
for every reader.

A comment's HTML depends on the comment, its author's name, the page it is on, the reader's
language and what the reader may do with it (the permission rules, asked here for every comment
and every reader, are part of the key). Everything it depends on is in the key, so nothing has to
be forgotten when a comment changes: an edited, hidden or deleted comment, or a renamed author,
has a new key and the old entry ages out. Not kept: comments with a moderation notice (a held or
hidden comment as its author and the moderators see it; others see a placeholder, which is kept) or
with forms (delete, pin), as those carry the reader's own CSRF token or state.

A whole page of comments is kept too, under its thread's revision (bumped with every change to
the thread's comments or their authors' names, forum/discussion/revisions.py) and the reader's
standing in the thread (forum/core/permissions.py, `standing_in_thread`): readers who wrote no
comment on the page and have the same standing are given the same actions by the rules, so they
see the same page. Such a page is read from the store without loading a comment.
"""
import threading
from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from forum.core.permissions import can, standing_in_thread
from forum.discussion import services

# What a reader may do with a comment, in the order the template's `rights` reads them.
ACTIONS = ("view_comment", "report_content", "edit_comment", "delete_comment", "pin_comment")
KEPT_COMMENTS = 5000  # about 1.5 kB each: some 8 MB per server process
KEPT_PAGES = 200  # up to 50 comments and their replies, about 100 kB each: at most 20 MB per server process


class Kept:
    """A small least-recently-used store, safe for a server's threads."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)


def _kept(name: str = "kept_comments", size: int = KEPT_COMMENTS) -> Kept:
    """The app's store (one per app, so that apps in one process, as in the tests, never share)."""
    return current_app.extensions.setdefault(name, Kept(size))


def comment_html(macro, c, may_post: bool, page_url: str, anchor: bool) -> tuple[Markup, bool]:
    """`macro(c, may_post, page_url, anchor, rights)` (discussion/_comment.html), kept when it can be,
    and whether it could be (no forms, no moderation notice)."""
    reader = current_user._get_current_object()
    rights = {action: can(reader, action, c) for action in ACTIONS}
    if (c.moderation_state and rights["view_comment"]) or rights["delete_comment"] or rights["pin_comment"]:
        return macro(c, may_post, page_url, anchor, rights), False
    key = (c.id, c.body_html, c.created_at, c.edited_at, c.deleted_at, c.pinned_at, c.moderation_state,
           c.author.display_name, c.parent_id, page_url, anchor, may_post, tuple(rights.values()),
           str(get_locale()))
    kept = _kept()
    html = kept.get(key)
    if html is None:
        html = macro(c, may_post, page_url, anchor, rights)
        kept.put(key, html)
    return html, True


def comments_html(page_macro, comment_macro, d, may_post: bool) -> Markup:
    """`page_macro(comments, html_of, d)` (discussion/_comments.html): the page of comments of the
    discussion `d`, kept under the thread's revision when no comment on it has forms or a notice."""
    reader = current_user._get_current_object()
    page_url = d.url()
    key = None if d.thread.id is None else (
        d.thread.id, d.thread.revision, d.page_number, page_url, may_post, str(get_locale()),
        standing_in_thread(reader, d.thread))
    kept = _kept("kept_comment_pages", KEPT_PAGES)
    found = kept.get(key) if key else None
    reader_id = reader.id if reader.is_authenticated else None
    if found is not None and reader_id not in found[1]:
        return found[0]
    comments = services.comments_of(d)
    html_of, keepable = {}, True
    shown = [(c, False) for c in comments.pinned] + [(c, True) for c in comments.on_page()]
    for c, anchor in shown:  # a pinned comment is shown twice: at the top without its anchor
        html_of[c.id, anchor], kept_too = comment_html(comment_macro, c, may_post, page_url, anchor)
        keepable = keepable and kept_too
    html = page_macro(comments, html_of, d)
    authors = frozenset(c.author_id for c, _ in shown)
    if key and keepable and reader_id not in authors:
        kept.put(key, (html, authors))
    return html
