"""The figures of /stats/ on known data: medians, rates, averages and turnout, for a community and a street."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from stats_factory import SHANGHAI, add_poll, add_proposals, add_unit_work, build, local, raise_need

from forum.stats import periods, scope, services
from forum.stats.needs import need_figures

HOURS = 3600
DAYS = 86400
MARCH = periods.custom(date(2026, 3, 1), date(2026, 3, 31))
NOW = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)


@pytest.fixture
def data(app, make_user):
    return add_poll(add_proposals(add_unit_work(build(make_user))))


def _march():
    return MARCH.bounds(SHANGHAI)


def test_needs_of_a_community_by_status_and_category(data):
    figures = need_figures(scope.of_community(data.a), _march())
    assert figures.total == 5  # the February need and 翠湖's are left out
    assert figures.by_status == {"closed": 1, "resolved": 1, "published": 1, "rejected": 1, "submitted": 1}
    assert figures.by_category == {"facilities": 2, "culture": 1, "elderly": 1, "environment": 1}


def test_median_first_response_counts_staff_comments_and_steps(data):
    figures = need_figures(scope.of_community(data.a), _march())
    # 2 h (published), 4 h (published), 1 h (staff commented before publishing after 6 h), 8 h (rejected);
    # the need still waiting for review has no response.
    assert figures.responded == 4
    assert figures.median_response_seconds == pytest.approx(3 * HOURS)


def test_median_resolution_and_resolution_rate(data):
    figures = need_figures(scope.of_community(data.a), _march())
    assert figures.median_resolution_seconds == pytest.approx(15 * DAYS)  # 10 and 20 days
    # Taken on: the closed, the resolved and the published need; not the rejected or the one waiting.
    assert (figures.resolved, figures.taken_on, figures.resolution_rate) == (2, 3, Decimal("66.7"))


def test_a_street_covers_its_communities(data):
    figures = need_figures(scope.of_street(data.street), _march())
    assert figures.total == 6
    # 翠湖社区's need was answered after 5 hours: 1, 2, 4, 5, 8 hours.
    assert figures.median_response_seconds == pytest.approx(4 * HOURS)
    assert need_figures(scope.of_community(data.b), _march()).total == 1


def test_an_author_acting_on_their_own_need_is_no_response(app, make_user):
    from stats_factory import places, step

    _, community, _, _ = places()
    author = make_user(community, verified=True)
    need = raise_need(author, community, local(3))
    step(author, need, "withdraw", local(3, hour=10))
    figures = need_figures(scope.of_community(community), _march())
    assert (figures.total, figures.responded, figures.median_response_seconds) == (1, 0, None)


def test_satisfaction_of_projects_and_needs(data):
    found = services.satisfaction(scope.of_community(data.a), _march())
    assert (found.project_average, found.project_ratings) == (Decimal("3.50"), 2)
    assert (found.need_average, found.need_ratings) == (Decimal("4.00"), 1)
    assert found.average == Decimal("3.67")  # (5 + 2 + 4) / 3


def test_proposals_from_submission_to_decision(data):
    found = services.proposal_figures(scope.of_community(data.a), _march())
    assert found.submitted == 3
    assert found.by_outcome == {"open": 1, "passed": 1, "not_passed": 0, "declined": 1, "expired": 0, "withdrawn": 0}
    assert found.decided == 2
    assert found.median_decision_seconds == pytest.approx(7 * DAYS)  # 10 and 4 days


def test_turnout_of_each_poll(data):
    [turnout] = services.poll_turnouts(scope.of_community(data.a), _march(), NOW)
    assert (turnout.title, turnout.state) == ("是否同意在北门增设快递柜？", "closed")
    assert (turnout.ballots, turnout.electorate, turnout.share) == (3, 4, Decimal("75.0"))
    assert services.poll_turnouts(scope.of_community(data.b), _march(), NOW) == []


def test_each_unit_contribution(data):
    [school] = services.unit_contributions(scope.of_community(data.a), _march())
    assert (school.name, school.resources, school.needs_claimed, school.projects_led) == ("青松路小学", 1, 1, 1)
    assert school.volunteer_hours == Decimal("3.5")
    found = services.volunteering(scope.of_community(data.a), _march())
    assert (found.activities, found.volunteers, found.hours) == (1, 2, Decimal("3.5"))


def test_participation_in_the_last_30_days_of_the_period(data):
    found = services.participation(scope.of_community(data.a), _march(), NOW)
    # 刘桂芳, 孙浩 and 陈芳 posted, voted or signed up; 马强 did nothing. Staff and unit contacts live elsewhere.
    assert (found.active, found.registered, found.share) == (3, 4, Decimal("75.0"))
    assert found.since == datetime(2026, 3, 2, tzinfo=SHANGHAI)
    street = services.participation(scope.of_street(data.street), _march(), NOW)
    assert (street.active, street.registered) == (4, 5)  # 黄丽娟 of 翠湖社区 posted a need


def test_the_periods_figures_leave_out_what_lies_outside(data):
    february = periods.custom(date(2026, 2, 1), date(2026, 2, 28)).bounds(SHANGHAI)
    assert need_figures(scope.of_community(data.a), february).total == 1
    assert services.proposal_figures(scope.of_community(data.a), february).by_outcome["passed"] == 1
    assert services.poll_turnouts(scope.of_community(data.a), february, NOW) == []
    assert services.satisfaction(scope.of_community(data.a), february).ratings == 0


@pytest.mark.parametrize("name, today, start", [
    ("month", date(2026, 11, 24), date(2026, 11, 1)),
    ("quarter", date(2026, 11, 24), date(2026, 8, 25)),
    ("quarter", date(2026, 5, 31), date(2026, 3, 1)),  # three months before 31 May: 28 February, then the next day
    ("year", date(2026, 11, 24), date(2026, 1, 1)),
])
def test_preset_periods_end_today(name, today, start):
    period = periods.preset(name, today)
    assert (period.start, period.end) == (start, today)


def test_a_period_covers_whole_local_days():
    start, end = periods.custom(date(2026, 3, 1), date(2026, 3, 31)).bounds(SHANGHAI)
    assert start == datetime(2026, 2, 28, 16, tzinfo=timezone.utc)
    assert end == datetime(2026, 3, 31, 16, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        periods.custom(date(2026, 3, 2), date(2026, 3, 1))
