"""The bell on every page (one indexed count), the list, following one, marking all read."""
import re

import pytest
import sqlalchemy as sa

from forum.core.i18n import N_
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Notification
from forum.notifications.services import notify

VERIFIED = N_("%(name)s is now a verified resident.")


@pytest.fixture
def sql_log(app):
    """Every SQL statement the app's engine runs during the test, with its parameters."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def reader(demo, make_user):
    """A fresh resident, so that what the demo data sends does not count."""
    return make_user(demo.community, verified=True, name="周阿姨")


@pytest.fixture
def neighbour(demo, make_user):
    return make_user(demo.community, verified=True, name="吴大伯")


def send(user, count=1, actor=None, url="/profile"):
    for n in range(count):
        notify([user], VERIFIED, url, actor=actor, name=f"邻居{n}")
    db.session.commit()


def ids_of(user):
    return db.session.scalars(
        sa.select(Notification.id).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def bell(html):
    """The bell's accessible label and the number it shows (None when it shows none)."""
    link = re.search(r'<a href="/notifications/" class="bell".*?</a>', html, re.S).group(0)
    label = re.search(r'aria-label="([^"]+)"', link).group(1)
    count = re.search(r'class="bell-count"[^>]*>([^<]+)<', link)
    return label, count.group(1) if count else None


def test_the_bell_shows_the_unread_count_on_every_page(client, auth, demo, reader):
    send(reader, 3)
    auth.login(reader.phone)
    for path in ("/", "/profile", f"/users/{demo.staff.id}", "/no-such-page"):
        assert bell(client.get(path).get_data(as_text=True)) == ("3 条未读通知", "3")


def test_the_bell_without_unread_notifications_shows_no_number(client, auth, reader):
    auth.login(reader.phone)
    assert bell(client.get("/").get_data(as_text=True)) == ("通知", None)


def test_visitors_who_are_not_logged_in_see_no_bell_and_are_sent_to_log_in(client, demo):
    assert 'class="bell"' not in client.get("/").get_data(as_text=True)
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_following_a_notification_marks_it_read_and_lowers_the_count(client, auth, demo, reader):
    send(reader, 2, actor=demo.staff, url="/users/1")
    first = ids_of(reader)[0]
    auth.login(reader.phone)
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.count("未读</span>") == 2 and "王秀兰" in page
    assert f'action="/notifications/{first}/read"' in page

    response = client.post(f"/notifications/{first}/read")
    assert response.status_code == 303 and response.headers["Location"] == "/users/1"
    page = client.get("/notifications/").get_data(as_text=True)
    assert bell(page) == ("1 条未读通知", "1")
    assert page.count("未读</span>") == 1
    # A read one is a plain link now; following it again is harmless.
    assert '<a class="notification-text" href="/users/1">邻居0 已通过住户核验。</a>' in page
    assert client.post(f"/notifications/{first}/read").status_code == 303


def test_mark_all_read_empties_the_bell(client, auth, reader):
    send(reader, 3)
    auth.login(reader.phone)
    assert "全部标为已读" in client.get("/notifications/").get_data(as_text=True)
    response = client.post("/notifications/read-all", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "所有通知已标为已读。" in page
    assert bell(page) == ("通知", None)
    assert "未读</span>" not in page and "全部标为已读" not in page


def test_an_empty_list_says_so(client, auth, reader):
    auth.login(reader.phone)
    assert "暂无通知。" in client.get("/notifications/").get_data(as_text=True)


def test_one_user_cannot_see_or_mark_anothers_notifications(client, auth, reader, neighbour):
    send(reader, 2)
    theirs = ids_of(reader)[0]
    auth.login(neighbour.phone)
    assert client.post(f"/notifications/{theirs}/read").status_code == 403
    assert client.post("/notifications/999999/read").status_code == 404
    assert "邻居" not in client.get("/notifications/").get_data(as_text=True)
    assert client.post("/notifications/read-all").status_code == 303
    db.session.expire_all()
    assert services.unread_count(reader) == 2


def test_a_notification_made_in_chinese_is_read_in_english(client, auth, reader):
    notify([reader], "%(name)s — %(role_label)s", "/", name="刘桂芳", role_label=N_("Moderator"))
    send(reader)
    auth.login(reader.phone)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "邻居0 已通过住户核验。" in page and "刘桂芳 — 主持人" in page

    client.post("/settings/language", data={"lang": "en"})
    page = client.get("/notifications/").get_data(as_text=True)
    assert "邻居0 is now a verified resident." in page and "刘桂芳 — Moderator" in page
    assert bell(page) == ("2 unread notifications", "2")


def test_the_list_is_paged_newest_first(client, auth, reader):
    send(reader, 25)
    auth.login(reader.phone)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "第 1 页，共 2 页" in page
    assert page.index("邻居24 ") < page.index("邻居23 ") and "邻居4 " not in page
    page = client.get("/notifications/?page=2").get_data(as_text=True)
    assert "邻居4 " in page and "邻居0 " in page and "邻居5 " not in page


def test_a_page_counts_unread_notifications_with_one_query(client, auth, reader, sql_log):
    send(reader, 2)
    auth.login(reader.phone)
    sql_log.clear()
    assert "2 条未读通知" in client.get("/profile").get_data(as_text=True)
    assert len([s for s, _ in sql_log if "notification" in s]) == 1


def test_the_unread_count_is_one_query_answered_by_its_index(app, reader, sql_log):
    user_id = reader.id
    sql_log.clear()
    assert services.unread_count(reader) == 0
    assert len(sql_log) == 1
    sql, params = sql_log[0]
    assert "notification" in sql and str(user_id) not in sql  # a bound parameter
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
        assert "COVERING INDEX ix_notification_user_id_read_at" in " ".join(row[-1] for row in plan)
    else:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql("EXPLAIN " + sql, params).all()
        assert "ix_notification_user_id_read_at" in " ".join(row[0] for row in plan)
    db.session.rollback()
