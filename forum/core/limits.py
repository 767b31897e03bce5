"""Rate limits by name; the numbers live in one place, RATE_LIMITS in forum/config.py."""
from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.extensions import limiter


def user_or_address() -> str:
    """Count a logged-in user's requests together, wherever they come from."""
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def rate_limit(name: str, **options):
    """The decorator for the limit called `name` (per user, else per address)."""
    options.setdefault("key_func", user_or_address)
    return limiter.limit(lambda: current_app.config["RATE_LIMITS"][name], **options)
