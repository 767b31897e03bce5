"""Forms of the privacy pages: accepting a new notice, deleting one's account."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import DataRequired


class ConsentForm(FlaskForm):
    accept = BooleanField(validators=[DataRequired(_l("Please tick the box to accept the privacy notice."))])
    next = HiddenField()


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Please enter your password."))])
    understood = BooleanField(validators=[DataRequired(_l("Please tick the box to confirm."))])
