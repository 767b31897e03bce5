"""Roles are held per community or per street; admin is global; one `can` decides."""
from forum.accounts.models import RoleGrant
from forum.core.permissions import can, roles_in
from forum.extensions import db


def test_roles_are_per_community(app, demo):
    assert {"staff", "member", "verified"} <= roles_in(demo.staff, demo.community)
    assert "staff" not in roles_in(demo.staff, demo.community2)
    assert roles_in(demo.unverified, demo.community) == {"member"}


def test_a_street_role_covers_every_community_of_the_street(app, demo, make_user):
    street_staff = make_user()
    db.session.add(RoleGrant(user=street_staff, role="staff", street=demo.community.street))
    db.session.commit()
    for community in (demo.community, demo.community2, demo.community3):
        assert {"staff", "street_staff"} <= roles_in(street_staff, community)
        assert can(street_staff, "verify_member", community)


def test_unit_contact_role_follows_the_units_communities(app, demo):
    assert "unit_contact" in roles_in(demo.unit_contact, demo.community)
    assert "unit_contact" in roles_in(demo.unit_contact, demo.community2)
    assert "unit_contact" not in roles_in(demo.unit_contact, demo.community3)


def test_admin_is_global(app, demo):
    assert can(demo.admin, "view_members", demo.community3)
    assert can(demo.admin, "grant_role:staff", demo.community2)


def test_community_staff_cannot_hand_out_staff_or_supervisor(app, demo):
    assert can(demo.staff, "grant_role:moderator", demo.community)
    assert not can(demo.staff, "grant_role:staff", demo.community)
    assert not can(demo.staff, "grant_role:supervisor", demo.community)


def test_residents_and_anonymous_visitors_see_no_member_list(app, demo):
    from flask_login import AnonymousUserMixin

    assert not can(demo.resident, "view_members", demo.community)
    assert not can(demo.council, "verify_member", demo.community)
    assert not can(AnonymousUserMixin(), "view_members", demo.community)


def test_a_supervisor_reads_but_does_not_verify(app, demo, make_user):
    supervisor = make_user(demo.community, roles=["supervisor"])
    assert can(supervisor, "view_members", demo.community)
    assert can(supervisor, "read_audit", demo.community)
    assert not can(supervisor, "verify_member", demo.community)
    assert not can(supervisor, "reveal_phone", demo.community)
