"""Password rules: long enough, not a common password, not the phone number."""
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("forum.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, phone: str = "") -> str | None:
    """A message in the user's language when the password is too weak, else None."""
    if len(password) < MIN_LENGTH:
        return _l("The password needs at least %(n)d characters.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or len(set(password)) <= 2:
        return _l("This password is too common and easy to guess. Please choose another.")
    if phone and phone in password:
        return _l("The password must not contain your phone number.")
    return None
