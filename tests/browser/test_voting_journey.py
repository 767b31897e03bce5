"""Voting on a phone: a council member casts an open vote and reads the result once it has closed."""
from datetime import timedelta

from playwright.sync_api import expect

from forum.core.models import utcnow
from forum.extensions import db


def _small_targets(page):
    return page.page.eval_on_selector_all(
        "main button, main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), main select, main .button, main .poll-title a, "
        "main .ballot-option, main .poll-links a",
        "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)"
        ".map(e => e.outerHTML.slice(0, 80))",
    )


def _time_passes(live_server, poll_id):
    """The poll's closing time comes (the site closes it when someone next looks)."""
    from forum.voting.models import Poll

    with live_server.app.app_context():
        poll = db.session.get(Poll, poll_id)
        poll.closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()


def test_a_council_member_votes_on_a_phone_and_sees_the_result_after_the_close(page, live_server):
    p = page.page
    page.login("13900000002")
    page.goto("/polls/?community=1")
    expect(p.locator("h1")).to_have_text("表决")
    page.shot("polls-list")
    p.click("#results >> text=是否同意议题《小区停车位重新规划》？")
    expect(p.locator("h1")).to_have_text("是否同意议题《小区停车位重新规划》？")
    expect(p.locator(".poll-rules")).to_contain_text("议事会：本次议事的参会成员")
    expect(p.locator(".poll-rules")).to_contain_text("记名")
    expect(p.locator("#result")).to_contain_text("结果将在投票结束")
    assert _small_targets(page) == []
    page.shot("poll-council-open", readme="vote", at="#vote")

    p.click("#vote label:has-text('赞成')")
    p.click("#vote button:has-text('投票')")
    expect(p.locator(".flash")).to_have_text("投票成功，谢谢您！")
    expect(p.locator("#vote")).to_contain_text("您已投票。")
    expect(p.locator("#vote")).to_contain_text("您投的是： 赞成")
    expect(p.locator("#vote button")).to_have_count(0)
    page.shot("poll-council-voted")

    poll_id = int(p.url.split("/polls/")[1].split("#")[0])
    _time_passes(live_server, poll_id)
    page.goto(f"/polls/{poll_id}")
    expect(p.locator(".badges")).to_contain_text("已截止")
    expect(p.locator(".poll-verdict")).to_have_text("已通过")
    expect(p.locator(".poll-sentence")).to_contain_text("投票 4 人，应投票 7 人，投票率 57.1%")
    expect(p.locator(".poll-sentence")).to_contain_text("赞成 3 票，占投票数 75.0%")
    expect(p.locator(".poll-table")).to_contain_text("弃权")
    expect(p.locator("svg.poll-chart rect.chart-online")).to_have_count(2)
    assert _small_targets(page) == []
    page.shot("poll-council-result")

    p.click("text=记名投票明细")
    expect(p.locator(".ballot-table")).to_contain_text("李国华")
    page.shot("poll-council-roll-call")
    page.goto("/proposals/2")
    expect(p.locator("main")).to_contain_text("超过投票数的半数，通过")


def test_a_resident_votes_in_a_secret_consultation_and_checks_the_receipt_after_the_close(page, live_server):
    p = page.page
    page.login("13900000004")
    page.goto("/polls/?community=1")
    p.click("#results >> text=社区老年助餐点选在哪里？")
    expect(p.locator(".poll-rules")).to_contain_text("无记名")
    p.click("#vote label:has-text('青松苑南门原便利店')")
    p.click("#vote button:has-text('投票')")
    expect(p.locator("#vote")).to_contain_text("您已投票。")
    receipt = p.locator(".receipt-code").inner_text()
    expect(p.locator("#vote")).not_to_contain_text("您投的是")
    page.shot("poll-secret-voted")

    poll_id = int(p.url.split("/polls/")[1].split("#")[0])
    _time_passes(live_server, poll_id)
    page.goto(f"/polls/{poll_id}")
    expect(p.locator(".poll-sentence")).to_contain_text("“青松苑南门原便利店（离老人最近）”得票最多")
    p.click("#result a:has-text('公示的选票')")
    p.fill("#receipt", receipt.lower().replace("-", " "))
    p.click("button:has-text('核对')")
    expect(p.locator("main .flash")).to_contain_text(f"您的选票 {receipt} 已计入：")
    expect(p.locator("main .flash")).to_contain_text("青松苑南门原便利店")
    page.shot("poll-secret-receipt-checked")


def test_staff_set_up_a_consultation_on_a_phone(page):
    p = page.page
    page.login("13900000001")
    page.goto("/polls/?community=1")
    p.click("text=发起民意征集")
    expect(p.locator("h1")).to_have_text("发起表决")
    p.fill("#title", "青松苑是否加装充电棚？")
    p.fill("#quorum_percent", "120")
    p.click("button:has-text('发起表决')")
    expect(p.locator("#quorum_percent-error")).to_have_text("请填写 0 到 100 之间的数字。")
    expect(p.locator("#title")).to_have_value("青松苑是否加装充电棚？")
    assert _small_targets(page) == []
    page.shot("poll-new-errors")
    p.fill("#quorum_percent", "30")
    p.click("button:has-text('发起表决')")
    expect(p.locator(".flash")).to_contain_text("表决已发起。")
    expect(p.locator(".poll-rules")).to_contain_text("应投票人数的 30% 以上参加投票方为有效")


def test_a_resident_whose_household_has_voted_reads_the_double_majority_result(page):
    p = page.page
    page.login("13900000204")  # 王淑芬, who shares 青松苑 2号楼 101 with 郑志强
    page.goto("/polls/?community=1")
    p.click("#results >> text=是否同意将垃圾分类投放点搬到北侧围墙边？")
    expect(p.locator("#vote")).to_contain_text("您家（青松苑 2号楼 101）已经投过票了：由郑志强投出。")
    expect(p.locator(".poll-sentence")).to_contain_text("赞成 6 户，占总户数 66.7%；赞成面积占 67.8%")
    expect(p.locator(".poll-sentence")).to_contain_text("其中纸质票 1 张")
    expect(p.locator(".poll-table")).to_contain_text("68.50 m²")
    assert _small_targets(page) == []
    page.shot("poll-household-result")
