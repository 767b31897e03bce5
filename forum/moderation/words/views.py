"""Pages of the sensitive-word lists (敏感词): browse and filter a list, add words, remove one,
and a community's pre-moderation of new users. Admins keep the global list; staff their
community's."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.extensions import db
from forum.moderation.words import services
from forum.moderation.words.forms import PremoderationForm, WordsForm
from forum.moderation.words.models import SensitiveWord
from forum.places.models import Community

bp = Blueprint("moderation_words", __name__, url_prefix="/moderation/words")


def _managed_communities() -> list[Community]:
    return [c for c in db.session.scalars(db.select(Community).order_by(Community.id))
            if can(current_user, "manage_sensitive_words", c)]


def _chosen_list():
    """The community whose list is asked for (?community=), None for the global list; checked.
    Without a choice: the global list for admins, else the first community the user keeps."""
    authorize("open_sensitive_words")
    community_id = request.values.get("community", type=int)
    if community_id:
        community = db.get_or_404(Community, community_id)
    else:
        community = None if can(current_user, "manage_sensitive_words", None) else next(
            iter(_managed_communities()), None)
    authorize("manage_sensitive_words", community)
    return community


def _page(community, form=None, status=200):
    filters = services.Filters.from_args(request.args)
    return render("moderation/words/index.html", fragment="results", status=status, community=community,
                  communities=_managed_communities(), filters=filters,
                  page=services.words_page(community, filters, request.args.get("page", type=int)),
                  form=form or WordsForm(formdata=None), button=EmptyForm(),
                  settings_form=PremoderationForm(obj=community) if community else None,
                  action_labels=services.ACTION_LABELS)


def _back(community):
    return redirect(url_for("moderation_words.index", community=getattr(community, "id", None)), 303)


@bp.get("")
@login_required
def index():
    return _page(_chosen_list())


@bp.post("")
@login_required
def add():
    community = _chosen_list()
    form = WordsForm()
    if form.validate_on_submit():
        try:
            result = services.add_words(current_user, community, form.words.data, form.action.data)
        except services.WordsError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [error.message]
        else:
            _tell(result)
            return _back(community)
    return _page(community, form, status=400)


def _tell(result: services.Added) -> None:
    parts = []
    if result.added:
        parts.append(ngettext("%(num)d word added.", "%(num)d words added.", len(result.added)))
    if result.changed:
        parts.append(ngettext("%(num)d word already listed now has the chosen action.",
                              "%(num)d words already listed now have the chosen action.", len(result.changed)))
    if result.unchanged:
        parts.append(ngettext("%(num)d word was already listed so.", "%(num)d words were already listed so.",
                              len(result.unchanged)))
    flash(" ".join(parts), "success")


@bp.post("/<int:word_id>/delete")
@login_required
def delete(word_id):
    word = db.get_or_404(SensitiveWord, word_id)
    community = word.word_list.community
    authorize("manage_sensitive_words", community)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_word(current_user, word)
    flash(_("“%(word)s” has been removed from the list.", word=word.word), "success")
    return _back(community)


@bp.post("/settings/<int:community_id>")
@login_required
def settings(community_id):
    community = db.get_or_404(Community, community_id)
    authorize("manage_sensitive_words", community)
    form = PremoderationForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_premoderation(current_user, community, form.premoderate_new_users.data)
    flash(_("The setting has been saved."), "success")
    return _back(community)
