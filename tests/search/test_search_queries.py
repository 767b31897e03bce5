"""Searching in Chinese: short words in long posts, mixed scripts, phrases, filters and pages."""
import pytest
from search_fixtures import *  # noqa: F403  (fixtures: app on each search backend, search_backend, search_page)

from forum.extensions import db
from forum.lists import needs

FILLER = "居民们在楼下议论了很久，大家都希望社区能尽快想办法解决这个问题。" * 30


def published_need(demo, title, body="", community=None, category="facilities"):
    """A need entered by staff for a resident (published at once)."""
    fields = {"title": title, "body": body, "category": category, "urgency": 1, "compound": None,
              "location": "", "anonymous": False}
    return needs.create_for_resident(demo.staff if community is None else demo.admin, community or demo.community,
                                     "张阿姨", "13712345678", fields, [])


def test_a_two_character_word_is_found_in_a_long_post(demo, search_page):
    published_need(demo, "卫生间的情况", FILLER + "楼上卫生间漏水，我家天花板都湿了。" + FILLER)
    titles, html = search_page("漏水")
    assert "卫生间的情况" in titles
    assert "<mark>漏水</mark>" in html  # the snippet shows the word where it is, in a long text


def test_a_single_character_finds_it_inside_longer_words(demo, search_page):
    # jieba keeps 路灯 whole and cuts 楼道灯坏了 into 楼道 / 灯坏 / 了: 灯 alone is in neither.
    published_need(demo, "南门晚上太黑", "小区南门外的路灯不亮了")
    published_need(demo, "二单元楼道", "二单元楼道灯坏了三天")
    titles, _ = search_page("灯")
    assert {"南门晚上太黑", "二单元楼道"} <= set(titles)


@pytest.mark.parametrize("query", ["5号楼", "5号", "wifi", "WiFi", "ＷｉＦｉ", "５号楼", "5号楼 WiFi"])
def test_mixed_chinese_latin_and_digits_are_found(demo, search_page, query):
    published_need(demo, "5号楼WiFi信号太差", "5号楼的公共WiFi每天晚上都连不上")
    titles, _ = search_page(query)
    assert "5号楼WiFi信号太差" in titles


def test_a_different_number_does_not_match(demo, search_page):
    published_need(demo, "5号楼WiFi信号太差", "5号楼的公共WiFi每天晚上都连不上")
    titles, _ = search_page("6号楼")
    assert "5号楼WiFi信号太差" not in titles


def test_words_match_in_any_order_but_a_quoted_phrase_only_as_written(demo, search_page):
    published_need(demo, "加装电梯的费用怎么分摊", "一楼住户不愿意出钱")
    published_need(demo, "电梯口想加装扶手", "老人进出电梯不方便")
    unquoted, _ = search_page("加装电梯")
    quoted, _ = search_page('"加装电梯"')
    reordered, _ = search_page("电梯加装")
    assert {"加装电梯的费用怎么分摊", "电梯口想加装扶手"} <= set(unquoted)
    assert "加装电梯的费用怎么分摊" in quoted and "电梯口想加装扶手" not in quoted
    assert "加装电梯的费用怎么分摊" in reordered


@pytest.mark.parametrize("query", ["", "   ", "！！！？？", "😀😀", '"', "*:(AND OR NOT)", "a" * 500, "电梯 " * 40])
def test_an_empty_or_absurd_query_gets_a_helpful_page(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "如何搜索" in html or "条结果" in html or "没有找到" in html


def test_a_query_with_nothing_to_search_says_so(client):
    html = client.get("/search?q=！！！").get_data(as_text=True)
    assert "没有可以搜索的字词" in html and "如何搜索" in html


def test_minutes_published_with_a_deliberation_are_found(demo, search_page):
    titles, html = search_page("堆物清理公约")
    assert any("议事" in title for title in titles)
    assert "<mark>堆物清理公约</mark>" in html


def test_filters_narrow_by_type_community_and_status(demo, search_page):
    mine = published_need(demo, "垃圾房异味很重", "夏天垃圾房的味道飘到三楼")
    other = published_need(demo, "垃圾房门坏了", "翠湖花园的垃圾房门关不上", community=demo.community2)
    needs.take_step(demo.admin, other, "claim")
    assert set(search_page("垃圾房", type="need")[0]) >= {mine.title, other.title}
    assert search_page("垃圾房", type="need", community=demo.community.id)[0] == [mine.title]
    assert search_page("垃圾房", type="need", status="claimed")[0] == [other.title]
    assert all("垃圾房" not in title for title in search_page("垃圾房", type="activity")[0])


def test_results_come_newest_first_when_asked(demo, search_page):
    for n in range(3):
        published_need(demo, f"第{n}次反映水压低", "水压太低")
    titles, _ = search_page("水压", sort="newest", type="need")
    assert titles[:3] == ["第2次反映水压低", "第1次反映水压低", "第0次反映水压低"]


def test_results_come_in_pages_and_the_count_is_exact(demo, search_page):
    for n in range(23):
        published_need(demo, f"鸽子问题{n}", "阳台上鸽子很多")
    first, html = search_page("鸽子", type="need")
    second, _ = search_page("鸽子", type="need", page=2)
    assert len(first) == 20 and len(second) == 3 and not set(first) & set(second)
    assert "23 条结果" in html


def test_the_title_counts_more_than_the_body(demo, search_page):
    published_need(demo, "关于噪音的一些情况", "楼下商铺晚上很吵")
    published_need(demo, "楼下商铺很吵", "关于噪音")
    titles, _ = search_page("商铺", type="need")
    assert titles[0] == "楼下商铺很吵"


def test_the_site_header_has_a_search_box(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'name="q"' in html


def test_the_needs_list_takes_a_query(demo, client):
    published_need(demo, "小区里流浪猫太多", "晚上流浪猫叫")
    published_need(demo, "健身器材坏了", "广场上的健身器材坏了")
    html = client.get("/needs/", query_string={"q": "流浪猫"}).get_data(as_text=True)
    assert "小区里流浪猫太多" in html and "健身器材坏了" not in html
    html = client.get("/needs/", query_string={"q": "！？"}).get_data(as_text=True)
    assert "小区里流浪猫太多" not in html


def test_a_change_is_searchable_at_once(demo, search_page):
    need = published_need(demo, "楼顶水箱需要清洗", "水有异味")
    need.title = "楼顶蓄水池需要清洗"
    db.session.commit()
    assert search_page("蓄水池")[0] == ["楼顶蓄水池需要清洗"]
    assert search_page("水箱")[0] == []


def test_past_its_counting_limit_the_postgres_backend_says_more_than(app, demo, search_page, search_backend):
    if search_backend != "postgres":
        pytest.skip("whoosh counts every match")
    app.extensions["forum_search"].backend.count_limit = 3  # 100 in use: a common word stops there
    for n in range(5):
        published_need(demo, f"第{n}次反映井盖松动", "井盖松动")
    titles, html = search_page("井盖")
    assert "“井盖”超过 3 条结果" in html and "<span>3+</span>" in html
    assert len(titles) == 3
    assert "只列出最相关的 3 条。多加一个词，或在上面选一种类型，可以找到其余的。" in html  # the last page says why it ends
    titles, html = search_page("井盖", type="need", sort="newest")
    assert titles[:3] == ["第4次反映井盖松动", "第3次反映井盖松动", "第2次反映井盖松动"]


def test_past_its_counting_limit_relevance_still_picks_from_older_matches(app, demo, search_page, search_backend):
    """The postgres backend shows only the counted matches, but picks them by relevance from a larger
    pool of the newest: a title that names the word beats newer posts that only mention it."""
    if search_backend != "postgres":
        pytest.skip("whoosh ranks every match")
    app.extensions["forum_search"].backend.count_limit = 3
    published_need(demo, "小区井盖松动", "晚上走路容易绊倒")
    for n in range(4):
        published_need(demo, f"第{n}次反映路面问题", "门口的井盖有点松")
    titles, _ = search_page("井盖")
    assert len(titles) == 3 and titles[0] == "小区井盖松动"


def test_a_page_past_the_last_says_where_the_results_end(demo, search_page):
    for n in range(2):
        published_need(demo, f"第{n}次反映井盖松动", "井盖松动")
    titles, html = search_page("井盖", page=4)
    assert titles == [] and "结果到第 1 页为止。" in html and "没有找到" not in html
    assert 'href="/search?q=%E4%BA%95%E7%9B%96">去第 1 页</a>' in html
    titles, html = search_page("井盖")
    assert len(titles) == 2 and "只列出" not in html and "结果到第" not in html
