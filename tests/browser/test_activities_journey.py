"""Activities on a phone: a resident signs up and finds it under 我的活动; staff confirm attendance."""
import re

from playwright.sync_api import expect

ACTIVITY_PAGES = ["/activities/", "/activities/mine", "/activities/new", "/activities/1", "/activities/3",
                  "/activities/units/1"]


def _small_targets(page):
    return page.page.eval_on_selector_all(
        "main button, main input:not([type=hidden]):not([type=checkbox]), main select, main .button, "
        "main .activity-title a",
        "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)"
        ".map(e => e.outerHTML.slice(0, 80))",
    )


def test_a_resident_signs_up_and_finds_it_under_my_activities(page):
    p = page.page
    page.login("13900000004")
    p.click("nav.main-nav >> text=活动")
    expect(p.locator("h1")).to_have_text("活动")
    # htmx filters without reloading the page.
    p.evaluate("window.__stayed = true")
    p.select_option("#f-community", label="翠湖社区")
    expect(p.locator("#results")).to_contain_text("亲子阅读会")
    expect(p.locator("#results")).not_to_contain_text("社区环境清洁日")
    expect(p).to_have_url(re.compile(r"community=2"))
    assert p.evaluate("window.__stayed === true"), "the filter reloaded the page instead of using htmx"
    p.select_option("#f-community", label="青松社区")
    expect(p.locator("#results")).to_contain_text("社区环境清洁日")
    page.shot("activities-list")

    p.click("#results >> text=社区环境清洁日")
    expect(p.locator("h1")).to_have_text("社区环境清洁日")
    expect(p.locator("#signup")).to_contain_text("还剩 28 个名额。")
    page.shot("activity-open")
    p.click("#signup button:has-text('报名')")
    expect(p.locator(".flash")).to_have_text("报名成功，到时见！")
    expect(p.locator("#signup")).to_contain_text("您已报名，到时见！")
    expect(p.locator(".facts")).to_contain_text("已报名 3 / 30 人")

    page.goto("/activities/")
    p.click("text=我的活动和志愿服务时长")
    expect(p.locator("h1")).to_have_text("我的活动")
    expect(p.locator(".activity-total")).to_contain_text("3 小时")
    expect(p.locator(".activity-list")).to_contain_text("社区环境清洁日")
    expect(p.locator(".activity-list")).to_contain_text("重阳节敬老义诊")
    page.shot("activities-mine")


def test_a_full_activity_says_so(page):
    p = page.page
    page.login("13900000004")
    page.goto("/activities/?status=open")
    p.click("#results >> text=老年人智能手机课堂")
    expect(p.locator(".activity-badge")).to_have_text("已满")
    expect(p.locator("#signup")).to_contain_text("名额已满")
    expect(p.locator("#signup button")).to_have_count(0)


def test_staff_confirm_attendance_and_hours(page):
    p = page.page
    page.login("13900000001")
    page.goto("/activities/?status=closed")
    p.click("#results >> text=冬季消防安全巡查")
    expect(p.locator("#attendance")).to_contain_text("刘桂芳")
    page.shot("activity-attendance")
    p.uncheck("#attendance label:has-text('李国华') >> xpath=preceding-sibling::input")
    p.fill("#attendance input[type=number] >> nth=0", "2.5")
    p.click("text=确认出勤并记录时长")
    expect(p.locator(".flash")).to_have_text("出勤已确认，志愿服务时长已记录。")
    expect(p.locator(".activity-badge")).to_have_text("已结束")
    expect(p.locator(".facts")).to_contain_text("到场 1 人")
    expect(p.locator(".facts")).to_contain_text("共 2.5 小时")
    expect(p.locator(".timeline")).to_contain_text("确认出勤和志愿服务时长")
    page.shot("activity-done")


def test_a_unit_contact_publishes_an_activity(page):
    p = page.page
    page.login("13900000003")
    page.goto("/activities/")
    p.click("text=发布活动")
    p.fill("#title", "寒假作业答疑")
    p.select_option("#community", label="青松社区")
    p.fill("#starts_at", "2030-01-20T14:00")
    p.fill("#ends_at", "2030-01-20T13:00")
    p.fill("#place", "青松路小学图书室")
    p.fill("#capacity", "10")
    p.click("main button[type=submit]")
    expect(p.locator("#ends_at-error")).to_have_text("结束时间必须晚于开始时间。")
    expect(p.locator("#title")).to_have_value("寒假作业答疑")
    page.shot("activity-new-error")
    p.fill("#ends_at", "2030-01-20T16:00")
    p.click("main button[type=submit]")
    expect(p.locator(".flash")).to_have_text("活动已发布，现在可以报名了。")
    expect(p.locator(".facts")).to_contain_text("2030-01-20 周日 14:00–16:00")
    expect(p.locator(".facts")).to_contain_text("青松路小学")


def test_activity_pages_fit_a_phone(page):
    p = page.page
    page.login("13900000001")
    for path in ACTIVITY_PAGES:
        page.goto(path)
        assert _small_targets(page) == [], path
        overflow = p.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{path} scrolls sideways on a phone"
    page.goto("/activities/new")
    page.shot("activity-new")
    p.click("text=长辈模式：已关闭")
    for path in ACTIVITY_PAGES:
        page.goto(path)
        assert _small_targets(page) == [], f"{path} in elder mode"
        overflow = p.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{path} scrolls sideways on a phone in elder mode"
    page.goto("/activities/3")  # 冬季消防安全巡查: the attendance form
    page.shot("activity-attendance-elder")


def test_the_activity_filter_works_with_javascript_off(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    p = context.new_page()
    try:
        p.goto(live_server.url + "/activities/")
        p.select_option("#f-status", "cancelled")
        p.click("text=筛选")
        expect(p).to_have_url(re.compile(r"status=cancelled"))
        expect(p.locator("#results")).to_contain_text("法律咨询进社区")
        expect(p.locator("#results")).not_to_contain_text("社区环境清洁日")
    finally:
        context.close()
