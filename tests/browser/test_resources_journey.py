"""A unit contact on a phone offers a resource and pauses it, offers another and claims a need it can
meet; residents filter the list."""
import re

from playwright.sync_api import expect


def _small_tap_targets(page):
    return page.page.eval_on_selector_all(
        "main button, main input:not([type=hidden]), main select, main .button, main .card-link, .main-nav a",
        "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)"
        ".map(e => e.outerHTML.slice(0, 80))",
    )


def _scrolls_sideways(page) -> bool:
    return page.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_the_school_contact_posts_a_resource_and_pauses_it(page):
    p = page.page
    page.login("13900000003")
    p.click(".main-nav >> text=资源")
    expect(p.locator("h1")).to_have_text("资源")
    page.shot("resources-list")
    p.click("main >> text=发布资源 >> nth=0")
    expect(p.locator("h1")).to_have_text("发布资源")
    expect(p.locator("#unit")).to_have_value(re.compile(r"\d+"))
    p.select_option("#community", label="青松街道 · 青松社区")
    p.select_option("#kind", label="场地")
    p.select_option("#category", label="文体教育")
    p.fill("#title", "借用音乐教室")
    p.fill("#body", "周六上午可借用音乐教室，含**钢琴**一架。\n\n请提前一周预约。")
    p.fill("#capacity", "可容纳40人")
    p.fill("#available_from", "2030-06-01")
    p.fill("#available_until", "2030-03-01")
    page.shot("resources-new")
    assert _small_tap_targets(page) == [] and not _scrolls_sideways(page)

    # A last day before the first is explained, and nothing typed is lost.
    p.click("main button[type=submit]")
    expect(p.locator("#available_until-error")).to_have_text("结束日期不能早于开始日期。")
    expect(p.locator("#title")).to_have_value("借用音乐教室")
    expect(p.locator("#capacity")).to_have_value("可容纳40人")
    page.shot("resources-new-error")
    p.fill("#available_until", "2030-12-31")
    p.click("main button[type=submit]")

    expect(p.locator(".flash")).to_have_text("资源已发布。")
    expect(p.locator("h1")).to_have_text("借用音乐教室")
    expect(p.locator(".badges")).to_contain_text("可用")
    expect(p.locator(".prose strong")).to_have_text("钢琴")
    p.click("text=暂停")
    expect(p.locator(".flash")).to_have_text("资源状态已更新为：暂停。")
    expect(p.locator(".badges")).to_contain_text("暂停")
    expect(p.locator(".timeline")).to_contain_text("暂停")
    page.shot("resources-show-paused")
    assert _small_tap_targets(page) == [] and not _scrolls_sideways(page)

    p.click("text=← 资源")
    expect(p.locator("#results")).not_to_contain_text("借用音乐教室")
    page.goto("/resources/mine")
    expect(p.locator("main")).to_contain_text("借用音乐教室")



def test_the_school_contact_offers_electricians_and_claims_a_need_they_can_meet(page):
    p = page.page
    page.login("13900000003")  # 赵晓梅, contact of 青松路小学
    p.click(".main-nav >> text=资源")
    p.click("main >> text=发布资源 >> nth=0")
    p.select_option("#community", label="青松街道 · 青松社区")
    p.select_option("#kind", "people")
    p.select_option("#category", label="设施维修")
    p.fill("#title", "电工师傅帮忙修楼道灯")
    p.fill("#body", "学校的两位电工老师周日上午有空，可以帮老旧楼栋修楼道灯、换灯泡。")
    p.fill("#capacity", "每周日上午")
    p.click("main button[type=submit]")
    expect(p.locator(".flash")).to_have_text("资源已发布。")

    # The resource's page lists the open needs it could meet, each with a claim button.
    need = p.locator("li.need-card", has_text="3号楼楼道灯坏了一个多星期")
    expect(need.locator("mark").first).to_be_visible()
    need.scroll_into_view_if_needed()
    page.shot("resource-needs-it-could-meet")
    need.get_by_role("button", name="认领这条需求").click()
    expect(p.locator("h1")).to_have_text("3号楼楼道灯坏了一个多星期")
    expect(p.locator(".flash")).to_contain_text("已认领")
    expect(p.locator(".badges")).to_contain_text("已认领")
    expect(p.locator(".facts")).to_contain_text("青松路小学")
    expect(p.locator(".timeline")).to_contain_text("赵晓梅")
    # Now hers to carry out.
    p.click("button:has-text('开始办理')")
    expect(p.locator(".badges")).to_contain_text("办理中")

def test_filters_update_the_list_without_reloading(page):
    p = page.page
    page.goto("/resources/")
    expect(p.locator("#results")).to_contain_text("周末开放操场")
    p.evaluate("window.__stayed = true")
    p.select_option("#f-category", label="法律援助")
    expect(p.locator("#results")).to_contain_text("免费法律咨询")
    expect(p.locator("#results")).not_to_contain_text("周末开放操场")
    expect(p).to_have_url(re.compile(r"category=legal"))
    p.select_option("#f-status", label="已撤回")
    expect(p.locator("#results")).to_contain_text("邻里纠纷调解")
    assert p.evaluate("window.__stayed === true"), "the filter reloaded the page instead of using htmx"
    page.shot("resources-filtered")
    assert _small_tap_targets(page) == [] and not _scrolls_sideways(page)


def test_the_list_filters_with_javascript_off(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    p = context.new_page()
    try:
        p.goto(live_server.url + "/resources/")
        p.select_option("#f-status", label="已过期")
        p.click("main >> text=筛选")
        expect(p).to_have_url(re.compile(r"status=expired"))
        expect(p.locator("#results")).to_contain_text("暑期托管教室")
        expect(p.locator("#results")).to_contain_text("已过期")
    finally:
        context.close()
