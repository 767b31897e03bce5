"""Forms of the sensitive-word pages; field names follow the SensitiveWord and Community models."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.core.forms import SiteForm
from forum.moderation.words.models import WORD_MAX
from forum.moderation.words.services import ACTION_LABELS, MAX_LINES


class WordsForm(SiteForm):
    words = TextAreaField(_l("Words, one per line"), validators=[
        DataRequired(_l("Please write at least one word, one per line.")),
        Length(max=MAX_LINES * (WORD_MAX + 2), message=_l("That is too much text at once."))])
    action = RadioField(_l("What happens to a post with one of them"), choices=list(ACTION_LABELS.items()),
                        default="hold", validators=[DataRequired(_l("Please choose what happens to a post "
                                                                     "with these words."))])


class PremoderationForm(SiteForm):
    premoderate_new_users = BooleanField(_l("Hold the posts of new, unverified users for review"))
