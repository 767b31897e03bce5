"""Discussion threads: posting with and without htmx, replies, quotes, edits, deletes, lock, pin, pages."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from discussion_fixtures import *  # noqa: F403  (the fixture fresh_need)
from werkzeug.exceptions import Forbidden

from forum.core.models import utcnow
from forum.discussion import services
from forum.discussion.models import Comment, Thread
from forum.extensions import db
from forum.lists.models import Need
from forum.notifications.models import Notification

HTMX = {"HX-Request": "true"}


@pytest.fixture
def need(demo):
    """The demo's published need of 刘桂芳 (demo.resident), which already has a discussion."""
    return db.session.scalar(sa.select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))


def comments_of(need) -> list[Comment]:
    thread = services.thread_of(need)
    return db.session.scalars(sa.select(Comment).where(Comment.thread_id == thread.id).order_by(Comment.id)).all()


def test_a_resident_comments_without_javascript_and_lands_on_the_comment(client, auth, demo, fresh_need):
    auth.login(demo.unverified.phone)
    response = client.post(f"/discussion/need/{fresh_need.id}/comments", data={"body": "我也发现了，**很危险**"})
    assert response.status_code == 303
    comment = comments_of(fresh_need)[-1]
    assert response.headers["Location"] == f"/needs/{fresh_need.id}?comments=1#comment-{comment.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in page and "<strong>很危险</strong>" in page
    assert "hx-disable" in page.split(f'id="comment-{comment.id}"')[1].split("</article>")[0]


def test_posting_with_htmx_answers_the_thread_fragment_only(client, auth, demo, fresh_need):
    auth.login(demo.unverified.phone)
    response = client.post(f"/discussion/need/{fresh_need.id}/comments", data={"body": "井盖边上放个锥桶吧"},
                           headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<section class="card discussion" id="comments"')
    assert "<html" not in html and "井盖边上放个锥桶吧" in html
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*</textarea>', html), "the form comes back empty"


@pytest.mark.parametrize("headers, status", [({}, 400), (HTMX, 200)])
def test_an_error_keeps_what_was_typed(client, auth, demo, fresh_need, headers, status):
    auth.login(demo.unverified.phone)
    typed = "很长的评论" * 1001
    response = client.post(f"/discussion/need/{fresh_need.id}/comments", data={"body": typed}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert "最多 5000 个字。" in html and typed in html
    assert client.post(f"/discussion/need/{fresh_need.id}/comments", data={"body": "  "}).status_code == 400
    assert comments_of(fresh_need) == []


def test_replies_are_one_level_deep_and_notify(demo, fresh_need):
    top = services.post_comment(demo.unverified, fresh_need, "井盖是哪个单位管的？")
    reply = services.post_comment(demo.council, fresh_need, "应该是自来水公司。", top.id)
    deeper = services.post_comment(demo.staff, fresh_need, "我来联系自来水公司。", reply.id)
    assert reply.parent_id == top.id and deeper.parent_id == top.id
    told = {(n.user_id, n.message) for n in db.session.scalars(sa.select(Notification))}
    assert (demo.unverified.id, "%(name)s replied to your comment on “%(title)s”") in told
    assert (demo.resident.id, "%(name)s commented on “%(title)s”") in told


def test_a_reply_link_and_a_quote_link_prefill_the_form_without_javascript(client, auth, demo, need):
    first = comments_of(need)[0]
    auth.login(demo.council.phone)
    page = client.get(f"/needs/{need.id}?quote={first.id}").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert textarea.lstrip().startswith("&gt; 孙浩:\n&gt; 我家住 3 号楼")
    assert f'href="/needs/{need.id}?comments=1&amp;reply={first.id}#comment-form"' in page
    assert f'href="/needs/{need.id}?comments=1&amp;quote={first.id}#comment-form"' in page
    page = client.get(f"/needs/{need.id}?reply={first.id}").get_data(as_text=True)
    assert f'name="parent" type="hidden" value="{first.id}"' in page and "回复 孙浩" in page
    client.post(f"/discussion/need/{need.id}/comments", data={"body": "收到", "parent": str(first.id)})
    assert comments_of(need)[-1].parent_id == first.id


def test_an_edit_within_fifteen_minutes_keeps_the_history(client, auth, demo, fresh_need):
    comment = services.post_comment(demo.unverified, fresh_need, "井盖在东门")
    auth.login(demo.unverified.phone)
    assert client.get(f"/discussion/comments/{comment.id}/edit").status_code == 200
    assert client.post(f"/discussion/comments/{comment.id}/edit", data={"body": ""}).status_code == 400
    response = client.post(f"/discussion/comments/{comment.id}/edit", data={"body": "井盖在西门"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "井盖在西门" in page and "已编辑" in page
    history = client.get(f"/discussion/comments/{comment.id}/history").get_data(as_text=True)
    assert "井盖在西门" in history and "井盖在东门" in history

    comment.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert client.get(f"/discussion/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/discussion/comments/{comment.id}/edit", data={"body": "改不了"}).status_code == 403
    with pytest.raises(Forbidden):
        services.edit_comment(demo.unverified, comment, "改不了")


def test_only_the_author_edits_or_deletes(client, auth, demo, fresh_need):
    comment = services.post_comment(demo.unverified, fresh_need, "我的评论")
    auth.login(demo.council.phone)
    assert client.get(f"/discussion/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/discussion/comments/{comment.id}/delete").status_code == 403


def test_a_deleted_comment_leaves_a_placeholder_and_its_replies(client, auth, demo, fresh_need):
    top = services.post_comment(demo.unverified, fresh_need, "说错了的话")
    services.post_comment(demo.council, fresh_need, "别担心", top.id)
    auth.login(demo.unverified.phone)
    assert client.post(f"/discussion/comments/{top.id}/delete").status_code == 303
    page = client.get(f"/needs/{fresh_need.id}").get_data(as_text=True)
    assert "该评论已删除" in page and "说错了的话" not in page and "别担心" in page
    assert f'id="comment-{top.id}"' in page
    assert db.session.get(Comment, top.id).body == ""


def test_a_locked_thread_refuses_residents_but_not_moderators(client, auth, demo, need):
    auth.login(demo.resident.phone)
    assert client.post(f"/discussion/need/{need.id}/lock", data={"locked": "1"}).status_code == 403
    client.post("/auth/logout")
    auth.login(demo.council.phone)  # moderator of 青松社区
    assert client.post(f"/discussion/need/{need.id}/lock", data={"locked": "1"}).status_code == 303
    assert services.thread_of(need).is_locked
    assert client.post(f"/discussion/need/{need.id}/comments", data={"body": "锁定后主持人说明"}).status_code == 303
    client.post("/auth/logout")
    auth.login(demo.resident.phone)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "讨论已锁定" in page and 'id="comment-form"' not in page
    assert client.post(f"/discussion/need/{need.id}/comments", data={"body": "还想说"}).status_code == 403
    with pytest.raises(Forbidden):
        services.post_comment(demo.resident, need, "还想说")


def test_a_pinned_comment_shows_first(client, auth, demo, fresh_need):
    first = services.post_comment(demo.unverified, fresh_need, "第一条")
    answer = services.post_comment(demo.staff, fresh_need, "社区的正式答复")
    page = client.get(f"/needs/{fresh_need.id}").get_data(as_text=True)
    assert page.index("第一条") < page.index("社区的正式答复")
    auth.login(demo.resident.phone)
    assert client.post(f"/discussion/comments/{answer.id}/pin", data={"pinned": "1"}).status_code == 403
    client.post("/auth/logout")
    auth.login(demo.staff.phone)
    assert client.post(f"/discussion/comments/{answer.id}/pin", data={"pinned": "1"}).status_code == 303
    page = client.get(f"/needs/{fresh_need.id}").get_data(as_text=True)
    assert page.index("社区的正式答复") < page.index("第一条") and "置顶" in page
    assert page.count(f'id="comment-{answer.id}"') == 1  # the pinned copy has no second anchor
    assert first.pinned_at is None


def test_pages_of_fifty_with_stable_anchors(client, demo, fresh_need):
    made = [services.post_comment(demo.unverified, fresh_need, f"第{n}条") for n in range(1, 53)]
    assert services.comment_url(made[0]) == f"/needs/{fresh_need.id}?comments=1#comment-{made[0].id}"
    assert services.comment_url(made[50]) == f"/needs/{fresh_need.id}?comments=2#comment-{made[50].id}"
    reply = services.post_comment(demo.council, fresh_need, "回复第51条", made[50].id)
    assert services.comment_url(reply).startswith(f"/needs/{fresh_need.id}?comments=2#")
    page1 = client.get(f"/needs/{fresh_need.id}").get_data(as_text=True)
    page2 = client.get(f"/needs/{fresh_need.id}?comments=2").get_data(as_text=True)
    assert f'id="comment-{made[49].id}"' in page1 and f'id="comment-{made[50].id}"' not in page1
    assert f'id="comment-{made[50].id}"' in page2 and "回复第51条" in page2 and "第 2 页，共 2 页" in page2
    services.delete_comment(demo.unverified, made[3])  # a deleted comment keeps its place
    assert services.comment_url(made[50]).startswith(f"/needs/{fresh_need.id}?comments=2#")


@pytest.mark.parametrize("who", ["resident2", "anonymous"])
def test_outsiders_cannot_comment(client, auth, demo, fresh_need, who):
    if who != "anonymous":
        auth.login(demo.resident2.phone)  # lives in 翠湖社区
    response = client.post(f"/discussion/need/{fresh_need.id}/comments", data={"body": "路过"})
    assert response.status_code == (403 if who != "anonymous" else 302)
    page = client.get(f"/needs/{fresh_need.id}").get_data(as_text=True)
    assert 'id="comment-form"' not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)
                             .where(Thread.subject_id == fresh_need.id, Thread.subject_type == "need")) == 0


def test_unit_contacts_and_staff_may_comment(demo, fresh_need):
    services.post_comment(demo.unit_contact, fresh_need, "我们学校可以帮忙")
    services.post_comment(demo.staff, fresh_need, "已记录")
    assert len(comments_of(fresh_need)) == 2


def test_a_hidden_need_hides_its_discussion(client, auth, demo):
    from forum.lists import needs

    waiting = needs.create_need(demo.unverified, demo.community, {
        "title": "等待审核的需求", "body": "", "category": "facilities", "urgency": 1, "compound": None,
        "location": None, "anonymous": False}, [])
    auth.login(demo.resident2.phone)
    assert client.get(f"/discussion/need/{waiting.id}").status_code == 403
    assert client.get("/discussion/proposal/999999").status_code == 404


def test_threads_attach_to_resources_and_projects(client, auth, demo):
    from forum.lists.models import Project, Resource

    resource = db.session.scalar(sa.select(Resource).order_by(Resource.id))
    project = db.session.scalar(sa.select(Project).order_by(Project.id))
    auth.login(demo.resident.phone)
    for kind, subject, url in (("resource", resource, f"/resources/{resource.id}"),
                               ("project", project, f"/projects/{project.id}")):
        response = client.post(f"/discussion/{kind}/{subject.id}/comments", data={"body": f"关于{kind}的问题"})
        assert response.status_code == 303 and response.headers["Location"].startswith(url + "?comments=1#comment-")
        assert f"关于{kind}的问题" in client.get(url).get_data(as_text=True)
