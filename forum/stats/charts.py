"""Bar charts drawn on the server as SVG (templates/stats/_chart.html), from the figures.

A chart is plain data: its title, a description that says what it shows in words (the SVG's
<desc>), and one bar per row with its width worked out here; the template draws it and the same
rows again as a table for screen readers. Nothing runs in the browser.
"""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l, ngettext

from forum.core.categories import CATEGORIES

WIDTH = 320  # the viewBox; the SVG scales to its container
TRACK = 200  # the longest bar
ROW = 48  # each row: its label above, its bar below
OUTCOME_LABELS = {"open": _l("Still open"), "passed": _l("Passed"), "not_passed": _l("Not passed"),
                  "declined": _l("Declined"), "expired": _l("Expired"), "withdrawn": _l("Withdrawn")}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown: "12", "45.0%"
    width: float
    y: int


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on the page, for the ids that tie the title and description to the SVG
    title: str
    description: str
    label_header: str
    value_header: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * ROW + 4


def bar_chart(key, title, rows, *, label_header, value_header, top=None) -> BarChart:
    """`rows`: (label, value, text). Bars are scaled to `top` (default: the largest value)."""
    rows = list(rows)
    top = top or max([value for _, value, _ in rows] + [1])
    bars = [Bar(str(label), float(value), text, round(float(value) / float(top) * TRACK, 1), index * ROW)
            for index, (label, value, text) in enumerate(rows)]
    description = _("%(title)s: %(values)s.", title=title,
                    values=_("; ").join(f"{bar.label} {bar.text}" for bar in bars)) if bars else _("No data.")
    return BarChart(key, title, description, label_header, value_header, bars)


def needs_by_status(figures) -> BarChart:
    from forum.lists.needs import STATUS_LABELS as labels

    return bar_chart("needs-status", _("Needs by status"),
                     [(label, figures.by_status[status], str(figures.by_status[status]))
                      for status, label in labels.items() if figures.by_status.get(status)],
                     label_header=_("Status"), value_header=_("Needs"))


def needs_by_category(figures) -> BarChart:
    return bar_chart("needs-category", _("Needs by category"),
                     [(CATEGORIES.get(code, code), count, str(count)) for code, count in figures.by_category.items()],
                     label_header=_("Category"), value_header=_("Needs"))


def proposals_by_outcome(figures) -> BarChart:
    return bar_chart("proposals-outcome", _("Proposals by outcome"),
                     [(OUTCOME_LABELS[outcome], count, str(count))
                      for outcome, count in figures.by_outcome.items() if count],
                     label_header=_("Outcome"), value_header=_("Proposals"))


def poll_turnout(turnouts) -> BarChart:
    return bar_chart("poll-turnout", _("Turnout of each poll"),
                     [(t.title, t.share or 0, percent_text(t.share)) for t in turnouts], top=100,
                     label_header=_("Poll"), value_header=_("Turnout"))


def percent_text(share: Decimal | None) -> str:
    return "—" if share is None else f"{share}%"


def duration_text(seconds: float | None) -> str:
    """A median time as people say it: minutes under an hour, hours under two days, then days."""
    if seconds is None:
        return "—"
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    if seconds < 48 * 3600:
        return _("%(hours)s hours", hours=f"{seconds / 3600:.1f}")
    return _("%(days)s days", days=f"{seconds / 86400:.1f}")


def charts_of(figures) -> dict[str, BarChart]:
    return {"needs_status": needs_by_status(figures.needs), "needs_category": needs_by_category(figures.needs),
            "proposals": proposals_by_outcome(figures.proposals), "polls": poll_turnout(figures.polls)}
