"""On a phone: a resident reports a comment, the moderator hides it from the queue, and its author sees why."""
from playwright.sync_api import expect

NEED = "3号楼楼道灯坏了一个多星期"
COMMENT = "我家住 3 号楼 2 单元四楼"  # 孙浩's comment in the demo discussion


def _comment(p):
    return p.locator("ol.comments > li > article.comment", has_text=COMMENT)


def _open_need(page):
    page.goto("/needs/?community=1")
    page.page.click(f"text={NEED}")


def test_a_reported_comment_is_hidden_by_the_moderator_and_its_author_sees_why(page):
    p = page.page
    page.login("13900000004")  # 刘桂芳, a verified resident
    _open_need(page)
    _comment(p).get_by_role("link", name="举报", exact=True).click()
    expect(p.locator("h1")).to_have_text("举报")
    p.get_by_label("辱骂攻击", exact=True).check()
    p.fill("#note", "说邻居家的老人不好，太难听了。")
    page.shot("moderation-report")
    p.click("button:has-text('提交举报')")
    expect(p.locator(".flash")).to_contain_text("谢谢您的举报")
    p.click("text=退出")

    page.login("13900000002")  # 李国华, moderator of 青松社区
    nav = p.locator(".main-nav")
    nav.get_by_role("link", name="审核").click()
    expect(p.locator("h1")).to_have_text("举报与审核")
    case = p.locator("li.case", has_text=COMMENT)
    expect(case).to_contain_text("辱骂攻击")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    page.shot("moderation-queue")
    case.get_by_role("link", name="处理").click()
    expect(p.locator("section", has_text="举报").first).to_contain_text("说邻居家的老人不好")
    p.fill("#hide-reason", "评论含有对邻居的人身攻击。")
    page.shot("moderation-case")
    p.click("button:has-text('隐藏')")
    expect(p.locator(".flash")).to_contain_text("内容已隐藏")
    p.click("text=退出")

    _open_need(page)  # a visitor sees only the placeholder
    expect(p.locator("#comments")).to_contain_text("此评论已被隐藏")
    expect(p.locator("#comments")).not_to_contain_text(COMMENT)

    page.login("13900000005")  # 孙浩, its author
    _open_need(page)
    banner = _comment(p).locator(".moderation-notice")
    expect(banner).to_contain_text("已隐藏")
    expect(banner).to_contain_text("评论含有对邻居的人身攻击。")
    _comment(p).scroll_into_view_if_needed()
    page.shot("moderation-author")
    banner.get_by_role("button", name="申请复核").click()
    expect(p.locator(".flash")).to_contain_text("已提交复核申请")
    expect(_comment(p).locator(".moderation-notice")).to_contain_text("您已申请复核")
