"""The accessibility check itself: every page a journey passes through is run through axe,
htmx swaps are checked again, and a violation on a page merely passed through fails the test."""
import pytest
from playwright.sync_api import expect

BAD_PAGE = """<!doctype html><html lang="zh-CN"><head><title>坏页面</title></head>
<body><main><h1>坏页面</h1><img src="/static/img/favicon.svg"><a href="/">回首页</a></main></body></html>"""


def test_every_page_passed_through_is_checked_and_an_htmx_swap_again(page):
    p = page.page
    page.login("13900000001")
    p.click("nav.main-nav >> text=需求")
    p.click("text=3号楼楼道灯坏了一个多星期")
    p.click("#support button")
    expect(p.locator(".support-count")).to_have_text("3 位邻居也需要")
    need = p.url[len(page.base_url):]
    p.click("text=退出")
    assert page.checked == ["/auth/login", "/", "/needs/", need, need]
    assert page.violations == []


def test_a_violation_on_a_page_passed_through_fails_the_journey(page):
    p = page.page
    p.route(page.base_url + "/bad", lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=BAD_PAGE))
    page.goto("/bad")
    # Nothing asserts on the bad page: the next step the journey takes fails on it.
    with pytest.raises(AssertionError, match=r"violations on http://[^/]+/bad:\nimage-alt \(critical\)"):
        p.click("text=回首页")
    assert page.checked == ["/bad"]
    page.violations.clear()  # the site's own pages stay held to the check at the end
    p.click("text=回首页")
    expect(p.locator("h1")).to_have_text("欢迎来到议事厅")
