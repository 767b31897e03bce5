"""The count and the rules of a poll, as plain functions of numbers (no app, no database).

Comparisons are made on whole numbers and Decimals, never floats, so "exactly half"
and "exactly two thirds" come out the way the rules say:
- more than half (过半): yes × 2 > base, so exactly half fails;
- two thirds (三分之二以上): yes × 3 ≥ cast × 2, so exactly two thirds passes;
- quorum (法定人数): turnout × 100 ≥ quorum% × electorate, so exactly the quorum is enough.
Abstentions count toward turnout (and so toward the votes cast), never toward yes.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class OptionCount:
    """One option's votes: cast online, cast on paper, and (for 双过半) the area behind them."""

    label: str
    key: str | None = None  # "yes", "no", "abstain" on a yes/no poll
    online: int = 0
    paper: int = 0
    area: Decimal = ZERO

    @property
    def votes(self) -> int:
        return self.online + self.paper


@dataclass(frozen=True)
class Rules:
    method: str  # "yes_no", "single", "multiple"
    pass_rule: str  # "simple_majority", "two_thirds", "electorate_majority", "double_majority", "plurality"
    quorum_percent: int = 0


@dataclass(frozen=True)
class Row:
    label: str
    key: str | None
    online: int
    paper: int
    votes: int
    share: Decimal | None  # percent of the ballots cast
    area: Decimal
    area_share: Decimal | None  # percent of the electorate's floor area


@dataclass(frozen=True)
class Result:
    rules: Rules
    rows: list[Row]
    ballots: int  # turnout: ballots cast online and on paper
    paper_ballots: int
    electorate: int
    electorate_area: Decimal
    turnout_share: Decimal | None
    quorum_needed: int
    quorum_met: bool
    # yes/no polls: whether the pass rule is met, and the verdict (quorum and rule); else None.
    rule_met: bool | None = None
    passed: bool | None = None
    households_met: bool | None = None  # 双过半: each half on its own
    area_met: bool | None = None
    leaders: list[Row] = field(default_factory=list)  # choice polls: the option(s) with most votes

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    @property
    def yes(self) -> int:
        row = self.row("yes")
        return row.votes if row else 0

    @property
    def winner(self) -> Row | None:
        """A choice poll's single most-chosen option, once the quorum is met."""
        return self.leaders[0] if len(self.leaders) == 1 and self.quorum_met else None


def percent(part, whole) -> Decimal | None:
    """`part` of `whole` in percent, to one decimal place (half up); None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def quorum_needed(quorum_percent: int, electorate: int) -> int:
    """The fewest ballots that meet the quorum: the smallest n with n × 100 ≥ quorum% × electorate."""
    return -(-quorum_percent * electorate // 100)


def more_than_half(part, whole) -> bool:
    return whole > 0 and part * 2 > whole


def tally(options: list[OptionCount], *, ballots: int, paper_ballots: int, electorate: int,
          electorate_area: Decimal = ZERO, rules: Rules) -> Result:
    """Count a poll: `ballots` cast in all (online and paper; a multiple-choice ballot marks
    several options), of which `paper_ballots` on paper, against an electorate of `electorate`
    people or households with `electorate_area` square metres."""
    rows = [Row(o.label, o.key, o.online, o.paper, o.votes, percent(o.votes, ballots), o.area,
                percent(o.area, electorate_area)) for o in options]
    needed = quorum_needed(rules.quorum_percent, electorate)
    base = {"rules": rules, "rows": rows, "ballots": ballots, "paper_ballots": paper_ballots, "electorate": electorate,
                "electorate_area": electorate_area, "turnout_share": percent(ballots, electorate),
                "quorum_needed": needed, "quorum_met": ballots >= needed}
    if rules.method != "yes_no":
        return Result(**base, leaders=_leaders(rows))
    yes = next((r for r in rows if r.key == "yes"), None)
    yes_votes, yes_area = (yes.votes, yes.area) if yes else (0, ZERO)
    verdict = _rule(rules.pass_rule, yes_votes, yes_area, ballots, electorate, electorate_area)
    return Result(**base, rule_met=verdict["met"], passed=base["quorum_met"] and verdict["met"],
                  households_met=verdict.get("households"), area_met=verdict.get("area"))


def _rule(rule: str, yes: int, yes_area: Decimal, cast: int, electorate: int, area: Decimal) -> dict:
    if rule == "simple_majority":
        return {"met": more_than_half(yes, cast)}
    if rule == "two_thirds":
        return {"met": cast > 0 and yes * 3 >= cast * 2}
    if rule == "electorate_majority":
        return {"met": more_than_half(yes, electorate)}
    if rule == "double_majority":
        households, by_area = more_than_half(yes, electorate), more_than_half(yes_area, area)
        return {"met": households and by_area, "households": households, "area": by_area}
    raise ValueError(f"a yes/no poll cannot be decided by {rule!r}")


def _leaders(rows: list[Row]) -> list[Row]:
    top = max((r.votes for r in rows), default=0)
    return [r for r in rows if r.votes == top] if top > 0 else []
