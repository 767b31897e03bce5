"""Fixtures in the style of flaskr: app, client, auth, plus demo data and factories.

Every test runs on SQLite, and on PostgreSQL as well when FORUM_TEST_DATABASE_URL is
set. The schema always comes from the Alembic migrations, applied once per run into
a template database (and the demo data seeded once into a second one); each test
gets a fresh copy: a file on SQLite; on PostgreSQL the one database emptied and, for
tests that ask for the demo data, refilled from a snapshot.
"""
import os
import shutil
import uuid
from pathlib import Path
from types import SimpleNamespace

import flask_babel
import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from forum import create_app
from forum.extensions import db

PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL")


def redis_test_url() -> str | None:
    """FORUM_TEST_REDIS_URL, with a Redis database of its own for each parallel test process
    (pytest-xdist's workers), so that their rate-limit counts never mix; None when unset."""
    url = os.environ.get("FORUM_TEST_REDIS_URL")
    if not url:
        return None
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])
    return f"{url.rsplit('/', 1)[0]}/{1 + worker % 15}"
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
DEMO_PASSWORD = "demo-pass-2026"

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "SECRET_KEY_CONFIGURED": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
}


def _pg_url_for(name: str) -> str:
    return sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _pg_admin(statement: str) -> None:
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(statement)
    engine.dispose()


def _migrate(instance: Path, url: str) -> None:
    app = create_app({**BASE_CONFIG, "INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()


def _seed(instance: Path, url: str) -> None:
    from forum.demo import seed_demo

    app = create_app({**BASE_CONFIG, "INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        seed_demo()
        db.session.remove()
        db.engine.dispose()


class SQLiteDatabases:
    """Each test gets a copy of a migrated file (with the demo data, when it asks for it)."""

    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder
        self.templates = {False: folder / "plain.sqlite3"}
        _migrate(folder, f"sqlite:///{self.templates[False]}")

    def _template(self, demo: bool) -> Path:
        if demo not in self.templates:
            path = self.folder / "demo.sqlite3"
            shutil.copy(self.templates[False], path)
            _seed(self.folder / "demo-instance", f"sqlite:///{path}")
            self.templates[demo] = path
        return self.templates[demo]

    def fresh(self, folder: Path, demo: bool) -> str:
        path = folder / "forum.sqlite3"
        shutil.copy(self._template(demo), path)
        return f"sqlite:///{path}"

    def release(self, url: str) -> None:
        pass

    def close(self) -> None:
        pass


class PostgreSQLDatabases:
    """One migrated database for the run; each test empties it and, when it asks for the
    demo data, copies it back in from a snapshot schema (much faster than CREATE DATABASE)."""

    name = "postgresql"

    def __init__(self, folder: Path):
        self.folder = folder
        self.database = f"forum_test_{uuid.uuid4().hex[:10]}"
        self.url = _pg_url_for(self.database)
        self.snapshot_taken = False
        _pg_admin(f'CREATE DATABASE "{self.database}"')
        _migrate(folder, self.url)
        self.engine = sa.create_engine(self.url)
        self.tables = [t.name for t in db.metadata.sorted_tables]
        self.with_ids = {t.name for t in db.metadata.sorted_tables if "id" in t.c}

    def _empty(self, conn) -> None:
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tables) + " RESTART IDENTITY CASCADE")

    def _take_snapshot(self) -> None:
        with self.engine.begin() as conn:
            self._empty(conn)
        _seed(self.folder / "demo-instance", self.url)
        with self.engine.begin() as conn:
            conn.exec_driver_sql("CREATE SCHEMA demo_snapshot")
            for table in self.tables:
                conn.exec_driver_sql(f'CREATE TABLE demo_snapshot."{table}" AS TABLE public."{table}"')
        self.snapshot_taken = True

    def fresh(self, folder: Path, demo: bool) -> str:
        if demo and not self.snapshot_taken:
            self._take_snapshot()
        with self.engine.begin() as conn:
            self._empty(conn)
            if demo:
                for table in self.tables:
                    conn.exec_driver_sql(f'INSERT INTO public."{table}" SELECT * FROM demo_snapshot."{table}"')
                    if table in self.with_ids:
                        conn.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                            f'(SELECT COALESCE(MAX(id), 0) + 1 FROM public."{table}"), false)')
        return self.url

    def release(self, url: str) -> None:
        pass

    def close(self) -> None:
        self.engine.dispose()
        _pg_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory):
    return SQLiteDatabases(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgresql_databases(tmp_path_factory):
    databases = PostgreSQLDatabases(tmp_path_factory.mktemp("postgresql"))
    yield databases
    databases.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    """Each test that uses the database runs once per configured backend."""
    return request.getfixturevalue(f"{request.param}_databases")


def _app_factory(backend, tmp_path):
    made = []

    def factory(demo=False, **overrides):
        folder = tmp_path / f"app{len(made)}"
        folder.mkdir()
        config = {**BASE_CONFIG, "INSTANCE_PATH": str(folder / "instance"),
                  "SQLALCHEMY_DATABASE_URI": backend.fresh(folder, demo),
                  "PHOTO_STORAGE": "database" if backend.name == "postgresql" else "files", **overrides}
        app = create_app(config)
        app.test_client_class = FreshGlobalsClient
        made.append(app)
        return app

    return factory, made


def _clean_up(backend, made):
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        backend.release(app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture
def make_app(backend, tmp_path):
    """Build an app with extra settings on a fresh database (demo=True: with the demo data)."""
    factory, made = _app_factory(backend, tmp_path)
    yield factory
    _clean_up(backend, made)


@pytest.fixture
def make_sqlite_app(sqlite_databases, tmp_path):
    """The same, on SQLite only, for what only SQLite has."""
    factory, made = _app_factory(sqlite_databases, tmp_path)
    yield factory
    _clean_up(sqlite_databases, made)


class FreshGlobalsClient(FlaskClient):
    """Tests hold an app context open to use the database; requests then share it.

    A real server gives each request its own `g` (where Flask-Login caches the
    user) and its own Babel locale, so this client resets both before each request.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for key in list(g):
                g.pop(key)
            flask_babel.refresh()
        return super().open(*args, **kwargs)


@pytest.fixture
def app(make_app, request):
    app = make_app(demo="demo" in request.fixturenames)
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, phone, password=DEMO_PASSWORD, **extra):
        return self._client.post("/auth/login", data={"phone": phone, "password": password, **extra})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def demo(app):
    """The demo data (the `app` fixture starts from a copy of it): the accounts and places."""
    from forum.accounts.models import User
    from forum.places.models import Community, Unit

    users = {u.phone: u for u in db.session.scalars(sa.select(User))}
    communities = db.session.scalars(sa.select(Community).order_by(Community.id)).all()
    return SimpleNamespace(
        admin=users["13900000000"], staff=users["13900000001"], council=users["13900000002"],
        unit_contact=users["13900000003"], resident=users["13900000004"],
        unverified=users["13900000005"], resident2=users["13900000006"],
        community=communities[0], community2=communities[1], community3=communities[2],
        school=db.session.scalar(sa.select(Unit).where(Unit.kind == "school")),
    )


@pytest.fixture
def make_user(app):
    """Factory: a user living in `community` (verified or not), with optional roles."""
    from forum.accounts.models import Membership, RoleGrant
    from forum.accounts.services import create_user
    from forum.core.models import utcnow

    counter = iter(range(10_000))

    def factory(community=None, *, verified=False, roles=(), name=None, password=DEMO_PASSWORD, is_admin=False):
        n = next(counter)
        user = create_user(f"1370000{n:04d}", name or f"测试用户{n}", password, is_admin=is_admin,
                           consent_version=app.config["PRIVACY_NOTICE_VERSION"])
        if community is not None:
            db.session.add(Membership(user=user, community=community,
                                      verified_at=utcnow() if verified else None))
            for role in roles:
                db.session.add(RoleGrant(user=user, role=role, community=community))
        db.session.commit()
        return user

    return factory


def csrf_token_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def query_plan(statement) -> tuple[str, str]:
    """The database's name and its plan for the SQL that `statement` runs."""
    seen = []
    engine = db.engine

    def grab(conn, cursor, sql, params, context, executemany):
        seen.append((sql, params))

    sa.event.listen(engine, "before_cursor_execute", grab)
    try:
        db.session.scalars(statement).all()
    finally:
        sa.event.remove(engine, "before_cursor_execute", grab)
    sql, params = seen[-1]
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        return "sqlite", " ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return "postgresql", " ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + sql, params))
