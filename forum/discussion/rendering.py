"""Comments as HTML, kept per process so that a long discussion is not rendered anew for every reader.

A comment's HTML depends on the comment, its author's name, the page it is on, the reader's
language and what the reader may do with it (the permission rules, asked here for every comment
and every reader, are part of the key). Everything it depends on is in the key, so nothing has to
be forgotten when a comment changes: an edited, hidden or deleted comment, or a renamed author,
has a new key and the old entry ages out. Not kept: comments with a moderation notice or with
forms (delete, pin), as those carry the reader's own CSRF token or state.
"""
import threading
from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from forum.core.permissions import can

# What a reader may do with a comment, in the order the template's `rights` reads them.
ACTIONS = ("view_comment", "report_content", "edit_comment", "delete_comment", "pin_comment")
KEPT_COMMENTS = 5000  # about 1.5 kB each: some 8 MB per server process


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


def _kept() -> Kept:
    """The app's store (one per app, so that apps in one process, as in the tests, never share)."""
    return current_app.extensions.setdefault("kept_comments", Kept(KEPT_COMMENTS))


def comment_html(macro, c, may_post: bool, page_url: str, anchor: bool = True) -> Markup:
    """`macro(c, may_post, page_url, anchor, rights)` (discussion/_comment.html), kept when it can be."""
    reader = current_user._get_current_object()
    rights = {action: can(reader, action, c) for action in ACTIONS}
    if c.moderation_state or rights["delete_comment"] or rights["pin_comment"]:
        return macro(c, may_post, page_url, anchor, rights)
    key = (c.id, c.body_html, c.created_at, c.edited_at, c.deleted_at, c.pinned_at, c.author.display_name,
           c.parent_id, page_url, anchor, may_post, tuple(rights.values()), str(get_locale()))
    kept = _kept()
    html = kept.get(key)
    if html is None:
        html = macro(c, may_post, page_url, anchor, rights)
        kept.put(key, html)
    return html
