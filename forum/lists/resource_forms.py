"""Forms for resources; field names follow the Resource model."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.accounts.forms import _optional_int
from forum.core.categories import category_choices
from forum.core.forms import SiteForm
from forum.lists.resources import KIND_LABELS, SCOPE_LABELS


class ResourceEditForm(SiteForm):
    """What the owner may change later: title, text, capacity and dates."""

    title = StringField(_l("What can you offer?"), validators=[
        DataRequired(_l("Please write a short title.")),
        Length(2, 60, _l("The title needs 2 to 60 characters."))])
    body = TextAreaField(_l("Details"), validators=[Length(max=5000, message=_l("At most 5000 characters."))])
    capacity = StringField(_l("Capacity (optional)"), validators=[
        Length(max=80, message=_l("At most 80 characters."))])
    available_from = DateField(_l("Available from (optional)"), validators=[Optional()])
    available_until = DateField(_l("Available until (optional)"), validators=[Optional()])

    def validate_available_until(self, field):
        if field.data and self.available_from.data and field.data < self.available_from.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def resource_fields(self) -> dict:
        return {"title": self.title.data, "body": self.body.data or "", "capacity": self.capacity.data,
                "available_from": self.available_from.data, "available_until": self.available_until.data}


class ResourceForm(ResourceEditForm):
    """Posting: also for whom, where, what kind and how far it reaches."""

    unit = SelectField(_l("Offered by"), coerce=_optional_int)
    community = SelectField(_l("Community"), coerce=_optional_int,
                            validators=[DataRequired(_l("Please choose the community."))])
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Please choose a category."))])
    kind = SelectField(_l("Kind of resource"), validators=[DataRequired(_l("Please choose what kind it is."))])
    scope = SelectField(_l("Service area"), default="communities",
                        validators=[DataRequired(_l("Please choose the service area."))])

    def set_choices(self, units, communities, as_self: bool) -> None:
        self.unit.choices = [(unit.id, unit.name) for unit in units]
        if as_self:
            self.unit.choices.append(("", _l("Myself, as a volunteer")))
        self.community.choices = [("", _l("Choose the community"))] + [(c.id, c.full_name) for c in communities]
        self.category.choices = category_choices(blank=_l("Choose a category"))
        self.kind.choices = [("", _l("Choose the kind"))] + list(KIND_LABELS.items())
        self.scope.choices = list(SCOPE_LABELS.items())

    def resource_fields(self) -> dict:
        return {**super().resource_fields(), "category": self.category.data, "kind": self.kind.data,
                "scope": self.scope.data}


class StepForm(SiteForm):
    """Pause, resume, mark as used up or withdraw; withdrawing may say why, on the timeline."""

    note = TextAreaField(_l("Reason for withdrawing (optional)"), validators=[
        Length(max=500, message=_l("At most 500 characters."))])
