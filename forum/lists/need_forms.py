"""Forms for needs; field names follow the Need model."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from forum.accounts import services as accounts
from forum.accounts.forms import PhoneField, _optional_int
from forum.core.categories import category_choices
from forum.core.forms import SiteForm
from forum.lists.needs import URGENCY_LABELS


class NeedForm(SiteForm):
    title = StringField(_l("What do you need?"), validators=[
        DataRequired(_l("Please write a short title.")), Length(4, 60, _l("The title needs 4 to 60 characters."))])
    body = TextAreaField(_l("Details"), validators=[Length(max=5000, message=_l("At most 5000 characters."))])
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Please choose a category."))])
    urgency = RadioField(_l("Urgency"), coerce=int, default=1)
    compound = SelectField(_l("Compound (optional)"), coerce=_optional_int, validate_choice=False)
    location = StringField(_l("Where exactly (optional)"), validators=[Length(max=120)])
    anonymous = BooleanField(_l("Hide my name from the public (staff still see it)"))
    photos = MultipleFileField(_l("Photos (optional, up to 3)"))

    def set_choices(self, community):
        self.urgency.choices = list(URGENCY_LABELS.items())
        self.category.choices = category_choices(blank=_l("Choose a category"))
        self.compound.choices = [("", _l("Not in a compound / skip"))] + [(c.id, c.name) for c in community.compounds]

    def need_fields(self, community) -> dict:
        compound = next((c for c in community.compounds if c.id == self.compound.data), None)
        return {"title": self.title.data, "body": self.body.data or "", "category": self.category.data,
                "urgency": self.urgency.data, "compound": compound,
                "location": (self.location.data or "").strip() or None, "anonymous": self.anonymous.data}


class ResidentNeedForm(NeedForm):
    """代录入: staff enter a need for a resident, by name and phone."""

    proxy_name = StringField(_l("Resident's name"), validators=[
        DataRequired(_l("Please enter the resident's name.")), Length(1, 40)])
    proxy_phone = PhoneField(_l("Resident's phone number"), validators=[
        DataRequired(_l("Please enter the resident's phone number."))])

    def validate_proxy_phone(self, field):
        if not accounts.is_mainland_mobile(field.data):
            raise ValidationError(_l("Please enter an 11-digit mainland mobile number."))


class StepForm(SiteForm):
    """One form for every workflow step; each step reads the fields it needs."""

    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    score = IntegerField(_l("Rating"), validators=[Optional(), NumberRange(1, 5)])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=1000)])
    target = IntegerField(_l("Number of the need to merge into"), validators=[Optional()])
