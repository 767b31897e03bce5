"""The e-mail settings form (checked again by forum.notifications.mail.save_settings)."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from forum.core.forms import SiteForm

FREQUENCY_LABELS = {
    "none": _l("No e-mail"),
    "immediate": _l("One e-mail for each notification, as it happens"),
    "daily": _l("One e-mail a day with what is new (daily digest)"),
}


class EmailSettingsForm(SiteForm):
    address = StringField(_l("E-mail address"), validators=[Length(max=254)])
    frequency = RadioField(_l("How often"), choices=list(FREQUENCY_LABELS.items()), default="none",
                           validators=[InputRequired(_l("Please choose how often to send e-mail."))])
