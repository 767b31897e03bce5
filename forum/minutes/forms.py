"""Forms for minutes: the text (with a row per agenda item and per action item), comments, steps."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from forum.core.forms import SiteForm

SPARE_ACTION_ROWS = 2


class DueDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please give a date such as 2026-12-31.")) from None


class AgendaNoteForm(Form):
    discussion = TextAreaField(_l("Discussion"), validators=[Length(max=5000, message=_l("At most 5000 characters."))])
    decision = TextAreaField(_l("Decision"), validators=[Length(max=2000, message=_l("At most 2000 characters."))])


class ActionItemForm(Form):
    task = StringField(_l("Task"), validators=[Length(max=200, message=_l("At most 200 characters."))])
    owner = StringField(_l("Owner"), validators=[Length(max=60, message=_l("At most 60 characters."))])
    due = DueDateField(_l("Due date"), validators=[Optional()])


class MinutesForm(SiteForm):
    summary = TextAreaField(_l("Summary"), validators=[
        InputRequired(_l("Please summarise the deliberation.")),
        Length(max=5000, message=_l("At most 5000 characters."))])
    agenda = FieldList(FormField(AgendaNoteForm))
    dissent = TextAreaField(_l("Dissenting opinions"), validators=[
        Length(max=5000, message=_l("At most 5000 characters."))])
    action_items = FieldList(FormField(ActionItemForm))
    recorder = StringField(_l("Recorder"), validators=[
        InputRequired(_l("Please give the recorder's name.")),
        Length(max=60, message=_l("At most 60 characters."))])

    @classmethod
    def for_version(cls, version=None, agenda_titles=(), recorder: str = ""):
        """Filled from `version` (or empty for a first draft), with spare action-item rows."""
        notes = list(version.agenda_notes) if version else []
        notes += [{}] * (len(agenda_titles) - len(notes))
        items = [{"task": i["task"], "owner": i["owner"], "due": date.fromisoformat(i["due"]) if i["due"] else None}
                 for i in (version.action_items if version else [])]
        data = {"summary": version.summary if version else "",
                "agenda": [{"discussion": n.get("discussion", ""), "decision": n.get("decision", "")}
                           for n in notes[:len(agenda_titles)]],
                "dissent": version.dissent if version else "",
                "action_items": items + [{}] * SPARE_ACTION_ROWS,
                "recorder": version.recorder if version else recorder}
        return cls(data=data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for row in self.action_items:
            task, owner, due = row.form.task, row.form.owner, row.form.due
            if (task.data or "").strip():
                if not (owner.data or "").strip():
                    owner.errors.append(_l("Please say who is responsible."))
                    valid = False
                if due.data is None and not due.errors:
                    due.errors.append(_l("Please give the date it is due."))
                    valid = False
            elif (owner.data or "").strip() or due.data:
                task.errors.append(_l("Please say what is to be done."))
                valid = False
        return valid

    def text_fields(self) -> dict:
        return {
            "summary": self.summary.data, "dissent": self.dissent.data, "recorder": self.recorder.data,
            "agenda": [{"discussion": row.form.discussion.data, "decision": row.form.decision.data}
                       for row in self.agenda],
            "action_items": [{"task": row.form.task.data or "", "owner": row.form.owner.data or "",
                              "due": row.form.due.data} for row in self.action_items],
        }


class CommentForm(SiteForm):
    body = TextAreaField(_l("Your comment on the draft"), validators=[
        InputRequired(_l("Please write your comment.")),
        Length(max=2000, message=_l("At most 2000 characters."))])


class StepForm(SiteForm):
    note = TextAreaField(_l("Reason"), validators=[Length(max=1000, message=_l("At most 1000 characters."))])


class CorrectionForm(SiteForm):
    reason = TextAreaField(_l("What is wrong in the published minutes"), validators=[
        InputRequired(_l("Please say what is wrong in the published minutes.")),
        Length(max=1000, message=_l("At most 1000 characters."))])
