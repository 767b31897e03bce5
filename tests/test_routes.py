"""Every route in the URL map, for every demo role, answers with the expected status.

A new route without an entry here fails `test_every_route_has_a_decision`, so no
page ships without someone deciding who may use it.
"""
import pytest

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
    "accounts.logout": ("POST", "/auth/logout", expect(303)),
}


def test_every_route_has_a_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(ROUTES)


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_expected(client, auth, demo, role):
    moderator_grant = next(g for g in demo.council.role_grants if g.role == "moderator")
    ids = {"c1": demo.community.id, "resident": demo.resident.id, "unverified": demo.unverified.id,
           "council": demo.council.id, "moderator_grant": moderator_grant.id}
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
