"""The notification list, marking read, and the bell's count for every page."""
from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from forum.accounts.forms import EmptyForm
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Notification

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
def index():
    authorize("read_notifications", current_user)
    user = current_user._get_current_object()
    page = services.recent(user, request.args.get("page", type=int))
    return render("notifications/index.html", page=page)


@bp.post("/<int:notification_id>/read")
def read(notification_id):
    notification = db.get_or_404(Notification, notification_id)
    authorize("read_notification", notification)
    if not EmptyForm().validate_on_submit():
        abort(400)
    target = services.mark_read(current_user._get_current_object(), notification)
    return redirect(target if services.is_site_relative(target) else url_for("notifications.index"), 303)


@bp.post("/read-all")
def read_all():
    authorize("read_notifications", current_user)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user._get_current_object())
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"), 303)


def unread_notifications() -> int:
    """The bell's count, queried at most once per request and only when the header asks."""
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = services.unread_count(current_user)
        except SQLAlchemyError:
            # The error page after a failed transaction must still render; no bell count then.
            current_app.logger.warning("unread count unavailable", exc_info=True)
            g.unread_notifications = 0
    return g.unread_notifications


def inject_unread_count() -> dict:
    """Context processor registered by create_app: templates call unread_notifications()."""
    return {"unread_notifications": unread_notifications}
