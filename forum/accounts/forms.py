"""Forms of the accounts feature; field names follow the model attributes."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, ValidationError

from forum.accounts import services
from forum.accounts.passwords import password_problem
from forum.core.forms import SiteForm


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class PhoneField(StringField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = services.normalise_phone(self.data or "")


class RegisterForm(SiteForm):
    phone = PhoneField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number."))])
    display_name = StringField(
        _l("Name shown to neighbours"),
        validators=[DataRequired(_l("Please enter a name.")),
                    Length(2, 20, _l("The name needs 2 to 20 characters."))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please choose a password."))])
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(_l("Please enter the password again.")),
                    EqualTo("password", _l("The two passwords differ."))],
    )
    community = SelectField(_l("Community"), coerce=_optional_int,
                            validators=[DataRequired(_l("Please choose your community."))])
    compound = SelectField(_l("Compound (optional)"), coerce=_optional_int, validate_choice=False)
    consent = BooleanField(validators=[DataRequired(_l("Please read and accept the privacy notice."))])

    def validate_phone(self, field):
        if not services.is_mainland_mobile(field.data):
            raise ValidationError(_l("Please enter an 11-digit mainland mobile number."))
        if services.find_by_phone(field.data) is not None:
            raise ValidationError(_l("This phone number is already registered. Please log in."))

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.phone.data or "")
        if problem:
            raise ValidationError(problem)


class LoginForm(SiteForm):
    phone = PhoneField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password."))])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ProfileForm(SiteForm):
    display_name = StringField(
        _l("Name shown to neighbours"),
        validators=[DataRequired(_l("Please enter a name.")),
                    Length(2, 20, _l("The name needs 2 to 20 characters."))],
    )


class PasswordForm(SiteForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Please enter your current password."))])
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Please choose a password."))])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Please enter the password again.")),
                    EqualTo("password", _l("The two passwords differ."))],
    )

    def __init__(self, *args, phone="", **kwargs):
        super().__init__(*args, **kwargs)
        self._phone = phone

    def validate_password(self, field):
        problem = password_problem(field.data or "", self._phone)
        if problem:
            raise ValidationError(problem)


class VerifyForm(SiteForm):
    compound = SelectField(_l("Compound"), coerce=_optional_int,
                           validators=[DataRequired(_l("Please choose the compound."))])
    building = StringField(_l("Building"), validators=[DataRequired(_l("Please enter the building.")), Length(max=40)])
    room = StringField(_l("Room"), validators=[DataRequired(_l("Please enter the room.")), Length(max=40)])
    floor_area = DecimalField(
        _l("Floor area (m²)"), places=2,
        validators=[Optional(), NumberRange(1, 10000, _l("Please enter an area between 1 and 10000 m²."))],
    )


class UnverifyForm(SiteForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Please give a reason.")), Length(max=500)])


class RoleForm(SiteForm):
    role = SelectField(_l("Role"), validators=[DataRequired(_l("Please choose a role."))])


class UnitContactForm(SiteForm):
    unit = SelectField(_l("Unit"), coerce=_optional_int, validators=[DataRequired(_l("Please choose a unit."))])


class EmptyForm(SiteForm):
    """A form with only the CSRF token, for buttons that post."""
