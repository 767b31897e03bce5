"""Projects join needs and resources; the lead reports progress; residents rate."""
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from forum.extensions import db
from forum.lists import needs, projects
from forum.lists.models import Need, Project, Resource


@pytest.fixture
def parts(demo):
    need = needs.create_need(demo.resident, demo.community, {
        "title": "社区活动室需要一台投影仪", "body": "", "category": "culture", "urgency": 1,
        "compound": None, "location": None, "anonymous": False}, [])
    needs.take_step(demo.staff, need, "publish")
    needs.support(demo.council, need)
    resource = Resource(community=demo.community, unit=demo.school, owner_id=demo.unit_contact.id,
                        title="闲置投影仪一台", category="culture", kind="goods", status="available")
    db.session.add(resource)
    db.session.commit()
    return need, resource


def make_project(demo, need, resource, **changes):
    fields = {"title": "活动室投影仪", "summary": "学校捐赠闲置投影仪", "lead_unit": demo.school,
              "planned_start": None, "planned_end": None, "budget": None}
    fields.update(changes)
    return projects.create_project(demo.staff, demo.community, fields, [need.id], [resource.id],
                                   [("安装调试", date(2026, 12, 1))])


def test_staff_set_up_a_project_which_claims_the_need_and_tells_the_unit(demo, parts):
    from forum.notifications.services import unread_count

    need, resource = parts
    project = make_project(demo, need, resource)
    assert project.status == "planned" and project.needs == [need] and project.resources == [resource]
    assert need.status == "claimed" and need.claimed_unit == demo.school
    assert unread_count(demo.unit_contact) >= 1
    assert [m.title for m in project.milestones] == ["安装调试"]


def test_only_staff_set_up_projects(client, auth, demo, parts):
    need, resource = parts
    auth.login(demo.unit_contact.phone)
    response = client.post("/projects/new", data={"community": demo.community.id, "title": "我来办这件事",
                                                 "needs": [need.id], "resources": [resource.id]})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Project.id)).where(Project.title == "我来办这件事")) == 0


def test_a_project_needs_an_open_need_and_an_available_resource(client, auth, demo, parts):
    need, resource = parts
    auth.login(demo.staff.phone)
    response = client.post("/projects/new", data={"community": demo.community.id, "title": "活动室投影仪",
                                                 "needs": [], "resources": [resource.id]})
    assert response.status_code == 400 and "请至少选择本社区一条未办结的需求。" in response.get_data(as_text=True)
    resource.status = "paused"
    db.session.commit()
    response = client.post("/projects/new", data={"community": demo.community.id, "title": "活动室投影仪",
                                                 "needs": [need.id], "resources": [resource.id]})
    assert response.status_code == 400 and "活动室投影仪" in response.get_data(as_text=True)


def test_the_form_preselects_the_need_it_was_opened_from(client, auth, demo, parts):
    need, resource = parts
    auth.login(demo.staff.phone)
    page = client.get(f"/projects/new?community={demo.community.id}&need={need.id}").get_data(as_text=True)
    import re

    [checkbox] = re.findall(rf'<input[^>]*value="{need.id}"[^>]*>', page.split('name="resources"')[0])
    assert "checked" in checkbox


def test_the_lead_reports_progress_and_completing_resolves_the_needs(client, auth, demo, parts):
    need, resource = parts
    project = make_project(demo, need, resource)
    auth.login(demo.unit_contact.phone)
    client.post(f"/projects/{project.id}/steps/start")
    response = client.post(f"/projects/{project.id}/updates", data={"body": "投影仪已送到", "percent_done": "60"})
    assert response.status_code == 303
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "投影仪已送到" in page and 'value="60"' in page
    client.post(f"/projects/{project.id}/steps/complete")
    db.session.expire_all()
    assert project.status == "completed" and project.percent_done == 100
    assert db.session.get(Need, need.id).status == "resolved"


def test_others_cannot_report_or_complete(demo, parts):
    need, resource = parts
    project = make_project(demo, need, resource)
    with pytest.raises(Forbidden):
        projects.post_update(demo.resident, project, "我来汇报", 50, None)
    with pytest.raises(Forbidden):
        projects.take_step(demo.council, project, "start")
    projects.take_step(demo.unit_contact, project, "start")
    projects.take_step(demo.unit_contact, project, "complete")
    with pytest.raises(Forbidden):  # closing the evaluation is for staff
        projects.take_step(demo.unit_contact, project, "evaluate")


def test_authors_and_supporters_rate_once_and_see_the_average(client, auth, demo, parts):
    need, resource = parts
    project = make_project(demo, need, resource)
    with pytest.raises(Forbidden):  # not before completion
        projects.rate(demo.resident, project, 5, "")
    projects.take_step(demo.staff, project, "start")
    projects.take_step(demo.staff, project, "complete")
    auth.login(demo.resident.phone)
    assert client.post(f"/projects/{project.id}/rating", data={"score": "5", "comment": "很好"}).status_code == 303
    again = client.post(f"/projects/{project.id}/rating", data={"score": "1"})
    assert again.status_code == 400 and "您已经评价过这个项目。" in again.get_data(as_text=True)
    client.post("/auth/logout")
    auth.login(demo.council.phone)
    client.post(f"/projects/{project.id}/rating", data={"score": "4"})
    client.post("/auth/logout")
    auth.login(demo.resident2.phone)
    assert client.post(f"/projects/{project.id}/rating", data={"score": "1"}).status_code == 403
    assert projects.rating_summary(project) == (4.5, 2)
    assert "5 分中得 4.5 分，共 2 人评价" in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_cancelling_needs_a_reason(demo, parts):
    need, resource = parts
    project = make_project(demo, need, resource)
    with pytest.raises(projects.ProjectError):
        projects.take_step(demo.staff, project, "cancel", note="")
    projects.take_step(demo.staff, project, "cancel", note="学校暂时无法提供")
    assert project.status == "cancelled"
    assert [c.action for c in projects.timeline(project)] == ["create", "cancel"]


def test_milestones_are_added_and_marked_done_by_the_lead(client, auth, demo, parts):
    need, resource = parts
    project = make_project(demo, need, resource)
    auth.login(demo.unit_contact.phone)
    client.post(f"/projects/{project.id}/milestones", data={"title": "验收", "due_on": "2026-12-20"})
    milestone = project.milestones[0]
    client.post(f"/projects/{project.id}/milestones/{milestone.id}/done")
    db.session.refresh(milestone)
    assert milestone.done_at is not None
    db.session.refresh(project)
    assert {m.title for m in project.milestones} == {"安装调试", "验收"}


def test_project_list_filters_by_status(client, demo, parts):
    need, resource = parts
    make_project(demo, need, resource)
    assert "活动室投影仪" in client.get("/projects/?status=planned").get_data(as_text=True)
    assert "活动室投影仪" not in client.get("/projects/?status=completed").get_data(as_text=True)


def test_staff_name_who_is_responsible(client, auth, demo, parts, make_user):
    need, resource = parts
    colleague = make_user(demo.community, roles=["staff"], name="周敏")
    auth.login(demo.staff.phone)
    page = client.get(f"/projects/new?community={demo.community.id}").get_data(as_text=True)
    assert "周敏" in page and "负责的社区工作者" in page
    client.post(f"/projects/new?community={demo.community.id}", data={
        "community": demo.community.id, "title": "活动室投影仪", "needs": [need.id], "resources": [resource.id],
        "responsible_id": colleague.id})
    project = db.session.scalar(sa.select(Project).where(Project.title == "活动室投影仪"))
    assert project.responsible_id == colleague.id
    response = client.post(f"/projects/new?community={demo.community.id}", data={
        "community": demo.community.id, "title": "另一个项目", "needs": [need.id], "resources": [resource.id],
        "responsible_id": demo.resident.id})
    assert response.status_code == 400
