"""On a phone: staff open the suggested matches and join a need with a resource."""
from playwright.sync_api import expect


def test_staff_accept_a_suggested_match_into_a_project(page):
    p = page.page
    page.login("13900000001")
    p.click("text=对接建议")
    card = p.locator("section.match").first
    expect(card.locator("mark").first).to_be_visible()
    title = card.locator("h2").inner_text()
    page.shot("matches", readme="matches")
    card.locator("button:has-text('对接')").click()
    expect(p.locator(".flash")).to_contain_text("对接成功")
    expect(p.locator("main")).to_contain_text(title)
    page.shot("matched-project")
