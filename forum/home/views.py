"""Home page for the user's community, the privacy notice, elder mode and language."""
from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from forum.accounts import services as accounts
from forum.accounts.forms import EmptyForm
from forum.core.rendering import render
from forum.core.security import local_target
from forum.home import services

bp = Blueprint("home", __name__)


def _back() -> str:
    return local_target(request.form.get("next") or request.referrer, request.host_url) or url_for("home.index")


@bp.get("/")
def index():
    requested = request.args.get("community", type=int)
    community = services.home_community(current_user, requested)
    if requested and community is None:
        abort(404)
    return render("home/index.html", community=community, communities=services.all_communities(),
                  latest_needs=services.latest_needs(community) if community else [],
                  latest_proposals=services.latest_proposals(community) if community else [],
                  coming_deliberations=services.coming_deliberations(community) if community else [],
                  open_polls=services.open_polls(community) if community else [],
                  waiting_review=services.needs_waiting_review(current_user, community))


@bp.get("/privacy")
def privacy():
    return render("home/privacy.html", version=current_app.config["PRIVACY_NOTICE_VERSION"])


@bp.post("/settings/elder")
def elder_mode():
    if not EmptyForm().validate_on_submit():
        abort(400)
    accounts.set_preferences(current_user, elder_mode=request.form.get("elder_mode") == "on")
    return redirect(_back(), 303)


@bp.post("/settings/language")
def language():
    if not EmptyForm().validate_on_submit():
        abort(400)
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    accounts.set_preferences(current_user, lang=lang)
    return redirect(_back(), 303)
