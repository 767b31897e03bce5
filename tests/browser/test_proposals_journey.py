"""On a phone: a verified resident finds a proposal, supports it (附议) without a reload, and undoes it;
staff see what they can do with a proposal past its threshold."""
from playwright.sync_api import expect


def test_a_resident_supports_a_proposal_and_takes_it_back(page):
    p = page.page
    page.login("13900000004")  # 刘桂芳, verified resident of 青松社区
    p.click("nav.main-nav >> text=议题")
    expect(p.locator("h1")).to_have_text("议题")
    card = p.locator(".proposal-card", has_text="社区卫生服务站增加周末门诊")
    expect(card).to_contain_text("附议 3 / 10 人")
    expect(card).to_contain_text("还剩 20 天")
    page.shot("proposals-list")
    card.locator("a").click()
    expect(p.locator("h1")).to_have_text("社区卫生服务站增加周末门诊")
    expect(p.locator(".support-count")).to_contain_text("附议 3 / 10 人")
    expect(p.locator("progress")).to_have_attribute("value", "3")
    p.evaluate("window.__stayed = true")
    p.click("#support button")
    expect(p.locator(".support-count")).to_contain_text("附议 4 / 10 人")
    expect(p.locator("#support button")).to_have_text("已附议 ✓（撤回）")
    expect(p.locator("progress")).to_have_attribute("value", "4")
    assert p.evaluate("window.__stayed === true"), "supporting reloaded the page"
    page.shot("proposal-supported", readme="proposal")
    p.click("#support button")
    expect(p.locator(".support-count")).to_contain_text("附议 3 / 10 人")
    expect(p.locator("#support button")).to_have_text("附议")
    assert p.evaluate("window.__stayed === true"), "undoing reloaded the page"
    p.reload()
    expect(p.locator(".support-count")).to_contain_text("附议 3 / 10 人")


def test_a_resident_saves_a_draft_then_submits_it(page):
    p = page.page
    page.login("13900000004")
    p.goto(page.base_url + "/proposals/")
    p.click("text=提议题")
    p.fill("#title", "灯")
    p.fill("#body", "小区东门的路灯坏了三个月，晚上接孩子的家长看不清路，建议尽快修好并加装两盏。")
    p.select_option("#category", "facilities")
    p.click("button:has-text('存为草稿')")
    expect(p.locator("#title-error")).to_contain_text("标题需要 4 到 60 个字")
    expect(p.locator("#body")).to_have_value("小区东门的路灯坏了三个月，晚上接孩子的家长看不清路，建议尽快修好并加装两盏。")
    p.fill("#title", "东门路灯维修")
    page.shot("proposal-new")
    p.click("button:has-text('存为草稿')")
    expect(p.locator(".badges")).to_contain_text("草稿")
    p.click("button:has-text('提交并征集附议')")
    expect(p.locator(".badges")).to_contain_text("征集附议中")
    expect(p.locator(".support-count")).to_contain_text("附议 0 / 10 人 · 还剩 30 天")
    expect(p.locator(".timeline li")).to_have_count(2)


def test_an_unverified_resident_is_told_why_he_cannot_support(page):
    p = page.page
    page.login("13900000005")  # 孙浩, not yet verified
    p.goto(page.base_url + "/proposals/?community=1&status=collecting")
    p.click("text=社区卫生服务站增加周末门诊")
    expect(p.locator("#support")).to_contain_text("只有青松社区已核验的居民才能附议")
    expect(p.locator("#support button")).to_have_count(0)


def test_staff_see_the_take_up_and_decline_forms_past_the_threshold(page):
    p = page.page
    page.login("13900000001")  # 王秀兰, staff of 青松社区
    p.goto(page.base_url + "/proposals/?community=1&status=threshold_met")
    p.click("text=社区老年食堂开设助餐点")
    expect(p.locator(".badges")).to_contain_text("已达附议门槛")
    expect(p.locator("h2", has_text="您可以")).to_be_visible()
    p.click("summary:has-text('不予立项')")
    p.click("button:has-text('以此理由不予立项')")
    expect(p.locator(".error")).to_contain_text("请写明不予立项的理由")
    page.shot("proposal-staff-steps")
    p.goto(page.base_url + "/proposals/")
    p.fill("#proposal_threshold", "12")
    p.click("#proposal-settings button")
    expect(p.locator(".flash")).to_contain_text("设置已保存")
    expect(p.locator("#proposal_threshold")).to_have_value("12")
    page.shot("proposals-settings")
