"""Fixtures in the style of flaskr: app, client, auth, plus demo data and factories.

Every test runs on SQLite, and on PostgreSQL as well when FORUM_TEST_DATABASE_URL is
set. The schema always comes from the Alembic migrations, applied once per run into
a template database; each SQLite test gets a copy of that file, each PostgreSQL test
a truncated database.
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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database file, copied for each test."""
    folder = tmp_path_factory.mktemp("template-sqlite")
    path = folder / "template.sqlite3"
    _migrate(folder, f"sqlite:///{path}")
    return SimpleNamespace(name="sqlite", template=path)


@pytest.fixture(scope="session")
def postgresql_template(tmp_path_factory):
    """A migrated PostgreSQL database of its own for this run, dropped at the end."""
    name = f"forum_test_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        _migrate(tmp_path_factory.mktemp("template-pg"), _pg_url_for(name))
        yield SimpleNamespace(name="postgresql", url=_pg_url_for(name))
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    """Each test that uses the database runs once per configured backend."""
    return request.getfixturevalue(f"{request.param}_template")


def database_url(backend, folder: Path) -> str:
    """A fresh database with the migrated schema, for one test."""
    if backend.name == "sqlite":
        path = folder / "forum.sqlite3"
        shutil.copy(backend.template, path)
        return f"sqlite:///{path}"
    return backend.url


def _truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def _app_factory(backend, tmp_path):
    made = []

    def factory(**overrides):
        folder = tmp_path / f"app{len(made)}"
        folder.mkdir()
        config = {**BASE_CONFIG, "INSTANCE_PATH": str(folder / "instance"),
                  "SQLALCHEMY_DATABASE_URI": database_url(backend, folder),
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
            if backend.name == "postgresql":
                _truncate_all()
            db.engine.dispose()


@pytest.fixture
def make_app(backend, tmp_path):
    """Build an app with extra settings on a fresh database; cleaned up after the test."""
    factory, made = _app_factory(backend, tmp_path)
    yield factory
    _clean_up(backend, made)


@pytest.fixture
def make_sqlite_app(sqlite_template, tmp_path):
    """The same, on SQLite only, for what only SQLite has."""
    factory, made = _app_factory(sqlite_template, tmp_path)
    yield factory
    _clean_up(sqlite_template, made)


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
def app(make_app):
    app = make_app()
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
    """The demo street, communities, units and the seven demo accounts."""
    from forum.accounts.models import User
    from forum.demo import seed_demo
    from forum.places.models import Community, Unit

    seed_demo()
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
        user = create_user(f"1370000{n:04d}", name or f"测试用户{n}", password, is_admin=is_admin)
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
