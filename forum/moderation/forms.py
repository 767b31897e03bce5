"""Forms for reporting and for the moderators' actions; field names follow the models."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from forum.core.forms import SiteForm
from forum.moderation.actions import MAX_SUSPENSION_DAYS, REASON_LENGTH
from forum.moderation.services import NOTE_LENGTH, REASONS


class ReportForm(SiteForm):
    reason = RadioField(_l("Why are you reporting it?"), choices=list(REASONS.items()),
                        validators=[DataRequired(_l("Please choose a reason."))])
    note = TextAreaField(_l("Anything the moderators should know (optional)"), validators=[
        Length(max=NOTE_LENGTH, message=_l("At most %(num)d characters.", num=NOTE_LENGTH))])


class ReasonForm(SiteForm):
    """Hide, warn, ban: the reason the author will read."""

    reason = TextAreaField(_l("Reason (the author will see it)"), render_kw={"rows": 2}, validators=[
        DataRequired(_l("Please give a reason: the author will see it.")),
        Length(max=REASON_LENGTH, message=_l("At most %(num)d characters.", num=REASON_LENGTH))])


class SuspendForm(ReasonForm):
    days = IntegerField(_l("Days"), default=7, validators=[
        InputRequired(_l("Between 1 and %(num)d days.", num=MAX_SUSPENSION_DAYS)),
        NumberRange(1, MAX_SUSPENSION_DAYS, _l("Between 1 and %(num)d days.", num=MAX_SUSPENSION_DAYS))])


class SettingsForm(SiteForm):
    report_hide_threshold = IntegerField(_l("Reports that hide a post until it is reviewed"), validators=[
        InputRequired(_l("Please enter a number from 1 to 100.")),
        NumberRange(1, 100, _l("Please enter a number from 1 to 100."))])
