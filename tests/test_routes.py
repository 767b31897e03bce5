"""Every route in the URL map, for every demo role, answers with the expected status.

A new route without an entry here fails `test_every_route_has_a_decision`, so no
page ships without someone deciding who may use it.
"""
import pytest
import sqlalchemy as sa

from forum.core.i18n import N_
from forum.extensions import db
from forum.notifications.models import Notification
from forum.notifications.services import notify

ROLES = ["anonymous", "admin", "staff", "council", "unit_contact", "resident", "unverified", "resident2"]
LOGGED_IN = ROLES[1:]
STAFF = {"admin", "staff"}


def expect(default, **by_role):
    """Status per role: `default` for logged-in users, 302 to the login page for anonymous."""
    table = {role: default for role in LOGGED_IN}
    table["anonymous"] = 302
    table.update(by_role)
    return table


def staff_only(ok):
    return expect(403, admin=ok, staff=ok)


# endpoint: (method, url template, expected status by role). Order matters only in
# that requests which change things for later ones come last.
ROUTES = {
    "home.index": ("GET", "/", expect(200, anonymous=200)),
    "home.privacy": ("GET", "/privacy", expect(200, anonymous=200)),
    "accounts.register": ("GET", "/auth/register", expect(302, anonymous=200)),
    "accounts.register_post": ("POST", "/auth/register", expect(302, anonymous=400)),
    "accounts.login": ("GET", "/auth/login", expect(302, anonymous=200)),
    "accounts.login_post": ("POST", "/auth/login", expect(400, anonymous=400)),
    "accounts.profile": ("GET", "/profile", expect(200)),
    "accounts.profile_post": ("POST", "/profile", expect(400)),
    "accounts.password_post": ("POST", "/profile/password", expect(400)),
    "accounts.user_page": ("GET", "/users/{resident}", expect(200)),
    "home.elder_mode": ("POST", "/settings/elder", expect(303, anonymous=303)),
    "home.language": ("POST", "/settings/language", expect(400, anonymous=400)),
    "staff.members": ("GET", "/communities/{c1}/members", staff_only(200)),
    "staff.member": ("GET", "/communities/{c1}/members/{resident}", staff_only(200)),
    "staff.audit_trail": ("GET", "/communities/{c1}/audit", staff_only(200)),
    "staff.verify": ("POST", "/communities/{c1}/members/{unverified}/verify", staff_only(400)),
    "staff.unverify": ("POST", "/communities/{c1}/members/{resident}/unverify", staff_only(400)),
    "staff.grant_role": ("POST", "/communities/{c1}/members/{resident}/roles", staff_only(400)),
    "staff.unit_contact": ("POST", "/communities/{c1}/members/{resident}/units", staff_only(400)),
    "staff.reveal_phone": ("POST", "/communities/{c1}/members/{resident}/phone", staff_only(200)),
    "staff.revoke_role": ("POST", "/communities/{c1}/members/{council}/roles/{moderator_grant}/revoke",
                          staff_only(303)),
    "notifications.index": ("GET", "/notifications/", expect(200)),
    "notifications.read": ("POST", "/notifications/{resident_notification}/read", expect(403, resident=303)),
    "notifications.read_all": ("POST", "/notifications/read-all", expect(303)),
    # needs
    "needs.index": ("GET", "/needs/?community={c1}&category=facilities", expect(200, anonymous=200)),
    "needs.show": ("GET", "/needs/{published_need}", expect(200, anonymous=200)),
    "photos.photo": ("GET", "/photos/{photo}", expect(200, anonymous=200)),
    "needs.mine": ("GET", "/needs/mine", expect(200)),
    "needs.new": ("GET", "/needs/new?community={c1}", expect(200, unit_contact=403, resident2=403)),
    "needs.create": ("POST", "/needs/new?community={c1}", expect(400, unit_contact=403, resident2=403)),
    "needs.new_for_resident": ("GET", "/needs/for-resident?community={c1}", staff_only(200)),
    "needs.create_for_resident": ("POST", "/needs/for-resident?community={c1}", staff_only(400)),
    "needs.support": ("POST", "/needs/{published_need}/support", expect(303)),
    "needs.settings": ("POST", "/needs/settings/{c1}", staff_only(303)),
    "needs.step": ("POST", "/needs/{published_need}/steps/claim", expect(403, admin=303, staff=303, unit_contact=303)),
    # resources (demo resource 1: 青松路小学's 周末开放操场 in 青松社区, available)
    "resources.index": ("GET", "/resources/?community={c1}&category=culture&kind=venue", expect(200, anonymous=200)),
    "resources.show": ("GET", "/resources/1", expect(200, anonymous=200)),
    "resources.mine": ("GET", "/resources/mine", expect(200)),
    "resources.new": ("GET", "/resources/new", expect(403, admin=200, staff=200, unit_contact=200)),
    "resources.create": ("POST", "/resources/new", expect(403, admin=400, staff=400, unit_contact=400)),
    "resources.edit": ("GET", "/resources/1/edit", expect(403, unit_contact=200)),
    "resources.update": ("POST", "/resources/1/edit", expect(403, unit_contact=400)),
    "resources.step": ("POST", "/resources/1/steps/pause", expect(403, admin=303, staff=303, unit_contact=303)),
    # projects
    "projects.index": ("GET", "/projects/?status=in_progress", expect(200, anonymous=200)),
    "projects.show": ("GET", "/projects/{project}", expect(200, anonymous=200)),
    "projects.mine": ("GET", "/projects/mine", expect(200)),
    "projects.new": ("GET", "/projects/new?community={c1}", staff_only(200)),
    "projects.create": ("POST", "/projects/new?community={c1}", staff_only(400)),
    "projects.post_update": ("POST", "/projects/{project}/updates", expect(403, admin=400, staff=400, unit_contact=400)),
    "projects.add_milestone": ("POST", "/projects/{project}/milestones",
                               expect(403, admin=400, staff=400, unit_contact=400)),
    "projects.finish_milestone": ("POST", "/projects/{project}/milestones/{milestone}/done",
                                  expect(403, admin=303, staff=303, unit_contact=303)),
    "projects.rate": ("POST", "/projects/{done_project}/rating", expect(403, resident=400)),
    "projects.step": ("POST", "/projects/{project}/steps/complete", expect(403, admin=303, staff=303, unit_contact=303)),
    # activities (demo: 周末课后辅导 is open, by 青松路小学; 冬季消防安全巡查 began yesterday)
    "activities.index": ("GET", "/activities/?community={c1}&status=open", expect(200, anonymous=200)),
    "activities.show": ("GET", "/activities/{open_activity}", expect(200, anonymous=200)),
    "activities.unit": ("GET", "/activities/units/{school}", expect(200, anonymous=200)),
    "activities.mine": ("GET", "/activities/mine", expect(200)),
    "activities.new": ("GET", "/activities/new", expect(403, admin=200, staff=200, unit_contact=200)),
    "activities.create": ("POST", "/activities/new", expect(403, admin=400, staff=400, unit_contact=400)),
    "activities.sign_up": ("POST", "/activities/{open_activity}/signup",
                           expect(303, admin=403, unit_contact=403, resident2=403)),
    "activities.cancel_signup": ("POST", "/activities/{open_activity}/signup/cancel", expect(303)),
    "activities.step": ("POST", "/activities/{open_activity}/steps/close",
                        expect(403, admin=303, staff=303, unit_contact=303)),
    "activities.attendance": ("POST", "/activities/{held_activity}/attendance", staff_only(303)),
    # matching
    "matches.index": ("GET", "/matches/?community={c1}", staff_only(200)),
    "matches.decline": ("POST", "/matches/decline", expect(404, anonymous=302)),
    "matches.accept": ("POST", "/matches/accept", expect(404, anonymous=302)),
    # discussion (a fresh comment by the resident on the published need; council is a moderator)
    "discussion.thread": ("GET", "/discussion/need/{published_need}", expect(200, anonymous=200)),
    "discussion.history": ("GET", "/discussion/comments/{comment}/history", expect(200, anonymous=200)),
    "discussion.post_comment": ("POST", "/discussion/need/{published_need}/comments", expect(400, resident2=403)),
    "discussion.edit": ("GET", "/discussion/comments/{comment}/edit", expect(403, resident=200)),
    "discussion.update": ("POST", "/discussion/comments/{comment}/edit", expect(403, resident=400)),
    "discussion.pin": ("POST", "/discussion/comments/{comment}/pin", expect(403, admin=303, staff=303, council=303)),
    "discussion.lock": ("POST", "/discussion/need/{published_need}/lock",
                        expect(403, admin=303, staff=303, council=303)),
    "discussion.delete": ("POST", "/discussion/comments/{comment}/delete", expect(403, resident=303)),
    # proposals
    # deliberations
    # minutes
    # voting
    "accounts.logout": ("POST", "/auth/logout", expect(303)),
}


def _need_ids(demo) -> dict:
    """A published need of 青松社区 (with a photo) from the demo data."""
    import sqlalchemy as sa

    from forum.extensions import db
    from forum.lists.models import Need, Photo

    need = db.session.scalar(sa.select(Need).where(Need.title == "3号楼楼道灯坏了一个多星期"))
    photo = Photo(key="ab" * 16, need=need, width=10, height=10)
    db.session.add(photo)
    db.session.commit()
    from forum.lists.photos import store

    store().save(f"{photo.key}.webp", b"RIFF")
    db.session.commit()
    from forum.lists.models import Project

    running, done = db.session.scalars(sa.select(Project).order_by(Project.id)).all()[:2]
    return {"published_need": need.id, "photo": f"{photo.key}.webp", "project": running.id,
            "done_project": done.id, "milestone": running.milestones[0].id}


def _activity_ids(demo) -> dict:
    from forum.activities.models import Activity

    def by_title(title):
        return db.session.scalar(sa.select(Activity.id).where(Activity.title == title))

    return {"open_activity": by_title("周末课后辅导"), "held_activity": by_title("冬季消防安全巡查"),
            "school": demo.school.id}


def _comment_ids(demo, need_id) -> dict:
    """A comment the resident has just posted (so she may still edit it)."""
    from forum.discussion.services import post_comment
    from forum.lists.models import Need

    return {"comment": post_comment(demo.resident, db.session.get(Need, need_id), "楼道灯今晚还是不亮").id}


def _proposal_ids(demo) -> dict:
    return {}


def _deliberation_ids(demo) -> dict:
    return {}


def _minutes_ids(demo) -> dict:
    return {}


def _poll_ids(demo) -> dict:
    return {}


def _notification_for(user) -> int:
    """The id of a notification of `user`, for the routes that act on one."""
    notify([user], N_("Notifications"), "/")
    db.session.commit()
    return db.session.scalar(sa.select(Notification.id).where(Notification.user_id == user.id))


def test_every_route_has_a_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(ROUTES)


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_expected(client, auth, demo, role):
    moderator_grant = next(g for g in demo.council.role_grants if g.role == "moderator")
    ids = {"c1": demo.community.id, "resident": demo.resident.id, "unverified": demo.unverified.id,
           "council": demo.council.id, "moderator_grant": moderator_grant.id}
    ids["resident_notification"] = _notification_for(demo.resident)
    ids.update(_need_ids(demo))
    ids.update(_activity_ids(demo))
    ids.update(_comment_ids(demo, ids["published_need"]))
    for finder in (_proposal_ids, _deliberation_ids, _minutes_ids, _poll_ids):
        ids.update(finder(demo))
    if role != "anonymous":
        assert auth.login(getattr(demo, role).phone).status_code == 303
    got = {}
    for endpoint, (method, template, expected) in ROUTES.items():
        response = client.open(template.format(**ids), method=method)
        got[endpoint] = response.status_code
        if response.status_code == 302 and expected[role] == 302 and role == "anonymous":
            assert "/auth/login" in response.headers["Location"] or endpoint.startswith("accounts.")
    assert got == {endpoint: expected[role] for endpoint, (_, _, expected) in ROUTES.items()}


def test_unknown_things_are_404_not_500(client, auth, demo):
    auth.login(demo.staff.phone)
    assert client.get("/communities/999/members").status_code == 404
    assert client.get(f"/communities/{demo.community.id}/members/999").status_code == 404
    # A user who lives in another community is not a member here.
    assert client.get(f"/communities/{demo.community.id}/members/{demo.resident2.id}").status_code == 404
    assert client.get("/users/999").status_code == 404
    assert client.get("/?community=999").status_code == 404
