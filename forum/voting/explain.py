"""The one sentence that explains a poll's result, in the reader's language.

E.g. "投票 42 户，总户数 60 户，投票率 70.0%；赞成 34 户，占总户数 56.7%；赞成面积占 61.2%；双过半，通过".
"""
from flask_babel import gettext as _

from forum.voting.tally import Result, percent


def pct(share) -> str:
    return "—" if share is None else f"{share}%"


def sentence(result: Result, households: bool) -> str:
    """Turnout, quorum, the count that the rule looks at, and the verdict."""
    parts = [_turnout(result, households)]
    if result.paper_ballots:
        parts.append(_("including %(num)d on paper", num=result.paper_ballots))
    if result.rules.quorum_percent:
        parts.append(_quorum(result, households))
    if result.ballots == 0:
        parts.append(_("nobody voted"))
    if result.rules.method == "yes_no":
        if result.ballots:
            parts.extend(_yes_no_counts(result, households))
        parts.append(_verdict(result))
    elif result.ballots:
        parts.append(_choice(result))
    text = parts[0]
    for part in parts[1:]:  # Chinese joins the clauses with a full-width semicolon
        text = _("%(earlier)s; %(later)s", earlier=text, later=part)
    return text


def _turnout(result: Result, households: bool) -> str:
    values = {"num": result.ballots, "total": result.electorate, "share": pct(result.turnout_share)}
    if households:
        return _("%(num)d of %(total)d households voted, a turnout of %(share)s", **values)
    return _("%(num)d of %(total)d voted, a turnout of %(share)s", **values)


def _quorum(result: Result, households: bool) -> str:
    values = {"percent": result.rules.quorum_percent, "needed": result.quorum_needed}
    if result.quorum_met:
        return _("quorum of %(percent)d%% reached", **values)
    if households:
        return _("quorum of %(percent)d%% not reached (%(needed)d households needed)", **values)
    return _("quorum of %(percent)d%% not reached (%(needed)d needed)", **values)


def _yes_no_counts(result: Result, households: bool) -> list[str]:
    yes, no, abstain = (result.row(key) for key in ("yes", "no", "abstain"))
    others = {"no": no.votes if no else 0, "abstain": abstain.votes if abstain else 0}
    rule = result.rules.pass_rule
    if rule == "double_majority":
        return [_("%(yes)d households in favour, %(share)s of all households",
                  yes=result.yes, share=pct(percent(result.yes, result.electorate))),
                _("the floor area in favour is %(share)s of the total", share=pct(yes.area_share if yes else None)),
                _("%(no)d households against, %(abstain)d abstaining", **others)]
    if rule == "electorate_majority":
        in_favour = _("%(yes)d in favour, %(share)s of the whole electorate",
                      yes=result.yes, share=pct(percent(result.yes, result.electorate)))
    else:
        in_favour = _("%(yes)d in favour, %(share)s of the votes cast", yes=result.yes,
                      share=pct(yes.share if yes else None))
    against = (_("%(no)d households against, %(abstain)d abstaining", **others) if households
               else _("%(no)d against, %(abstain)d abstaining", **others))
    return [in_favour, against]


def _verdict(result: Result) -> str:
    if not result.quorum_met:
        return _("quorum not reached: not passed")
    rule, met = result.rules.pass_rule, result.rule_met
    if rule == "double_majority":
        if met:
            return _("more than half of the households and of the floor area: passed")
        if result.households_met:
            return _("more than half of the households but not of the floor area: not passed")
        if result.area_met:
            return _("more than half of the floor area but not of the households: not passed")
        return _("neither the households nor the floor area more than half: not passed")
    verdicts = {
        "simple_majority": (_("more than half of the votes cast: passed"),
                            _("not more than half of the votes cast: not passed")),
        "two_thirds": (_("two thirds of the votes cast: passed"),
                       _("less than two thirds of the votes cast: not passed")),
        "electorate_majority": (_("more than half of the whole electorate: passed"),
                                _("not more than half of the whole electorate: not passed")),
    }
    passed, failed = verdicts[rule]
    return passed if met else failed


def _choice(result: Result) -> str:
    if not result.quorum_met:
        return _("quorum not reached: no result")
    leaders = result.leaders
    if len(leaders) == 1:
        top = leaders[0]
        return _("“%(option)s” has the most votes: %(votes)d, %(share)s of the ballots",
                 option=top.label, votes=top.votes, share=pct(top.share))
    names = f"“{leaders[0].label}”"
    for row in leaders[1:]:  # Chinese lists names with 、
        names = _("%(earlier)s, %(later)s", earlier=names, later=f"“{row.label}”")
    return _("%(options)s are level with %(votes)d votes each: no single option has the most",
             options=names, votes=leaders[0].votes)
