"""Voting: who may vote, when, how often; frozen rules; closing, on time or early; the proposal it decides."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from poll_factory import add_deliberation, add_poll, add_proposal, cast, house, option, time_up

from forum.accounts.models import User
from forum.core.audit import AuditEntry
from forum.extensions import db
from forum.voting import services, setup
from forum.voting.models import Ballot, Poll, PollVoter
from forum.voting.summary import poll_summaries


def _refused(poll, user, options):
    with pytest.raises(services.PollError) as caught:
        services.vote(user, poll, options)
    return str(caught.value.message)


def test_a_verified_resident_votes_once_on_the_page_and_keeps_a_receipt(client, auth, demo):
    poll = add_poll(demo.community, demo.staff)
    auth.login(demo.resident.phone)
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "投票" in page and 'name="option"' in page
    response = client.post(f"/polls/{poll.id}/vote", data={"option": option(poll, "yes")})
    assert response.status_code == 303
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "投票成功，谢谢您！" in page and "您已投票。" in page and "您的回执码：" in page
    assert 'name="option"' not in page
    again = client.post(f"/polls/{poll.id}/vote", data={"option": option(poll, "no")}, follow_redirects=True)
    assert "您已经投过票了。" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id)) == 1


def test_an_unverified_resident_is_told_to_have_the_address_verified(demo):
    poll = add_poll(demo.community, demo.staff)
    assert _refused(poll, demo.unverified, [option(poll, "yes")]) == "您的住址还没有核验，请到社区居委会办理核验。"


def test_a_resident_of_another_community_cannot_vote(demo):
    poll = add_poll(demo.community, demo.staff)
    assert _refused(poll, demo.resident2, [option(poll, "yes")]) == "只有青松社区已核验的居民可以参加本次投票。"


def test_a_poll_of_listed_compounds_refuses_residents_of_the_others(demo):
    poll = add_poll(demo.community, demo.staff, compounds=[demo.community.compounds[1]])
    assert _refused(poll, demo.resident, [option(poll, "yes")]) == "本次投票仅限松竹小区的居民参加。"
    services.vote(demo.council, poll, [option(poll, "yes")])  # 松竹小区 5号楼


def test_a_vote_before_the_poll_opens_or_after_it_closes_is_refused(demo):
    early = add_poll(demo.community, demo.staff, opens_in=timedelta(days=1), closes_in=timedelta(days=2))
    assert _refused(early, demo.resident, [option(early, "yes")]).startswith("投票将于 ")
    late = time_up(add_poll(demo.community, demo.staff))
    assert _refused(late, demo.resident, [option(late, "yes")]) == "本次投票已经结束。"


def test_a_resident_cannot_vote_in_a_council_poll_but_a_council_member_can(demo, make_user):
    outsider = make_user(demo.community, verified=True)
    deliberation = add_deliberation(demo.community, demo.staff, [demo.council, demo.resident])
    poll = add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="council", secret=False)
    assert _refused(poll, outsider, [option(poll, "yes")]) == \
        "只有本次议事的议事会成员（参会成员）可以参加这次表决。"
    services.vote(demo.council, poll, [option(poll, "no")])
    assert db.session.get(PollVoter, (poll.id, demo.council.id)) is not None


def test_one_ballot_per_household_the_others_see_it_is_used(client, auth, demo, make_user):
    compound = demo.community.compounds[0]
    husband = house(make_user(demo.community, verified=True, name="郑志国"), demo.community, compound, "2号楼",
                    "101", "72.80")
    wife = house(make_user(demo.community, verified=True), demo.community, compound, " 2号楼 ", "101", "72.80")
    poll = add_poll(demo.community, demo.staff, electorate="households")
    services.vote(husband, poll, [option(poll, "yes")])
    assert _refused(poll, wife, [option(poll, "no")]) == "您家（青松苑 2号楼 101）已经投过票了：由郑志国投出。"
    auth.login(wife.phone)
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "您家（青松苑 2号楼 101）已经投过票了：由郑志国投出。" in page
    assert 'name="option"' not in page


def test_a_household_vote_needs_a_building_and_room_on_the_verified_address(demo, make_user):
    user = house(make_user(demo.community, verified=True), demo.community, demo.community.compounds[0], None, None,
                 None)
    poll = add_poll(demo.community, demo.staff, electorate="households")
    assert "没有楼栋和门牌号" in _refused(poll, user, [option(poll, "yes")])


@pytest.mark.parametrize(("method", "chosen", "message"), [
    ("single", ["甲", "乙"], "只能选择一项。"),
    ("single", [], "请选择一项。"),
    ("multiple", ["甲", "乙", "丙"], "最多只能选 2 项。"),
    ("multiple", [], "请至少选择一项。"),
])
def test_a_ballot_with_the_wrong_number_of_choices_is_refused(demo, method, chosen, message):
    poll = add_poll(demo.community, demo.staff, method=method, options=["甲", "乙", "丙"],
                    max_choices=2 if method == "multiple" else None)
    assert _refused(poll, demo.resident, [option(poll, label) for label in chosen]) == message


def test_an_option_of_another_poll_is_refused(demo):
    poll, other = add_poll(demo.community, demo.staff), add_poll(demo.community, demo.staff)
    assert _refused(poll, demo.resident, [option(other, "yes")]) == "请选择一项。"


def test_the_rules_are_frozen_once_the_first_ballot_is_cast(client, auth, demo):
    poll = add_poll(demo.community, demo.staff)
    fields = {**_fields_of(poll), "quorum_percent": 30}
    setup.update_poll(demo.staff, poll, fields)
    assert poll.quorum_percent == 30
    services.vote(demo.resident, poll, [option(poll, "yes")])
    with pytest.raises(services.PollError, match="已经有人投票"):
        setup.update_poll(demo.staff, poll, {**fields, "quorum_percent": 60})
    db.session.refresh(poll)
    assert poll.quorum_percent == 30
    auth.login(demo.staff.phone)
    assert "已经有人投票，表决规则不能再修改。" in client.get(f"/polls/{poll.id}/edit").get_data(as_text=True)


def _fields_of(poll):
    return {"title": poll.title, "body": poll.body, "method": poll.method, "options": [],
            "max_choices": poll.max_choices, "electorate": poll.electorate, "compound_ids": [],
            "opens_at": poll.opens_at, "closes_at": poll.closes_at, "results_live": poll.results_live,
            "quorum_percent": poll.quorum_percent, "pass_rule": poll.pass_rule, "secret": poll.secret,
            "proposal_id": poll.proposal_id}


def test_staff_close_a_poll_early_with_a_reason_on_the_timeline_and_the_audit_trail(client, auth, demo):
    poll = add_poll(demo.community, demo.staff)
    cast(poll, [demo.resident], "yes")
    auth.login(demo.staff.phone)
    refused = client.post(f"/polls/{poll.id}/close", data={"note": " "})
    assert refused.status_code == 400 and "请填写理由" in refused.get_data(as_text=True)
    client.post(f"/polls/{poll.id}/close", data={"note": "议事会决定改为现场表决。"})
    db.session.refresh(poll)
    assert poll.status == "closed" and poll.passed is True
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "提前结束" in page and "议事会决定改为现场表决。" in page
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "poll.close_early"))
    assert entry.subject_id == poll.id and entry.actor_id == demo.staff.id


def test_a_moderator_may_not_close_a_poll_early(client, auth, demo):
    deliberation = add_deliberation(demo.community, demo.staff, [demo.resident], moderators=[demo.council])
    poll = add_poll(demo.community, demo.council, deliberation=deliberation, electorate="council")
    auth.login(demo.council.phone)
    assert client.post(f"/polls/{poll.id}/close", data={"note": "想早点结束"}).status_code == 403
    assert db.session.get(Poll, poll.id).status == "open"


def test_a_poll_closes_when_someone_looks_after_its_time_and_decides_its_proposal(client, demo):
    proposal = add_proposal(demo.community, demo.resident)
    deliberation = add_deliberation(demo.community, demo.staff, [demo.council, demo.resident, demo.staff],
                                    proposals=[proposal])
    poll = add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="council", secret=False,
                    proposal_id=proposal.id, quorum=50)
    cast(poll, [demo.council, demo.resident], "yes")
    time_up(poll)
    page = client.get(f"/polls/{poll.id}").get_data(as_text=True)
    db.session.expire_all()
    poll = db.session.get(Poll, poll.id)
    assert poll.status == "closed" and poll.passed is True and poll.electorate_size == 3
    sentence = "投票 2 人，应投票 3 人，投票率 66.7%；达到法定人数（50%）；赞成 2 票，占投票数 100.0%；" \
               "反对 0 票，弃权 0 票；超过投票数的半数，通过"
    assert sentence in page
    assert proposal.status == "passed"
    from forum.proposals.services import timeline

    assert timeline(proposal)[-1].note == sentence


def test_a_failed_vote_rejects_its_proposal(demo):
    proposal = add_proposal(demo.community, demo.resident)
    poll = add_poll(demo.community, demo.staff, proposal=proposal)
    cast(poll, [demo.resident], "no")
    services.close_if_due(time_up(poll))
    assert proposal.status == "not_passed" and poll.passed is False


def test_a_choice_poll_decides_no_proposal(demo):
    proposal = add_proposal(demo.community, demo.resident)
    poll = add_poll(demo.community, demo.staff, proposal=proposal, method="single", options=["甲", "乙"])
    cast(poll, [demo.resident], "甲")
    services.close_if_due(time_up(poll))
    assert poll.status == "closed" and poll.passed is None and proposal.status == "in_deliberation"


def test_the_cli_closes_every_poll_whose_time_is_up(app, demo):
    due, running = add_poll(demo.community, demo.staff), add_poll(demo.community, demo.staff)
    time_up(due)
    result = app.test_cli_runner().invoke(args=["forum", "polls", "close-due"])
    assert "poll(s) closed" in result.output
    db.session.expire_all()
    assert db.session.get(Poll, due.id).status == "closed" and db.session.get(Poll, running.id).status == "open"


def test_results_are_hidden_until_the_close_unless_live(client, demo):
    hidden = add_poll(demo.community, demo.staff)
    live = add_poll(demo.community, demo.staff, results_live=True)
    for poll in (hidden, live):
        cast(poll, [demo.resident], "yes")
    hidden_page = client.get(f"/polls/{hidden.id}").get_data(as_text=True)
    assert "结果将在投票结束" in hidden_page and "赞成 1 票" not in hidden_page
    assert client.get(f"/polls/{hidden.id}/results.csv").status_code == 404
    live_page = client.get(f"/polls/{live.id}").get_data(as_text=True)
    assert "投票仍在进行" in live_page and "赞成 1 票" in live_page


def test_the_minutes_get_each_polls_summary(demo):
    deliberation = add_deliberation(demo.community, demo.staff, [demo.council, demo.resident])
    done = add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="council", title="第一项表决")
    add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="council",
             title="第二项表决", opens_in=timedelta(minutes=-5))
    live = add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="council", title="第三项表决",
                    results_live=True, opens_in=timedelta(minutes=-1))
    cast(done, [demo.council, demo.resident], "yes")
    cast(live, [demo.council], "no")
    time_up(done)  # due: the summary counts it as closed without waiting for anyone to look
    first, second, third = poll_summaries(deliberation)
    assert (first.title, first.is_closed, first.passed, first.url) == ("第一项表决", True, True, f"/polls/{done.id}")
    assert first.sentence.endswith("超过投票数的半数，通过")
    assert (second.is_closed, second.sentence, second.passed) == (False, "", None)
    assert (third.is_closed, third.passed) == (False, None) and "反对 1 票" in third.sentence
    assert db.session.get(Poll, done.id).status == "open"  # nothing written: the caller's transaction is its own


def test_double_majority_sentence_says_households_and_area(demo):
    """The demo's 青松苑 households: one ballot each, weighed by the verified floor area."""
    users = {u.phone: u for u in db.session.scalars(sa.select(User))}
    poll = add_poll(demo.community, demo.staff, electorate="households", secret=False, pass_rule="double_majority",
                    compounds=[demo.community.compounds[0]])
    cast(poll, [users[p] for p in ("13900000201", "13900000203", "13900000207", "13900000208", "13900000205")],
         "yes")
    cast(poll, [users["13900000202"]], "no")
    services.close_if_due(time_up(poll))
    from forum.voting.results import outcome

    assert outcome(poll).sentence == (
        "投票 6 户，总户数 9 户，投票率 66.7%；赞成 5 户，占总户数 55.6%；赞成面积占 58.4%；"
        "反对 1 户，弃权 0 户；双过半，通过")


def test_double_majority_refuses_a_secret_ballot(demo):
    with pytest.raises(services.PollError) as caught:
        add_poll(demo.community, demo.staff, electorate="households", pass_rule="double_majority", secret=True)
    assert caught.value.field == "ballot" and "请选择记名投票" in str(caught.value.message)


def test_a_proposals_polls_are_those_that_decide_it(demo):
    proposal = add_proposal(demo.community, demo.resident)
    deliberation = add_deliberation(demo.community, demo.staff, [demo.council], proposals=[proposal])
    direct = add_poll(demo.community, demo.staff, proposal=proposal)
    chosen = add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="council",
                      proposal_id=proposal.id)
    add_poll(demo.community, demo.staff, deliberation=deliberation, electorate="council")
    assert services.polls_of_proposal(proposal) == [direct, chosen]
