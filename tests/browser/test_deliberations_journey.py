"""Deliberations on a phone: a participant answers the invitation and reads the agenda; a moderator
records attendance; staff schedule one; the notice prints on one A4 sheet."""
import re
from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).parent / "screenshots"
# The demo: 1 环境和公共秩序专题居民议事会 (concluded), 2 小区停车位重新规划四方议事会 (in session),
# 3 加装电梯费用分摊方案议事会 (next week).
PAGES = ["/deliberations/", "/deliberations/1", "/deliberations/2", "/deliberations/3", "/deliberations/3/notice",
         "/deliberations/3/edit", "/deliberations/new?community=1"]


def _small_targets(page):
    return page.page.eval_on_selector_all(
        "main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, "
        "main .button, main .activity-title a, main .agenda a, main summary",
        "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)"
        ".map(e => e.outerHTML.slice(0, 80))",
    )


def _option(p, select: str, name: str) -> str:
    """The value of the option naming `name` (options read 李国华（139****0002）)."""
    return p.locator(f"{select} option", has_text=name).first.get_attribute("value")


def test_a_participant_answers_the_invitation_and_reads_the_agenda(page):
    p = page.page
    page.login("13900000004")  # 刘桂芳, 居民代表 in every demo deliberation
    p.click("nav.main-nav >> text=议事")
    expect(p.locator("h1")).to_have_text("议事")
    # Coming and running ones first.
    titles = p.locator("#results .activity-title a").all_inner_texts()
    assert titles[:2] == ["小区停车位重新规划四方议事会", "加装电梯费用分摊方案议事会"]
    page.shot("deliberations-list")

    p.click("#results >> text=加装电梯费用分摊方案议事会")
    expect(p.locator("h1")).to_have_text("加装电梯费用分摊方案议事会")
    expect(p.locator("#rsvp")).to_contain_text("您以“居民代表”身份参会。")
    expect(p.locator("#agenda li")).to_have_count(4)
    expect(p.locator("#agenda")).to_contain_text("一楼住户补偿办法")
    page.shot("deliberation-invited", readme="deliberation")
    p.check("#rsvp input[value=yes]")
    p.click("#rsvp button")
    expect(p.locator(".flash")).to_have_text("已收到您的回复：参加。")
    expect(p.locator(".rsvp-counts")).to_contain_text("参加 4 人")
    expect(p.locator("#participants li:has-text('刘桂芳')")).to_contain_text("参加")
    expect(p.locator("#rsvp input[value=yes]")).to_be_checked()
    expect(p.locator("#rsvp button")).to_have_text("修改回复")

    # The agenda's proposal leads to the proposal.
    p.click("#agenda a")
    expect(p).to_have_url(re.compile(r"/proposals/\d+$"))
    expect(p.locator("h1")).to_have_text("加装电梯费用分摊方案")


def test_a_moderator_records_attendance(page):
    p = page.page
    page.login("13900000002")  # 李国华 moderates the parking deliberation
    page.goto("/deliberations/2")
    expect(p.locator(".deliberation-badge")).to_have_text("进行中")
    expect(p.locator("#attendance summary")).to_have_text("登记出席情况")
    page.shot("deliberation-moderator")
    boxes = p.locator("#attendance input[type=checkbox]")
    expect(boxes).to_have_count(7)
    # Ticked to begin with: those who said they would come; 赵晓梅 (待定) and 刘桂芳 (no answer) are not.
    p.uncheck("#attendance li:has-text('马志强') input")
    p.check("#attendance li:has-text('刘桂芳') input")
    p.click("text=保存出席情况")
    expect(p.locator(".flash")).to_have_text("出席情况已登记。")
    expect(p.locator("#attendance")).to_contain_text("出席（5 人）")
    expect(p.locator("#attendance")).to_contain_text("缺席（2 人）：马志强、赵晓梅")
    expect(p.locator("#attendance summary")).to_have_text("更正出席情况")
    page.shot("deliberation-attendance")


def test_staff_schedule_a_deliberation_on_a_phone(page):
    p = page.page
    page.login("13900000001")
    page.goto("/deliberations/")
    p.click("main a[href^='/deliberations/new']")
    expect(p.locator("h1")).to_have_text("安排一场议事")
    p.select_option("#kind", label="评议会")
    p.fill("#title", "老年助餐点服务评议会")
    p.fill("#starts_at", "2030-03-05T14:30")
    p.fill("#agenda", "主持人说明评议规则\n社区老年食堂开设助餐点\n填写评议表")
    p.check("input[name=proposals]")  # 社区老年食堂开设助餐点, the one proposal waiting
    p.select_option("#participants-0-user", _option(p, "#participants-0-user", "李国华"))
    p.fill("#participants-0-seat", "居民代表")
    p.select_option("#participants-1-user", _option(p, "#participants-1-user", "赵晓梅"))
    p.fill("#participants-1-seat", "驻区单位")
    p.click("main button[type=submit]")
    expect(p.locator(".error-summary")).to_be_visible()
    expect(p.locator("main")).to_contain_text("请填写会议地点或线上会议链接（也可以都填）。")
    expect(p.locator("#title")).to_have_value("老年助餐点服务评议会")
    expect(p.locator("#participants-1-seat")).to_have_value("驻区单位")
    p.fill("#place", "青松社区老年活动室")
    p.click("main button[type=submit]")
    expect(p.locator("main")).to_contain_text("请至少勾选一位参会人员担任主持人。")
    page.shot("deliberation-new-error")
    p.check("#participants-0-is_moderator")
    p.click("main button[type=submit]")
    expect(p.locator(".flash")).to_have_text("议事已安排，已通知全体参会人员。")
    expect(p.locator("h1")).to_have_text("老年助餐点服务评议会")
    expect(p.locator(".facts")).to_contain_text("2030-03-05 周二 14:30")
    expect(p.locator("#agenda li")).to_have_text(["主持人说明评议规则", "社区老年食堂开设助餐点", "填写评议表"])
    expect(p.locator("#proposals")).to_contain_text("社区老年食堂开设助餐点")


def test_the_notice_prints_on_one_a4_sheet(page):
    p = page.page
    page.goto("/deliberations/3/notice")
    expect(p.locator(".notice-sheet h1")).to_have_text("会议通知")
    page.shot("deliberation-notice")
    p.emulate_media(media="print")
    p.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    SCREENSHOTS.mkdir(exist_ok=True)
    p.screenshot(path=str(SCREENSHOTS / "deliberation-notice-print.png"), full_page=True)
    assert not p.locator(".site-header").is_visible() and not p.locator(".notice-actions").is_visible()
    pdf = p.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOTS / "deliberation-notice.pdf").write_bytes(pdf)
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) == 1, "the notice spills onto a second sheet"
    box = [float(n) for n in re.search(rb"/MediaBox\s*\[([^\]]+)\]", pdf).group(1).split()]
    assert round(box[2] / 72 * 25.4) == 210 and round(box[3] / 72 * 25.4) == 297  # A4 in mm


def test_deliberation_pages_fit_a_phone(page):
    p = page.page
    page.login("13900000001")
    for elder in (False, True):
        if elder:
            p.click("text=长辈模式：已关闭")
        for path in PAGES:
            page.goto(path)
            assert _small_targets(page) == [], (path, elder)
            overflow = p.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{path} scrolls sideways on a phone (elder mode {elder})"
    page.goto("/deliberations/new?community=1")
    page.shot("deliberation-new-elder")
    page.goto("/deliberations/1")
    page.shot("deliberation-concluded-elder")


def test_the_filter_works_with_javascript_off(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    p = context.new_page()
    try:
        p.goto(live_server.url + "/deliberations/")
        p.select_option("#f-status", "scheduled")
        p.click("text=筛选")
        expect(p).to_have_url(re.compile(r"status=scheduled"))
        expect(p.locator("#results")).to_contain_text("加装电梯费用分摊方案议事会")
        expect(p.locator("#results")).not_to_contain_text("小区停车位重新规划四方议事会")
    finally:
        context.close()
