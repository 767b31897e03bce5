"""Whole pages are kept for a repeated request while the database is unchanged
(forum/core/page_cache.py). A reader gets a kept page only for the very request that made it,
and sees every change the moment it is committed, by whoever and in whichever server process."""
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from conftest import BASE_CONFIG, DEMO_PASSWORD
from forum import create_app
from forum.core.database_state import unwatched_tables, watch_every_table
from forum.core.models import utcnow
from forum.discussion import services
from forum.extensions import db
from forum.lists.models import Need
from forum.search.sources import build_document
from forum.voting.models import Poll

LAMP = "3号楼楼道灯坏了一个多星期"


def statements(client, url, **kwargs) -> tuple[list[str], str]:
    """The SQL statements the page `url` ran, and the page."""
    seen = []

    def grab(conn, cursor, sql, params, context, executemany):
        seen.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", grab)
    try:
        response = client.get(url, **kwargs)
        assert response.status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", grab)
    return seen, response.get_data(as_text=True)


def kept_page(client, url, **kwargs) -> str:
    """`url` seen until it comes from the cache (the first views may change the session: a message
    shown, a CSRF secret made), which the test needs for what it checks next to mean anything."""
    for _ in range(5):
        ran, page = statements(client, url, **kwargs)
        if not ran:
            return page
    raise AssertionError(f"{url} was never kept")


def signed_in_as(page: str) -> str | None:
    found = re.search(r'<a href="/profile">([^<]+)</a>', page)
    return found and found.group(1)


def titles(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def need_url(title=LAMP) -> str:
    return f"/needs/{db.session.scalar(sa.select(Need.id).where(Need.title == title))}"


def test_a_repeated_page_is_served_without_being_made_again(make_app):
    app = make_app(demo=True)
    with app.app_context():
        client = app.test_client()
        client.post("/auth/login", data={"phone": "13900000004", "password": DEMO_PASSWORD})
        url = need_url()
        client.get(url)  # shows the login's message, and so changes the session: not kept
        first, page = statements(client, url)
        again, kept = statements(client, url)
        assert len(first) > 0
        assert again == []  # the state is read on the cache's own connection, outside the engine
        assert kept == page and signed_in_as(kept) == "刘桂芳"


def test_a_comment_shows_at_once_on_a_page_seen_before(client, auth, demo):
    auth.login(demo.resident.phone)
    url = need_url()
    kept_page(client, url)
    services.post_comment(demo.unverified, db.session.get(Need, int(url.rsplit("/", 1)[1])), "物业说明天来修灯")
    assert "物业说明天来修灯" in client.get(url).get_data(as_text=True)


def test_a_change_made_in_another_server_process_shows_at_once(make_app, tmp_path):
    """Two apps on one database, as two server processes, each with its own cache."""
    reading = make_app(demo=True)
    writing = create_app({**BASE_CONFIG, "INSTANCE_PATH": str(tmp_path / "writer"),
                          "SQLALCHEMY_DATABASE_URI": reading.config["SQLALCHEMY_DATABASE_URI"]})
    with reading.app_context():
        url = need_url()
    client = reading.test_client()
    client.post("/auth/login", data={"phone": "13900000004", "password": DEMO_PASSWORD})
    with reading.app_context():
        assert "另一个进程改的标题" not in kept_page(client, url)

    with writing.app_context():  # not a comment: no thread revision, only the database's state changes
        db.session.get(Need, int(url.rsplit("/", 1)[1])).title = "另一个进程改的标题"
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert "另一个进程改的标题" in client.get(url).get_data(as_text=True)


def test_readers_never_get_each_others_pages(app, demo):
    url = need_url()
    resident, visitor, other = app.test_client(), app.test_client(), app.test_client()
    resident.post("/auth/login", data={"phone": demo.resident.phone, "password": DEMO_PASSWORD})
    other.post("/auth/login", data={"phone": demo.unverified.phone, "password": DEMO_PASSWORD})
    for _ in range(2):
        mine = resident.get(url).get_data(as_text=True)
        theirs = other.get(url).get_data(as_text=True)
        anyone = visitor.get(url).get_data(as_text=True)
        assert signed_in_as(mine) == demo.resident.display_name
        assert signed_in_as(theirs) == demo.unverified.display_name
        assert signed_in_as(anyone) is None and "登录" in anyone


def test_a_fragment_and_the_whole_page_are_kept_apart(client):
    whole = kept_page(client, "/needs/")
    fragment = kept_page(client, "/needs/", headers={"HX-Request": "true"})
    assert client.get("/needs/").get_data(as_text=True) == whole and "<html" in whole
    assert client.get("/needs/", headers={"HX-Request": "true"}).get_data(as_text=True) == fragment
    assert "<html" not in fragment


def test_a_message_is_shown_once(client, auth, demo):
    auth.login(demo.resident.phone)
    url = need_url()
    response = client.post(f"{url}/support", follow_redirects=True)
    shown = response.get_data(as_text=True)
    assert 'class="flash' in shown
    for _ in range(2):
        assert 'class="flash' not in client.get(url).get_data(as_text=True)


def test_a_deadline_shows_once_the_short_life_of_a_kept_page_is_over(make_app):
    app = make_app(demo=True, PAGE_CACHE_SECONDS=1)
    with app.app_context():
        poll = db.session.scalar(sa.select(Poll).where(Poll.status == "open").order_by(Poll.id))
        poll.closes_at = utcnow() + timedelta(seconds=2)
        db.session.commit()
        url, closes_at = f"/polls/{poll.id}", poll.closes_at
        client = app.test_client()
        client.post("/auth/login", data={"phone": "13900000002", "password": DEMO_PASSWORD})
        before = kept_page(client, url)
        assert "投票中" in before and "已截止" not in before
        while utcnow() < closes_at + timedelta(seconds=2):
            time.sleep(0.2)
        after = client.get(url).get_data(as_text=True)
        assert "已截止" in after


def test_only_html_pages_are_kept(client):
    """Only text/html is kept: the open data here (and so downloads such as ledgers) is made every time."""
    client.get("/api/v1/needs")
    again, data = statements(client, "/api/v1/needs")
    assert len(again) > 0 and data.startswith("{")


def test_a_search_shows_what_the_index_has_now(make_sqlite_app):
    """Search reads the whoosh index beside the database: a kept result page must match it too."""
    app = make_sqlite_app(demo=True)
    with app.app_context():
        index = app.extensions["forum_search"]
        index.ensure_built()
        need = db.session.scalar(sa.select(Need).where(Need.title == LAMP))
        key = f"need:{need.id}"
        document = build_document(db.session, key)
        client = app.test_client()
        assert LAMP in titles(kept_page(client, "/search?q=楼道灯"))
        index.backend.write([], [key])  # the index alone changes: the database does not
        assert LAMP not in titles(kept_page(client, "/search?q=楼道灯"))
        index.backend.write([document], [])
        assert LAMP in titles(client.get("/search?q=楼道灯").get_data(as_text=True))


def test_no_cache_when_turned_off(make_app):
    app = make_app(demo=True, PAGE_CACHE_SECONDS=0)
    with app.app_context():
        client = app.test_client()
        url = need_url()
        client.get(url)
        again, _ = statements(client, url)
        assert len(again) > 0


def test_the_cache_connections_close_with_the_app(make_app):
    app = make_app(demo=True)
    with app.app_context():
        app.test_client().get("/needs/")
        state = app.extensions["page_cache_state"]
        assert len(state._idle) == 1
        db.engine.dispose()
        assert state._idle == []


def test_a_rate_limited_page_is_not_kept_past_its_limit(make_sqlite_app):
    from forum.config import RATE_LIMITS

    app = make_sqlite_app(demo=True, RATELIMIT_ENABLED=True,
                          RATE_LIMITS={**RATE_LIMITS, "view_stats": "3 per hour", "view_stats_ip": "3 per hour"})
    with app.app_context():
        client = app.test_client()
        statuses = [client.get("/stats/").status_code for _ in range(5)]
        assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]


def test_a_write_rolled_back_leaves_pages_kept(make_app):
    app = make_app(demo=True)
    with app.app_context():
        client = app.test_client()
        url = need_url()
        kept_page(client, url)
        db.session.rollback()  # the test's own transaction (SQLite: it holds the write lock)
        with db.engine.connect() as other:  # another connection, as another server process
            other.execute(sa.update(Need).values(title="没有提交的标题"))
            other.rollback()
        ran, page = statements(client, url)
        assert ran == [] and "没有提交的标题" not in page


def postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's data_version is its own database's already")


def page_state(connection) -> int:
    return connection.exec_driver_sql("SELECT version FROM page_state").scalar()


def test_every_table_moves_the_state_once_a_transaction(app):
    postgresql_only()
    with db.engine.connect() as conn:
        assert unwatched_tables(conn) == []
        before = page_state(conn)
        conn.exec_driver_sql("INSERT INTO street (name, created_at) VALUES ('新街道', now()), ('另一个街道', now())")
        conn.exec_driver_sql("UPDATE street SET name = name || '办事处'")
        assert page_state(conn) == before  # moved at the commit, with the data
        conn.commit()
        assert page_state(conn) == before + 1
        conn.exec_driver_sql("DELETE FROM street WHERE name = '新街道办事处'")
        conn.rollback()
        assert page_state(conn) == before + 1
        conn.rollback()
        with conn.begin():
            with conn.begin_nested() as savepoint:
                conn.exec_driver_sql("DELETE FROM street WHERE name = '新街道办事处'")
                savepoint.rollback()
            conn.exec_driver_sql("UPDATE street SET name = '另一个街道' WHERE name = '另一个街道办事处'")
        assert page_state(conn) == before + 2
        conn.exec_driver_sql("TRUNCATE street CASCADE")
        conn.commit()
        assert page_state(conn) > before + 2


def test_a_table_added_later_is_watched_too(app):
    postgresql_only()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE later_feature (id serial PRIMARY KEY)")
        assert unwatched_tables(conn) == ["later_feature"]
        watch_every_table(conn)  # as migrations/env.py does after every run
        assert unwatched_tables(conn) == []
        conn.exec_driver_sql("DROP TABLE later_feature")


def test_a_write_to_another_database_of_the_server_leaves_pages_kept(make_app):
    """PostgreSQL's state is the database's own: other sites (or test processes) on the server don't move it."""
    app = make_app(demo=True)
    with app.app_context():
        postgresql_only()
        other = db.engine.url.set(database=f"{db.engine.url.database}_other")
        admin = sa.create_engine(db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{other.database}"')
        try:
            client = app.test_client()
            url = need_url()
            kept_page(client, url)
            writer = sa.create_engine(other)
            with writer.begin() as conn:
                conn.exec_driver_sql("CREATE TABLE need (id serial PRIMARY KEY, title text)")
                conn.exec_driver_sql("INSERT INTO need (title) VALUES ('别的网站的需求')")
            writer.dispose()
            ran, _ = statements(client, url)
            assert ran == []
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{other.database}" WITH (FORCE)')
            admin.dispose()
