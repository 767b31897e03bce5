"""The matching engine on small hand-made records: each signal, the threshold, the API."""
from datetime import date

import pytest

from forum.matching.engine import (THRESHOLD, MatchIndex, build_index, category_relation, rank_needs,
                                   rank_resources)
from forum.matching.records import NeedRecord, ResourceRecord

TODAY = date(2026, 6, 1)


def resource(id, title, body="", category="other", kind="service", community=1, street=1, **fields):
    return ResourceRecord(id, title, body, category, kind, community, street, **fields)


def need(id, title, body="", category="other", community=1, street=1, **fields):
    return NeedRecord(id, title, body, category, community, street, **fields)


def ranked(need_record, resources, **options):
    return rank_resources(need_record, resources, today=TODAY, **options)


def ids(suggestions):
    return [s.id for s in suggestions]


def reason(suggestion, code):
    return next((r for r in suggestion.reasons if r.code == code), None)


def score_of(need_record, resource_record):
    found = ranked(need_record, [resource_record], threshold=-1)
    return found[0].relevance if found else 0.0


LEAK = resource("leak", "楼顶漏水维修", "物业维修班组上门修理屋顶漏水和水管渗漏。", "facilities")
LAW = resource("law", "律师免费法律咨询", "律师每周坐班，解答租房、劳动合同和婚姻家庭问题。", "legal", "people")
MEALS = resource("meals", "长者食堂送餐上门", "为高龄老人提供午餐，行动不便的可以送餐到家。", "elderly")
HALL = resource("hall", "活动室免费借用", "党群服务中心的多功能活动室向居民团体开放预约。", "culture", "venue")


# --- text relevance ---------------------------------------------------------------

def test_the_resource_that_speaks_of_the_need_ranks_first():
    found = ranked(need("n", "家里漏水了", "楼上漏水，天花板一直滴水。", "facilities"), [LAW, LEAK, MEALS])
    assert ids(found)[0] == "leak"
    assert "漏水" in reason(found[0], "shared_words").words


def test_a_word_in_the_title_counts_for_more_than_in_the_body():
    in_title = resource("t", "修理自行车", "每月一次，在社区广场。")
    in_body = resource("b", "每月便民服务日", "在社区广场摆摊，可以修理自行车。")
    asking = need("n", "自行车坏了", "想找个地方修理自行车。")
    assert score_of(asking, in_title) > score_of(asking, in_body)


def test_stop_words_and_numbers_link_nothing():
    found = ranked(need("n", "我们想问一下有没有", "这个那个什么的，3次，二十多分钟"), [LEAK, LAW, MEALS, HALL],
                   threshold=-1)
    assert found == []


def test_place_names_are_not_topic_words():
    index = build_index([resource("r", "桂花园社区消防检查", "消防员上门检查。", "safety")],
                        place_names=["桂花园社区"])
    asking = need("n", "桂花园的流浪猫太多", "桂花园社区晚上很吵。", "environment")
    assert rank_resources(asking, index, today=TODAY, threshold=-1) == []


# --- synonyms and near-words ----------------------------------------------------

def test_a_paraphrase_matches_through_the_synonym_list():
    found = ranked(need("n", "渗水严重", "卫生间墙面渗水，楼下都湿了。", "housing"), [LAW, LEAK, MEALS])
    assert ids(found)[0] == "leak"
    pairs = reason(found[0], "synonyms").pairs
    assert ("渗水", "漏水") in pairs or ("渗水", "渗漏") in pairs


def test_colloquial_words_for_elders_find_the_elderly_service():
    found = ranked(need("n", "大爷一个人住没人做饭", "楼下的大爷腿脚不好，吃饭成问题。", "other"),
                   [LAW, LEAK, MEALS, HALL])
    assert ids(found)[0] == "meals"


def test_sharing_only_whom_a_need_is_about_is_weak_evidence():
    asking = need("n", "老人想学用智能手机", "家里老人不会用手机视频。", "elderly")
    same_audience = resource("a", "老人理发", "为老人免费理发。", "elderly")
    same_topic = resource("t", "智能手机课程", "教大家用手机视频通话。", "culture", "people")
    assert score_of(asking, same_topic) > score_of(asking, same_audience)


def test_the_synonym_file_is_loaded_with_its_markers():
    from forum.matching.text import NEAR, SYNONYM, Lexicon, parse_synonyms

    lexicon = Lexicon()
    parse_synonyms("# comment\n路灯 照明\n~ 电梯 加装电梯\n* 老人 长者\n", lexicon)
    strengths = {lexicon.strength[k] for k in lexicon.groups("照明")} | {lexicon.strength[k] for k in lexicon.groups("电梯")}
    assert strengths == {SYNONYM, NEAR}
    assert "长者" in lexicon.context_words and "照明" not in lexicon.context_words


# --- category affinity ------------------------------------------------------------

def test_category_relations():
    assert category_relation("elderly", "elderly") == "same"
    assert category_relation("elderly", "health") == "related"
    assert category_relation("disability", "elderly") == "related"
    assert category_relation("other", "other") == "other"
    assert category_relation("legal", "children") is None


def test_same_category_scores_higher_than_related_then_unrelated():
    asking = need("n", "需要康复训练指导", "中风以后在家做康复训练。", "elderly")

    def rehab(category):
        return resource(category, "康复训练上门指导", "康复师上门指导康复训练。", category)

    same, related, unrelated = (score_of(asking, rehab(c)) for c in ("elderly", "health", "legal"))
    assert same > related > unrelated > 0


def test_a_need_filed_under_the_wrong_category_still_gets_its_resource():
    found = ranked(need("n", "楼顶漏水", "下雨天屋顶漏水。", "legal"), [LAW, LEAK])
    assert ids(found)[0] == "leak"
    assert reason(found[0], "category") is None


# --- kind fit ---------------------------------------------------------------------

def test_a_need_for_space_prefers_a_venue():
    asking = need("n", "合唱队找排练场地", "想找个室内活动室排练。", "culture")
    venue = resource("v", "活动室开放", "活动室可以排练合唱。", "culture", "venue")
    teacher = resource("p", "老师指导合唱排练", "老师可以指导合唱排练。", "culture", "people")
    found = ranked(asking, [teacher, venue], threshold=-1)
    assert reason(next(s for s in found if s.id == "v"), "kind").value == "asked"
    assert reason(next(s for s in found if s.id == "p"), "kind") is None


def test_a_need_for_help_fits_people_and_services():
    asking = need("n", "老人没人做饭", "想有人帮忙送餐。", "elderly")
    found = ranked(asking, [MEALS], threshold=-1)
    assert reason(found[0], "kind").value == "help"


# --- place ------------------------------------------------------------------------

def test_same_community_then_same_street_then_elsewhere():
    asking = need("n", "楼顶漏水", "屋顶漏水。", "facilities", community=1, street=1)
    here = resource("here", "漏水维修", "上门修理漏水。", "facilities", community=1, street=1)
    street = resource("street", "漏水维修", "上门修理漏水。", "facilities", community=2, street=1)
    away = resource("away", "漏水维修", "上门修理漏水。", "facilities", community=3, street=2)
    found = ranked(asking, [away, street, here])
    assert ids(found) == ["here", "street", "away"]
    assert reason(found[0], "same_community") and reason(found[1], "same_street")
    assert not reason(found[2], "same_community") and not reason(found[2], "same_street")


def test_a_street_wide_resource_counts_as_local_in_its_street():
    asking = need("n", "楼顶漏水", "屋顶漏水。", "facilities", community=1, street=1)
    wide = resource("wide", "漏水维修", "上门修理漏水。", "facilities", community=2, street=1, scope="street")
    assert reason(ranked(asking, [wide])[0], "same_community")


# --- availability -----------------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"status": "paused"}, {"status": "exhausted"}, {"status": "withdrawn"},
    {"available_until": date(2026, 5, 31)},
])
def test_unavailable_resources_are_never_suggested(fields):
    gone = resource("gone", "楼顶漏水维修", "上门修理屋顶漏水。", "facilities", **fields)
    assert ranked(need("n", "楼顶漏水", "屋顶漏水。", "facilities"), [gone], threshold=-1) == []


def test_a_resource_available_until_today_is_still_suggested():
    last_day = resource("r", "楼顶漏水维修", "上门修理屋顶漏水。", "facilities", available_until=TODAY)
    assert ids(ranked(need("n", "楼顶漏水", "屋顶漏水。", "facilities"), [last_day])) == ["r"]


# --- the threshold ----------------------------------------------------------------

def test_a_need_no_resource_can_meet_gets_no_suggestion():
    asking = need("n", "小区附近没有公交站", "最近的公交站要走很远，能不能加个站？", "facilities")
    assert ranked(asking, [LEAK, LAW, MEALS, HALL]) == []


def test_suggestions_below_the_threshold_are_left_out():
    asking = need("n", "楼顶漏水", "屋顶漏水，也想问问法律问题。", "facilities")
    everything = ranked(asking, [LEAK, LAW, MEALS, HALL], threshold=-1)
    kept = ranked(asking, [LEAK, LAW, MEALS, HALL])
    assert all(s.relevance >= THRESHOLD for s in kept)
    assert [s.id for s in everything if s.relevance >= THRESHOLD] == ids(kept)
    assert ranked(asking, [LEAK], threshold=10) == []


# --- rank_needs -------------------------------------------------------------------

def test_rank_needs_orders_relevant_needs_by_urgency_and_supporters():
    needs = [
        need("calm", "楼顶漏水", "屋顶漏水。", "facilities"),
        need("urgent", "楼顶漏水", "屋顶漏水。", "facilities", urgency=3),
        need("supported", "楼顶漏水", "屋顶漏水。", "facilities", supporters=12),
        need("other", "想学书法", "退休了想练毛笔字。", "culture", urgency=3, supporters=50),
    ]
    found = rank_needs(LEAK, needs, today=TODAY)
    assert ids(found) == ["urgent", "supported", "calm"]
    assert reason(found[0], "urgency").value == 3
    assert reason(found[1], "supporters").value == 12


def test_rank_needs_leaves_out_needs_that_are_not_open_and_unavailable_resources():
    needs = [need("done", "楼顶漏水", "屋顶漏水。", "facilities", status="resolved"),
             need("open", "楼顶漏水", "屋顶漏水。", "facilities")]
    assert ids(rank_needs(LEAK, needs, today=TODAY)) == ["open"]
    paused = resource("p", "楼顶漏水维修", "上门修理漏水。", "facilities", status="paused")
    assert rank_needs(paused, needs, today=TODAY) == []


def test_a_pair_scores_the_same_from_either_side():
    asking = need("n", "大爷一个人住没人做饭", "楼下的大爷腿脚不好，吃饭成问题。", "elderly", urgency=1)
    from_need = rank_resources(asking, [MEALS], today=TODAY, threshold=-1)[0]
    from_resource = rank_needs(MEALS, [asking], today=TODAY, threshold=-1)[0]
    assert from_need.relevance == pytest.approx(from_resource.relevance, abs=1e-3)


# --- the API ----------------------------------------------------------------------

def test_an_index_is_built_once_and_reused():
    index = build_index([LEAK, LAW, MEALS, HALL])
    assert isinstance(index, MatchIndex) and len(index) == 4
    asking = need("n", "家里漏水了", "楼上漏水。", "facilities")
    assert ids(rank_resources(asking, index, today=TODAY)) == ids(ranked(asking, [LEAK, LAW, MEALS, HALL]))


def test_an_index_of_the_wrong_side_is_refused():
    with pytest.raises(TypeError):
        rank_needs(LEAK, build_index([LEAK]), today=TODAY)


def test_suggestions_carry_their_record_and_reasons_that_add_up():
    found = ranked(need("n", "家里漏水了", "楼上漏水。", "facilities"), [LEAK])[0]
    assert found.record is LEAK
    assert sum(r.contribution for r in found.reasons) == pytest.approx(found.relevance, abs=1e-3)
    assert {r.code for r in found.reasons} >= {"shared_words", "title", "category", "same_community"}


def test_limit_keeps_the_best():
    many = [resource(f"r{i}", "漏水维修", "上门修理漏水。", "facilities") for i in range(5)]
    assert len(ranked(need("n", "漏水", "屋顶漏水。", "facilities"), many, limit=2)) == 2


def test_skipping_the_weakest_terms_changes_no_score(monkeypatch):
    import forum.matching.engine as engine

    records = [LEAK, LAW, MEALS, HALL] + [
        resource(f"e{i}", "老人关爱服务", f"为社区老人和孩子提供服务{i}。", "elderly") for i in range(20)]
    index = build_index(records)
    asking = need("n", "独居老人家里漏水", "老人一个人住，孩子在外地，厨房漏水。", "elderly")
    fast = rank_resources(asking, index, today=TODAY, limit=None, threshold=0.2)
    monkeypatch.setattr(engine, "SKIP_BUDGET", 0.0)
    exact = rank_resources(asking, index, today=TODAY, limit=None, threshold=0.2)
    assert len(exact) > 2
    assert [(s.id, s.score) for s in fast] == [(s.id, s.score) for s in exact]


def test_same_audience_category_and_community_alone_make_no_suggestion():
    play = resource("play", "儿童周末亲子游戏场地", "孩子和家长周末可以来室内游戏室玩。", "children", "venue")
    asking = need("n", "孩子的学费交不上", "孩子上初中，学费凑不出来。", "children")
    assert ranked(asking, [play]) == []
    assert ranked(asking, [play], threshold=-1)[0].relevance < THRESHOLD


def test_a_single_character_links_less_surely_than_a_word():
    training = resource("t", "职业技能培训", "免费开设电工、厨师培训班。", "employment", "people")
    assert score_of(need("a", "想学", "想学点东西。"), training) < score_of(need("b", "想参加培训", "想参加培训。"), training)
