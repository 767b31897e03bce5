"""Forms of the privacy pages: accepting a new notice, deleting one's account."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import DataRequired

from forum.core.forms import SiteForm


class ConsentForm(SiteForm):
    accept = BooleanField(validators=[DataRequired(_l("Please tick the box to accept the privacy notice."))])
    next = HiddenField()


class DeleteAccountForm(SiteForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Please enter your password."))])
    understood = BooleanField(validators=[DataRequired(_l("Please tick the box to confirm."))])
