"""`forum matching evaluate|rank FILE.json`: the matcher on a labelled set, through a database.

Each command loads the set into a temporary SQLite database of its own (a temporary
instance folder, the migrations applied), reads the needs and resources back through
the record adapters and ranks every need, so what is measured is what the pages get.
"""
import json
import logging
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from forum.matching.engine import THRESHOLD

matching_cli = AppGroup("matching", help="Needs ↔ resources matching on a labelled set (dev.json format).")

_today = click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
                      help="The day resources are checked against available_until (default: today).")
_threshold = click.option("--threshold", type=float, default=THRESHOLD, show_default=True,
                          help="Minimum score of a suggestion (the engine's THRESHOLD unless given).")
_file = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@contextmanager
def temporary_database(file: Path):
    """An app on a fresh SQLite database in a temporary folder, with the set loaded."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.extensions import db
    from forum.matching.dataset import load_dataset, read_dataset

    data = read_dataset(file)
    with tempfile.TemporaryDirectory(prefix="forum-matching-") as folder:
        app = create_app({
            "INSTANCE_PATH": str(Path(folder) / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'matching.sqlite3'}",
            "SECRET_KEY": "matching-evaluation", "SECRET_KEY_CONFIGURED": True,
            "SEARCH_INDEX_PATH": str(Path(folder) / "search-index"), "PHOTO_STORAGE": "files",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
        })
        with app.app_context():
            logging.disable(logging.INFO)  # Alembic's per-migration lines (its env.py resets levels)
            try:
                upgrade(revision="heads")
            finally:
                logging.disable(logging.NOTSET)
            loaded = load_dataset(data)
            try:
                yield loaded
            finally:
                db.session.remove()
                db.engine.dispose()


def _rank_set(file: Path, today, threshold: float):
    """(the set's relevance labels, {need id: [resource id, …]} in the set's ids)."""
    from forum.matching.dataset import records_from_database
    from forum.matching.evaluation import rankings

    with temporary_database(file) as loaded:
        needs, resources, places = records_from_database()
        ranked = rankings(needs, resources, place_names=places, today=today, threshold=threshold)
    named = {loaded.need_ids[need_id]: [loaded.resource_ids[r] for r in resource_ids]
             for need_id, resource_ids in ranked.items()}
    return loaded.relevant, named


@matching_cli.command("evaluate", with_appcontext=False)
@_file
@_today
@_threshold
def evaluate_command(file, today, threshold):
    """Rank every need of FILE and print hit@1, hit@3, MRR and the abstention share."""
    from forum.matching.evaluation import evaluate

    today = today.date() if today else date.today()
    relevant, ranked = _rank_set(file, today, threshold)
    metrics = evaluate(ranked, relevant, threshold)
    click.echo(f"{file.name} (resources checked against {today.isoformat()})")
    for line in metrics.lines():
        click.echo(line)


@matching_cli.command("rank", with_appcontext=False)
@_file
@_today
@_threshold
def rank_command(file, today, threshold):
    """Print {"need id": ["resource id", …]} as JSON, best first, above the threshold only."""
    today = today.date() if today else date.today()
    _, ranked = _rank_set(file, today, threshold)
    lines = [f"  {json.dumps(need_id, ensure_ascii=False)}: {json.dumps(ids, ensure_ascii=False)}"
             for need_id, ids in ranked.items()]
    click.echo("{\n" + ",\n".join(lines) + "\n}")
