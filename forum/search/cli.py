"""`forum reindex` and `forum search status|drain`."""
import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

search_cli = AppGroup("search", help="The search index: compare it with the database, drain the outbox.")


def _index():
    return current_app.extensions["forum_search"]


@click.command("reindex")
@click.option("--processes", default=1, show_default=True, help="whoosh: indexing processes.")
@with_appcontext
def reindex_command(processes):
    """Rebuild the search index from the database."""
    started = time.perf_counter()
    count = _index().rebuild(processes=processes)
    click.echo(f"Indexed {count} documents in {time.perf_counter() - started:.1f} s "
               f"({_index().backend_name}).")


@search_cli.command("status")
@click.option("--show", default=10, show_default=True, help="How many differing items to list.")
@with_appcontext
def status_command(show):
    """Compare the index with the database; exit 1 when they differ."""
    drift = _index().drift()
    click.echo(f"backend: {_index().backend_name}; outbox rows waiting: {drift.pending}")
    for kind in sorted(set(drift.in_database) | set(drift.in_index)):
        click.echo(f"  {kind:<13} database {drift.in_database.get(kind, 0):>8}   index {drift.in_index.get(kind, 0):>8}")
    for name in ("missing", "extra", "stale"):
        keys = getattr(drift, name)
        if keys:
            click.echo(f"{name}: {len(keys)} ({', '.join(keys[:show])}{' ...' if len(keys) > show else ''})")
    if drift.in_step:
        click.echo("The index is in step with the database.")
    else:
        click.echo("The index differs from the database: `forum search drain`, or `forum reindex`.")
        raise SystemExit(1)


@search_cli.command("drain")
@with_appcontext
def drain_command():
    """Index what the outbox lists (waits for another drainer to finish first)."""
    click.echo(f"Drained {_index().drain(blocking=True)} outbox rows.")
