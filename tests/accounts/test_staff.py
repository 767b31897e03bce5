"""Staff verify households and manage roles; every change is on the audit trail."""
from decimal import Decimal

import sqlalchemy as sa

from forum.accounts.models import RoleGrant
from forum.core.audit import AuditEntry
from forum.extensions import db


def audit_actions(community):
    """The community's audit entries about members, roles and units (the demo's polls leave others)."""
    about_people = sa.or_(*(AuditEntry.action.like(f"{kind}.%") for kind in ("member", "role", "unit")))
    return db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.community_id == community.id, about_people)
        .order_by(AuditEntry.id)
    ).all()


def member_url(demo, user, suffix=""):
    return f"/communities/{demo.community.id}/members/{user.id}{suffix}"


def test_staff_see_residents_waiting_for_verification(client, auth, demo):
    auth.login(demo.staff.phone)
    page = client.get(f"/communities/{demo.community.id}/members?verified=no").get_data(as_text=True)
    assert "孙浩" in page and "刘桂芳" not in page
    assert "有 1 位居民等待核验。" in page
    assert "139****0005" in page and "13900000005" not in page


def test_member_list_filters_by_name_or_phone_digits(client, auth, demo):
    auth.login(demo.staff.phone)
    page = client.get(f"/communities/{demo.community.id}/members?q=0004").get_data(as_text=True)
    assert "刘桂芳" in page and "孙浩" not in page
    page = client.get(f"/communities/{demo.community.id}/members?q=孙").get_data(as_text=True)
    assert "孙浩" in page and "刘桂芳" not in page


def test_member_filter_answers_htmx_with_the_results_fragment(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.get(f"/communities/{demo.community.id}/members?q=孙", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "孙浩" in html and "<html" not in html and 'id="results"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_staff_verify_a_household_with_address_and_floor_area(client, auth, demo):
    auth.login(demo.staff.phone)
    compound = demo.community.compounds[2]
    response = client.post(member_url(demo, demo.unverified, "/verify"), data={
        "compound": compound.id, "building": "7号楼", "room": "302", "floor_area": "64.5"})
    assert response.status_code == 303
    membership = demo.unverified.membership_in(demo.community.id)
    db.session.refresh(membership)
    assert membership.is_verified and membership.verified_by_id == demo.staff.id
    assert (membership.building, membership.room, membership.floor_area) == ("7号楼", "302", Decimal("64.50"))
    assert membership.household == f"{compound.name} 7号楼 302"
    assert audit_actions(demo.community) == ["member.verify"]


def test_verification_form_errors_keep_the_input(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.post(member_url(demo, demo.unverified, "/verify"), data={
        "compound": demo.community.compounds[0].id, "building": "7号楼", "room": "", "floor_area": "-3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写房号。" in page and "请填写 1 到 10000 之间的面积" in page
    assert 'value="7号楼"' in page
    assert audit_actions(demo.community) == []


def test_withdrawing_a_verification_needs_a_reason_and_is_recorded(client, auth, demo):
    auth.login(demo.staff.phone)
    assert client.post(member_url(demo, demo.resident, "/unverify"), data={"reason": ""}).status_code == 400
    assert client.post(member_url(demo, demo.resident, "/unverify"), data={"reason": "已搬离"}).status_code == 303
    db.session.expire_all()
    assert not demo.resident.membership_in(demo.community.id).is_verified
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "member.unverify"))
    assert entry.detail == "已搬离" and entry.actor_id == demo.staff.id


def test_residents_cannot_verify_anyone(client, auth, demo):
    auth.login(demo.resident.phone)
    response = client.post(member_url(demo, demo.unverified, "/verify"), data={
        "compound": demo.community.compounds[0].id, "building": "1", "room": "1"})
    assert response.status_code == 403
    assert "您没有权限" in response.get_data(as_text=True)


def test_staff_of_one_community_cannot_touch_another(client, auth, demo):
    auth.login(demo.staff.phone)
    assert client.get(f"/communities/{demo.community2.id}/members").status_code == 403


def test_staff_grant_and_remove_a_role(client, auth, demo):
    auth.login(demo.staff.phone)
    assert client.post(member_url(demo, demo.resident, "/roles"), data={"role": "volunteer"}).status_code == 303
    grant = db.session.scalar(sa.select(RoleGrant).where(RoleGrant.user_id == demo.resident.id))
    assert grant.role == "volunteer" and grant.granted_by_id == demo.staff.id
    page = client.get(member_url(demo, demo.resident)).get_data(as_text=True)
    assert "志愿者" in page
    assert client.post(member_url(demo, demo.resident, f"/roles/{grant.id}/revoke")).status_code == 303
    assert db.session.scalar(sa.select(RoleGrant).where(RoleGrant.user_id == demo.resident.id)) is None
    assert audit_actions(demo.community) == ["role.grant", "role.revoke"]


def test_community_staff_cannot_make_someone_staff_but_an_admin_can(client, auth, demo):
    auth.login(demo.staff.phone)
    assert client.post(member_url(demo, demo.resident, "/roles"), data={"role": "staff"}).status_code == 403
    page = client.get(member_url(demo, demo.resident)).get_data(as_text=True)
    assert 'value="staff"' not in page and 'value="moderator"' in page
    client.post("/auth/logout")
    auth.login(demo.admin.phone)
    assert client.post(member_url(demo, demo.resident, "/roles"), data={"role": "staff"}).status_code == 303


def test_staff_make_a_resident_the_contact_of_a_unit(client, auth, demo):
    auth.login(demo.staff.phone)
    response = client.post(member_url(demo, demo.resident, "/units"), data={"unit": demo.school.id, "action": "add"})
    assert response.status_code == 303
    db.session.refresh(demo.school)
    assert demo.resident in demo.school.contacts
    client.post(member_url(demo, demo.resident, "/units"), data={"unit": demo.school.id, "action": "remove"})
    db.session.refresh(demo.school)
    assert demo.resident not in demo.school.contacts
    assert audit_actions(demo.community) == ["unit.contact_add", "unit.contact_remove"]


def test_full_phone_number_is_shown_to_staff_only_on_request_and_recorded(client, auth, demo):
    auth.login(demo.staff.phone)
    page = client.get(member_url(demo, demo.resident)).get_data(as_text=True)
    assert "139****0004" in page and "13900000004" not in page
    page = client.post(member_url(demo, demo.resident, "/phone")).get_data(as_text=True)
    assert "13900000004" in page
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "member.reveal_phone"))
    assert entry.actor_id == demo.staff.id and entry.subject_id == demo.resident.id


def test_phone_is_masked_for_others_and_full_for_oneself(client, auth, demo):
    auth.login(demo.resident2.phone)
    assert "139****0004" in client.get(f"/users/{demo.resident.id}").get_data(as_text=True)
    page = client.get(f"/users/{demo.resident2.id}").get_data(as_text=True)
    assert "13900000006" in page


def test_supervisor_reads_the_audit_trail(client, auth, demo, make_user):
    supervisor = make_user(demo.community, roles=["supervisor"])
    auth.login(demo.staff.phone)
    client.post(member_url(demo, demo.resident, "/phone"))
    client.post("/auth/logout")
    auth.login(supervisor.phone)
    page = client.get(f"/communities/{demo.community.id}/audit").get_data(as_text=True)
    assert "查看完整手机号" in page and "王秀兰" in page
    client.post("/auth/logout")
    auth.login(demo.council.phone)
    assert client.get(f"/communities/{demo.community.id}/audit").status_code == 403
