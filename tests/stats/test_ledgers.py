"""Ledgers (台账) downloaded as Excel and CSV: headers, rows, local times, filters, escaping, audit, who may."""
import csv
import io
from datetime import datetime

import openpyxl
import pytest
import sqlalchemy as sa
from stats_factory import add_poll, add_proposals, add_unit_work, build, granted, local, places, raise_need

from forum.config import RATE_LIMITS
from forum.core.audit import AuditEntry
from forum.extensions import db

MARCH = "period=custom&from=2026-03-01&to=2026-03-31"


@pytest.fixture
def data(app, make_user):
    return add_poll(add_proposals(add_unit_work(build(make_user))))


def download(client, name, place, fmt="xlsx", extra=""):
    return client.get(f"/stats/ledgers/{name}?scope={place}&{MARCH}&format={fmt}{extra}")


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)], book


def csv_rows(response):
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel on Windows needs for Chinese
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_needs_ledger_in_excel_with_chinese_headers_and_local_times(client, auth, data):
    auth.login(data.staff.phone)
    response = download(client, "needs", f"c{data.a.id}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows, book = sheet_rows(response)
    header = rows[0]
    assert header[:4] == ["编号", "标题", "社区", "小区"]
    assert {"提交时间", "首次响应时间", "解决时间", "认领单位", "提出人", "手机号（已打码）"} <= set(header)
    by_title = {row[1]: dict(zip(header, row)) for row in rows[1:]}
    assert set(by_title) == {"3号楼楼道灯坏了", "小区门口积水", "健身器材松动", "想要一个篮球场", "独居老人需要送餐"}
    first = by_title["3号楼楼道灯坏了"]
    # 9:00 Beijing time on 3 March, answered at 11:00, resolved ten days later: local wall-clock times.
    assert first["提交时间"] == datetime(2026, 3, 3, 9, 0)
    assert first["首次响应时间"] == datetime(2026, 3, 3, 11, 0)
    assert first["解决时间"] == datetime(2026, 3, 13, 9, 0)
    assert (first["状态"], first["认领单位"], first["评价（星）"]) == ("已办结", "青松路小学", 4)
    phone = data.residents[0].phone
    assert (first["提出人"], first["手机号（已打码）"]) == ("刘桂芳", f"{phone[:3]}****{phone[-4:]}")
    assert phone not in response.data.decode("latin-1")  # never the full number
    assert [label for label, _ in book.worksheets[1].iter_rows(values_only=True)][:3] == ["台账", "社区或街道", "时间范围"]


def test_needs_ledger_as_csv_with_bom_and_the_same_filters(client, auth, data):
    auth.login(data.staff.phone)
    rows = csv_rows(download(client, "needs", f"c{data.a.id}", "csv", "&category=facilities"))
    assert rows[0][:2] == ["编号", "标题"]
    assert sorted(row[1] for row in rows[1:]) == ["3号楼楼道灯坏了", "健身器材松动"]
    first = next(row for row in rows[1:] if row[1] == "3号楼楼道灯坏了")
    assert first[rows[0].index("提交时间")] == "2026-03-03 09:00"
    rejected = csv_rows(download(client, "needs", f"c{data.a.id}", "csv", "&status=rejected"))
    assert [row[1] for row in rejected[1:]] == ["想要一个篮球场"]


def test_formula_characters_in_a_title_are_escaped_in_both_formats(client, auth, data):
    title = '=HYPERLINK("http://example.com/steal","点击查看")'
    raise_need(data.residents[3], data.a, local(30), title)
    auth.login(data.staff.phone)
    book = openpyxl.load_workbook(io.BytesIO(download(client, "needs", f"c{data.a.id}").data))
    cell = next(row[1] for row in book.worksheets[0].iter_rows() if str(row[1].value).endswith("点击查看\")"))
    assert (cell.value, cell.data_type) == ("'" + title, "s")  # text, not a formula
    rows = csv_rows(download(client, "needs", f"c{data.a.id}", "csv"))
    assert "'" + title in [row[1] for row in rows]
    assert title not in [row[1] for row in rows]


def test_a_download_naming_people_is_audited_in_each_community_it_covers(client, auth, data):
    def entries():
        return db.session.execute(sa.select(AuditEntry.community_id, AuditEntry.actor_id, AuditEntry.detail)
                                  .where(AuditEntry.action == "ledger.export").order_by(AuditEntry.id)).all()

    auth.login(data.staff.phone)
    download(client, "needs", f"c{data.a.id}", "csv", "&category=facilities")
    [(community_id, actor_id, detail)] = entries()
    assert (community_id, actor_id) == (data.a.id, data.staff.id)
    assert detail.startswith("needs.csv") and "2026-03-01..2026-03-31" in detail and "category=facilities" in detail
    download(client, "polls", f"c{data.a.id}")  # counts only: nobody is named
    assert len(entries()) == 1
    auth.logout()
    auth.login(data.street_staff.phone)
    download(client, "hours", f"s{data.street.id}")
    assert [row[0] for row in entries()[1:]] == [data.a.id, data.b.id]
    # The community's own audit trail shows it, in words.
    auth.logout()
    auth.login(data.staff.phone)
    assert "下载了含个人信息的台账" in client.get(f"/communities/{data.a.id}/audit").get_data(as_text=True)


def test_volunteer_hours_ledger_lists_who_came(client, auth, data):
    auth.login(data.staff.phone)
    rows, _ = sheet_rows(download(client, "hours", f"c{data.a.id}"))
    header = rows[0]
    assert header[:2] == ["活动编号", "活动"]
    found = sorted((dict(zip(header, row))["志愿者"], dict(zip(header, row))["时长（小时）"]) for row in rows[1:])
    assert found == [("刘桂芳", 2), ("陈芳", 1.5)]  # 黄丽娟 signed up but did not come


def test_projects_polls_and_deliberations_ledgers(client, auth, data):
    from forum.deliberations.models import Deliberation, Participant
    from forum.minutes.models import MinutesVersion

    deliberation = Deliberation(community=data.a, created_by_id=data.staff.id, kind="residents_council",
                                title="三月居民议事会", starts_at=local(16, 19), status="published",
                                participants=[Participant(user_id=data.residents[0].id, seat="居民代表", attended=True),
                                              Participant(user_id=data.residents[1].id, seat="居民代表", attended=False)])
    db.session.add(deliberation)
    db.session.flush()
    db.session.add(MinutesVersion(deliberation_id=deliberation.id, number=1, status="published", recorder="王秀兰",
                                  agenda_notes=[{"title": "快递柜", "decision": "同意增设快递柜"}],
                                  snapshot_at=local(17), drafted_by_id=data.staff.id, published_at=local(18)))
    db.session.commit()
    auth.login(data.staff.phone)
    projects = csv_rows(download(client, "projects", f"c{data.a.id}", "csv"))
    project = dict(zip(projects[0], projects[1]))
    assert (project["项目"], project["牵头单位"], project["满意度（星）"], project["评价人数"]) == \
        ("楼道照明改造", "青松路小学", "3.5", "2")
    polls = csv_rows(download(client, "polls", f"c{data.a.id}", "csv"))
    poll = dict(zip(polls[0], polls[1]))
    assert (poll["应投票"], poll["投票数"], poll["投票率"], poll["结果"]) == ("4", "3", "75.0%", "已通过")
    meetings = csv_rows(download(client, "deliberations", f"c{data.a.id}", "csv"))
    meeting = dict(zip(meetings[0], meetings[1]))
    assert (meeting["议事"], meeting["出席"], meeting["缺席"], meeting["已发布版本"], meeting["议定事项"]) == \
        ("三月居民议事会", "1", "1", "1", "同意增设快递柜")
    assert meeting["开始时间"] == "2026-03-16 19:00"


@pytest.mark.parametrize("who, place, status", [
    ("anonymous", "a", 302), ("resident", "a", 403), ("contact", "a", 403), ("staff", "a", 200),
    ("staff", "b", 403), ("staff", "street", 403), ("street_staff", "street", 200), ("street_staff", "b", 200),
    ("supervisor", "a", 200), ("supervisor", "street", 403), ("admin", "street", 200),
])
def test_who_may_download_ledgers(client, auth, data, make_user, who, place, status):
    users = {"resident": data.residents[0], "contact": data.contact, "staff": data.staff,
             "street_staff": data.street_staff, "supervisor": granted(make_user(), "supervisor", community=data.a),
             "admin": make_user(is_admin=True)}
    if who != "anonymous":
        auth.login(users[who].phone)
    key = f"s{data.street.id}" if place == "street" else f"c{getattr(data, place).id}"
    assert download(client, "needs", key).status_code == status


def test_unknown_ledgers_formats_and_filters_are_refused(client, auth, data):
    auth.login(data.staff.phone)
    assert download(client, "salaries", f"c{data.a.id}").status_code == 404
    assert download(client, "needs", f"c{data.a.id}", "pdf").status_code == 404
    assert download(client, "needs", "c999").status_code == 404
    assert download(client, "needs", f"c{data.a.id}", extra="&status=nonsense").status_code == 400
    assert download(client, "polls", f"c{data.a.id}", extra="&status=closed").status_code == 400
    assert client.get(f"/stats/ledgers/needs?scope=c{data.a.id}&period=custom&from=2026-03-31&to=2026-03-01"
                      ).status_code == 400



def test_an_anonymous_needs_author_is_named_to_staff_only(client, auth, data, make_user):
    from forum.lists import needs

    need = needs.create_need(data.residents[3], data.a, {"title": "不想署名的需求", "body": "", "category": "other",
                                                         "anonymous": True}, [])
    need.created_at = local(28)
    db.session.commit()

    def author_as(user):
        auth.login(user.phone)
        rows = csv_rows(download(client, "needs", f"c{data.a.id}", "csv"))
        auth.logout()
        row = dict(zip(rows[0], next(row for row in rows if row[1] == "不想署名的需求")))
        return row["提出人"], row["手机号（已打码）"], row["匿名"]

    assert author_as(data.staff)[0] == "马强"
    assert author_as(granted(make_user(), "supervisor", community=data.a)) == ("匿名居民", "", "是")


def test_ledger_downloads_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMITS={**RATE_LIMITS, "export_ledger": "2 per hour"})
    with app.app_context():
        from forum.accounts.services import create_user

        _, community, _, _ = places()
        staff = granted(create_user("13700009999", "王秀兰", "demo-pass-2026",
                                    consent_version=app.config["PRIVACY_NOTICE_VERSION"]), "staff", community=community)
        client = app.test_client()
        assert client.post("/auth/login", data={"phone": staff.phone, "password": "demo-pass-2026"}).status_code == 303
        codes = [client.get(f"/stats/ledgers/polls?scope=c{community.id}").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
