"""`forum proposals expire`: close the collection of overdue proposals (for a daily cron job)."""
import click
from flask.cli import AppGroup, with_appcontext

proposals_cli = AppGroup("proposals", help="Proposals (议题): the collection window.")


@proposals_cli.command("expire")
@with_appcontext
def expire_command():
    """Mark every collecting proposal whose window has passed as expired, and tell its people."""
    from forum.proposals.services import expire_overdue

    count = expire_overdue()
    click.echo(f"{count} proposal(s) expired.")
