"""Who sees the queue and its cases, and who sees held or hidden content: each role."""
import pytest
from moderation_factory import case_of, collecting_proposal, comment_on, demo_resource, published_need

from forum.accounts.models import RoleGrant
from forum.core.permissions import can
from forum.extensions import db
from forum.moderation import services

ROLES = ["admin", "staff", "council", "unit_contact", "resident", "unverified", "resident2"]
QUEUE = {"admin", "staff", "council"}


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_is_for_the_communitys_moderators_and_staff(client, auth, demo, role):
    auth.login(getattr(demo, role).phone)
    response = client.get("/moderation/")
    assert response.status_code == (200 if role in QUEUE else 403)
    home = client.get("/").get_data(as_text=True)
    assert ('href="/moderation/"' in home) == (role in QUEUE)
    if role in QUEUE:
        assert "代开发票" in response.get_data(as_text=True) or "代开发票" in client.get(
            "/moderation/?state=held").get_data(as_text=True)


def test_a_moderator_sees_only_the_cases_of_their_communities(client, auth, demo, make_user):
    other = published_need(demo, "翠湖社区的需求", author=demo.resident2, community=demo.community2)
    services.report(make_user(demo.community2, verified=True), other, "spam")
    auth.login(demo.council.phone)
    assert "翠湖社区的需求" not in client.get("/moderation/").get_data(as_text=True)
    assert client.get(f"/moderation/cases/{case_of(other).id}").status_code == 403
    street_moderator = make_user()
    db.session.add(RoleGrant(user=street_moderator, role="moderator", street_id=demo.community.street_id))
    db.session.commit()
    auth.login(street_moderator.phone)
    assert "翠湖社区的需求" in client.get("/moderation/").get_data(as_text=True)
    assert client.get(f"/moderation/cases/{case_of(other).id}").status_code == 200


def test_the_queue_filters_by_community_and_state(client, auth, demo, make_user):
    other = published_need(demo, "翠湖社区的需求", author=demo.resident2, community=demo.community2)
    services.report(make_user(demo.community2, verified=True), other, "spam")
    auth.login(demo.admin.phone)
    everything = client.get("/moderation/").get_data(as_text=True)
    assert "翠湖社区的需求" in everything and "代开发票" in everything
    assert "翠湖社区的需求" not in client.get(f"/moderation/?community={demo.community.id}").get_data(as_text=True)
    held = client.get("/moderation/?state=held").get_data(as_text=True)
    assert "代开发票" in held and "翠湖社区的需求" not in held
    assert "代开发票" not in client.get("/moderation/?state=closed").get_data(as_text=True)


def _items(demo):
    need = published_need(demo)
    return {"need": need, "resource": demo_resource(), "proposal": collecting_proposal(demo),
            "comment": comment_on(need, demo.resident, "一条评论")}


VIEW = {"need": "view_need", "resource": "view_resource", "proposal": "view_proposal", "comment": "view_comment"}


@pytest.mark.parametrize("state", ["held", "hidden"])
@pytest.mark.parametrize("kind", list(VIEW))
def test_held_or_hidden_content_is_seen_by_its_author_and_the_moderators_only(app, demo, make_user, kind, state):
    from flask_login import AnonymousUserMixin

    item = _items(demo)[kind]
    item.moderation_state = state
    db.session.commit()
    author = {"need": demo.resident, "resource": demo.unit_contact, "comment": demo.resident}.get(kind)
    author = author or item.author
    supervisor = make_user(demo.community, roles=("supervisor",))
    seeing = [author, demo.council, demo.staff, demo.admin, supervisor]
    others = [u for u in (demo.resident, demo.unverified, demo.resident2, demo.unit_contact) if u.id != author.id]
    assert all(can(user, VIEW[kind], item) for user in seeing)
    assert not any(can(user, VIEW[kind], item) for user in others + [AnonymousUserMixin()])
