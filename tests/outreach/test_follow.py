"""关注: following an item, and hearing of its steps and comments once, from wherever they happen."""
import sqlalchemy as sa

from forum.extensions import db
from forum.notifications.models import Notification


def _need(demo):
    from forum.lists.models import Need

    return db.session.scalar(sa.select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))


def _texts(user) -> list[str]:
    rows = db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()
    return [n.text for n in rows]


def _follow(client, kind, item_id, **data):
    return client.post(f"/follow/{kind}/{item_id}", data=data)


def test_a_resident_follows_and_unfollows_a_need_from_its_page(client, auth, demo):
    need = _need(demo)
    auth.login(demo.resident2.phone)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert 'aria-pressed="false"' in page and "关注" in page
    response = _follow(client, "need", need.id)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/needs/{need.id}")
    assert "已关注 ✓（取消）" in client.get(f"/needs/{need.id}").get_data(as_text=True)
    listing = client.get("/following").get_data(as_text=True)
    assert need.title in listing and "我关注的" in listing
    _follow(client, "need", need.id, undo="1")
    assert need.title not in client.get("/following").get_data(as_text=True)


def test_the_follow_button_swaps_itself_with_htmx(client, auth, demo):
    need = _need(demo)
    auth.login(demo.resident2.phone)
    response = client.post(f"/follow/need/{need.id}", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'aria-pressed="true"' in html and 'name="undo"' in html


def test_visitors_are_sent_to_log_in_and_unknown_things_are_not_found(client, auth, demo):
    need = _need(demo)
    assert "/auth/login" in _follow(client, "need", need.id).headers["Location"]
    auth.login(demo.resident.phone)
    assert _follow(client, "resource", 1).status_code == 404
    assert _follow(client, "need", 99999).status_code == 404


def test_followers_hear_of_each_step_once_and_the_one_who_took_it_not_at_all(client, demo, make_user):
    from forum.lists.needs import support, take_step
    from forum.outreach.follows import follow

    need = _need(demo)
    follower = make_user(demo.community2)
    supporter_and_follower = make_user(demo.community, verified=True)
    support(supporter_and_follower, need)
    for user in (follower, supporter_and_follower, demo.staff, demo.resident):
        follow(user, need)
    before = {u.id: len(_texts(u)) for u in (follower, supporter_and_follower, demo.staff, demo.resident)}
    take_step(demo.staff, need, "claim")
    assert _texts(follower)[before[follower.id]:] == [f"您关注的“{need.title}”现在：已认领"]
    # The author and a supporter hear it from the needs feature, and only from it.
    assert len(_texts(demo.resident)) == before[demo.resident.id] + 1
    assert len(_texts(supporter_and_follower)) == before[supporter_and_follower.id] + 1
    assert len(_texts(demo.staff)) == before[demo.staff.id]


def test_followers_hear_of_comments_but_not_of_held_ones_until_published(client, demo, make_user):
    from forum.discussion.services import post_comment
    from forum.outreach.follows import follow

    need = _need(demo)
    follower = make_user(demo.community)
    follow(follower, need)
    follow(demo.resident, need)  # the need's author, who hears of comments anyway
    author_before = len(_texts(demo.resident))
    comment = post_comment(demo.council, need, "物业说明天来修")
    assert _texts(follower) == [f"{demo.council.display_name} 评论了您关注的“{need.title}”"]
    assert len(_texts(demo.resident)) == author_before + 1
    assert db.session.scalar(sa.select(Notification.url).where(Notification.user_id == follower.id)) \
        .endswith(f"#comment-{comment.id}")
    held = post_comment(demo.unit_contact, need, "先审后发的评论")
    held.moderation_state = "held"
    db.session.commit()
    db.session.execute(sa.delete(Notification).where(Notification.user_id == follower.id))
    db.session.commit()
    assert held.moderation_state == "held"
    held.moderation_state = None  # a moderator lets it through (forum.moderation.actions reads the state first too)
    db.session.commit()
    assert _texts(follower) == [f"{demo.unit_contact.display_name} 评论了您关注的“{need.title}”"]


def test_a_follower_who_may_no_longer_see_the_item_hears_nothing(client, demo, make_user):
    from forum.lists.needs import take_step
    from forum.outreach.follows import follow

    need = _need(demo)
    follower = make_user(demo.community)
    follow(follower, need)
    need.moderation_state = "hidden"
    db.session.commit()
    take_step(demo.staff, need, "claim")
    assert _texts(follower) == []


def test_followers_of_a_deliberation_hear_when_it_opens(client, demo, make_user):
    from forum.deliberations.conduct import take_step
    from forum.deliberations.models import Deliberation
    from forum.outreach.follows import follow

    deliberation = db.session.scalar(sa.select(Deliberation).where(Deliberation.status == "scheduled"))
    follower = make_user(demo.community3)
    follow(follower, deliberation)
    take_step(demo.staff, deliberation, "open")
    assert _texts(follower) == [f"您关注的“{deliberation.title}”现在：进行中"]


def test_deleting_the_account_forgets_what_it_followed(client, demo, make_user):
    from forum.outreach.follows import follow
    from forum.outreach.models import Follow
    from forum.privacy.deletion import delete_account

    user = make_user(demo.community)
    follow(user, _need(demo))
    delete_account(user, "demo-pass-2026")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Follow).where(Follow.user_id == user.id)) == 0
