"""E-mail notifications, only when FORUM_SMTP_HOST is set.

A user who gives an address chooses none, immediate or a daily digest. An immediate mail
is sent after the commit that wrote its notifications (in a request: once the response
has gone out), never inside the transaction; a failed send is logged and breaks nothing.
`forum notifications digest`, run daily from cron, sends the digests of the unread
notifications since the last one. Every mail is plain text and HTML, in the reader's
language, with an unsubscribe link (and the List-Unsubscribe headers for one click).
"""
import logging
import re
import secrets
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import partial

from flask import after_this_request, current_app, has_app_context, has_request_context
from flask_babel import force_locale, get_locale, gettext as _, ngettext
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from forum.core.models import utcnow
from forum.core.permissions import ensure
from forum.core.urls import base_url, path_for
from forum.extensions import db
from forum.notifications.models import EMAIL_FREQUENCIES, EmailSettings, Notification

log = logging.getLogger(__name__)
PENDING = "mail_pending_notifications"  # session.info: ids of the notifications this transaction added
ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
STARTTLS = {"starttls", "1", "true", "yes", "on"}


class MailError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def enabled() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


# --- the user's settings ------------------------------------------------------------------------


def settings_of(user) -> EmailSettings | None:
    return db.session.get(EmailSettings, user.id)


def save_settings(user, address: str, frequency: str) -> EmailSettings | None:
    """Keep (or, with no address, forget) the user's address and how often to mail it."""
    ensure(user, "manage_email_settings", user)
    address = (address or "").strip()
    if frequency not in EMAIL_FREQUENCIES:
        raise MailError("frequency", _("Please choose how often to send e-mail."))
    if address and (len(address) > 254 or not ADDRESS.match(address)):
        raise MailError("address", _("Please give an e-mail address such as name@example.com."))
    if not address and frequency != "none":
        raise MailError("address", _("Please give your e-mail address, or choose not to receive e-mail."))
    settings = settings_of(user)
    if not address:
        if settings is not None:
            db.session.delete(settings)
        db.session.commit()
        return None
    if settings is None:
        settings = EmailSettings(user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(settings)
    if settings.frequency != "daily" and frequency == "daily":
        settings.digest_until = utcnow()  # the first digest covers what comes from now on
    settings.address, settings.frequency = address, frequency
    db.session.commit()
    return settings


def by_token(token: str) -> EmailSettings | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(EmailSettings).where(EmailSettings.token == token))


def unsubscribe(settings: EmailSettings) -> None:
    """The unsubscribe link: no more mail to this address (the link is the proof)."""
    settings.frequency = "none"
    db.session.commit()


# --- composing and sending ----------------------------------------------------------------------


def _smtp():
    config = current_app.config
    tls = (config.get("SMTP_TLS") or "none").strip().lower()
    port = config.get("SMTP_PORT") or (465 if tls == "ssl" else 587 if tls in STARTTLS else 25)
    if tls == "ssl":
        connection = smtplib.SMTP_SSL(config["SMTP_HOST"], port, timeout=15, context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(config["SMTP_HOST"], port, timeout=15)
        if tls in STARTTLS:
            connection.starttls(context=ssl.create_default_context())
    if config.get("SMTP_USER"):
        connection.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
    return connection


def compose(settings: EmailSettings, notifications: list[Notification], base: str, digest: bool) -> EmailMessage:
    """One mail to `settings.address` about `notifications`, in the reader's language."""
    user = settings.user
    unsubscribe_url = base + path_for("mail.unsubscribe", token=settings.token)
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        items = [(n.text, base + n.url) for n in notifications]
        if digest:
            subject = ngettext("Community Hall: %(num)d new notification today",
                               "Community Hall: %(num)d new notifications today", len(items))
        elif len(items) == 1:
            subject = _("Community Hall: %(text)s", text=items[0][0])
        else:
            subject = ngettext("Community Hall: %(num)d new notification", "Community Hall: %(num)d new notifications",
                               len(items))
        context = {"lang": "en" if str(get_locale()).startswith("en") else "zh-CN", "name": user.display_name, "items": items, "digest": digest, "unsubscribe_url": unsubscribe_url,
                   "settings_url": base + path_for("mail.settings"), "all_url": base + path_for("notifications.index")}
        text = _plain_text(**context)
        # Straight from the Jinja environment: the site's context processors need a request.
        html = current_app.jinja_env.get_template("notifications/email.html").render(**context)
    message = EmailMessage()
    message["Subject"] = subject[:200]
    message["From"] = current_app.config.get("SMTP_FROM") or current_app.config.get("SMTP_USER") or "forum@localhost"
    message["To"] = settings.address
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="yishiting")
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _plain_text(lang, name, items, digest, unsubscribe_url, settings_url, all_url) -> str:
    lines = [_("Hello %(name)s,", name=name), "",
             _("Here is what happened on the Community Hall today:") if digest
             else _("There is news for you on the Community Hall:"), ""]
    for text, url in items:
        lines += [f"- {text}", f"  {url}"]
    lines += ["", _("All your notifications: %(url)s", url=all_url), "", "-- ",
              _("You get this e-mail because you asked for it in your settings on the Community Hall."),
              _("Stop these e-mails: %(url)s", url=unsubscribe_url),
              _("Choose how often: %(url)s", url=settings_url)]
    return "\n".join(lines) + "\n"


def send(messages: list[EmailMessage]) -> None:
    """Deliver over one SMTP connection; raises on failure (callers log it)."""
    if not messages:
        return
    connection = _smtp()
    try:
        for message in messages:
            connection.send_message(message)
    finally:
        try:
            connection.quit()
        except smtplib.SMTPException:
            pass


def send_immediate(notification_ids: list[int], base: str) -> int:
    """Mail the given notifications to the recipients who chose immediate mail; returns how many mails."""
    rows = db.session.execute(
        select(Notification, EmailSettings).join(EmailSettings, EmailSettings.user_id == Notification.user_id)
        .where(Notification.id.in_(notification_ids), EmailSettings.frequency == "immediate")
        .order_by(Notification.id)).all()
    grouped: dict[int, tuple[EmailSettings, list]] = {}
    for notification, settings in rows:
        grouped.setdefault(settings.user_id, (settings, []))[1].append(notification)
    messages = [compose(settings, notes, base, digest=False) for settings, notes in grouped.values()
                if not settings.user.is_deleted]
    send(messages)
    return len(messages)


def send_digests(base: str, now=None) -> tuple[int, int]:
    """The daily digests: each daily reader's unread notifications since their last digest.

    Returns (mails sent, mails that failed). A reader whose mail failed gets the same
    notifications in the next run; one who had nothing new gets no mail.
    """
    now = now or utcnow()
    sent = failed = 0
    readers = db.session.scalars(select(EmailSettings).where(EmailSettings.frequency == "daily")
                                 .order_by(EmailSettings.user_id)).all()
    for settings in readers:
        since = settings.digest_until or now - timedelta(days=1)
        notes = db.session.scalars(select(Notification).where(
            Notification.user_id == settings.user_id, Notification.read_at.is_(None),
            Notification.created_at > since, Notification.created_at <= now).order_by(Notification.id)).all()
        if notes and not settings.user.is_deleted:
            try:
                send([compose(settings, list(notes), base, digest=True)])
                sent += 1
            except (OSError, smtplib.SMTPException):
                log.exception("mail: the digest to user %s failed; it is sent again next time", settings.user_id)
                failed += 1
                continue
        settings.digest_until = now
        db.session.commit()
    return sent, failed


# --- after the commit ----------------------------------------------------------------------------


@event.listens_for(Session, "after_flush")
def _collect(session, flush_context):
    from forum.accounts.models import User
    from forum.outreach.follows import account_deleted

    for obj in session.new:
        if isinstance(obj, Notification):
            session.info.setdefault(PENDING, []).append(obj.id)
    for obj in session.dirty:
        if isinstance(obj, User) and account_deleted(obj):  # 注销: the address goes with the account
            session.execute(delete(EmailSettings).where(EmailSettings.user_id == obj.id))


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    if transaction.parent is None:
        session.info.pop(PENDING, None)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    ids = session.info.pop(PENDING, None)
    if not ids or not has_app_context() or not enabled():
        return
    job = partial(_send_in_own_context, current_app._get_current_object(), ids, base_url())
    if has_request_context():
        try:
            after_this_request(_send_after_response(job))
            return
        except (AssertionError, RuntimeError):  # past the view (an error page, a teardown): send now
            pass
    job()


def _send_after_response(job):
    def register(response):
        response.call_on_close(job)
        return response
    return register


def _send_in_own_context(app, ids: list[int], base: str) -> None:
    with app.app_context():
        try:
            send_immediate(ids, base)
        except Exception:
            log.exception("mail: sending %d notification(s) failed", len(ids))
        finally:
            db.session.remove()
