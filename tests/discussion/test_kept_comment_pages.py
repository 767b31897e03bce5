"""Whole pages of comments are kept as HTML per server process, under their thread's revision and
the reader's standing (forum/discussion/rendering.py, revisions.py). A reader whose page comes from
the store still sees every change the moment it is saved, by whoever and in whichever server
process, and only the actions they may take. Each test has the page seen first by another reader of
the same standing, so that what it checks would come from the store if the store were wrong."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from discussion_fixtures import *  # noqa: F403  (the fixture fresh_need)

from forum.accounts import services as accounts
from forum.core.models import utcnow
from forum.discussion import services
from forum.discussion.models import Comment, Thread
from forum.extensions import db
from forum.privacy.deletion import delete_account


class Readers:
    """Two verified residents of the demo community with the same roles: `first` sees each page
    before `second`, whose page is then the kept one."""

    def __init__(self, client, auth, first, second):
        self.client, self.auth, self.first, self.second = client, auth, first, second

    def page(self, need, user) -> str:
        self.client.post("/auth/logout")
        if user is not None:
            self.auth.login(user.phone)
        return self.client.get(f"/needs/{need.id}").get_data(as_text=True)

    def second_page(self, need) -> str:
        self.page(need, self.first)
        return self.page(need, self.second)


@pytest.fixture
def readers(client, auth, demo, make_user):
    return Readers(client, auth, demo.resident, make_user(demo.community, verified=True))


def comment_queries(client, url) -> int:
    """How many SQL statements reading the comment table the page `url` ran."""
    seen = []

    def grab(conn, cursor, sql, params, context, executemany):
        seen.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", grab)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", grab)
    return sum(bool(re.search(r"\bFROM comment\b", sql)) for sql in seen)


def test_a_page_seen_once_is_shown_to_the_next_resident_without_loading_its_comments(readers, demo, fresh_need):
    for n in range(3):
        services.post_comment(demo.unverified, fresh_need, f"第{n + 1}条：井盖还在晃")
    url = f"/needs/{fresh_need.id}"
    readers.auth.login(readers.first.phone)
    assert comment_queries(readers.client, url) > 0
    page = readers.page(fresh_need, readers.second)
    assert all(f"第{n + 1}条：井盖还在晃" in page for n in range(3))
    assert comment_queries(readers.client, url) == 0


def test_every_change_to_the_thread_shows_on_a_kept_page(readers, demo, fresh_need):
    first = services.post_comment(demo.unverified, fresh_need, "井盖在东门")
    assert "井盖在东门" in readers.second_page(fresh_need)

    reply = services.post_comment(demo.unverified, fresh_need, "已经报给物业了", parent_id=first.id)
    assert "已经报给物业了" in readers.second_page(fresh_need)

    services.edit_comment(demo.unverified, first, "井盖在西门")
    page = readers.second_page(fresh_need)
    assert "井盖在西门" in page and "井盖在东门" not in page

    services.set_pinned(demo.council, first, True)
    assert 'class="comments pinned-comments"' in readers.second_page(fresh_need)
    services.set_pinned(demo.council, first, False)
    assert 'class="comments pinned-comments"' not in readers.second_page(fresh_need)

    reply.moderation_state = "hidden"
    db.session.commit()
    page = readers.second_page(fresh_need)
    assert "已经报给物业了" not in page and "此评论已被隐藏" in page

    services.delete_comment(demo.unverified, db.session.get(Comment, first.id))
    page = readers.second_page(fresh_need)
    assert "井盖在西门" not in page and "该评论已删除" in page


def test_a_held_comment_is_a_placeholder_on_a_kept_page_and_its_text_for_its_author(readers, demo, fresh_need):
    held = services.post_comment(demo.unverified, fresh_need, "新用户的第一条评论")
    held.moderation_state = "held"
    db.session.commit()
    page = readers.second_page(fresh_need)
    assert "新用户的第一条评论" not in page and "此评论正在等待审核" in page
    assert "新用户的第一条评论" in readers.page(fresh_need, demo.unverified)  # its author
    assert "新用户的第一条评论" in readers.page(fresh_need, demo.council)  # a moderator
    held.moderation_state = None  # approved
    db.session.commit()
    assert "新用户的第一条评论" in readers.second_page(fresh_need)


def test_a_renamed_or_deleted_author_shows_by_their_new_name(readers, demo, fresh_need):
    services.post_comment(demo.unverified, fresh_need, "物业电话打不通")
    assert demo.unverified.display_name in readers.second_page(fresh_need)
    accounts.update_profile(demo.unverified, "东门老王")
    assert "东门老王" in readers.second_page(fresh_need)
    delete_account(demo.unverified, "demo-pass-2026")
    page = readers.second_page(fresh_need)
    assert "东门老王" not in page and "已注销用户" in page


def test_a_locked_thread_takes_the_reply_links_off_a_kept_page(readers, demo, fresh_need):
    services.post_comment(demo.unverified, fresh_need, "周末能修好吗")
    assert "reply=" in readers.second_page(fresh_need)
    services.set_locked(demo.council, services.thread_of(fresh_need), True)
    assert "reply=" not in readers.second_page(fresh_need)


def test_each_reader_sees_their_own_actions_on_a_page_kept_for_another(readers, demo, fresh_need, make_user):
    ours = services.post_comment(readers.second, fresh_need, "我家楼下也有一个")
    theirs = services.post_comment(demo.unverified, fresh_need, "东门那个更危险")
    edit, report = "/discussion/comments/{}/edit", "/moderation/report/comment/{}"
    page = readers.second_page(fresh_need)  # the author of a comment on the page
    assert edit.format(ours.id) in page and report.format(ours.id) not in page
    assert edit.format(theirs.id) not in page and report.format(theirs.id) in page

    page = readers.page(fresh_need, demo.council)  # a moderator: pin and delete forms
    assert f"/discussion/comments/{theirs.id}/pin" in page
    page = readers.page(fresh_need, None)  # a visitor
    assert report.format(theirs.id) not in page and "reply=" not in page
    page = readers.page(fresh_need, demo.resident2)  # a resident of another community
    assert report.format(theirs.id) in page and "reply=" not in page

    suspended = make_user(demo.community, verified=True)
    suspended.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    page = readers.page(fresh_need, suspended)  # 禁言: may not report
    assert "东门那个更危险" in page and report.format(theirs.id) not in page


def test_a_change_made_in_another_server_process_shows_at_once(make_app, tmp_path):
    """Two apps on one database, as two server processes: each keeps its own pages."""
    from conftest import BASE_CONFIG, DEMO_PASSWORD
    from forum import create_app
    from forum.accounts.models import User
    from forum.lists.models import Need

    reading = make_app(demo=True)
    writing = create_app({**BASE_CONFIG, "INSTANCE_PATH": str(tmp_path / "writer"),
                          "SQLALCHEMY_DATABASE_URI": reading.config["SQLALCHEMY_DATABASE_URI"]})
    with reading.app_context():
        need_id = db.session.scalar(sa.select(Need.id).where(Need.title == "3号楼楼道灯坏了一个多星期"))
    client = reading.test_client()
    client.post("/auth/login", data={"phone": "13900000004", "password": DEMO_PASSWORD})
    for _ in range(2):  # the second view comes from the reading app's store
        assert "灯今天修好了" not in client.get(f"/needs/{need_id}").get_data(as_text=True)

    with writing.app_context():
        author = db.session.scalar(sa.select(User).where(User.phone == "13900000005"))
        services.post_comment(author, db.session.get(Need, need_id), "另一个进程写的：灯今天修好了")
        db.session.remove()
        db.engine.dispose()
    assert "另一个进程写的：灯今天修好了" in client.get(f"/needs/{need_id}").get_data(as_text=True)


def test_the_revision_goes_up_with_each_change_and_only_for_its_thread(demo, fresh_need):
    comment = services.post_comment(demo.unverified, fresh_need, "第一条")
    thread = services.thread_of(fresh_need)
    others = dict(db.session.execute(sa.select(Thread.id, Thread.revision).where(Thread.id != thread.id)).all())
    revisions = [thread.revision]
    services.edit_comment(demo.unverified, comment, "第一条（改）")
    revisions.append(services.thread_of(fresh_need).revision)
    accounts.update_profile(demo.unverified, "东门老王")
    revisions.append(services.thread_of(fresh_need).revision)
    accounts.update_profile(demo.resident, "刘阿姨")  # wrote nothing here
    revisions.append(services.thread_of(fresh_need).revision)
    assert revisions[0] < revisions[1] < revisions[2] == revisions[3]
    moved = {i for i, r in db.session.execute(sa.select(Thread.id, Thread.revision).where(Thread.id != thread.id))
             if r != others[i]}
    written = set(db.session.scalars(sa.select(Comment.thread_id).where(
        Comment.author_id.in_([demo.unverified.id, demo.resident.id]))))
    assert moved <= written
