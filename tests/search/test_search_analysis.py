"""How queries and texts are cut up, and how snippets are made (plain functions, no app)."""
from forum.search.analysis import grams, parse_query, unit_runs
from forum.search.snippets import snippet


def test_text_becomes_units_in_runs_broken_by_punctuation():
    assert unit_runs("５号楼WiFi坏了! 电梯，停") == [["5", "号", "楼", "wifi", "坏", "了"], ["电", "梯"], ["停"]]


def test_grams_are_each_unit_and_each_pair_of_neighbours():
    assert grams("5号楼，灯") == ["5", "号", "楼", "5号", "号楼", "灯"]


def test_a_word_must_hold_all_its_pairs_and_a_single_unit_itself():
    elevator, building, wifi, lamp = parse_query("电梯坏了 5号楼 WiFi 灯").terms
    assert elevator.grams == ["电梯", "梯坏", "坏了"]
    assert building.grams == ["5号", "号楼"]
    assert wifi.grams == ["wifi"] and lamp.grams == ["灯"]


def test_an_unquoted_word_also_matches_by_its_jieba_words_but_a_quoted_one_does_not():
    loose, = parse_query("电梯加装").terms
    exact, = parse_query("“电梯加装”").terms
    assert set(loose.words) == {"电梯", "加装"} and exact.words == [] and exact.quoted


def test_a_word_broken_by_punctuation_needs_the_pairs_of_each_part():
    term, = parse_query("电梯，坏了").terms
    assert term.grams == ["电梯", "坏了"]


def test_punctuation_alone_leaves_nothing_to_search_and_too_many_words_are_dropped():
    assert parse_query("！？。…").empty and parse_query("").empty
    many = parse_query(" ".join(f"词{n}" for n in range(12)))
    assert len(many.terms) == 8 and len(many.dropped) == 4


def test_a_snippet_marks_the_words_around_the_first_match_and_escapes_the_rest():
    text = "开头" * 100 + "<b>楼道灯</b>坏了，楼道很黑" + "结尾" * 100
    made = str(snippet(text, ["楼道"]))
    assert made.startswith("…") and made.endswith("…")
    assert "&lt;b&gt;<mark>楼道</mark>灯&lt;/b&gt;" in made and "<b>" not in made
    assert len(made) < 200


def test_a_snippet_without_a_match_is_the_opening_or_nothing():
    assert str(snippet("没有相关的词", ["电梯"])) == ""
    assert str(snippet("没有相关的词", ["电梯"], fallback_chars=3)) == "没有相…"


def test_a_snippet_keeps_the_text_as_written_and_marks_full_width_forms():
    made = str(snippet("５号楼的ＷｉＦｉ，晚上连不上。", ["5号楼", "wifi"]))
    assert made == "<mark>５号楼</mark>的<mark>ＷｉＦｉ</mark>，晚上连不上。"
