"""Posters and QR sheets for notice boards, following (关注) items, and the list of what one follows."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.limits import rate_limit
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.core.urls import absolute_url
from forum.discussion import subjects
from forum.extensions import db
from forum.outreach import follows
from forum.outreach.qr import qr_svg
from forum.places.models import Community

bp = Blueprint("outreach", __name__)

KIND_LABELS = {"need": _l("Need"), "proposal": _l("Proposal"), "project": _l("Project"),
               "deliberation": _l("Deliberation")}


@bp.app_template_global()
def followable_kind(item) -> str | None:
    """The kind of an item that can be followed (and has a QR sheet), else None."""
    kind = subjects.kind_of(item)
    return kind if kind in follows.FOLLOWABLE else None


@bp.app_template_global()
def is_following(item) -> bool:
    return follows.is_following(current_user, item)


def _item_or_404(kind: str, item_id: int):
    try:
        item = follows.subject_for(kind, item_id)
    except follows.NotFollowable:
        abort(404)
    if item is None:
        abort(404)
    return item


@bp.get("/communities/<int:community_id>/poster")
def poster(community_id):
    """An A4 poster: scan the code to register in this community."""
    community = db.get_or_404(Community, community_id)
    url = absolute_url("accounts.register", community=community.id)
    return render("outreach/poster.html", community=community, url=url,
                  qr=qr_svg(url, _("QR code: register in %(community)s", community=community.name)))


@bp.get("/qr/<kind>/<int:item_id>")
def item_qr(kind, item_id):
    """A sheet for the notice board: the item's title and a QR code that opens its page."""
    item = _item_or_404(kind, item_id)
    authorize(follows.view_action(kind), item)
    url = absolute_url(subjects.SUBJECTS[kind].endpoint, **{subjects.SUBJECTS[kind].id_arg: item.id})
    return render("outreach/item_qr.html", item=item, kind=kind, kind_label=KIND_LABELS[kind], url=url,
                  qr=qr_svg(url, _("QR code: open “%(title)s” on the phone", title=subjects.title_of(item))))


@bp.post("/follow/<kind>/<int:item_id>")
@login_required
@rate_limit("follow")
def follow(kind, item_id):
    item = _item_or_404(kind, item_id)
    authorize("follow_item", item)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("undo"):
        follows.unfollow(current_user, item)
        message = _("You no longer follow this.")
    else:
        follows.follow(current_user, item)
        message = _("You follow this now: its steps and new comments come to your notifications.")
    if request.headers.get("HX-Request"):
        return render_template("outreach/_follow.html", item=item, following=not request.form.get("undo"))
    flash(message, "success")
    return redirect(subjects.url_of(item), 303)


@bp.get("/following")
@login_required
def following():
    """我关注的: every item the user follows."""
    page = follows.followed_by(current_user._get_current_object(), request.args.get("page", type=int))
    return render("outreach/following.html", page=page, kind_labels=KIND_LABELS,
                  url_of=subjects.url_of, title_of=subjects.title_of)


@bp.app_template_global()
def follow_url(item) -> str:
    return url_for("outreach.follow", kind=subjects.kind_of(item), item_id=item.id)
