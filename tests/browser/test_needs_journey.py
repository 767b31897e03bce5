"""On a phone: a resident posts a need with a photo; staff take it to resolved; she rates it."""
from io import BytesIO

from PIL import Image
from playwright.sync_api import expect


def _photo(tmp_path):
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (31.0, 13.0, 45.0)
    path = tmp_path / "楼道.jpg"
    out = BytesIO()
    Image.new("RGB", (1600, 1200), (90, 90, 120)).save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_a_need_with_a_photo_from_post_to_rated(page, tmp_path):
    p = page.page
    page.login("13900000005")  # 孙浩, not yet verified: his need waits for review
    p.click("nav.main-nav >> text=需求")
    expect(p.locator("h1")).to_have_text("需求")
    page.shot("needs-list", readme="needs", full_page=True)
    p.click("text=提需求")
    p.fill("#title", "5号楼电梯按钮失灵")
    p.fill("#body", "电梯里 **6 楼**的按钮按了没反应，老人只能走楼梯。")
    p.select_option("#category", "facilities")
    p.check("input[name=urgency][value='2']")
    p.fill("#location", "5号楼1单元")
    p.set_input_files("#photos", str(_photo(tmp_path)))
    page.shot("need-new")
    p.click("main button[type=submit]")
    expect(p.locator(".flash")).to_contain_text("社区工作者会尽快审核")
    expect(p.locator("h1")).to_have_text("5号楼电梯按钮失灵")
    expect(p.locator(".badges")).to_contain_text("待审核")
    thumb = p.locator(".photos img")
    expect(thumb).to_have_count(1)
    # The thumbnail is lazy: wait for it to finish loading; a broken image never gets a width.
    p.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=5000)
    need_url = p.url
    p.click("text=退出")

    page.login("13900000001")  # staff
    p.goto(need_url)
    p.click("button:has-text('审核通过')")
    expect(p.locator(".badges")).to_contain_text("已公开")
    p.click("button:has-text('认领（由我们来办）')")
    p.click("button:has-text('开始办理')")
    expect(p.locator(".badges")).to_contain_text("办理中")
    p.fill("#note", "已联系电梯维保公司更换按钮面板。")
    p.click("button:has-text('标记为已解决')")
    expect(p.locator(".badges")).to_contain_text("已解决")
    expect(p.locator(".timeline li")).to_have_count(5)
    page.shot("need-resolved")
    p.click("text=退出")

    page.login("13900000005")
    p.goto(need_url)
    expect(p.locator(".notice.ok")).to_contain_text("更换按钮面板")
    p.check("input[name=score][value='5']")
    p.fill("#comment", "修得很快")
    p.click("button:has-text('提交评价')")
    expect(p.locator(".badges")).to_contain_text("已办结")
    # The bell told him about each step.
    expect(p.locator(".account-nav")).to_contain_text("孙浩")


def test_support_button_counts_without_reloading(page):
    p = page.page
    page.login("13900000004")
    p.goto(page.base_url + "/needs/?community=1")
    p.click("text=3号楼楼道灯坏了一个多星期")
    expect(p.locator("#support button")).to_have_count(0)  # no support button on her own need
    p.click("text=退出")
    page.login("13900000001")
    p.goto(page.base_url + "/needs/?community=1")
    p.click("text=3号楼楼道灯坏了一个多星期")
    expect(p.locator(".support-count")).to_have_text("2 位邻居也需要")
    p.evaluate("window.__stayed = true")
    p.click("#support button")
    expect(p.locator(".support-count")).to_have_text("3 位邻居也需要")
    expect(p.locator("#support button")).to_contain_text("取消")
    assert p.evaluate("window.__stayed === true"), "the support button reloaded the page"
    page.shot("need-supported", readme="need")
