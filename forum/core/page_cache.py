"""Whole pages kept for the same request against an unchanged database (Flask-Caching).

A GET page is kept under everything it is made from:
- the request: URL with its query, host, htmx headers, the Cookie header (so the session:
  reader, language, elder mode, CSRF secret, flashed messages) and, for a request with cookies,
  the client's address and browser (Flask-Login's session protection reads those);
- the database's state, which changes with every commit, by any connection in any process
  (forum/core/database_state.py: SQLite's data_version; on PostgreSQL a version that triggers
  on every table move);
- whatever else a feature declares (`depends_on`): the whoosh index's generation for search.

So a page comes from the cache only while nothing it could show has changed, for the same
reader. Two things are not part of the state: the clock (a deadline passing, a comment's edit
window closing), hence the entries' short life (PAGE_CACHE_SECONDS, 30 s by default; 0 turns the
cache off), and the code and settings, which change with a restart. A page whose request wrote
to the database (a download recorded in the audit trail, an overdue proposal closed as it is
read) is kept under the state from before its write, which never comes back: such a page is
never served again. Not kept: anything but a 200 text/html response, a response that sets a
cookie or changes the session (a flashed message shown), one marked no-store, one over 1 MB, and
a rate-limited page (its limit is checked in the view, which a kept page skips).
"""
import hashlib

from flask import Flask, Response, current_app, g, request, request_finished, session

from forum.core.database_state import DatabaseState
from forum.core.limits import is_rate_limited
from forum.extensions import db, page_cache

LARGEST_PAGE = 1024 * 1024
# Headers of the response that belong to its own request: the rate limiter sets them afresh.
NOT_KEPT_HEADERS = {"set-cookie", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining",
                    "x-ratelimit-reset"}


def init_app(app: Flask) -> None:
    seconds = app.config["PAGE_CACHE_SECONDS"]
    page_cache.init_app(app, config={"CACHE_TYPE": "SimpleCache" if seconds else "NullCache",
                                     "CACHE_DEFAULT_TIMEOUT": seconds,
                                     "CACHE_THRESHOLD": app.config["PAGE_CACHE_PAGES"],
                                     "CACHE_NO_NULL_WARNING": True})  # off is a setting, not a mistake
    if not seconds:
        return
    app.extensions["page_cache_state"] = DatabaseState()
    app.extensions.setdefault("page_cache_depends_on", [])
    app.before_request(serve_kept_page)
    request_finished.connect(keep_page, app)


def depends_on(app: Flask, state) -> None:
    """Add `state()` (cheap, hashable) to what a kept page must still match."""
    app.extensions.setdefault("page_cache_depends_on", []).append(state)


def serve_kept_page():
    # A rate-limited page is made every time: Flask-Limiter checks its limit in the view's wrapper.
    if request.method != "GET" or is_rate_limited(current_app.view_functions.get(request.endpoint)):
        return None
    state = _state()
    if state is None:
        return None
    key = _request_key()
    g.page_cache = (key, state)
    kept = page_cache.get(key)
    if kept is None or kept[0] != state:
        return None
    g.page_cache_served = True
    _, status, headers, body = kept
    return Response(body, status=status, headers=headers)


def keep_page(sender, response, **extra) -> None:
    entry = g.pop("page_cache", None)
    if entry is None or g.pop("page_cache_served", False) or not _keepable(response):
        return
    key, state = entry
    headers = [(name, value) for name, value in response.headers if name.lower() not in NOT_KEPT_HEADERS]
    page_cache.set(key, (state, response.status_code, headers, response.get_data()))


def _keepable(response) -> bool:
    return (response.status_code == 200 and response.mimetype == "text/html"
            and not response.direct_passthrough and not response.is_streamed
            and "Set-Cookie" not in response.headers and not session.modified
            and "no-store" not in response.headers.get("Cache-Control", "")
            and response.calculate_content_length() is not None
            and response.calculate_content_length() <= LARGEST_PAGE)


def _request_key() -> str:
    headers = request.headers
    cookie = headers.get("Cookie", "")
    parts = [request.host_url, request.full_path, cookie,
             *(f"{name}:{value}" for name, value in headers if name.lower().startswith("hx-"))]
    if cookie:
        parts += [request.remote_addr or "", headers.get("User-Agent", "")]
    return "page:" + hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _state():
    database = current_app.extensions["page_cache_state"].read(db.engine)
    if database is None:
        return None
    return (database, *(state() for state in current_app.extensions["page_cache_depends_on"]))
