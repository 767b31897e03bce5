"""Demo data: a small site-wide list of plainly unwanted words (spam and abuse)."""
from forum.moderation.words.models import SensitiveWord
from forum.moderation.words.normalise import normalise_word
from forum.moderation.words.services import word_list

# Spam and fraud a post should not carry without a moderator's look (先审后发).
HOLD_WORDS = ("代开发票", "加微信赚钱", "赌博", "网络兼职刷单", "办证刻章")
# Abuse: replaced with ＊ and the post goes out.
MASK_WORDS = ("傻逼", "王八蛋")


def seed_words(admin) -> None:
    target = word_list(None, create=True)
    for action, words in (("hold", HOLD_WORDS), ("mask", MASK_WORDS)):
        for word in words:
            target.words.append(SensitiveWord(word=word, normalised=normalise_word(word), action=action, added_by_id=admin.id))
