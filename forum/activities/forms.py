"""Forms for activities; field names follow the Activity model.

Times are typed in local time (Asia/Shanghai, the site's time zone) and stored in UTC.
"""
from datetime import timezone

from flask_babel import lazy_gettext as _l
from flask_babel import to_utc, to_user_timezone
from wtforms import BooleanField, DecimalField, FieldList, Form, FormField, IntegerField, SelectField, StringField
from wtforms import TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from forum.accounts.forms import _optional_int
from forum.activities.models import MAX_HOURS
from forum.core.forms import SiteForm

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalTimeField(DateTimeLocalField):
    """A datetime-local input: shows UTC values in local time, reads local time as UTC."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=LOCAL_FORMAT, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_user_timezone(self.data).strftime(LOCAL_FORMAT) if self.data else ""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please give a date and time such as 2026-12-05 09:30.")) from None
        if self.data is not None:
            self.data = to_utc(self.data).replace(tzinfo=timezone.utc)


class ActivityForm(SiteForm):
    title = StringField(_l("Title"), validators=[
        InputRequired(_l("Please write a short title.")),
        Length(4, 60, _l("The title needs 4 to 60 characters."))])
    body = TextAreaField(_l("What happens, who it is for, what to bring"), validators=[
        Length(max=5000, message=_l("At most 5000 characters."))])
    starts_at = LocalTimeField(_l("Starts"), validators=[InputRequired(_l("Please give the start time."))])
    ends_at = LocalTimeField(_l("Ends"), validators=[InputRequired(_l("Please give the end time."))])
    place = StringField(_l("Place"), validators=[
        InputRequired(_l("Please say where it takes place.")), Length(max=200)])
    capacity = IntegerField(_l("Places"), validators=[
        InputRequired(_l("Please say how many people can take part.")),
        NumberRange(1, 1000, _l("Please enter a number from 1 to 1000."))])
    community = SelectField(_l("Community"), coerce=_optional_int,
                            validators=[InputRequired(_l("Please choose the community."))])
    unit = SelectField(_l("Organising unit"), coerce=_optional_int)

    def set_choices(self, communities, units, in_own_name: bool):
        """`in_own_name`: the user may also organise in the community's own name (staff)."""
        blank = [("", _l("Choose the community"))] if len(communities) > 1 else []
        self.community.choices = blank + [(c.id, c.name) for c in communities]
        own = [("", _l("The community itself"))] if in_own_name else []
        self.unit.choices = own + [(u.id, u.name) for u in units]

    def activity_fields(self) -> dict:
        return {name: getattr(self, name).data
                for name in ("title", "body", "starts_at", "ends_at", "place", "capacity")}


class AttendanceRow(Form):
    """One person signed up: did they come, and their volunteer hours."""

    signup_id = IntegerField(widget=HiddenInput())
    attended = BooleanField(_l("Came"))
    hours = DecimalField(_l("Volunteer service hours"), places=None, validators=[
        Optional(), NumberRange(0, MAX_HOURS, _l("Volunteer hours must be between 0 and 24."))])


class AttendanceForm(SiteForm):
    attendees = FieldList(FormField(AttendanceRow))

    @classmethod
    def for_activity(cls, activity):
        """Everyone ticked as present, with the activity's length as their hours."""
        rows = [{"signup_id": s.id, "attended": True, "hours": activity.duration_hours} for s in activity.signups]
        return cls(data={"attendees": rows})

    def attended(self) -> dict:
        return {row.signup_id.data: row.hours.data for row in self.attendees if row.attended.data}


class StepForm(SiteForm):
    note = TextAreaField(_l("Reason (shown on the activity's page)"), validators=[Length(max=1000)])
