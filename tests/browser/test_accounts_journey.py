"""A newcomer on a phone: register, log in, switch elder mode, log out; staff verify."""
import re

from playwright.sync_api import expect


def _sizes(page, selector):
    return page.page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.offsetParent !== null).map(e => "
        "[e.outerHTML.slice(0, 60), e.getBoundingClientRect().height, e.getBoundingClientRect().width])",
    )


def test_register_log_out_log_in_and_elder_mode(page):
    p = page.page
    page.goto("/")
    expect(p.locator("h1")).to_have_text("欢迎来到议事厅")
    p.click("header >> text=注册")
    expect(p).to_have_url(re.compile("/auth/register$"))
    page.shot("register")

    p.fill("#phone", "138 0013 8000")
    p.fill("#display_name", "5号楼周阿姨")
    p.fill("#password", "松竹小区2026春")
    p.fill("#confirm", "松竹小区2026春")
    p.select_option("#community", label="青松街道 · 青松社区")
    p.select_option("#compound", label="青松社区 · 松竹小区")
    # Forgetting the consent box keeps everything typed and says what is missing.
    p.click("main button[type=submit]")
    expect(p.locator("#consent-error")).to_have_text("请阅读并同意隐私政策。")
    expect(p.locator("#display_name")).to_have_value("5号楼周阿姨")
    expect(p.locator("#community")).to_have_value(re.compile(r"\d+"))
    p.fill("#password", "松竹小区2026春")
    p.fill("#confirm", "松竹小区2026春")
    p.check("#consent")
    p.click("main button[type=submit]")

    expect(p.locator(".flash")).to_contain_text("注册成功")
    expect(p.locator("h1")).to_have_text("青松社区")
    expect(p.locator(".account-nav")).to_contain_text("5号楼周阿姨")
    page.shot("home-resident", readme="home")

    p.click("text=退出")
    expect(p.locator(".flash")).to_have_text("您已退出登录。")
    expect(p.locator(".account-nav")).to_contain_text("登录")

    page.login("13800138000", "松竹小区2026春")
    expect(p.locator(".account-nav")).to_contain_text("5号楼周阿姨")

    base_size = p.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert base_size >= 16
    p.click("text=长辈模式：已关闭")
    expect(p.locator("html")).to_have_class("elder")
    p.wait_for_load_state()  # the stylesheet too, before measuring
    elder_size = p.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert elder_size >= 20 > base_size
    page.shot("home-elder")
    # Remembered for the user: still on after logging out and in again.
    p.click("text=退出")
    page.login("13800138000", "松竹小区2026春")
    expect(p.locator("html")).to_have_class("elder")
    p.click("text=长辈模式：已开启")
    expect(p.locator("html")).not_to_have_class("elder")


def test_elder_mode_is_remembered_by_the_browser_when_logged_out(page):
    p = page.page
    page.goto("/")
    p.click("text=长辈模式：已关闭")
    page.goto("/auth/login")
    expect(p.locator("html")).to_have_class("elder")
    page.shot("login-elder")



def test_a_resident_reads_a_need_in_elder_mode(page):
    p = page.page
    text_size = "parseFloat(getComputedStyle(document.querySelector('main .prose p')).fontSize)"
    page.login("13900000004")  # 刘桂芳
    page.goto("/needs/?community=1")
    p.click("text=3号楼楼道灯坏了一个多星期")
    expect(p.locator("h1")).to_have_text("3号楼楼道灯坏了一个多星期")  # the need's page, not the list any more
    base_size = p.evaluate(text_size)
    p.click("footer >> text=长辈模式：已关闭")
    expect(p.locator("html")).to_have_class("elder")
    p.wait_for_load_state()  # the stylesheet too, before measuring
    expect(p.locator("footer button[aria-pressed=true]")).to_have_text("长辈模式：已开启")
    expect(p.locator("h1")).to_have_text("3号楼楼道灯坏了一个多星期")  # back on the page she was reading
    assert p.evaluate(text_size) >= max(20, base_size * 1.25)
    small = [s for s in _sizes(page, "main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
                                     "main select, main .button") if s[1] < 44]
    assert small == []
    assert not p.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.shot("need-elder", readme="elder-mode")


def test_wrong_password_is_explained(page):
    p = page.page
    page.login("13900000004", "not-the-password")
    expect(p.locator("#password-error")).to_have_text("手机号或密码不正确。")
    expect(p.locator("#phone")).to_have_value("13900000004")


def test_tap_targets_and_text_are_large_enough_on_a_phone(page):
    p = page.page
    for path in ("/", "/auth/register", "/auth/login"):
        page.goto(path)
        small = [s for s in _sizes(page, "button, input:not([type=hidden]):not([type=checkbox]), select, .button")
                 if s[1] < 44]
        assert small == [], path
        overflow = p.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{path} scrolls sideways on a phone"


def test_staff_find_and_verify_a_resident(page):
    p = page.page
    page.login("13900000001")
    p.click("text=核验居民")
    expect(p.locator("#results")).to_contain_text("孙浩")
    p.select_option("#member-verified", "")
    # htmx filters as staff type, without reloading the page.
    p.evaluate("window.__stayed = true")
    p.fill("#member-q", "刘")
    expect(p.locator("#results")).to_contain_text("刘桂芳")
    expect(p.locator("#results")).not_to_contain_text("孙浩")
    assert p.evaluate("window.__stayed === true"), "the filter reloaded the page instead of using htmx"
    p.fill("#member-q", "")
    p.select_option("#member-verified", "no")
    expect(p.locator("#results")).not_to_contain_text("刘桂芳")
    p.click("#results >> text=孙浩")
    expect(p.locator("h1")).to_have_text("孙浩")
    page.shot("staff-member")
    p.select_option("#compound", label="松竹小区")
    p.fill("#building", "5号楼")
    p.fill("#room", "302")
    p.fill("#floor_area", "72.5")
    p.click("text=确认核验")
    expect(p.locator(".flash")).to_have_text("孙浩 已通过住户核验。")
    expect(p.locator(".facts")).to_contain_text("松竹小区 5号楼 302")
    p.click("text=查看完整号码")
    expect(p.locator(".facts")).to_contain_text("13900000005")


def test_everything_works_with_javascript_off(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    p = context.new_page()
    try:
        p.goto(live_server.url + "/auth/login")
        p.fill("#phone", "13900000001")
        p.fill("#password", "demo-pass-2026")
        p.click("main button[type=submit]")
        expect(p.locator(".account-nav")).to_contain_text("王秀兰")
        p.goto(live_server.url + "/communities/1/members")
        p.fill("#member-q", "孙")
        p.click("text=筛选")
        expect(p).to_have_url(re.compile(r"q=%E5%AD%99"))
        expect(p.locator("#results")).to_contain_text("孙浩")
        expect(p.locator("#results")).not_to_contain_text("刘桂芳")
        p.click("text=长辈模式：已关闭")
        expect(p.locator("html")).to_have_class("elder")
        p.click("text=退出")
        expect(p.locator(".account-nav")).to_contain_text("登录")
    finally:
        context.close()
