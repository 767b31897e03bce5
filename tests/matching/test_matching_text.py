"""Segmentation, stop words, place names and the synonym resources of the matcher."""
from forum.matching.text import (CILIN, GROUP, Analyser, Lexicon, default_analyser, load_lexicon,
                                 parse_cilin, parse_stopwords)


def test_words_leave_out_stop_words_numbers_and_stray_characters():
    words = default_analyser().words("我们小区的路灯坏了3天，二十多分钟都没人来，能不能修一下？")
    assert "路灯" in words and "修一下" in words
    assert not {"我们", "的", "了", "3", "二十多分钟", "能不能", "小区"} & set(words)


def test_words_of_the_synonym_list_are_kept_whole_and_give_their_parts():
    words = default_analyser().words("独居老人")
    assert {"独居老人", "独居", "老人"} <= set(words)


def test_sub_words_count_for_half():
    weights = dict(default_analyser().weighted_words("独居老人"))
    assert weights["独居老人"] == 1.0 and weights["独居"] == 0.5


def test_place_words_cover_every_part_of_a_name():
    ignore = default_analyser().place_words(["桂花园社区", "青桐街道"])
    assert {"桂花园", "桂花", "花园", "青桐"} <= ignore
    assert "社区" not in ignore


def test_idf_of_a_group_and_of_an_unknown_phrase():
    analyser = default_analyser()
    key = analyser.lexicon.groups("漏水")[0]
    assert analyser.idf(GROUP + key) > 0
    assert analyser.idf("漏水") > analyser.idf("工作")


def test_stop_words_file_format():
    assert parse_stopwords("的 了 # comment\n是\n") == frozenset({"的", "了", "是"})


def test_cilin_lines_link_synonym_sets_only():
    lexicon = Lexicon()
    parse_cilin("Hi02C01= 探望 看望 探视 看\nHj01B14# 身居 独居 散居\nAa01C05@ 众学生\n", lexicon)
    assert [lexicon.strength[k] for k in lexicon.groups("探望")] == [CILIN]
    assert "看" not in lexicon.groups_of      # single characters are too ambiguous
    assert not lexicon.groups("独居")           # "#": related words, not synonyms


def test_the_matcher_works_on_the_curated_list_alone():
    from forum.matching.engine import rank_resources
    from forum.matching.records import NeedRecord, ResourceRecord

    analyser = Analyser(load_lexicon(use_cilin=False))
    assert not any(key.startswith("c") for key in analyser.lexicon.members)
    leak = ResourceRecord("leak", "楼顶漏水维修", "上门修理漏水。", "facilities", "service")
    found = rank_resources(NeedRecord("n", "卫生间渗水", "墙面渗水。", "housing"), [leak], analyser=analyser)
    assert [s.id for s in found] == ["leak"]
