"""Forms for proposals; field names follow the Proposal and Community models."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from forum.accounts.forms import _optional_int
from forum.core.categories import category_choices
from forum.core.forms import SiteForm


class ProposalForm(SiteForm):
    title = StringField(_l("Title of the proposal"), validators=[
        DataRequired(_l("Please write a short title.")), Length(4, 60, _l("The title needs 4 to 60 characters."))])
    body = TextAreaField(_l("What should be done, and why"), validators=[
        DataRequired(_l("Please explain the proposal.")),
        Length(20, 8000, _l("Please explain the proposal in 20 to 8000 characters."))])
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Please choose a category."))])

    def set_choices(self):
        self.category.choices = category_choices(blank=_l("Choose a category"))
        return self

    def proposal_fields(self) -> dict:
        return {"title": self.title.data, "body": self.body.data or "", "category": self.category.data}


class StepForm(SiteForm):
    """One form for every step on a proposal's page; each step reads the fields it needs."""

    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    deliberation = SelectField(_l("Deliberation"), coerce=_optional_int, validate_choice=False,
                               validators=[Optional()])
    project = SelectField(_l("Project"), coerce=_optional_int, validate_choice=False, validators=[Optional()])


class SettingsForm(SiteForm):
    proposal_threshold = IntegerField(_l("Supporters needed"), validators=[
        InputRequired(_l("Please enter a number of supporters from 1 to 1000.")),
        NumberRange(1, 1000, _l("Please enter a number of supporters from 1 to 1000."))])
    proposal_window_days = IntegerField(_l("Days to collect support"), validators=[
        InputRequired(_l("Please enter a number of days from 1 to 365.")),
        NumberRange(1, 365, _l("Please enter a number of days from 1 to 365."))])
