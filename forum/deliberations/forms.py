"""Forms of deliberations; field names follow the models. Times are typed in Beijing time.

Without JavaScript the participants are a fixed number of rows (a person, a seat, a
moderator tick) and the agenda is a textarea with one item per line.
"""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL as URLValidator
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.accounts.forms import _optional_int
from forum.activities.forms import LocalTimeField
from forum.core.forms import SiteForm
from forum.deliberations.models import KIND_LABELS, RSVP_LABELS
from forum.deliberations.services import Seat

BLANK_ROWS = 4  # empty participant rows below the filled ones
NEW_ROWS = 8  # rows on a new deliberation's form


def person_label(user) -> str:
    """A person in the participant select: the name, and the masked phone to tell namesakes apart."""
    return f"{user.display_name}（{user.masked_phone}）"


class ParticipantRow(Form):
    user = SelectField(_l("Person"), coerce=_optional_int, validate_choice=False)
    seat = StringField(_l("Seat"), validators=[Length(max=40, message=_l("At most 40 characters."))])
    is_moderator = BooleanField(_l("Moderator"))

    def validate_seat(self, field):
        if self.user.data and not (field.data or "").strip():
            raise ValidationError(_l("Please give this person’s seat."))

    def validate_user(self, field):
        if not field.data and ((self.seat.data or "").strip() or self.is_moderator.data):
            raise ValidationError(_l("Please choose who takes this seat."))


class DeliberationForm(SiteForm):
    kind = SelectField(_l("Kind of meeting"), choices=list(KIND_LABELS.items()),
                       validators=[InputRequired(_l("Please choose the kind of meeting."))])
    title = StringField(_l("Title"), validators=[
        InputRequired(_l("Please write a short title.")),
        Length(4, 60, _l("The title needs 4 to 60 characters."))])
    starts_at = LocalTimeField(_l("Starts"), validators=[InputRequired(_l("Please give the start time."))])
    ends_at = LocalTimeField(_l("Ends (optional)"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Length(max=200, message=_l("At most 200 characters."))])
    online_url = StringField(_l("Link for meeting online"), validators=[
        Optional(), Length(max=300, message=_l("At most 300 characters.")),
        URLValidator(require_tld=False, message=_l("Please give a full link starting with https://"))])
    proposals = SelectMultipleField(_l("Proposals to take up"), coerce=int, validate_choice=False,
                                    widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    agenda = TextAreaField(_l("Agenda"), validators=[Length(max=4000, message=_l("At most 4000 characters."))])
    description = TextAreaField(_l("Notes for the participants (optional)"), validators=[
        Length(max=5000, message=_l("At most 5000 characters."))])
    participants = FieldList(FormField(ParticipantRow), min_entries=NEW_ROWS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_errors = []  # about the participants together (no moderator, a person twice)

    def set_choices(self, groups, proposals) -> None:
        """`groups`: (label, users) from services.candidates; `proposals`: those that may be taken up."""
        options = [("", _l("Nobody"))] + [(u.id, person_label(u)) for _, users in groups for u in users]
        for row in self.participants:
            row.user.choices = options  # the template shows them in their groups
        self.proposals.choices = [(p.id, p.title) for p in proposals]

    def validate_proposals(self, field):
        offered = {value for value, _ in field.choices}
        if any(value not in offered for value in field.data or []):
            raise ValidationError(_l("One of the proposals has already been taken up or closed."))

    def seats(self) -> list[Seat]:
        return [Seat(row.user.data, (row.seat.data or "").strip(), bool(row.is_moderator.data))
                for row in self.participants if row.user.data]

    def agenda_lines(self) -> list[str]:
        return [line.strip() for line in (self.agenda.data or "").splitlines() if line.strip()]

    def fields(self) -> dict:
        return {name: getattr(self, name).data
                for name in ("kind", "title", "starts_at", "ends_at", "place", "online_url", "description")}

    @classmethod
    def for_deliberation(cls, deliberation):
        """The edit form: what is saved, and a few empty participant rows."""
        rows = [{"user": p.user_id, "seat": p.seat, "is_moderator": p.is_moderator} for p in deliberation.participants]
        rows += [{}] * BLANK_ROWS
        return cls(formdata=None, data={
            "kind": deliberation.kind, "title": deliberation.title, "starts_at": deliberation.starts_at,
            "ends_at": deliberation.ends_at, "place": deliberation.place or "",
            "online_url": deliberation.online_url or "", "description": deliberation.description,
            "agenda": "\n".join(item.title for item in deliberation.agenda), "participants": rows,
        })


class StepForm(SiteForm):
    note = TextAreaField(_l("Reason (every participant will see it)"), validators=[Length(max=1000)])


class RsvpForm(SiteForm):
    rsvp = RadioField(_l("Will you attend?"), choices=list(RSVP_LABELS.items()),
                      validators=[InputRequired(_l("Please choose whether you will attend."))])


class AttendanceForm(SiteForm):
    present = SelectMultipleField(_l("Present"), coerce=int, widget=ListWidget(prefix_label=False),
                                  option_widget=CheckboxInput())

    @classmethod
    def for_deliberation(cls, deliberation, posted: bool = False):
        """Ticked: those recorded present, or before any record, those who said they would come."""
        recorded = any(p.attended is not None for p in deliberation.participants)
        ticked = [p.id for p in deliberation.participants if (p.attended if recorded else p.rsvp == "yes")]
        form = cls() if posted else cls(formdata=None, data={"present": ticked})
        form.present.choices = [(p.id, p.user.display_name) for p in deliberation.participants]
        return form


class DecisionForm(SiteForm):
    passed = RadioField(_l("Decision"), choices=[("yes", _l("Passed")), ("no", _l("Not passed"))],
                        validators=[InputRequired(_l("Please choose passed or not passed."))])
    note = TextAreaField(_l("Note (required when not passed)"), validators=[
        Length(max=2000, message=_l("At most 2000 characters."))])
