"""注销账号: no personal data left in any table, content kept under 已注销用户, votes still counted."""
import json

import sqlalchemy as sa

from forum.accounts.models import User
from forum.core.audit import AuditEntry
from forum.core.permissions import can
from forum.extensions import db
from forum.voting import results
from forum.voting.models import Ballot, PollVoter
from privacy_scenario import BUILDING, EMAIL, NAME, ROOM, build

PASSWORD = "demo-pass-2026"


def _delete(client, password=PASSWORD, understood="y"):
    return client.post("/privacy/delete", data={"password": password, "understood": understood})


def _text_of(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _rows_containing(needles) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every value in every column of every table that holds a needle."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                text = _text_of(value)
                found += [(table.name, column, needle) for needle in needles if needle in text]
    return found


def test_the_scan_finds_the_personal_data_before_the_deletion(app, demo, make_user):
    victim = build(demo, make_user)
    tables = {table for table, _, _ in _rows_containing([victim.phone, NAME, BUILDING, ROOM, EMAIL])}
    # The scan can see each kind of trace it looks for after the deletion.
    assert {"user", "membership", "need", "notification", "poll_voter", "status_change",
            "minutes_version", "email_settings"} <= tables


def test_deleting_an_account_leaves_no_personal_data_in_any_table(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    auth.login(victim.phone)
    client.post("/privacy/data")  # the audit trail records downloads too
    response = _delete(client)
    assert response.status_code == 303
    db.session.expire_all()

    assert _rows_containing([victim.phone, NAME, BUILDING, ROOM, EMAIL]) == []
    user = db.session.get(User, victim.user.id)
    assert user.is_deleted and user.display_name == "已注销用户" and not user.memberships and not user.role_grants
    assert user.units == [] and not user.active
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "privacy.delete")).all()
    assert [(e.subject_id, e.detail) for e in entries] == [(user.id, "")]


def test_their_content_stays_under_deleted_user(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    auth.login(victim.phone)
    _delete(client)
    auth.login(demo.resident2.phone)  # a neighbour from another community: profiles need a login
    for url in (f"/needs/{victim.need.id}", f"/proposals/{victim.proposal.id}",
                f"/discussion/need/{victim.comment.thread.subject_id}", f"/users/{victim.user.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "已注销用户" in page and NAME not in page, url
    assert "同意，晚上确实很黑。" in client.get(f"/discussion/need/{victim.comment.thread.subject_id}").get_data(
        as_text=True)


def test_a_secret_ballot_still_counts_but_nothing_links_it_to_anyone(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    before = results.count(victim.secret_poll)
    auth.login(victim.phone)
    _delete(client)
    db.session.expire_all()
    after = results.count(victim.secret_poll)
    assert after.ballots == before.ballots == 1
    assert [(r.label, r.votes) for r in after.rows] == [(r.label, r.votes) for r in before.rows]
    ballot = db.session.scalar(sa.select(Ballot).where(Ballot.receipt == victim.receipts["secret"]))
    assert ballot.voter_id is None
    voter = db.session.scalar(sa.select(PollVoter).where(PollVoter.poll_id == victim.secret_poll.id))
    assert voter.household_label is None and len(voter.household_key) == 64  # a digest, not an address


def test_an_open_ballot_still_counts_under_deleted_user(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    auth.login(victim.phone)
    _delete(client)
    db.session.expire_all()
    ballot = db.session.scalar(sa.select(Ballot).where(Ballot.receipt == victim.receipts["open"]))
    assert ballot.voter.display_name == "已注销用户"
    assert results.count(victim.open_poll).ballots == 1


def test_other_sessions_are_logged_out_and_the_account_cannot_log_in(app, demo, make_user):
    victim = build(demo, make_user)
    phone_browser, office_browser = app.test_client(), app.test_client()
    for browser in (phone_browser, office_browser):
        browser.post("/auth/login", data={"phone": victim.phone, "password": PASSWORD, "remember": "y"})
        assert browser.get("/profile").status_code == 200
    _delete(phone_browser)
    assert office_browser.get("/profile").status_code == 302
    assert phone_browser.get("/profile").status_code == 302
    again = app.test_client().post("/auth/login", data={"phone": victim.phone, "password": PASSWORD})
    assert again.status_code == 400


def test_the_phone_can_register_again_afresh(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    old_id = victim.user.id
    auth.login(victim.phone)
    _delete(client)
    response = client.post("/auth/register", data={
        "phone": victim.phone, "display_name": "新住户", "password": "青松苑新住户 2026", "confirm": "青松苑新住户 2026",
        "community": demo.community.id, "consent": "y"})
    assert response.status_code == 303
    fresh = db.session.scalar(sa.select(User).where(User.phone == victim.phone))
    assert fresh.id != old_id and fresh.display_name == "新住户"
    mine = client.get("/needs/mine").get_data(as_text=True)
    assert "单元门禁坏了" not in mine and "需要上门量血压" not in mine
    assert client.get("/notifications/").get_data(as_text=True).count("谢谢支持") == 0


def test_a_wrong_password_deletes_nothing_and_says_why(client, auth, demo):
    auth.login(demo.resident.phone)
    response = _delete(client, password="not-my-password")
    assert response.status_code == 400 and "密码不正确" in response.get_data(as_text=True)
    response = _delete(client, understood="")
    assert response.status_code == 400 and "请勾选以确认" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not demo.resident.is_deleted and client.get("/profile").status_code == 200


def test_nobody_can_delete_someone_elses_account(client, auth, demo):
    assert not can(demo.admin, "delete_own_account", demo.resident)
    assert not can(demo.staff, "download_own_data", demo.resident)
    auth.login(demo.staff.phone)
    # The page acts on whoever is logged in: the resident's password does not open the staff account.
    response = client.post("/privacy/delete", data={"password": PASSWORD + "x", "understood": "y",
                                                    "user_id": demo.resident.id})
    assert response.status_code == 400
    db.session.expire_all()
    assert not demo.resident.is_deleted and not demo.staff.is_deleted


def test_the_delete_page_explains_what_happens(client, auth, demo):
    assert client.get("/privacy/delete").status_code == 302
    auth.login(demo.resident.phone)
    page = client.get("/privacy/delete").get_data(as_text=True)
    assert "注销账号后无法恢复" in page and "已注销用户" in page and 'autocomplete="current-password"' in page
