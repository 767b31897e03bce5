"""Statistics on a phone: a resident reads the figures from the footer; staff download a ledger."""
import io

import openpyxl
from playwright.sync_api import expect


def test_a_resident_reads_the_figures_and_staff_download_the_needs_ledger(page):
    p = page.page
    page.goto("/")
    p.click("footer >> text=统计")
    expect(p.locator("h1")).to_have_text("统计")
    expect(p.locator(".stat-tiles")).to_contain_text("提出的需求")
    # The charts are drawn by the server; each names itself for screen readers.
    expect(p.locator("svg.stats-chart[role=img]").first).to_have_attribute(
        "aria-labelledby", "needs-status-title needs-status-desc")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    p.click("text=以表格查看数据 >> nth=0")
    expect(p.locator("details.chart-table table").first).to_be_visible()
    expect(p.locator("#ledgers")).to_have_count(0)
    page.shot("stats-public")

    page.login("13900000001")
    page.goto("/stats/")
    p.check("text=今年")
    p.click("text=查看统计")
    expect(p.locator(".stats-scope")).to_contain_text("青松社区")
    page.shot("stats-staff")
    with p.expect_download() as download:
        p.click("#ledgers form:has(#ledger-needs) >> text=Excel")
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert book.worksheets[0]["A1"].value == "编号"
    assert download.value.suggested_filename.startswith("需求台账_青松社区_")
