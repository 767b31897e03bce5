"""The count and every rule, as plain functions: no app, no database."""
from decimal import Decimal

import pytest

from forum.voting.tally import OptionCount, Rules, percent, quorum_needed, tally


def yes_no(yes, no=0, abstain=0, *, electorate=100, rule="simple_majority", quorum=0, paper=(0, 0, 0),
           areas=(0, 0, 0), total_area=0):
    options = [OptionCount("赞成", "yes", yes, paper[0], Decimal(areas[0])),
               OptionCount("反对", "no", no, paper[1], Decimal(areas[1])),
               OptionCount("弃权", "abstain", abstain, paper[2], Decimal(areas[2]))]
    ballots = yes + no + abstain + sum(paper)
    return tally(options, ballots=ballots, paper_ballots=sum(paper), electorate=electorate,
                 electorate_area=Decimal(total_area), rules=Rules("yes_no", rule, quorum))


def test_more_than_half_of_the_votes_cast_passes():
    result = yes_no(6, 4)
    assert result.passed and result.rule_met and result.quorum_met


def test_exactly_half_of_the_votes_cast_is_not_a_majority():
    assert yes_no(5, 5).passed is False


def test_a_tie_does_not_pass():
    result = yes_no(3, 3, 0)
    assert result.passed is False and result.row("yes").share == result.row("no").share == Decimal("50.0")


def test_abstentions_count_toward_the_votes_cast_not_toward_yes():
    # 5 yes, 4 no: a majority of yes and no; with 2 abstaining, 5 of 11 is not more than half.
    assert yes_no(5, 4, 0).passed is True
    result = yes_no(5, 4, 2)
    assert result.passed is False and result.ballots == 11 and result.row("yes").share == Decimal("45.5")


def test_abstentions_count_toward_the_quorum():
    result = yes_no(20, 5, 25, electorate=100, quorum=50)
    assert result.quorum_met and result.ballots == 50


def test_quorum_just_missed_fails_even_with_every_vote_in_favour():
    result = yes_no(49, electorate=100, quorum=50)
    assert result.rule_met is True and result.quorum_met is False and result.passed is False
    assert result.quorum_needed == 50


def test_exactly_the_quorum_is_enough():
    assert yes_no(50, electorate=100, quorum=50).quorum_met


def test_the_quorum_rounds_up_to_whole_voters():
    # A third of 10 people is 3.33: 4 must vote.
    assert quorum_needed(34, 10) == 4 and quorum_needed(30, 10) == 3 and quorum_needed(0, 10) == 0
    assert yes_no(3, electorate=10, quorum=34).quorum_met is False


def test_zero_turnout_without_a_quorum_passes_nothing():
    result = yes_no(0, electorate=30)
    assert result.ballots == 0 and result.quorum_met and result.passed is False
    assert result.turnout_share == Decimal("0.0") and result.row("yes").share is None


@pytest.mark.parametrize("rule", ["simple_majority", "two_thirds", "electorate_majority", "double_majority"])
def test_zero_turnout_fails_every_rule(rule):
    assert yes_no(0, electorate=30, rule=rule, total_area=1000).passed is False


def test_an_empty_electorate_has_no_shares_and_passes_nothing():
    result = yes_no(0, electorate=0, quorum=50)
    assert result.turnout_share is None and result.quorum_met and result.passed is False


def test_two_thirds_of_the_votes_cast_includes_exactly_two_thirds():
    assert yes_no(20, 10, rule="two_thirds").passed is True
    assert yes_no(19, 10, rule="two_thirds").passed is False
    assert yes_no(20, 9, 1, rule="two_thirds").passed is True


def test_majority_of_the_electorate_counts_those_who_stayed_away():
    assert yes_no(40, 0, electorate=100, rule="electorate_majority").passed is False
    assert yes_no(50, 0, electorate=100, rule="electorate_majority").passed is False
    assert yes_no(51, 40, electorate=100, rule="electorate_majority").passed is True


def test_double_majority_needs_more_than_half_of_households_and_of_area():
    result = yes_no(34, 20, 6, electorate=60, rule="double_majority", areas=("3672", "2000", "328"),
                    total_area=6000)
    assert result.passed and result.households_met and result.area_met
    assert percent(34, 60) == Decimal("56.7") and result.row("yes").area_share == Decimal("61.2")


def test_double_majority_met_by_count_but_not_by_area_fails():
    result = yes_no(31, 20, electorate=60, rule="double_majority", areas=("2900", "3000", "0"), total_area=6000)
    assert result.households_met is True and result.area_met is False and result.passed is False


def test_double_majority_met_by_area_but_not_by_count_fails():
    result = yes_no(30, 20, electorate=60, rule="double_majority", areas=("3500", "1000", "0"), total_area=6000)
    assert result.households_met is False and result.area_met is True and result.passed is False


def test_double_majority_exactly_half_of_the_area_is_not_more_than_half():
    result = yes_no(40, electorate=60, rule="double_majority", areas=("3000.00", "0", "0"), total_area="6000.00")
    assert result.area_met is False and result.passed is False


def test_paper_ballots_count_with_the_online_ones_and_stay_apart():
    result = yes_no(4, 5, 0, paper=(3, 0, 0), electorate=20)
    assert result.ballots == 12 and result.paper_ballots == 3
    assert (result.row("yes").online, result.row("yes").paper, result.row("yes").votes) == (4, 3, 7)
    assert result.passed is True


def choice(counts, ballots=None, quorum=0, electorate=50):
    options = [OptionCount(label, online=n) for label, n in counts.items()]
    return tally(options, ballots=sum(counts.values()) if ballots is None else ballots, paper_ballots=0,
                 electorate=electorate, rules=Rules("single", "plurality", quorum))


def test_a_choice_poll_finds_the_option_with_most_votes_and_decides_nothing():
    result = choice({"服务中心一楼": 18, "南门便利店": 12, "活动室": 10})
    assert result.passed is None and result.winner.label == "服务中心一楼" and result.winner.share == Decimal("45.0")


def test_a_tie_at_the_top_has_no_single_winner():
    result = choice({"甲": 12, "乙": 12, "丙": 3})
    assert [r.label for r in result.leaders] == ["甲", "乙"] and result.winner is None


def test_a_choice_poll_short_of_its_quorum_has_no_winner():
    result = choice({"甲": 10, "乙": 2}, quorum=50, electorate=50)
    assert not result.quorum_met and result.winner is None


def test_multiple_choice_shares_are_of_ballots_so_they_add_up_to_more_than_100():
    result = tally([OptionCount("甲", online=8), OptionCount("乙", online=6)], ballots=10, paper_ballots=0,
                   electorate=20, rules=Rules("multiple", "plurality"))
    assert [r.share for r in result.rows] == [Decimal("80.0"), Decimal("60.0")]


def test_nobody_voting_in_a_choice_poll_has_no_leader():
    assert choice({"甲": 0, "乙": 0}).leaders == []


def test_a_yes_no_poll_refuses_a_rule_it_cannot_apply():
    with pytest.raises(ValueError):
        yes_no(1, rule="plurality")
