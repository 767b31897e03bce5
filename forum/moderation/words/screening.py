"""Screening a post before it is saved: the sensitive-word lists and a community's pre-moderation.

Each content service (needs, resources, proposals, comments) does two things:

    fields, screening = screen_fields(author, community, fields, "title", "body")  # before rendering
    ...                                                                              # create the item
    apply_hold(item, screening)                                                     # once it exists

The texts come back with mask-words replaced by ＊, so the Markdown is rendered from the
masked source. A hold-word, or a community that pre-moderates new users when the author has
no standing there beyond living in it, holds the item for review (先审后发): it is saved,
its author is told, and it stays out of sight of others until a moderator publishes it.
"""
from dataclasses import dataclass, field

from flask import flash
from flask_babel import gettext as _

from forum.core.permissions import can
from forum.moderation.words.matcher import HOLD
from forum.moderation.words.services import screen

SENSITIVE_WORDS, NEW_USER = "sensitive_words", "new_user"


@dataclass
class PostScreening:
    texts: dict[str, str | None]  # the texts, mask-words replaced
    reason: str | None = None  # why the post is held: SENSITIVE_WORDS or NEW_USER; None: not held
    words: list[str] = field(default_factory=list)  # the hold-words found

    @property
    def held(self) -> bool:
        return self.reason is not None


def screen_post(author, community, **texts: str | None) -> PostScreening:
    """Masked `texts`, and whether (and why) a post of `author` in `community` is held."""
    screening = screen(community.id, *texts.values())
    masked = {name: screening.masked(text) for name, text in texts.items()}
    if screening.action == HOLD:
        return PostScreening(masked, SENSITIVE_WORDS, screening.held_words)
    if community.premoderate_new_users and not can(author, "post_without_premoderation", community):
        return PostScreening(masked, NEW_USER)
    return PostScreening(masked)


def screen_fields(author, community, fields: dict, *names: str) -> tuple[dict, PostScreening]:
    """`fields` with the named texts screened (a copy), and the screening."""
    screening = screen_post(author, community, **{name: fields.get(name) for name in names})
    return {**fields, **screening.texts}, screening


def apply_hold(item, screening: PostScreening, actor=None) -> None:
    """Hold `item` for review (先审后发) if the screening says so; `actor`: who saves it when that is
    not its author (代录入). Flushes; the caller commits."""
    if not screening.held:
        return
    from forum.moderation.services import hold

    hold(item, reason=screening.reason, words=screening.words, actor=actor)


def tell_author_if_held(item) -> bool:
    """For views after posting: flash that the item awaits review; True if it does."""
    if getattr(item, "moderation_state", None) != "held":
        return False
    flash(_("Your post has been saved and waits for a moderator's review before others can see it. "
            "You can see it meanwhile."), "success")
    return True
