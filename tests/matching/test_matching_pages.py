"""Suggestions on the pages, and staff accepting or declining them (对接)."""
import pytest
import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.extensions import db
from forum.lists import needs
from forum.lists.models import Project, Resource
from forum.matching import services
from forum.matching.models import MatchDecision


@pytest.fixture
def pair(demo):
    need = needs.create_need(demo.resident, demo.community, {
        "title": "单元楼道灯坏了需要更换灯泡", "body": "晚上楼道漆黑，老人上下楼很危险，希望尽快换灯泡。",
        "category": "facilities", "urgency": 2, "compound": None, "location": None, "anonymous": False}, [])
    needs.take_step(demo.staff, need, "publish")
    resource = Resource(community=demo.community, unit=demo.school, owner_id=demo.unit_contact.id,
                        title="免费更换楼道灯泡", body="学校后勤电工每周六上午可为社区楼道更换灯泡、修理照明开关。",
                        category="facilities", kind="service", status="available")
    db.session.add(resource)
    db.session.commit()
    return need, resource


def test_staff_see_the_suggestion_with_its_reasons_on_the_need_page(client, auth, demo, pair):
    need, resource = pair
    auth.login(demo.staff.phone)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "可以对接的资源" in page and "免费更换楼道灯泡" in page
    assert "<mark translate=\"no\">灯泡</mark>" in page and "同一社区" in page


def test_residents_do_not_see_suggestions(client, auth, demo, pair):
    need, _ = pair
    auth.login(demo.council.phone)
    assert "可以对接的资源" not in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_the_unit_sees_needs_it_could_meet_with_a_claim_button(client, auth, demo, pair):
    need, resource = pair
    auth.login(demo.unit_contact.phone)
    page = client.get(f"/resources/{resource.id}").get_data(as_text=True)
    assert "您可以满足的需求" in page and need.title in page and "认领这条需求" in page
    client.post("/auth/logout")
    auth.login(demo.resident2.phone)
    assert "您可以满足的需求" not in client.get(f"/resources/{resource.id}").get_data(as_text=True)


def test_accepting_makes_a_project_records_audits_and_tells_the_author(client, auth, demo, pair):
    from forum.notifications.services import unread_count

    need, resource = pair
    before = unread_count(demo.resident)
    auth.login(demo.staff.phone)
    response = client.post("/matches/accept", data={"need": need.id, "resource": resource.id})
    assert response.status_code == 303
    project = db.session.scalar(sa.select(Project).order_by(Project.id.desc()))
    assert project.needs == [need] and project.resources == [resource] and project.lead_unit == demo.school
    assert db.session.scalar(sa.select(MatchDecision.accepted).where(MatchDecision.need_id == need.id)) is True
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "match.accept"))
    assert unread_count(demo.resident) > before
    assert services.for_need(need) == [] or all(r.id != resource.id for r, _ in services.for_need(need))


def test_accepting_can_add_the_pair_to_an_open_project(client, auth, demo, pair):
    need, resource = pair
    project = db.session.scalar(sa.select(Project).where(Project.status == "in_progress"))
    auth.login(demo.staff.phone)
    client.post("/matches/accept", data={"need": need.id, "resource": resource.id, "project": project.id})
    db.session.refresh(project)
    assert need in project.needs and resource in project.resources


def test_declining_hides_the_pair_for_good_and_is_audited(client, auth, demo, pair):
    need, resource = pair
    auth.login(demo.staff.phone)
    client.post("/matches/decline", data={"need": need.id, "resource": resource.id, "reason": "学校电工只在校内"})
    assert all(r.id != resource.id for r, _ in services.for_need(need))
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "match.decline"))
    assert "学校电工只在校内" in entry.detail
    response = client.post("/matches/accept", data={"need": need.id, "resource": resource.id})
    assert response.status_code == 303 and db.session.scalar(
        sa.select(sa.func.count(MatchDecision.id)).where(MatchDecision.need_id == need.id)) == 1


def test_only_staff_decide_and_see_the_queue(client, auth, demo, pair):
    need, resource = pair
    auth.login(demo.unit_contact.phone)
    assert client.post("/matches/accept", data={"need": need.id, "resource": resource.id}).status_code == 403
    assert client.get(f"/matches/?community={demo.community.id}").status_code == 403
    client.post("/auth/logout")
    auth.login(demo.staff.phone)
    page = client.get("/matches/").get_data(as_text=True)
    assert need.title in page and "免费更换楼道灯泡" in page


def test_a_paused_resource_is_never_suggested(demo, pair):
    need, resource = pair
    resource.status = "paused"
    db.session.commit()
    assert all(r.id != resource.id for r, _ in services.for_need(need))
