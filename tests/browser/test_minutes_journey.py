"""Minutes on a phone: the moderator drafts, an attendee comments, the moderator revises, staff
approve, the moderator publishes; a correction's differences and the printed A4 page read well."""
import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from forum.accounts.services import find_by_phone
from forum.core.models import utcnow
from forum.deliberations.models import AgendaItem, Deliberation, Participant
from forum.extensions import db
from forum.minutes.models import MinutesVersion

STAFF, COUNCIL, RESIDENT, SCHOOL = "13900000001", "13900000002", "13900000004", "13900000003"
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _concluded_meeting(app) -> int:
    """Last night's meeting on e-bikes charging in the stairwells: 李国华 moderated, 刘桂芳 came,
    赵晓梅 (青松路小学) sent apologies."""
    with app.app_context():
        council, resident, school = find_by_phone(COUNCIL), find_by_phone(RESIDENT), find_by_phone(SCHOOL)
        meeting = Deliberation(
            community=council.memberships[0].community, created_by_id=find_by_phone(STAFF).id,
            kind="residents_council", title="楼道电动车充电问题议事会", description="", description_html="",
            starts_at=utcnow() - timedelta(hours=20), place="青松社区党群服务中心二楼会议室", status="concluded",
            participants=[Participant(user_id=council.id, seat="居民代表", is_moderator=True, attended=True),
                          Participant(user_id=resident.id, seat="居民代表", attended=True),
                          Participant(user_id=school.id, seat="驻区单位", attended=False)],
            agenda=[AgendaItem(position=1, title="楼道内电动车充电的安全隐患"),
                    AgendaItem(position=2, title="集中充电桩选址")])
        db.session.add(meeting)
        db.session.commit()
        meeting_id = meeting.id
        db.session.remove()
        return meeting_id


def _end_comment_period(app, meeting_id):
    """Three days pass."""
    with app.app_context():
        version = db.session.scalar(db.select(MinutesVersion).where(MinutesVersion.deliberation_id == meeting_id))
        version.comments_open_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()


def _switch_to(page, phone):
    """Log out whoever is logged in, and log in as `phone`."""
    page.page.click(".account-nav form[action='/auth/logout'] button")
    page.page.wait_for_load_state()
    page.login(phone)


def _small_targets(p):
    return p.eval_on_selector_all(
        "main button, main input:not([type=hidden]), main textarea, main .button, main summary",
        "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)"
        ".map(e => e.outerHTML.slice(0, 80))")


def test_minutes_are_drafted_commented_revised_approved_and_published(page, live_server):
    p = page.page
    meeting = _concluded_meeting(live_server.app)
    page.login(COUNCIL)
    page.goto(f"/deliberations/{meeting}/minutes")
    expect(p.locator("main")).to_contain_text("会议纪要尚未发布")
    p.click("text=起草会议纪要")
    expect(p.locator("main")).to_contain_text("刘桂芳（居民代表）")
    p.fill("#summary", "与会代表一致认为楼道充电隐患大，同意在小区内建设集中充电桩。")
    p.fill("#agenda-0-discussion", "刘桂芳反映 3 号楼楼道常有电动车飞线充电，夜里很不安全。")
    p.fill("#agenda-0-decision", "即日起禁止在楼道内充电，由物业每周巡查。")
    p.fill("#agenda-1-decision", "在北门自行车棚旁建设集中充电桩。")
    p.fill("#action_items-0-task", "联系供电所确认充电桩用电容量")
    p.fill("#action_items-0-owner", "王秀兰")
    p.fill("#action_items-0-due", "2026-12-20")
    assert _small_targets(p) == []
    page.shot("minutes-draft-form")
    p.click("main button[type=submit]")
    expect(p.locator(".flash")).to_contain_text("草稿已保存")
    p.click("#steps button:has-text('向出席人员征求意见')")
    expect(p.locator(".minutes-head .badge")).to_have_text("征求意见中")

    _switch_to(page, RESIDENT)
    page.goto(f"/deliberations/{meeting}/minutes/versions/1")
    p.fill("#body", "决定里请写明是**3 号楼**先试行巡查。")
    p.click("text=提交意见")
    expect(p.locator("#comments")).to_contain_text("3 号楼")
    page.shot("minutes-commenting")

    _end_comment_period(live_server.app, meeting)
    _switch_to(page, COUNCIL)
    page.goto(f"/deliberations/{meeting}/minutes/versions/1")
    p.click("text=根据意见修订")
    p.fill("#agenda-0-decision", "即日起禁止在楼道内充电，由物业每周巡查，3 号楼先行试点。")
    p.click("text=修订并提交审核")
    expect(p.locator(".minutes-head .badge")).to_have_text("待审核")
    expect(p.locator("main")).not_to_contain_text("审核通过")  # not for whoever wrote them

    _switch_to(page, STAFF)
    page.goto(f"/deliberations/{meeting}/minutes/versions/1")
    page.shot("minutes-approval")
    p.click("#steps button:has-text('审核通过')")
    expect(p.locator(".flash")).to_contain_text("审核通过")

    _switch_to(page, COUNCIL)
    page.goto(f"/deliberations/{meeting}/minutes/versions/1")
    p.click("#steps button:has-text('发布会议纪要')")
    expect(p.locator(".flash")).to_contain_text("会议纪要已发布")
    page.goto(f"/deliberations/{meeting}/minutes")
    expect(p.locator("#minutes")).to_contain_text("3 号楼先行试点")
    expect(p.locator("#minutes")).to_contain_text("审核人")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    page.shot("minutes-published", readme="minutes")


def test_a_correction_shows_what_changed_and_the_minutes_print_on_a4(page, browser, live_server):
    p = page.page
    with live_server.app.app_context():
        demo_meeting = db.session.scalar(db.select(MinutesVersion.deliberation_id).where(MinutesVersion.number == 2))
        db.session.remove()
    assert demo_meeting is not None, "the demo has a corrected version of its minutes"
    page.goto(f"/deliberations/{demo_meeting}/minutes")
    expect(p.locator(".minutes-correction")).to_contain_text("马志强")
    page.shot("minutes-corrected")
    p.click("text=查看改动")
    expect(p.locator(".minutes-diff del")).to_contain_text("马志刚")
    expect(p.locator(".minutes-diff ins")).to_contain_text("马志强")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    page.shot("minutes-diff")
    page.goto(f"/deliberations/{demo_meeting}/minutes/versions/1")
    expect(p.locator("main")).to_contain_text("本版已被第 2 版更正")
    page.shot("minutes-superseded")

    page.goto(f"/deliberations/{demo_meeting}/minutes/print")
    expect(p.locator("nav")).to_have_count(0)
    page.shot("minutes-print-screen")
    printer = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    printer.goto(f"{live_server.url}/deliberations/{demo_meeting}/minutes/print")
    pdf = printer.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOTS / "minutes-print.pdf").write_bytes(pdf)
    sizes = [tuple(float(n) for n in box.split()[2:]) for box in re.findall(rb"/MediaBox \[([^\]]+)\]", pdf)]
    assert sizes and all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in sizes), sizes  # A4 in points
    printer.emulate_media(media="print")
    printer.screenshot(path=str(SCREENSHOTS / "minutes-print-media.png"), full_page=True)
    printer.close()
