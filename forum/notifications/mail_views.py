"""E-mail notification settings, and the unsubscribe link of every mail."""
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.core.limits import rate_limit
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.extensions import csrf
from forum.notifications import mail
from forum.notifications.forms import EmailSettingsForm

bp = Blueprint("mail", __name__, url_prefix="/notifications/email")


def _form() -> EmailSettingsForm:
    settings = mail.settings_of(current_user)
    return EmailSettingsForm(address=settings.address if settings else "",
                             frequency=settings.frequency if settings else "none")


@bp.get("/")
@login_required
def settings():
    authorize("manage_email_settings", current_user)
    return render("notifications/email_settings.html", form=_form(), enabled=mail.enabled())


@bp.post("/")
@login_required
@rate_limit("email_settings")
def settings_post():
    authorize("manage_email_settings", current_user)
    form = EmailSettingsForm()
    if form.validate_on_submit():
        try:
            mail.save_settings(current_user._get_current_object(), form.address.data, form.frequency.data)
            flash(_("Your e-mail settings have been saved."), "success")
            return redirect(url_for("mail.settings"), 303)
        except mail.MailError as error:
            getattr(form, error.field).errors.append(error.message)
    return render("notifications/email_settings.html", form=form, enabled=mail.enabled(), status=400)


def _settings_or_404(token):
    settings = mail.by_token(token)
    if settings is None:
        abort(404)
    return settings


@bp.get("/unsubscribe/<token>")
def unsubscribe(token):
    """Opened from a mail: one button confirms (a link alone changes nothing, as mail scanners open links)."""
    settings = _settings_or_404(token)
    return render("notifications/unsubscribe.html", settings=settings, done=settings.frequency == "none")


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # the secret token in the link is the proof; mail programs post here for one-click unsubscribe
def unsubscribe_post(token):
    settings = _settings_or_404(token)
    mail.unsubscribe(settings)
    current_app.logger.info("mail: user %s unsubscribed", settings.user_id)
    if request.form.get("List-Unsubscribe") == "One-Click":
        return "", 204
    return render("notifications/unsubscribe.html", settings=settings, done=True)
