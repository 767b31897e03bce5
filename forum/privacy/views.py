"""The person's own data: accept a new privacy notice, download what the site holds, delete the account."""
import io

from flask import Blueprint, abort, flash, make_response, redirect, request, send_file, session, url_for
from flask_babel import gettext as _, to_user_timezone
from flask_login import current_user, login_required, logout_user

from forum.accounts.forms import EmptyForm
from forum.accounts.services import KEPT_ACROSS_LOGIN
from forum.core.limits import rate_limit
from forum.core.models import utcnow
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.extensions import htmx
from forum.notifications.services import is_site_relative
from forum.privacy import deletion, export, services
from forum.privacy.forms import ConsentForm, DeleteAccountForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

# Pages a person who has not accepted the current notice may still use (besides this blueprint).
OPEN_WITHOUT_CONSENT = {"static", "home.privacy", "accounts.logout", "home.elder_mode", "home.language"}


@bp.before_app_request
def ask_for_consent():
    """A logged-in person who has not accepted the current notice is sent to accept it first."""
    if request.blueprint == "privacy" or request.endpoint in OPEN_WITHOUT_CONSENT or request.endpoint is None:
        return None
    if not services.needs_consent(current_user):
        return None
    target = url_for("privacy.consent", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


@bp.get("/consent")
@login_required
def consent():
    form = ConsentForm(next=request.args.get("next", ""))
    return render("privacy/consent.html", form=form, version=services.notice_version())


@bp.post("/consent")
@login_required
def consent_post():
    authorize("give_consent", current_user)
    form = ConsentForm()
    if not form.validate_on_submit():
        return render("privacy/consent.html", form=form, version=services.notice_version(), status=400)
    services.record_consent(current_user._get_current_object())
    flash(_("Thank you. You have accepted the privacy notice."), "success")
    target = form.next.data
    return redirect(target if is_site_relative(target) else url_for("home.index"), 303)


@bp.post("/data")
@login_required
@rate_limit("download_own_data")
def download():
    authorize("download_own_data", current_user)
    if not EmptyForm().validate_on_submit():
        abort(400)
    data = export.build_archive(current_user._get_current_object())
    response = send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                         download_name=export.archive_name(to_user_timezone(utcnow()).date()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/delete")
@login_required
def delete():
    authorize("delete_own_account", current_user)
    return render("privacy/delete.html", form=DeleteAccountForm())


@bp.post("/delete")
@login_required
@rate_limit("delete_account")
def delete_post():
    authorize("delete_own_account", current_user)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            deletion.delete_account(current_user._get_current_object(), form.password.data)
        except deletion.WrongPassword as error:
            form.password.errors.append(str(error))
        else:
            kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
            logout_user()
            session.clear()
            session.update(kept)
            flash(_("Your account has been deleted. What you posted stays, under “Deleted user”."), "success")
            return redirect(url_for("home.index"), 303)
    return render("privacy/delete.html", form=form, status=400)
