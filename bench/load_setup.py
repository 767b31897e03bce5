"""What bench/load.py needs before it measures: the data, FlaskBB in its own venv, sessions and voters.

Data folders are built once and kept (the search index alone takes most of the time);
a PostgreSQL database is made by the script, named loadbench_*. Sessions are made with the
site's own login (Flask-Login's login_user and Flask-WTF's token in a request context, signed
with the instance folder's key), so a run needs no password check per resident.
"""
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

USER_AGENT = "load-bench"  # part of the session's identifier (Flask-Login's basic session protection)
READER_PHONE = "13900000004"  # 刘桂芳, the demo's verified resident of 青松社区
FLASKBB = ["flaskbb==2.2.0", "gunicorn==27.0.1", "psycopg[binary]~=3.2"]


# --- databases and data -----------------------------------------------------------------


def postgres_database(server: str, name: str, fresh: bool) -> str:
    """The URL of database `name` on `server` (created; dropped first if `fresh`)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if exists and fresh:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        if fresh or not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{server}/{name}"


def ensure_data(folder: Path, scale: str, postgres: str | None) -> dict:
    """FOLDER's load.json, after building the data there (and in PostgreSQL) if it is not complete."""
    record_file = folder / "load.json"
    if record_file.exists():
        record = json.loads(record_file.read_text())
        if postgres is None or _database_exists(postgres, record["database_url"]):
            return record
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    url = postgres_database(postgres, f"loadbench_{scale}", fresh=True) if postgres else None
    command = [sys.executable, str(BENCH / "load_data.py"), str(folder), "--scale", scale]
    subprocess.run(command + (["--database-url", url] if url else []), check=True)
    return json.loads(record_file.read_text())


def _database_exists(server: str, url: str) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{server}/postgres")
    with engine.connect() as conn:
        found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.rsplit("/", 1)[1]})
    engine.dispose()
    return bool(found)


# --- FlaskBB ------------------------------------------------------------------------------


def _python312() -> str | None:
    """A Python 3.12 that runs: pyenv's, or python3.12 on PATH (pyenv's shim there may lead nowhere)."""
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")), reverse=True)
    candidates += [found] if (found := shutil.which("python3.12")) else []
    for python in candidates:
        if subprocess.run([python, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"],
                          capture_output=True).returncode == 0:
            return python
    return None


def flaskbb_venv(venv: Path) -> Path:
    """FlaskBB 2.2.0 (it needs Python 3.12) and gunicorn in a venv of their own, made once."""
    ready = venv / "load-bench-ready"
    if ready.exists():
        return venv
    python = _python312()
    if python is None:
        sys.exit("FlaskBB 2.2.0 needs Python 3.12 (python3.12 on PATH or in pyenv); or run with --no-flaskbb")
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *FLASKBB], check=True)
    _add_future_annotations(venv)
    ready.write_text(" ".join(FLASKBB) + "\n")
    return venv


def _add_future_annotations(venv: Path, tries: int = 40) -> None:
    """FlaskBB 2.2.0's modules name types in annotations before defining or importing them; with
    `from __future__ import annotations` the annotations are not evaluated at import. Add it to
    each module that fails to import, one at a time, until flaskbb.app imports."""
    python = str(venv / "bin" / "python")
    for _ in range(tries):
        result = subprocess.run([python, "-c", "import flaskbb.app"], capture_output=True, text=True)
        if result.returncode == 0:
            return
        files = re.findall(r'File "([^"]*site-packages/flaskbb[^"]*\.py)"', result.stderr)
        if "NameError" not in result.stderr or not files:
            sys.exit(f"FlaskBB does not import:\n{result.stderr}")
        subprocess.run([python, "-c", _PATCH, files[-1]], check=True)
    sys.exit("FlaskBB still does not import after adding `from __future__ import annotations`")


_PATCH = """import ast, sys
path = sys.argv[1]
source = open(path).read()
if "from __future__ import annotations" in source:
    sys.exit(f"{path} fails to import for another reason")
first = ast.parse(source).body[0]
after = first.end_lineno if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) else 0
lines = source.splitlines(keepends=True)
lines.insert(after, "from __future__ import annotations\\n")
open(path, "w").write("".join(lines))
"""


def ensure_flaskbb_site(venv: Path, folder: Path, postgres: str | None) -> dict:
    """FlaskBB's config and data in FOLDER (and PostgreSQL), built once; its flaskbb.json."""
    record_file = folder / "flaskbb.json"
    if record_file.exists() and (postgres is None or _database_exists(postgres, f"{postgres}/loadbench_flaskbb")):
        return json.loads(record_file.read_text())
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    command = [str(venv / "bin" / "python"), str(BENCH / "flaskbb_site.py"), str(folder)]
    if postgres:
        command += ["--database-url", postgres_database(postgres, "loadbench_flaskbb", fresh=True)]
    subprocess.run(command, check=True, cwd=folder)
    return json.loads(record_file.read_text())


# --- sessions, pages and voters -------------------------------------------------------------


def site_app(folder: Path, database_url: str | None):
    """The site on the data, its migrations applied (data built before a new migration is kept)."""
    from flask_migrate import upgrade

    from forum import create_app

    overrides = {"INSTANCE_PATH": str(folder), "TESTING": True, "SEARCH_DRAIN_AFTER_COMMIT": False}
    if database_url:
        overrides.update(SQLALCHEMY_DATABASE_URI=database_url, SEARCH_BACKEND="postgres")
    app = create_app(overrides)
    with app.app_context():
        upgrade(revision="heads")
    return app


def session_of(app, user) -> tuple[str, str]:
    """The `session=...` cookie of `user` logged in from 127.0.0.1 with USER_AGENT, and its CSRF token."""
    from flask import g, session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                  headers={"User-Agent": USER_AGENT}):
        g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # g outlives the request in an app context
        login_user(user)
        token = generate_csrf()
        response = app.make_response("")
        app.session_interface.save_session(app, session, response)
        return response.headers["Set-Cookie"].split(";", 1)[0], token


def pages(app, record: dict) -> tuple[dict, str]:
    """Our pages measured (name → path), and the reader's cookie."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.discussion.models import Thread
    from forum.extensions import db
    from forum.lists.models import Need

    with app.app_context():
        reader = db.session.scalar(select(User).where(User.phone == READER_PHONE))
        community = reader.memberships[0].community_id
        need = db.session.scalar(  # the reader's community's published need with the longest discussion
            select(Need.id).join(Thread, (Thread.subject_type == "need") & (Thread.subject_id == Need.id))
            .where(Need.community_id == community, Need.status == "published")
            .order_by(Thread.comment_count.desc(), Need.id).limit(1))
        cookie, _ = session_of(app, reader)
        db.session.rollback()
    return {
        "home": "/",
        "need list": "/needs/",
        "need list, filtered": f"/needs/?community={community}&category=elderly&status=published",
        "need": f"/needs/{need}",
        "proposal, 200 comments": f"/proposals/{record['proposal_200']}",
        "proposal, 100 comments": f"/proposals/{record['proposal_100']}",
        "search 电梯": "/search?q=" + quote("电梯"),
    }, cookie


def ensure_voters(app, folder: Path, record: dict, wanted: int) -> None:
    """Every resident votes once in a poll: when fewer than WANTED have not voted, a new round of
    polls (one per community, as bench/load_data.py made) gives everyone a vote again."""
    from load_data import add_polls

    for _ in range(10):  # at the reference scale a round is 35,000 votes; at the tiny one 400
        if len(_open_votes(app, record["polls"])) >= wanted:
            break
        with app.app_context():
            record["polls"] += add_polls()
        (folder / "load.json").write_text(json.dumps(record, indent=1))


def _open_votes(app, polls: list[int]) -> list:
    """(user id, poll id) of each verified resident who has not voted in their community's poll."""
    from sqlalchemy import exists, select

    from forum.accounts.models import Membership
    from forum.extensions import db
    from forum.voting.models import Poll, PollVoter

    with app.app_context():
        pairs = db.session.execute(
            select(Membership.user_id, Poll.id).join(Poll, Poll.community_id == Membership.community_id)
            .where(Poll.id.in_(polls), Membership.verified_at.is_not(None),
                   ~exists().where(PollVoter.poll_id == Poll.id, PollVoter.user_id == Membership.user_id))
            .order_by(Membership.user_id, Poll.id)).all()
        db.session.rollback()
    return pairs


def write_voters(app, polls: list[int], path: Path, limit: int) -> int:
    """Up to LIMIT residents who may vote in one of POLLS and have not: one vote request each, to PATH."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.extensions import db
    from forum.voting.models import PollOption

    pairs = _open_votes(app, polls)
    with app.app_context():
        random.Random(3).shuffle(pairs)
        pairs = pairs[:limit]
        options = dict(db.session.execute(select(PollOption.poll_id, PollOption.id).where(
            PollOption.poll_id.in_(polls), PollOption.position == 0)).all())
        users = {}
        ids = sorted({user_id for user_id, _ in pairs})
        for start in range(0, len(ids), 2000):
            users.update((u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(ids[start:start + 2000]))))
        with path.open("w") as out:
            for user_id, poll_id in pairs:
                cookie, token = session_of(app, users[user_id])
                out.write(f"/polls/{poll_id}/vote\t{cookie}\tcsrf_token={quote(token)}&option={options[poll_id]}\n")
        db.session.rollback()
    return len(pairs)


def votes_counted(app, polls: list[int]) -> int:
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.voting.models import PollVoter

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(PollVoter).where(PollVoter.poll_id.in_(polls)))
        db.session.rollback()
    return count
