"""Marking strings for translation where they are stored and translated later."""


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (gettext_noop).

    For texts kept in the database, such as notifications, and translated into the
    reader's language when shown.
    """
    return message
