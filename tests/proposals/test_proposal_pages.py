"""The proposal pages: list and filters, raising and editing drafts, the support button, steps, settings."""
import sqlalchemy as sa
from proposal_factory import BODY, add_deliberation, add_project, proposal_in

from forum.core.audit import AuditEntry
from forum.extensions import db
from forum.proposals.models import Proposal


def form(demo, **changes):
    data = {"title": "小区东门加装路灯", "body": BODY + "<script>alert(1)</script>**尽快**", "category": "facilities",
            "community": demo.community.id, "intent": "submit"}
    data.update(changes)
    return data


def by_title(title) -> Proposal:
    return db.session.scalar(sa.select(Proposal).where(Proposal.title == title))


def test_the_list_shows_public_proposals_with_supporters_and_days_left(client, demo):
    page = client.get(f"/proposals/?community={demo.community.id}").get_data(as_text=True)
    assert "社区卫生服务站增加周末门诊" in page and "附议 3 / 10 人" in page and "还剩 20 天" in page
    assert "在小区中心绿地建设地下停车场" in page and "不予立项" in page
    assert "楼道加装声控灯和扶手" not in page  # a draft
    assert "快递柜移到小区门口" not in page  # withdrawn: only when asked for
    assert "快递柜移到小区门口" in client.get("/proposals/?status=withdrawn").get_data(as_text=True)


def test_the_list_filters_by_category_and_status_and_answers_htmx_with_the_results_only(client, demo):
    response = client.get("/proposals/?category=health&status=collecting", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert "社区卫生服务站增加周末门诊" in page and "青松苑增设电动自行车集中充电棚" not in page
    assert "<html" not in page and 'id="results"' in page and "HX-Request" in response.headers["Vary"]


def test_a_resident_submits_a_proposal_which_collects_support_at_once(client, auth, demo):
    auth.login(demo.resident.phone)
    response = client.post("/proposals/new", data=form(demo))
    assert response.status_code == 303
    proposal = by_title("小区东门加装路灯")
    assert proposal.status == "collecting" and proposal.support_threshold == 10 and proposal.days_left == 30
    assert "<script>" not in proposal.body_html and "<strong>尽快</strong>" in proposal.body_html
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "议题已公开" in page and "征集附议中" in page and "附议 0 / 10 人" in page
    assert "<progress" in page and "还剩 30 天" in page


def test_a_draft_is_seen_only_by_its_author_and_staff_and_edited_until_submitted(client, auth, demo):
    auth.login(demo.resident.phone)
    client.post("/proposals/new", data=form(demo, intent="draft"))
    draft = by_title("小区东门加装路灯")
    assert draft.status == "draft"
    assert client.post(f"/proposals/{draft.id}/edit", data=form(demo, title="东门加装两盏路灯", intent="draft")
                       ).status_code == 303
    assert "草稿" in client.get(f"/proposals/{draft.id}").get_data(as_text=True)
    client.post("/auth/logout")
    assert client.get(f"/proposals/{draft.id}").status_code == 302  # to the login page
    for who, status in (("council", 403), ("resident2", 403), ("staff", 200)):
        auth.login(getattr(demo, who).phone)
        assert client.get(f"/proposals/{draft.id}").status_code == status
        client.post("/auth/logout")
    auth.login(demo.resident.phone)
    client.post(f"/proposals/{draft.id}/edit", data=form(demo, title="东门加装两盏路灯"))
    db.session.refresh(draft)
    assert draft.status == "collecting" and draft.title == "东门加装两盏路灯"
    assert client.get(f"/proposals/{draft.id}/edit").status_code == 403


def test_form_errors_are_in_chinese_and_keep_what_was_typed(client, auth, demo):
    auth.login(demo.resident.phone)
    response = client.post("/proposals/new", data=form(demo, title="灯", category=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "标题需要 4 到 60 个字。" in page and "请选择类别。" in page and "接孩子放学" in page


def test_the_support_button_answers_htmx_with_the_new_count(client, auth, demo):
    proposal = by_title("社区卫生服务站增加周末门诊")
    auth.login(demo.resident.phone)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "附议 3 / 10 人" in page and 'aria-pressed="false"' in page
    fragment = client.post(f"/proposals/{proposal.id}/support", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.strip().startswith('<div id="support"') and "<html" not in fragment
    assert "附议 4 / 10 人" in fragment and "已附议 ✓（撤回）" in fragment
    fragment = client.post(f"/proposals/{proposal.id}/support", data={"undo": "1"},
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "附议 3 / 10 人" in fragment and 'aria-pressed="false"' in fragment


def test_an_unverified_resident_sees_why_there_is_no_support_button(client, auth, demo):
    proposal = by_title("社区卫生服务站增加周末门诊")
    auth.login(demo.unverified.phone)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "只有青松社区已核验的居民才能附议" in page and f'action="/proposals/{proposal.id}/support"' not in page
    fragment = client.post(f"/proposals/{proposal.id}/support", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'role="alert"' in fragment and "已核验的居民" in fragment and "附议 3 / 10 人" in fragment


def test_after_the_threshold_the_page_says_withdrawn_support_does_not_send_it_back(client, auth, demo):
    proposal = by_title("社区老年食堂开设助餐点")
    auth.login(demo.council.phone)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "已达附议门槛" in page and "撤回附议，议题也不会退回征集阶段" in page


def test_decline_needs_a_reason_and_the_page_shows_it(client, auth, demo):
    proposal = by_title("青松苑增设电动自行车集中充电棚")
    auth.login(demo.council.phone)
    response = client.post(f"/proposals/{proposal.id}/steps/decline", data={"note": ""})
    assert response.status_code == 400 and "请写明不予立项的理由" in response.get_data(as_text=True)
    client.post(f"/proposals/{proposal.id}/steps/decline", data={"note": "充电棚选址涉及消防间距，已转街道统一规划"})
    client.post("/auth/logout")
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "不予立项的理由：" in page and "已转街道统一规划" in page


def test_staff_take_a_proposal_up_from_its_page_into_a_coming_deliberation(client, auth, demo):
    proposal = by_title("社区老年食堂开设助餐点")
    coming = add_deliberation(demo.community, demo.staff, title="助餐点专题议事会")
    auth.login(demo.staff.phone)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "列入议程" in page and "助餐点专题议事会" in page
    elsewhere = add_deliberation(demo.community2, demo.staff, title="翠湖社区议事会")
    assert client.post(f"/proposals/{proposal.id}/steps/take_up", data={"deliberation": elsewhere.id}
                       ).status_code == 400
    client.post(f"/proposals/{proposal.id}/steps/take_up", data={"deliberation": coming.id})
    db.session.refresh(proposal)
    assert proposal.status == "in_deliberation" and proposal.deliberations == [coming]
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/deliberations/{coming.id}"' in page and "纳入议事" in page


def test_without_a_coming_deliberation_staff_are_sent_to_schedule_one(client, auth, demo):
    proposal = proposal_in("threshold_met", demo)
    from forum.deliberations.models import Deliberation

    for deliberation in db.session.scalars(sa.select(Deliberation)):
        deliberation.status = "concluded"
    db.session.commit()
    auth.login(demo.staff.phone)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "本社区目前没有已安排或正在进行的议事" in page
    assert f"/deliberations/new?community={demo.community.id}" in page


def test_a_passed_proposal_is_linked_to_its_project_and_shows_it(client, auth, demo):
    proposal = proposal_in("passed", demo)
    project = add_project(demo.community, demo.staff, title="东门照明改造工程")
    auth.login(demo.staff.phone)
    client.post(f"/proposals/{proposal.id}/steps/implement", data={"project": project.id})
    db.session.refresh(proposal)
    assert proposal.status == "implementing" and proposal.project_id == project.id
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "东门照明改造工程" in page and f"/projects/{project.id}" in page


def test_staff_change_the_threshold_and_window_for_proposals_to_come(client, auth, demo):
    auth.login(demo.staff.phone)
    page = client.get("/proposals/").get_data(as_text=True)
    assert "青松社区的议题规则" in page
    response = client.post(f"/proposals/settings/{demo.community.id}",
                           data={"proposal_threshold": "0", "proposal_window_days": "20"})
    assert response.status_code == 400 and "请填写 1 到 1000 之间的附议人数" in response.get_data(as_text=True)
    client.post(f"/proposals/settings/{demo.community.id}", data={"proposal_threshold": "15",
                                                                 "proposal_window_days": "20"})
    db.session.refresh(demo.community)
    assert (demo.community.proposal_threshold, demo.community.proposal_window_days) == (15, 20)
    assert db.session.scalar(sa.select(AuditEntry.detail).where(AuditEntry.action == "community.proposal_settings")) \
        == "threshold=15 window_days=20"
    assert by_title("社区卫生服务站增加周末门诊").support_threshold == 10  # already collecting: unchanged
    client.post("/auth/logout")
    auth.login(demo.council.phone)
    assert "议题规则" not in client.get("/proposals/").get_data(as_text=True)
    assert client.post(f"/proposals/settings/{demo.community.id}",
                       data={"proposal_threshold": "3", "proposal_window_days": "5"}).status_code == 403


def test_my_proposals_lists_what_i_raised_and_what_i_support(client, auth, demo):
    auth.login(demo.resident.phone)
    page = client.get("/proposals/mine").get_data(as_text=True)
    assert "楼道加装声控灯和扶手" in page and "社区老年食堂开设助餐点" in page
    assert "加装电梯费用分摊方案" in page  # she supports it
