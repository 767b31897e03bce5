"""On a phone: a resident searches from the header, narrows to one type, and opens a result."""
from playwright.sync_api import expect


def test_search_from_the_header_to_a_result(page):
    p = page.page
    page.goto("/")
    page.shot("search-header")
    p.fill("#site-q", "灯")
    p.press("#site-q", "Enter")
    expect(p.locator("h1")).to_have_text("搜索")
    expect(p.locator(".search-count")).to_contain_text("条结果")
    expect(p.locator(".search-hit mark").first).to_have_text("灯")
    page.shot("search-results")

    p.click(".search-kinds >> text=需求")
    expect(p.locator(".search-kinds [aria-current=page]")).to_contain_text("需求")
    first = p.locator(".search-hit .card-link").first
    title = first.inner_text().strip()
    first.click()
    expect(p.locator("h1")).to_have_text(title)


def test_a_search_with_nothing_to_find_helps(page):
    p = page.page
    page.goto("/search?q=%E2%80%A6%E2%80%A6")  # ……
    expect(p.locator(".notice")).to_contain_text("没有可以搜索的字词")
    expect(p.locator(".search-help h2")).to_have_text("如何搜索")
    p.fill("#q", "没有这个词的内容区块链")
    p.click(".search-box button")
    expect(p.locator(".empty-state")).to_contain_text("没有找到")
    page.shot("search-nothing-found")
