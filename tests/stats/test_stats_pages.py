"""The /stats/ page: public figures with charts a screen reader can read, the period form, the ledger links."""
import re

import pytest
from stats_factory import build, granted, local, raise_need

MARCH = "period=custom&from=2026-03-01&to=2026-03-31"


@pytest.fixture
def data(app, make_user):
    return build(make_user)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_anyone_sees_a_communitys_figures_for_a_period(client, data):
    response = client.get(f"/stats/?scope=c{data.a.id}&{MARCH}")
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "青松街道 · 青松社区 · 2026-03-01 至 2026-03-31" in page
    assert "提出的需求 5" in page
    assert "首次响应（中位数） 3.0 小时" in page
    assert "解决用时（中位数） 15.0 天" in page
    assert "解决率 66.7%" in page and "受理 3 条，已解决 2 条" in page
    assert "统计口径" in page  # what each figure means is said on the page


def test_each_chart_has_a_title_a_description_and_a_data_table(client, data):
    html = client.get(f"/stats/?scope=c{data.a.id}&{MARCH}").get_data(as_text=True)
    charts = re.findall(r'<svg class="stats-chart"[^>]*role="img"[^>]*aria-labelledby="([\w-]+)-title \1-desc"', html)
    assert charts[:2] == ["needs-status", "needs-category"]
    assert '<title id="needs-status-title">各状态的需求数</title>' in html
    assert re.search(r'<desc id="needs-status-desc">各状态的需求数：待审核 1；已公开 1；未通过 1；已解决 1；已办结 1。</desc>',
                     html.replace("\n", ""))
    tables = re.findall(r"<caption>(.*?)</caption>", html)
    assert {"各状态的需求数", "各类别的需求数"} <= set(tables)
    assert "<script" not in html.split("<main")[1]  # nothing drawn in the browser


def test_a_street_adds_up_its_communities(client, data):
    page = text_of(client.get(f"/stats/?scope=s{data.street.id}&{MARCH}").get_data(as_text=True))
    assert "青松街道 · 2026-03-01" in page and "提出的需求 6" in page
    page = text_of(client.get(f"/stats/?street={data.street.id}&{MARCH}").get_data(as_text=True))
    assert "提出的需求 6" in page


def test_the_period_chooses_what_counts(client, data):
    raise_need(data.residents[0], data.a, local(1, month=11), "十一月的需求")
    year = text_of(client.get(f"/stats/?community={data.a.id}&period=year").get_data(as_text=True))
    assert "提出的需求 7" in year  # March (5), February (1) and November
    assert "提出的需求 1" in text_of(client.get(
        f"/stats/?community={data.a.id}&period=custom&from=2026-11-01&to=2026-11-30").get_data(as_text=True))


def test_bad_dates_get_a_chinese_error_and_keep_what_was_typed(client, data):
    response = client.get(f"/stats/?scope=c{data.a.id}&period=custom&from=2026-03-31&to=2026-03-01")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "结束日期不能早于开始日期。" in html
    assert 'value="2026-03-31"' in html and 'value="2026-03-01"' in html
    missing = client.get(f"/stats/?scope=c{data.a.id}&period=custom&from=2026-03-01")
    assert missing.status_code == 400 and "请填写开始日期和结束日期。" in missing.get_data(as_text=True)


def test_unknown_places_are_not_found(client, data):
    assert client.get("/stats/?scope=c999").status_code == 404
    assert client.get("/stats/?scope=x1").status_code == 404
    assert client.get("/stats/?street=999").status_code == 404


def test_without_a_choice_a_resident_sees_their_own_community(client, auth, data):
    auth.login(data.neighbour.phone)
    assert "青松街道 · 翠湖社区" in text_of(client.get("/stats/").get_data(as_text=True))


def test_ledger_downloads_show_only_to_those_who_may(client, auth, data, make_user):
    url = f"/stats/?scope=c{data.a.id}&{MARCH}"
    assert 'id="ledgers"' not in client.get(url).get_data(as_text=True)
    auth.login(data.residents[0].phone)
    assert 'id="ledgers"' not in client.get(url).get_data(as_text=True)
    auth.logout()
    auth.login(granted(make_user(), "supervisor", community=data.a).phone)
    html = client.get(url).get_data(as_text=True)
    assert 'id="ledgers"' in html
    assert html.count('class="ledger-form"') == 5
    assert f'name="scope" value="c{data.a.id}"' in html and 'name="from" value="2026-03-01"' in html
    assert 'id="ledgers"' not in client.get(f"/stats/?scope=s{data.street.id}&{MARCH}").get_data(as_text=True)


def test_everyone_finds_the_statistics_in_the_footer(client, data):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<footer.*href="/stats/"[^>]*>统计</a>', html, re.S)
