"""Forms for polls; field names follow the Poll model. Times are typed in Beijing time."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from forum.accounts.forms import _optional_int
from forum.activities.forms import LocalTimeField
from forum.core.forms import SiteForm
from forum.voting.models import ELECTORATE_LABELS, METHOD_LABELS, PASS_RULE_LABELS

VISIBILITY = [("hidden", _l("Hidden until voting closes")), ("live", _l("Shown live while voting is open"))]
BALLOT_KINDS = [("secret", _l("Secret: nobody can see what anyone voted")),
                ("open", _l("Open (roll call): who voted what is published after the close"))]


class PollForm(SiteForm):
    title = StringField(_l("Question"), validators=[
        InputRequired(_l("Please write the question put to the vote.")),
        Length(4, 120, _l("The question needs 4 to 120 characters."))])
    body = TextAreaField(_l("Background (optional)"), validators=[
        Length(max=5000, message=_l("At most 5000 characters."))])
    method = RadioField(_l("How to vote"), choices=list(METHOD_LABELS.items()), default="yes_no",
                        validators=[InputRequired(_l("Please choose how to vote."))])
    options = TextAreaField(_l("Options, one per line"), validators=[Length(max=2500)])
    max_choices = IntegerField(_l("Most options a voter may choose"), validators=[
        Optional(), NumberRange(2, 20, _l("Please enter a number from 2 to 20."))])
    electorate = RadioField(_l("Who may vote"), validators=[InputRequired(_l("Please choose who may vote."))])
    compound_ids = SelectMultipleField(_l("Only these compounds (none ticked: the whole community)"), coerce=int,
                                       widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    opens_at = LocalTimeField(_l("Voting opens"), validators=[InputRequired(_l("Please give the opening time."))])
    closes_at = LocalTimeField(_l("Voting closes"), validators=[InputRequired(_l("Please give the closing time."))])
    results = RadioField(_l("Results"), choices=VISIBILITY, default="hidden")
    quorum_percent = IntegerField(_l("Quorum: least turnout, as a percentage of the electorate"), default=0, validators=[
        InputRequired(_l("Please enter the quorum (0 for none).")),
        NumberRange(0, 100, _l("Please enter a number from 0 to 100."))])
    pass_rule = RadioField(_l("How it is decided"), choices=list(PASS_RULE_LABELS.items()),
                           default="simple_majority", validators=[InputRequired(_l("Please choose the rule."))])
    ballot = RadioField(_l("Ballot"), choices=BALLOT_KINDS, default="secret")
    proposal_id = SelectField(_l("The proposal this vote decides"), coerce=_optional_int, validate_choice=False)

    def set_choices(self, target) -> None:
        """The electorates, compounds and proposals that fit what the poll is attached to."""
        kinds = [k for k in ELECTORATE_LABELS if k != "council" or target.deliberation is not None]
        self.electorate.choices = [(k, ELECTORATE_LABELS[k]) for k in kinds]
        if self.electorate.data is None:
            self.electorate.data = kinds[0]
        self.compound_ids.choices = [(c.id, c.name) for c in target.community.compounds]
        proposals = target.proposals()
        self.proposal_id.choices = ([("", _l("None: the vote decides no proposal"))] if target.deliberation else []) \
            + [(p.id, p.title) for p in proposals]

    @classmethod
    def for_poll(cls, poll):
        data = {name: getattr(poll, name) for name in (
            "title", "body", "method", "max_choices", "electorate", "opens_at", "closes_at", "quorum_percent",
            "pass_rule", "proposal_id")}
        data.update(options="\n".join(o.label for o in poll.options) if poll.method != "yes_no" else "",
                    results="live" if poll.results_live else "hidden", ballot="secret" if poll.secret else "open",
                    compound_ids=[c.id for c in poll.compounds])
        return cls(data=data)

    def poll_fields(self) -> dict:
        fields = {name: getattr(self, name).data for name in (
            "title", "body", "method", "max_choices", "electorate", "compound_ids", "opens_at", "closes_at",
            "quorum_percent", "pass_rule", "proposal_id")}
        fields["options"] = (self.options.data or "").splitlines()
        fields["results_live"] = self.results.data == "live"
        fields["secret"] = self.ballot.data != "open"
        return fields


class CloseForm(SiteForm):
    note = TextAreaField(_l("Why close it early? (shown on the poll’s page)"), validators=[
        Length(max=1000, message=_l("At most 1000 characters."))])


class PaperLineForm(Form):
    option_id = IntegerField(widget=HiddenInput())
    votes = IntegerField(_l("Vote count"), validators=[
        InputRequired(_l("Please enter a count (0 if none).")), NumberRange(0, 100_000, _l("Please enter 0 or more."))])
    area = DecimalField(_l("Floor area in m²"), places=2, validators=[
        Optional(), NumberRange(0, 10_000_000, _l("Please enter 0 or more."))])


class PaperForm(SiteForm):
    lines = FieldList(FormField(PaperLineForm))
    ballot_count = IntegerField(_l("Paper ballots cast"), validators=[
        Optional(), NumberRange(0, 100_000, _l("Please enter 0 or more."))])
    note = TextAreaField(_l("Where and how they were counted (optional)"), validators=[Length(max=1000)])

    @classmethod
    def for_poll(cls, poll):
        return cls(data={"lines": [{"option_id": o.id, "votes": None} for o in poll.options]})

    def counts(self) -> tuple[dict, dict]:
        votes = {row.option_id.data: row.votes.data for row in self.lines}
        areas = {row.option_id.data: row.area.data for row in self.lines}
        return votes, areas
