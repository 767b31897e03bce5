"""On a phone: a resident comments on a need with htmx (no reload), replies to a neighbour, and staff pin."""
from playwright.sync_api import expect

NEED = "3号楼楼道灯坏了一个多星期"


def _open_need(page):
    p = page.page
    page.goto("/needs/?community=1")
    p.click(f"text={NEED}")
    return p


def test_a_resident_comments_replies_and_staff_pin_the_answer(page):
    p = page.page
    page.login("13900000004")  # 刘桂芳, who raised the need
    _open_need(page)
    expect(p.locator("#comments h2")).to_contain_text("讨论")
    expect(p.locator(".pinned-comments")).to_contain_text("本周六上午 9 点")
    expect(p.locator(".comment .edited").first).to_have_text("已编辑")

    p.evaluate("window.__stayed = true")
    p.fill("#comment-body", "今晚 **8 点**我在楼下等电工师傅。")
    p.click("button:has-text('发表评论')")
    mine = p.locator("ol.comments > li > article.comment", has_text="今晚 8 点我在楼下等电工师傅。")
    expect(mine).to_have_count(1)
    expect(mine.locator("strong", has_text="8 点")).to_have_count(1)
    expect(p.locator("#comment-body")).to_have_value("")
    assert p.evaluate("window.__stayed === true"), "posting the comment reloaded the page"

    neighbour = p.locator("ol.comments > li > article.comment", has_text="我家住 3 号楼 2 单元四楼")
    neighbour.get_by_role("link", name="回复", exact=True).click()
    expect(p.locator(".replying")).to_contain_text("回复 孙浩")
    p.fill("#comment-body", "拐角的杂物今天下午物业已经清走了。")
    p.click("button:has-text('发表回复')")
    thread = p.locator("ol.comments > li", has=p.locator("article", has_text="我家住 3 号楼 2 单元四楼"))
    expect(thread.locator(".replies")).to_contain_text("拐角的杂物今天下午物业已经清走了。")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    page.shot("discussion-resident")
    p.click("text=退出")

    page.login("13900000001")  # 王秀兰, community staff
    _open_need(page)
    mine = p.locator("ol.comments > li > article.comment", has_text="今晚 8 点我在楼下等电工师傅。")
    mine.get_by_role("button", name="置顶", exact=True).click()
    expect(p.locator(".pinned-comments")).to_contain_text("今晚 8 点我在楼下等电工师傅。")
    expect(p.locator(".pinned-comments > li")).to_have_count(2)
    p.locator("#comments").scroll_into_view_if_needed()
    page.shot("discussion-staff")
