"""The comment form: the same for a new comment, a reply and an edit."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.core.forms import SiteForm
from forum.discussion.services import MAX_LENGTH


class CommentForm(SiteForm):
    body = TextAreaField(_l("Your comment"), id="comment-body", validators=[
        DataRequired(_l("Please write something.")),
        Length(max=MAX_LENGTH, message=_l("At most %(num)d characters.", num=MAX_LENGTH))])
    parent = HiddenField(id="comment-parent")

    def parent_id(self):
        return int(self.parent.data) if (self.parent.data or "").isdigit() else None
