"""`forum notifications digest`: the daily e-mail digests (run it once a day from cron)."""
import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

notifications_cli = AppGroup("notifications", help="Notifications: the daily e-mail digests.")


@notifications_cli.command("digest")
@with_appcontext
def digest_command():
    """Mail each reader who chose the daily digest their unread notifications since the last one."""
    from forum.notifications import mail

    if not mail.enabled():
        raise click.ClickException("FORUM_SMTP_HOST is not set: this site sends no e-mail.")
    base = current_app.config.get("BASE_URL")
    if not base:
        raise click.ClickException("Set FORUM_BASE_URL (e.g. https://yishiting.example.cn) so that the links "
                                   "in the e-mails lead to the site.")
    sent, failed = mail.send_digests(base)
    click.echo(f"{sent} digest(s) sent, {failed} failed.")
    if failed:
        raise SystemExit(1)
