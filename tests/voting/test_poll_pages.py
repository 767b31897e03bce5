"""Setting up a poll on its form, paper ballots, the result's chart, table and CSV, the list."""
import csv
import io
from datetime import timedelta

import sqlalchemy as sa
from poll_factory import add_deliberation, add_poll, add_proposal, cast, time_up

from forum.core.audit import AuditEntry
from forum.core.models import utcnow
from forum.extensions import db
from forum.voting.models import PaperTally, Poll


def _local(moment):
    from flask_babel import to_user_timezone

    return to_user_timezone(moment).strftime("%Y-%m-%dT%H:%M")


def _form(**changes):
    now = utcnow()
    data = {"title": "是否同意在北门增设快递柜？", "body": "", "method": "yes_no", "options": "", "max_choices": "",
            "electorate": "residents", "opens_at": _local(now), "closes_at": _local(now + timedelta(days=3)),
            "results": "hidden", "quorum_percent": "30", "pass_rule": "simple_majority", "ballot": "secret"}
    data.update(changes)
    return data


def test_staff_set_up_a_consultation_of_the_community(client, auth, demo):
    auth.login(demo.staff.phone)
    page = client.get(f"/polls/new?community={demo.community.id}").get_data(as_text=True)
    assert "面向青松社区居民的民意征集。" in page and "议事会：本次议事的参会成员" not in page
    response = client.post(f"/polls/new?community={demo.community.id}", data=_form(
        method="multiple", options="修缮篮球场\n增设健身步道\n加装儿童滑梯\n", max_choices="2", pass_rule="plurality",
        compound_ids=[demo.community.compounds[0].id]))
    assert response.status_code == 303
    poll = db.session.scalar(sa.select(Poll).order_by(Poll.id.desc()))
    assert [o.label for o in poll.options] == ["修缮篮球场", "增设健身步道", "加装儿童滑梯"]
    assert (poll.max_choices, poll.quorum_percent, poll.secret, poll.compounds) == (
        2, 30, True, [demo.community.compounds[0]])
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "表决已发起。" in shown and "范围：青松苑" in shown and "最多选 2 项" in shown


def test_a_wrong_form_says_what_is_wrong_in_chinese_and_keeps_what_was_typed(client, auth, demo):
    auth.login(demo.staff.phone)
    url = f"/polls/new?community={demo.community.id}"
    response = client.post(url, data=_form(title="社区老年助餐点选址", method="single", options="服务中心一楼\n",
                                           pass_rule="plurality"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "请至少填写两个选项，每行一个。" in page
    assert 'value="社区老年助餐点选址"' in page and "服务中心一楼" in page
    past = client.post(url, data=_form(closes_at=_local(utcnow() - timedelta(hours=1)),
                                       opens_at=_local(utcnow() - timedelta(hours=2))))
    assert past.status_code == 400 and "截止时间必须是将来的时间。" in past.get_data(as_text=True)
    secret = client.post(url, data=_form(electorate="households", pass_rule="double_majority"))
    assert secret.status_code == 400 and "请选择记名投票" in secret.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Poll).where(
        Poll.title == "社区老年助餐点选址")) == 0


def test_a_deliberations_moderator_puts_a_proposal_to_its_council(client, auth, demo, make_user):
    moderator = make_user(demo.community, verified=True)
    proposal = add_proposal(demo.community, demo.resident)
    deliberation = add_deliberation(demo.community, demo.staff, [demo.resident], moderators=[moderator],
                                    proposals=[proposal])
    auth.login(moderator.phone)
    page = client.get(f"/polls/new?deliberation={deliberation.id}").get_data(as_text=True)
    assert "议事会：本次议事的参会成员" in page and proposal.title in page
    response = client.post(f"/polls/new?deliberation={deliberation.id}", data=_form(
        electorate="council", ballot="open", proposal_id=str(proposal.id)))
    assert response.status_code == 303
    poll = db.session.scalar(sa.select(Poll).order_by(Poll.id.desc()))
    assert (poll.deliberation_id, poll.proposal_id, poll.electorate, poll.secret) == (
        deliberation.id, proposal.id, "council", False)


def test_residents_cannot_set_up_polls(client, auth, demo):
    deliberation = add_deliberation(demo.community, demo.staff, [demo.resident])
    auth.login(demo.resident.phone)
    assert client.get(f"/polls/new?community={demo.community.id}").status_code == 403
    assert client.get(f"/polls/new?deliberation={deliberation.id}").status_code == 403
    assert client.post(f"/polls/new?community={demo.community.id}", data=_form()).status_code == 403


def test_paper_ballots_are_entered_by_one_and_confirmed_by_another(client, auth, demo):
    deliberation = add_deliberation(demo.community, demo.staff, [demo.resident], moderators=[demo.council])
    poll = add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="residents",
                    results_live=True)
    cast(poll, [demo.resident], "yes")
    auth.login(demo.council.phone)
    lines = {f"lines-{n}-option_id": str(o.id) for n, o in enumerate(poll.options)}
    bad = client.post(f"/polls/{poll.id}/paper", data={**lines, "lines-0-votes": "2", "lines-1-votes": "",
                                                       "lines-2-votes": "0"})
    assert bad.status_code == 400 and "请填写票数（没有请填 0）。" in bad.get_data(as_text=True)
    client.post(f"/polls/{poll.id}/paper", data={**lines, "lines-0-votes": "2", "lines-1-votes": "1",
                                                 "lines-2-votes": "0", "note": "居委会一楼投票箱"})
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "尚未计入" in page and "赞成 1 票" in page  # not counted until confirmed
    tally = db.session.scalar(sa.select(PaperTally).where(PaperTally.poll_id == poll.id))
    assert client.post(f"/polls/{poll.id}/paper/confirm").status_code == 403  # not by who entered them
    auth.login(demo.staff.phone)
    assert client.post(f"/polls/{poll.id}/paper/confirm").status_code == 303
    db.session.refresh(tally)
    assert tally.confirmed_by_id == demo.staff.id
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "其中纸质票 3 张" in page and "赞成 3 票" in page and "<th scope=\"col\">纸质</th>" in page
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.subject_type == "poll",
                                                                    AuditEntry.subject_id == poll.id)
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["poll.paper_enter", "poll.paper_confirm"]
    audit = client.get(f"/communities/{demo.community.id}/audit").get_data(as_text=True)
    assert "确认了纸质票票数" in audit and "赞成 2，反对 1，弃权 0（3）" in audit


def test_paper_ballots_cannot_outnumber_the_electorate(client, auth, demo):
    poll = add_poll(demo.community, demo.staff)
    auth.login(demo.staff.phone)
    lines = {f"lines-{n}-option_id": str(o.id) for n, o in enumerate(poll.options)}
    response = client.post(f"/polls/{poll.id}/paper", data={**lines, "lines-0-votes": "900", "lines-1-votes": "0",
                                                            "lines-2-votes": "0"})
    assert response.status_code == 400 and "票数将超过应投票人数" in response.get_data(as_text=True)


def test_the_result_has_a_chart_a_table_and_a_safe_csv(client, demo, make_user):
    poll = add_poll(demo.community, demo.staff, method="single", options=["=HYPERLINK(\"x\")", "方案乙", "@方案丙"])
    people = [make_user(demo.community, verified=True) for _ in range(3)]
    cast(poll, people[:2], "=HYPERLINK(\"x\")")
    cast(poll, people[2:], "方案乙")
    time_up(poll)
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert '<svg class="poll-chart"' in page and '<table class="poll-table">' in page
    assert "“=HYPERLINK(&#34;x&#34;)”得票最多：2 票，占 66.7%" in page
    response = client.get(f"/polls/{poll.id}/results.csv")
    assert response.mimetype == "text/csv" and response.get_data(as_text=True).startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"x\")" in cells and "'@方案丙" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert ["方案乙", "1", "0", "1", "33.3%"] in rows


def test_the_list_shows_a_communitys_polls_and_their_outcome(client, auth, demo):
    running = add_poll(demo.community, demo.staff, title="是否同意调整广场舞时段？")
    done = add_poll(demo.community, demo.staff, title="是否同意更换小区门禁？")
    other = add_poll(demo.community2, demo.admin, title="翠湖社区的表决")
    cast(done, [demo.resident], "no")
    time_up(done)
    page = client.get(f"/polls/?community={demo.community.id}").get_data(as_text=True)
    assert running.title in page and done.title in page and other.title not in page
    assert page.index(running.title) < page.index(done.title)  # open ones first
    assert "未通过" in page
    auth.login(demo.staff.phone)
    assert "发起民意征集" in client.get(f"/polls/?community={demo.community.id}").get_data(as_text=True)
    assert client.get("/polls/?community=999").status_code == 404


def test_unknown_polls_and_subjects_are_404(client, auth, demo):
    auth.login(demo.staff.phone)
    for url in ("/polls/999", "/polls/999/ballots", "/polls/new?deliberation=999", "/polls/new?proposal=999",
                "/polls/new?community=999", "/polls/new"):
        assert client.get(url).status_code == 404, url


def test_an_option_can_be_chosen_again_after_a_refusal(client, auth, demo):
    """A refused ballot (nothing chosen) leaves the form there to try again."""
    poll = add_poll(demo.community, demo.staff)
    auth.login(demo.resident.phone)
    page = client.post(f"/polls/{poll.id}/vote", data={}, follow_redirects=True).get_data(as_text=True)
    assert "请选择一项。" in page and 'name="option"' in page
