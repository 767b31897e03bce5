"""Sensitive-word lists: keep them (add, change, remove, with the audit trail) and screen texts.

`screen(community_id, *texts)` looks for the global list's words and the community's in the
texts. The Aho-Corasick automaton is built once per combination of list versions and kept
in the app (one per server process), so a post costs one small query for the versions and
a scan; a change to a list raises its version and the next screen builds afresh.
"""
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from forum.core import audit
from forum.core.pagination import paginate
from forum.core.permissions import ensure
from forum.extensions import db
from forum.moderation.words.matcher import HOLD, MASK, Screening, WordMatcher, highlight  # noqa: F401
from forum.moderation.words.models import ACTIONS, NORMALISED_MAX, WORD_MAX, SensitiveWord, WordList
from forum.moderation.words.normalise import normalise_word

audit.LABELS.setdefault("words.add", _l("added sensitive words"))
audit.LABELS.setdefault("words.change", _l("changed the action of sensitive words"))
audit.LABELS.setdefault("words.remove", _l("removed a sensitive word"))
audit.LABELS.setdefault("community.premoderate_new_users", _l("changed the pre-moderation of new users"))

ACTION_LABELS = {HOLD: _l("Hold the post for review"), MASK: _l("Mask the word with ＊")}
MAX_LINES = 500
CACHE_SIZE = 64


class WordsError(ValueError):
    """A problem with what was typed, for the form field `field`."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


# --- screening ---------------------------------------------------------------------------


def _cache() -> OrderedDict:
    return current_app.extensions.setdefault("sensitive_words", OrderedDict())


def matcher_for(community_id: int | None) -> WordMatcher:
    """The matcher of the global list and the community's, built once per version of them."""
    lists = db.session.execute(select(WordList.id, WordList.version).where(
        or_(WordList.community_id.is_(None), WordList.community_id == community_id))).all()
    key = tuple(sorted((row.id, row.version) for row in lists))
    cache = _cache()
    matcher = cache.get(key)
    if matcher is None:
        rows = db.session.execute(select(SensitiveWord.word, SensitiveWord.action)
                                  .where(SensitiveWord.list_id.in_([list_id for list_id, _ in key])))
        matcher = cache[key] = WordMatcher((row.word, row.action) for row in rows)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return matcher


def screen(community_id: int | None, *texts: str | None) -> Screening:
    """What the lists that apply in the community find in `texts`: .action ("pass", "mask" or
    "hold"; hold wins), .matches, .masked(text) and .highlight(text)."""
    return Screening(matcher_for(community_id), texts)


# --- reading the lists -------------------------------------------------------------------


def word_list(community, create: bool = False) -> WordList | None:
    """The community's list, or the global one for None (made on first use if `create`)."""
    community_id = getattr(community, "id", None)
    condition = WordList.community_id.is_(None) if community_id is None else WordList.community_id == community_id
    found = db.session.scalar(select(WordList).where(condition).order_by(WordList.id).limit(1))
    if found is None and create:
        found = WordList(community_id=community_id, version=1)
        db.session.add(found)
        db.session.flush()
    return found


@dataclass
class Filters:
    q: str = ""
    action: str | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        action = args.get("action")
        return cls(q=(args.get("q") or "").strip()[:WORD_MAX], action=action if action in ACTIONS else None)

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def words_page(community, filters: Filters, page: int | None):
    """One page of a list's words, newest first, narrowed by `filters`."""
    found = word_list(community)
    stmt = select(SensitiveWord).where(SensitiveWord.list_id == (found.id if found else -1))
    if filters.q:
        stmt = stmt.where(or_(SensitiveWord.word.contains(filters.q, autoescape=True),
                              SensitiveWord.normalised.contains(normalise_word(filters.q), autoescape=True)))
    if filters.action:
        stmt = stmt.where(SensitiveWord.action == filters.action)
    return paginate(stmt.order_by(SensitiveWord.id.desc()), page, per_page=50)


# --- changing the lists ------------------------------------------------------------------


@dataclass
class Added:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def parse_words(text: str) -> list[tuple[str, str]]:
    """(word, normalised) for each non-empty line, once each; WordsError for a line that cannot be a word."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise WordsError("words", _l("Please write at least one word, one per line."))
    if len(lines) > MAX_LINES:
        raise WordsError("words", _l("At most %(num)d words at a time.", num=MAX_LINES))
    parsed: dict[str, str] = {}
    for line in lines:
        key = normalise_word(line)
        if len(line) > WORD_MAX or len(key) > NORMALISED_MAX:
            raise WordsError("words", _l("“%(word)s” is too long: at most %(num)d characters a line.",
                                         word=line[:WORD_MAX] + "…", num=WORD_MAX))
        if len(key) < 2:
            raise WordsError("words", _l("“%(word)s” is too short: a word needs at least 2 letters or characters "
                                         "(punctuation and spaces do not count), or it would catch ordinary "
                                         "text.", word=line))
        parsed.setdefault(key, line)
    return [(word, key) for key, word in parsed.items()]


def add_words(actor, community, text: str, action: str) -> Added:
    """Add the words of `text` (one a line) with `action` to the community's list (None: global).
    A word already listed (in any spelling that normalises the same) takes the new action."""
    ensure(actor, "manage_sensitive_words", community)
    if action not in ACTIONS:
        raise WordsError("action", _l("Please choose what happens to a post with these words."))
    words = parse_words(text)
    target = word_list(community, create=True)
    existing = {w.normalised: w for w in db.session.scalars(
        select(SensitiveWord).where(SensitiveWord.list_id == target.id,
                                    SensitiveWord.normalised.in_([key for _, key in words])))}
    result = Added()
    for word, key in words:
        listed = existing.get(key)
        if listed is None:
            db.session.add(SensitiveWord(list_id=target.id, word=word, normalised=key, action=action,
                                         added_by_id=actor.id))
            result.added.append(word)
        elif listed.action != action:
            listed.action = action
            result.changed.append(listed.word)
        else:
            result.unchanged.append(listed.word)
    _changed(actor, target, community, "words.add", result.added, action)
    _changed(actor, target, community, "words.change", result.changed, action)
    db.session.commit()
    return result


def remove_word(actor, word: SensitiveWord) -> None:
    community = word.word_list.community
    ensure(actor, "manage_sensitive_words", community)
    target = word.word_list
    db.session.delete(word)
    _changed(actor, target, community, "words.remove", [word.word], word.action)
    db.session.commit()


def _changed(actor, target: WordList, community, action: str, words: list[str], word_action: str) -> None:
    """Raise the list's version (so every process rebuilds its matcher) and write the audit trail."""
    if not words:
        return
    target.version = WordList.version + 1
    audit.record(db.session, actor, action, community or target, community_id=getattr(community, "id", None),
                 detail=f"{word_action}: " + "、".join(words))


def set_premoderation(actor, community, on: bool) -> None:
    """The community setting: posts of people with no standing there beyond living in it wait for review."""
    ensure(actor, "manage_sensitive_words", community)
    community.premoderate_new_users = on
    audit.record(db.session, actor, "community.premoderate_new_users", community, community_id=community.id,
                 detail="on" if on else "off")
    db.session.commit()
