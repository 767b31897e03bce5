"""Rate limits by name; the numbers live in one place, RATE_LIMITS in forum/config.py.

`@rate_limit("post_need")` counts twice: "post_need" per logged-in user (wherever their
requests come from) and "post_need_ip" per client address (every account behind it, so
more accounts gain a spammer nothing). A name counts across every view that uses it:
a comment on a need and one on draft minutes draw on the same "post_comment".
"""
from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.extensions import limiter

ADDRESS = "_ip"  # RATE_LIMITS key of the per-address limit: name + ADDRESS
NAMES: set[str] = set()  # every name in use, for the test that each has its numbers


def user_or_address() -> str:
    """Count a logged-in user's requests together, wherever they come from."""
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return client_address()


def client_address() -> str:
    """The client's address (with FORUM_PROXY_COUNT set, as the trusted proxies report it)."""
    return f"ip:{get_remote_address()}"


def rate_limit(name: str, *, key_func=None, **options):
    """The limits called `name`: per user and per address; with `key_func`, only the one
    limit `name` counted by that key (e.g. per phone number tried at login)."""
    def decorate(view):
        if key_func is not None:
            view = _limit(name, key_func, **options)(view)
        else:
            view = _limit(name, user_or_address, **options)(view)
            view = _limit(name + ADDRESS, client_address, **options)(view)
        view.rate_limited = True  # the page cache leaves it alone: the limit is checked in the view's wrapper
        return view

    return decorate


def is_rate_limited(view) -> bool:
    return getattr(view, "rate_limited", False)


def _limit(name: str, key_func, **options):
    NAMES.add(name)
    return limiter.shared_limit(lambda: current_app.config["RATE_LIMITS"].get(name, ""), scope=name,
                                key_func=key_func, **options)
