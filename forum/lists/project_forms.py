"""Forms for projects; field names follow the Project model."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (DateField, DecimalField, FileField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.accounts.forms import _optional_int
from forum.core.forms import SiteForm


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectForm(SiteForm):
    title = StringField(_l("Project name"), validators=[
        DataRequired(_l("Please name the project.")), Length(4, 60, _l("The name needs 4 to 60 characters."))])
    summary = TextAreaField(_l("What will be done"), validators=[Length(max=5000)])
    lead_unit = SelectField(_l("Lead unit"), coerce=_optional_int, validate_choice=False)
    responsible_id = SelectField(_l("Responsible staff member"), coerce=_optional_int, validate_choice=False)
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    planned_end = DateField(_l("Planned end"), validators=[Optional()])
    budget = DecimalField(_l("Budget in yuan (optional)"), places=2, validators=[
        Optional(), NumberRange(0, 100_000_000, _l("Please enter an amount of 0 or more."))])
    needs = CheckboxList(_l("Needs it meets"), coerce=int)
    resources = CheckboxList(_l("Resources it uses"), coerce=int)
    milestones = TextAreaField(_l("Milestones (one per line, optionally starting with a date)"),
                               validators=[Length(max=2000)])

    def validate_planned_end(self, field):
        if field.data and self.planned_start.data and field.data < self.planned_start.data:
            raise ValidationError(_l("The end cannot be before the start."))

    def set_choices(self, community, needs, resources, staff=()):
        self.responsible_id.choices = [(u.id, u.display_name) for u in staff]
        self.lead_unit.choices = [("", _l("Community staff lead"))] + [(u.id, u.name) for u in community.units]
        self.needs.choices = [(n.id, f"#{n.id} {n.title}") for n in needs]
        self.resources.choices = [(r.id, f"{r.title}（{r.unit.name if r.unit else r.owner.display_name}）")
                                  for r in resources]

    def project_fields(self, community) -> dict:
        lead = next((u for u in community.units if u.id == self.lead_unit.data), None)
        return {"title": self.title.data.strip(), "summary": self.summary.data or "", "lead_unit": lead,
                "planned_start": self.planned_start.data, "planned_end": self.planned_end.data,
                "budget": self.budget.data, "responsible_id": self.responsible_id.data}

    def milestone_lines(self) -> list[tuple[str, date | None]]:
        found = []
        for line in (self.milestones.data or "").splitlines():
            line = line.strip()
            if not line:
                continue
            head, _, rest = line.partition(" ")
            try:
                found.append((rest.strip() or head, date.fromisoformat(head)))
            except ValueError:
                found.append((line, None))
        return found


class UpdateForm(SiteForm):
    body = TextAreaField(_l("What happened"), validators=[
        DataRequired(_l("Please describe the progress.")), Length(max=3000)])
    percent_done = IntegerField(_l("Percent done"), validators=[
        DataRequired(_l("Please give a percentage.")), NumberRange(0, 100, _l("Please enter 0 to 100."))])
    photo = FileField(_l("Photo (optional)"))


class RatingForm(SiteForm):
    score = IntegerField(_l("Rating"), validators=[DataRequired(_l("Please choose 1 to 5 stars.")),
                                                   NumberRange(1, 5, _l("Please choose 1 to 5 stars."))])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=1000)])


class MilestoneForm(SiteForm):
    title = StringField(_l("Milestone"), validators=[DataRequired(_l("Please name the milestone.")), Length(max=120)])
    due_on = DateField(_l("Due (optional)"), validators=[Optional()])


class ProjectStepForm(SiteForm):
    note = TextAreaField(_l("Reason"), validators=[Length(max=1000)])
