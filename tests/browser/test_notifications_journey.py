"""A resident on a phone sees the bell's count, opens the list, follows one, and the count drops."""
import re

from playwright.sync_api import expect

from forum.accounts.services import find_by_phone
from forum.core.i18n import N_
from forum.extensions import db
from forum.notifications.services import mark_all_read, notify

RESIDENT = "13900000004"


def _notify_resident(app, count):
    with app.app_context():
        resident, staff = find_by_phone(RESIDENT), find_by_phone("13900000001")
        resident.display_name = "松竹小区5号楼302室刘桂芳阿姨"  # a long name must not break the header
        mark_all_read(resident)  # what the demo data already told her
        for n in range(count):
            notify([resident], N_("%(name)s is now a verified resident."), "/profile",
                   actor=staff, name=f"邻居{n}")
        db.session.commit()
        db.session.remove()


def _header_fits(p):
    """The brand, the bell, the name and 退出 sit on one line of a 390px screen; bell ≥ 44px."""
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = [p.locator(sel).bounding_box() for sel in
             (".account-nav .bell", ".account-nav a[href='/profile']", ".account-nav button")]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 4, boxes
    assert boxes[0]["width"] >= 44 and boxes[0]["height"] >= 44
    assert p.locator(".site-header .bar").bounding_box()["height"] < 70  # nothing wrapped


def test_bell_count_list_and_following_a_notification(page, live_server):
    p = page.page
    _notify_resident(live_server.app, 3)
    page.login(RESIDENT)
    bell = p.locator(".account-nav .bell")
    expect(bell).to_have_attribute("aria-label", "3 条未读通知")
    expect(bell.locator(".bell-count")).to_have_text("3")
    _header_fits(p)
    page.shot("notifications-bell")

    bell.click()
    expect(p).to_have_url(re.compile("/notifications/$"))
    expect(p.locator("h1")).to_have_text("通知")
    expect(p.locator(".notifications li.unread")).to_have_count(3)
    page.shot("notifications-list")

    p.click("text=邻居2 已通过住户核验。")
    expect(p).to_have_url(re.compile("/profile$"))
    expect(bell).to_have_attribute("aria-label", "2 条未读通知")
    expect(bell.locator(".bell-count")).to_have_text("2")

    p.click("text=长辈模式：已关闭")
    expect(p.locator("html")).to_have_class("elder")
    _header_fits(p)
    bell.click()
    expect(p.locator(".notifications li.unread")).to_have_count(2)
    page.shot("notifications-list-elder")
    p.click("text=全部标为已读")
    expect(p.locator(".flash")).to_have_text("所有通知已标为已读。")
    expect(bell.locator(".bell-count")).to_have_count(0)
    expect(bell).to_have_attribute("aria-label", "通知")
