"""Comments are kept as HTML between page views (forum/discussion/rendering.py). Every reader still
sees each comment as it is now, in their language, with only the actions they may take, and the
forms on it carry their own CSRF token. Each test has the page seen first, so that what it checks
comes from a store that already holds the comment."""
import re

import sqlalchemy as sa
from discussion_fixtures import *  # noqa: F403  (the fixture fresh_need)

from forum.accounts import services as accounts
from forum.discussion import services
from forum.discussion.models import Comment
from forum.extensions import db


def seen(client, need, comment) -> str:
    """The comment's article as the logged-in reader sees it on the need's page."""
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    return page.split(f'id="comment-{comment.id}"')[1].split("</article>")[0]


def as_reader(client, auth, user):
    client.post("/auth/logout")
    if user is not None:
        auth.login(user.phone)


def test_an_edited_comment_shows_its_new_text(client, auth, demo, fresh_need):
    comment = services.post_comment(demo.unverified, fresh_need, "井盖在东门")
    auth.login(demo.resident.phone)
    assert "井盖在东门" in seen(client, fresh_need, comment)
    services.edit_comment(demo.unverified, comment, "井盖在西门")
    article = seen(client, fresh_need, comment)
    assert "井盖在西门" in article and "井盖在东门" not in article and "已编辑" in article


def test_a_renamed_author_a_hidden_and_a_deleted_comment_show_as_they_are_now(client, auth, demo, fresh_need):
    comment = services.post_comment(demo.unverified, fresh_need, "物业电话打不通")
    auth.login(demo.resident.phone)
    assert demo.unverified.display_name in seen(client, fresh_need, comment)
    accounts.update_profile(demo.unverified, "东门老王")
    assert "东门老王" in seen(client, fresh_need, comment)

    comment.moderation_state = "hidden"
    db.session.commit()
    article = seen(client, fresh_need, comment)
    assert "物业电话打不通" not in article and "此评论已被隐藏" in article
    comment.moderation_state = None
    db.session.commit()
    assert "物业电话打不通" in seen(client, fresh_need, comment)

    services.delete_comment(demo.unverified, db.session.get(Comment, comment.id))
    article = seen(client, fresh_need, comment)
    assert "物业电话打不通" not in article and "该评论已删除" in article


def test_each_reader_sees_only_their_own_actions(client, auth, demo, fresh_need):
    comment = services.post_comment(demo.unverified, fresh_need, "井盖旁边放个锥桶")
    edit, report = f"/discussion/comments/{comment.id}/edit", f"/moderation/report/comment/{comment.id}"
    pin, delete = f"/discussion/comments/{comment.id}/pin", f"/discussion/comments/{comment.id}/delete"
    expected = {  # reader: (edit, delete, report, pin, reply)
        "unverified": (True, True, False, False, True),  # the author
        "resident": (False, False, True, False, True),
        "council": (False, False, True, True, True),  # a moderator of the community
        "resident2": (False, False, True, False, False),  # a resident of another community
        None: (False, False, False, False, False),  # a visitor who has not logged in
    }
    for _ in range(2):  # the second round reads what the first one left
        for reader, (may_edit, may_delete, may_report, may_pin, may_reply) in expected.items():
            as_reader(client, auth, getattr(demo, reader) if reader else None)
            article = seen(client, fresh_need, comment)
            assert (edit in article, delete in article, report in article, pin in article,
                    "reply=" in article) == (may_edit, may_delete, may_report, may_pin, may_reply), reader


def test_a_reader_who_switches_language_sees_the_comment_in_it(client, auth, demo, fresh_need):
    comment = services.post_comment(demo.unverified, fresh_need, "同意")
    auth.login(demo.resident.phone)
    assert ">回复</a>" in seen(client, fresh_need, comment)
    client.post("/settings/language", data={"lang": "en"})
    article = seen(client, fresh_need, comment)
    assert ">Reply</a>" in article and ">回复</a>" not in article


def test_the_forms_on_a_comment_carry_the_readers_own_token(make_app):
    from conftest import csrf_token_from
    from forum.accounts.models import User
    from forum.lists.models import Need

    app = make_app(demo=True, WTF_CSRF_ENABLED=True)
    with app.app_context():
        need = db.session.scalar(sa.select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))
        author = db.session.scalar(sa.select(User).where(User.phone == "13900000005"))
        comment = services.post_comment(author, need, "楼道灯还是不亮")
        need_id, comment_id = need.id, comment.id

    def logged_in(phone):
        client = app.test_client()
        token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
        client.post("/auth/login", data={"phone": phone, "password": "demo-pass-2026", "csrf_token": token})
        return client

    author_client, other_author_client = logged_in("13900000005"), logged_in("13900000005")
    other_author_client.get(f"/needs/{need_id}")  # the author in another browser sees the page first
    page = author_client.get(f"/needs/{need_id}").get_data(as_text=True)
    form = re.search(rf'action="/discussion/comments/{comment_id}/delete".*?</form>', page, re.S).group(0)
    response = author_client.post(f"/discussion/comments/{comment_id}/delete", data={"csrf_token": csrf_token_from(form)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Comment, comment_id).is_deleted
