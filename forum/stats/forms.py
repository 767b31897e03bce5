"""The filters of /stats/ and of its ledgers: a GET form (no CSRF: it changes nothing)."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField
from wtforms.validators import Optional

from forum.core.categories import CATEGORIES
from forum.core.forms import SiteForm
from forum.stats import periods

PERIOD_LABELS = {"month": _l("This month"), "quarter": _l("The last 3 months"), "year": _l("This year"),
                 "custom": _l("Choose the dates")}


class StatsForm(SiteForm):
    class Meta:
        csrf = False

    scope = SelectField(_l("Community or street"), validate_choice=False)
    period = RadioField(_l("Period"), choices=list(PERIOD_LABELS.items()), default=periods.DEFAULT)
    start = DateField(_l("From"), name="from", validators=[Optional()])
    end = DateField(_l("To (included)"), name="to", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.period.data != "custom":
            return True
        if self.start.data is None or self.end.data is None:
            (self.start if self.start.data is None else self.end).errors.append(
                _l("Please give both the first and the last day."))
            return False
        if self.end.data < self.start.data:
            self.end.errors.append(_l("The last day cannot come before the first day."))
            return False
        return True

    def chosen_period(self, today) -> periods.Period:
        if self.period.data == "custom":
            return periods.custom(self.start.data, self.end.data)
        return periods.preset(self.period.data or periods.DEFAULT, today)


class LedgerForm(SiteForm):
    """A ledger's own filters, where they apply (the choices are set per ledger)."""

    class Meta:
        csrf = False

    category = SelectField(_l("Category"), choices=[("", _l("All categories"))] + list(CATEGORIES.items()),
                           default="")
    status = SelectField(_l("Status"), default="")
