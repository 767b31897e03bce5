"""The `forum` console command (also `flask --app wsgi forum ...`)."""
import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from forum.accounts import services as accounts
from forum.accounts.passwords import password_problem
from forum.core import audit
from forum.extensions import db
from forum.matching.cli import matching_cli
from forum.search.cli import reindex_command, search_cli
from forum.proposals.cli import proposals_cli
from forum.voting.cli import polls_cli
from forum.privacy.cli import audit_cli
from forum.notifications.cli import notifications_cli

forum_cli = AppGroup("forum", help="议事厅 commands: demo site, demo data, admin accounts.")
forum_cli.add_command(matching_cli)
forum_cli.add_command(reindex_command)
forum_cli.add_command(search_cli)
forum_cli.add_command(proposals_cli)
forum_cli.add_command(polls_cli)
forum_cli.add_command(audit_cli)
forum_cli.add_command(notifications_cli)


@forum_cli.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Fill an empty database with the demo street, communities, units and accounts."""
    from forum.demo import DEMO_PASSWORD, seed_demo

    if seed_demo():
        click.echo("Demo data created.")
    else:
        click.echo("The database already has data; nothing was added.")
    _print_demo_accounts(DEMO_PASSWORD)


@forum_cli.command("demo")
@click.option("--port", default=5000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--no-serve", is_flag=True, help="Prepare the database and stop.")
@with_appcontext
def demo_command(port, no_serve):
    """Create the instance folder, migrate SQLite, seed demo data and serve on 127.0.0.1."""
    from forum.demo import DEMO_PASSWORD, seed_demo

    app = current_app._get_current_object()
    click.echo(f"Instance folder: {app.instance_path}")
    upgrade(revision="heads")
    if seed_demo():
        click.echo("Demo data created.")
    _print_demo_accounts(DEMO_PASSWORD)
    db.session.remove()  # the server's requests use sessions of their own
    if no_serve:
        return
    # The demo is served over plain HTTP on this machine only.
    app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    click.echo(f"\n议事厅 is running: http://127.0.0.1:{port}/  (Ctrl+C stops it)")
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False)


@forum_cli.command("create-admin")
@click.option("--phone", prompt="Mobile number")
@click.option("--name", "display_name", prompt="Display name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin_command(phone, display_name, password):
    """Create a site administrator (or make an existing user one)."""
    phone = accounts.normalise_phone(phone)
    if not accounts.is_mainland_mobile(phone):
        raise click.UsageError("Please give an 11-digit mainland mobile number.")
    user = accounts.find_by_phone(phone)
    if user is None:
        problem = password_problem(password, phone)
        if problem:
            raise click.UsageError(str(problem))
        user = accounts.create_user(phone, display_name, password, is_admin=True)
    user.is_admin = True
    db.session.flush()
    audit.record(db.session, None, "user.make_admin", user, detail="forum create-admin")
    db.session.commit()
    click.echo(f"{user.display_name} ({user.phone}) is an administrator.")


def _print_demo_accounts(password):
    from forum.demo import DEMO_ACCOUNTS
    from forum.lists.resource_demo import OWNERS

    click.echo(f"\nDemo accounts (password for all: {password}):")
    for phone, name, description in DEMO_ACCOUNTS:
        click.echo(f"  {phone}  {name:<4}  {description}")
    for phone, name, unit in OWNERS:
        click.echo(f"  {phone}  {name:<4}  {f'contact of {unit}' if unit else 'volunteer (志愿者)'}")


def _make_app():
    from forum import create_app

    return create_app()


def build_cli() -> FlaskGroup:
    """The `forum` console command: the forum commands plus Flask's own (db, run, ...)."""
    cli = FlaskGroup(create_app=_make_app, help="议事厅 — a community deliberation forum.")
    for name, command in forum_cli.commands.items():
        cli.add_command(command, name)
    return cli


def main():
    build_cli().main(prog_name="forum")

