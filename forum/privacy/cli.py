"""`forum audit prune`: delete audit entries past the retention period (never younger than 183 days)."""
import click
from flask.cli import AppGroup, with_appcontext

from forum.core import audit
from forum.extensions import db

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("prune")
@click.option("--older-than", "days", type=int, required=True, help="Delete entries older than this many days.")
@with_appcontext
def prune_command(days):
    """Delete audit entries older than DAYS (at least 183: entries are kept six months)."""
    if days < audit.RETENTION_DAYS:
        raise click.UsageError(f"Audit entries are kept at least {audit.RETENTION_DAYS} days; "
                               f"--older-than {days} would delete younger ones.")
    deleted = audit.prune(db.session, days)
    click.echo(f"Deleted {deleted} audit entries older than {days} days.")
