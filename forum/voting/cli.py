"""`forum polls close-due`: close every poll whose time is up (cron can run it; pages also do it)."""
import click
from flask.cli import AppGroup, with_appcontext

polls_cli = AppGroup("polls", help="Polls (表决): close those whose voting time is up.")


@polls_cli.command("close-due")
@with_appcontext
def close_due_command():
    """Close and count every poll whose closing time has passed, deciding their proposals."""
    from forum.voting.services import close_due_polls

    closed = close_due_polls()
    click.echo(f"{closed} poll(s) closed.")
