"""The sensitive-word engine on its own: normalising, matching, masking and highlighting (no app)."""
import pytest

from forum.moderation.words.matcher import MASK_CHAR, Screening, WordMatcher, highlight
from forum.moderation.words.normalise import normalise, normalise_word

LIST = [("代开发票", "hold"), ("赌博", "hold"), ("傻逼", "mask"), ("vpn", "mask")]


@pytest.fixture(scope="module")
def matcher():
    return WordMatcher(LIST)


@pytest.mark.parametrize("text, word", [
    ("代开发票", "代开发票"),
    ("ＶＰＮ翻墙", "vpn"),  # 全角
    ("VPN 很快", "vpn"),  # upper case
    ("Vpn", "vpn"),
    ("代 开 发 票", "代开发票"),  # spaces
    ("代\u3000开\u3000发\u3000票", "代开发票"),  # ideographic spaces
    ("代\u200b开\u200c发\u200d票\ufeff", "代开发票"),  # zero-width characters
    ("代.开*发-票", "代开发票"),  # filler punctuation
    ("代_开|发·票", "代开发票"),
    ("代、开。发…票", "代开发票"),
    ("赌★博", "赌博"),  # symbols
    ("代\n开\n发\n票", "代开发票"),  # line breaks
    ("代開發票", "代开发票"),  # 繁體
    ("賭博", "赌博"),
    ("代 開．發＊票", "代开发票"),  # 繁體 with full-width fillers
    ("傻ｂｉ", None),  # not listed: a different word
    ("傻\u0301逼", "傻逼"),  # a combining mark stacked on a character
])
def test_variants_of_a_listed_word_are_caught(matcher, text, word):
    found = [hit.word for hit in matcher.find(f"前面的话{text}后面的话")]
    assert found == ([word] if word else [])


def test_an_emoji_between_characters_is_kept_and_breaks_the_word(matcher):
    # Emoji are not in the filler list (see normalise.py): 赌🎲博 is not 赌博.
    assert matcher.find("赌🎲博") == []


def test_listed_words_are_normalised_like_texts():
    assert normalise_word("代開發票") == "代开发票"
    assert normalise_word("Ｖ.P.N") == "vpn"
    assert WordMatcher([("代開發票", "hold")]).find("代开发票")[0].word == "代開發票"


def test_the_position_map_leads_back_to_the_original_characters():
    original = "Ａ.代 開\u200b发"
    normalised = normalise(original)
    assert normalised.text == "a代开发"
    assert [original[i] for i in normalised.origin] == ["Ａ", "代", "開", "发"]
    assert normalised.span(1, 4) == (2, 7)  # 代 … 发, with the space and the zero-width space inside


def test_characters_that_expand_map_to_the_one_original():
    normalised = normalise("Straße①")
    assert normalised.text == "strasse1"
    assert normalised.origin == (0, 1, 2, 3, 4, 4, 5, 6)


def test_mask_replaces_exactly_the_matched_characters_and_fillers_between_them(matcher):
    text = "你这个 傻.逼！别走。VPN？"
    assert matcher.mask(text) == f"你这个 {MASK_CHAR * 3}！别走。{MASK_CHAR * 3}？"


def test_mask_leaves_hold_words_and_ordinary_text_alone(matcher):
    text = "代开发票，联系我。"
    assert matcher.mask(text) == text


def test_mask_keeps_the_length_and_the_markdown_around_it(matcher):
    text = "**注意**：傻 逼\n\n- 第二行 vpn"
    masked = matcher.mask(text)
    assert len(masked) == len(text)
    assert masked == f"**注意**：{MASK_CHAR * 3}\n\n- 第二行 {MASK_CHAR * 3}"


def test_overlapping_words_are_masked_together():
    matcher = WordMatcher([("ab", "mask"), ("bc", "mask")])
    assert matcher.mask("xabcx") == f"x{MASK_CHAR * 3}x"


def test_a_word_in_two_lists_takes_the_stronger_action():
    matcher = WordMatcher([("赌博", "mask"), ("賭博", "hold")])
    assert [(hit.word, hit.action) for hit in matcher.find("赌博")] == [("賭博", "hold")]


def test_screening_hold_wins_and_reports_words_with_their_actions(matcher):
    screening = Screening(matcher, ["标题里有个 傻逼", "正文：代.開.發.票 找我", None])
    assert screening.action == "hold"
    assert [(m.word, m.action) for m in screening.matches] == [("傻逼", "mask"), ("代开发票", "hold")]
    assert screening.held_words == ["代.開.發.票"]  # as written, for the moderators' queue
    assert screening.masked("标题里有个 傻逼") == f"标题里有个 {MASK_CHAR * 2}"


def test_screening_of_clean_text_passes(matcher):
    screening = Screening(matcher, ["楼道灯坏了", ""])
    assert (screening.action, screening.matches) == ("pass", [])
    assert Screening(matcher, ["傻逼"]).action == "mask"
    assert Screening(WordMatcher([]), ["代开发票"]).action == "pass"


def test_highlight_marks_variants_and_escapes_everything_else():
    html = highlight('<b>代 開 发票</b> & <script>alert(1)</script>', ["代开发票"])
    assert str(html) == "&lt;b&gt;<mark>代 開 发票</mark>&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"


def test_highlight_escapes_inside_the_mark():
    html = highlight("a<>b", ["a<>b"])  # < and > are fillers: the word is "ab"
    assert str(html) == "<mark>a&lt;&gt;b</mark>"


def test_a_listed_sequence_is_found_across_the_boundary_of_ordinary_words():
    # Matching is by characters, not by words: Chinese has no spaces to tell words apart, and
    # segmenting (jieba) would let "法 轮" or "法·轮" through again. So the listed 法轮 is found in
    # 加法轮流 (加法 + 轮流) too. We chose this on purpose: a list should hold sequences that are
    # unambiguous on their own, and such a word should be a hold-word, so a moderator lets the
    # harmless post through rather than the site masking ordinary words.
    matcher = WordMatcher([("法轮", "hold")])
    assert [hit.found for hit in matcher.find("做加法轮流算")] == ["法轮"]
    # The same holds for Latin letters: spaces are fillers, so "ex" is found in "Essex" and in "the x".
    assert len(WordMatcher([("ex", "mask")]).find("the x")) == 1
