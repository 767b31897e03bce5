"""notify(): each recipient hears once, never the actor, in the caller's transaction."""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user, login_user

from forum.core.i18n import N_
from forum.core.permissions import can
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Notification

VERIFIED = N_("%(name)s is now a verified resident.")


@pytest.fixture
def people(make_user):
    """Fresh users, so that what the demo data sends does not count."""
    return SimpleNamespace(reader=make_user(name="周阿姨"), neighbour=make_user(name="吴大伯"),
                           actor=make_user(name="王秀兰"), admin=make_user(is_admin=True))


def rows_of(user):
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)).all()


def test_notify_reaches_each_recipient_once_and_never_the_actor(app, people):
    recipients = [people.reader, people.reader, None, people.actor, people.neighbour, people.actor]
    added = services.notify(recipients, VERIFIED, "/profile", actor=people.actor, name="刘桂芳")
    db.session.commit()
    assert added == 2
    assert len(rows_of(people.reader)) == 1 and len(rows_of(people.neighbour)) == 1
    assert rows_of(people.actor) == []
    assert rows_of(people.reader)[0].actor_id == people.actor.id


def test_the_current_user_as_actor_is_not_notified(app, people):
    with app.test_request_context():
        login_user(people.actor)
        added = services.notify([people.reader, current_user, None], VERIFIED, "/", actor=current_user)
    db.session.commit()
    assert added == 1 and rows_of(people.actor) == []
    assert rows_of(people.reader)[0].actor_id == people.actor.id


def test_notify_stores_the_english_msgid_and_params_not_a_translation(app, people):
    with force_locale("zh_CN"):
        services.notify([people.reader], "%(name)s: %(role_label)s", "/", name="刘桂芳",
                        role_label=_l("Moderator"))
    db.session.commit()
    row = rows_of(people.reader)[0]
    assert row.message == "%(name)s: %(role_label)s"
    assert row.params == {"name": "刘桂芳", "role_label": "Moderator"}
    with force_locale("zh_CN"):
        assert row.text == "刘桂芳: 主持人"
    with force_locale("en"):
        assert row.text == "刘桂芳: Moderator"


def test_a_missing_param_shows_the_message_rather_than_an_error(app, people):
    services.notify([people.reader], VERIFIED, "/")
    db.session.commit()
    with force_locale("zh_CN"):
        assert rows_of(people.reader)[0].text == VERIFIED


def test_notify_does_not_commit_and_rolls_back_with_its_caller(app, people):
    people.reader.display_name = "改过的名字"
    assert services.notify([people.reader], VERIFIED, "/", name="x") == 1
    db.session.rollback()
    assert services.unread_count(people.reader) == 0
    assert people.reader.display_name == "周阿姨"


def test_notify_commits_with_its_caller(app, people):
    people.reader.display_name = "新名字"
    services.notify([people.reader], VERIFIED, "/", name="x")
    db.session.commit()
    db.session.expire_all()
    assert services.unread_count(people.reader) == 1


@pytest.mark.parametrize("url", ["https://example.com/", "//example.com/", "/\\example.com", "needs/1"])
def test_notify_only_links_inside_the_site(app, people, url):
    with pytest.raises(ValueError):
        services.notify([people.reader], VERIFIED, url)


def test_notify_refuses_params_that_are_not_plain_values(app, people):
    with pytest.raises(TypeError):
        services.notify([people.reader], VERIFIED, "/", name=people.actor)


def test_mark_read_and_mark_all_read(app, people):
    for n in range(3):
        services.notify([people.reader, people.neighbour], VERIFIED, f"/needs/{n}", name=str(n))
    db.session.commit()
    first = rows_of(people.reader)[0]
    assert services.mark_read(people.reader, first) == "/needs/0"
    assert services.unread_count(people.reader) == 2
    assert services.mark_all_read(people.reader) == 2
    assert services.unread_count(people.reader) == 0
    assert services.unread_count(people.neighbour) == 3


def test_only_the_recipient_may_read_a_notification(app, people):
    services.notify([people.reader], VERIFIED, "/")
    db.session.commit()
    row = rows_of(people.reader)[0]
    assert can(people.reader, "read_notification", row)
    assert not can(people.neighbour, "read_notification", row)
    assert not can(people.admin, "read_notification", row)
    assert not can(AnonymousUserMixin(), "read_notification", row)
    assert can(people.reader, "read_notifications", people.reader)
    assert not can(people.admin, "read_notifications", people.reader)
