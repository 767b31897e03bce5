"""Staff pages of a community: members, household verification, roles, audit trail."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts import services
from forum.accounts.forms import EmptyForm, RoleForm, UnitContactForm, UnverifyForm, VerifyForm
from forum.accounts.models import GRANTABLE_ROLES, ROLE_LABELS, RoleGrant, User
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.extensions import db
from forum.places.models import Community, Unit

bp = Blueprint("staff", __name__, url_prefix="/communities/<int:community_id>")

def _membership_or_404(community, user_id):
    user = db.get_or_404(User, user_id)
    membership = user.membership_in(community.id)
    if membership is None:
        abort(404)
    return membership


def _member_page(community, membership, status=200, **forms):
    actor = current_user._get_current_object()
    verify = forms.get("verify_form") or VerifyForm(
        compound=membership.compound_id, building=membership.building,
        room=membership.room, floor_area=membership.floor_area,
    )
    verify.compound.choices = [("", _("Choose"))] + [(c.id, c.name) for c in community.compounds]
    role_form = forms.get("role_form") or RoleForm()
    role_form.role.choices = [
        (role, label) for role, label in ROLE_LABELS.items()
        if can(actor, f"grant_role:{role}", community)
    ]
    unit_form = forms.get("unit_form") or UnitContactForm()
    unit_form.unit.choices = [(u.id, u.name) for u in community.units]
    grants = [g for g in membership.user.role_grants if g.covers(community)]
    return render(
        "accounts/member.html", status=status, community=community, membership=membership,
        member=membership.user, grants=grants, role_labels=ROLE_LABELS,
        verify_form=verify, role_form=role_form, unit_form=unit_form,
        unverify_form=forms.get("unverify_form") or UnverifyForm(),
        button=EmptyForm(), revealed_phone=forms.get("revealed_phone"),
    )


@bp.get("/members")
def members(community_id):
    community = db.get_or_404(Community, community_id)
    authorize("view_members", community)
    verified = {"yes": True, "no": False}.get(request.args.get("verified", ""))
    query = request.args.get("q", "")
    rows = services.members_of(community, query=query, verified=verified)
    return render("accounts/members.html", fragment="results", community=community,
                  memberships=rows, query=query, verified=request.args.get("verified", ""),
                  unverified_count=services.count_unverified(community))


@bp.get("/members/<int:user_id>")
def member(community_id, user_id):
    community = db.get_or_404(Community, community_id)
    authorize("view_members", community)
    return _member_page(community, _membership_or_404(community, user_id))


@bp.post("/members/<int:user_id>/verify")
def verify(community_id, user_id):
    community = db.get_or_404(Community, community_id)
    authorize("verify_member", community)
    membership = _membership_or_404(community, user_id)
    form = VerifyForm()
    form.compound.choices = [(c.id, c.name) for c in community.compounds]
    if form.validate_on_submit():
        compound = next(c for c in community.compounds if c.id == form.compound.data)
        services.verify_household(current_user, membership, compound=compound, building=form.building.data,
                                  room=form.room.data, floor_area=form.floor_area.data)
        flash(_("%(name)s is now a verified resident.", name=membership.user.display_name), "success")
        return redirect(url_for("staff.member", community_id=community.id, user_id=user_id), 303)
    return _member_page(community, membership, status=400, verify_form=form)


@bp.post("/members/<int:user_id>/unverify")
def unverify(community_id, user_id):
    community = db.get_or_404(Community, community_id)
    authorize("verify_member", community)
    membership = _membership_or_404(community, user_id)
    form = UnverifyForm()
    if form.validate_on_submit():
        services.unverify(current_user, membership, form.reason.data)
        flash(_("The verification has been withdrawn."), "success")
        return redirect(url_for("staff.member", community_id=community.id, user_id=user_id), 303)
    return _member_page(community, membership, status=400, unverify_form=form)


@bp.post("/members/<int:user_id>/roles")
def grant_role(community_id, user_id):
    community = db.get_or_404(Community, community_id)
    authorize("view_members", community)
    membership = _membership_or_404(community, user_id)
    form = RoleForm()
    form.role.choices = [(role, role) for role in GRANTABLE_ROLES]
    if form.validate_on_submit():
        authorize(f"grant_role:{form.role.data}", community)
        services.grant_role(current_user, membership.user, form.role.data, community)
        flash(_("The role has been granted."), "success")
        return redirect(url_for("staff.member", community_id=community.id, user_id=user_id), 303)
    return _member_page(community, membership, status=400, role_form=form)


@bp.post("/members/<int:user_id>/roles/<int:grant_id>/revoke")
def revoke_role(community_id, user_id, grant_id):
    community = db.get_or_404(Community, community_id)
    grant = db.get_or_404(RoleGrant, grant_id)
    if grant.user_id != user_id or grant.community_id != community.id:
        abort(404)
    authorize(f"revoke_role:{grant.role}", community)
    if EmptyForm().validate_on_submit():
        services.revoke_role(current_user, grant)
        flash(_("The role has been removed."), "success")
    return redirect(url_for("staff.member", community_id=community.id, user_id=user_id), 303)


@bp.post("/members/<int:user_id>/units")
def unit_contact(community_id, user_id):
    community = db.get_or_404(Community, community_id)
    authorize("manage_unit_contacts", community)
    membership = _membership_or_404(community, user_id)
    form = UnitContactForm()
    form.unit.choices = [(u.id, u.name) for u in community.units]
    if form.validate_on_submit():
        unit = db.get_or_404(Unit, form.unit.data)
        on = request.form.get("action") != "remove"
        if services.set_unit_contact(current_user, unit, membership.user, community, on):
            flash(_("The unit contacts have been updated."), "success")
        else:
            flash(_("Nothing changed: %(name)s already was, or was not, a contact of %(unit)s.",
                    name=membership.user.display_name, unit=unit.name), "error")
        return redirect(url_for("staff.member", community_id=community.id, user_id=user_id), 303)
    return _member_page(community, membership, status=400, unit_form=form)


@bp.post("/members/<int:user_id>/phone")
def reveal_phone(community_id, user_id):
    community = db.get_or_404(Community, community_id)
    authorize("reveal_phone", community)
    membership = _membership_or_404(community, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    phone = services.reveal_phone(current_user, membership)
    return _member_page(community, membership, revealed_phone=phone)


@bp.get("/audit")
def audit_trail(community_id):
    community = db.get_or_404(Community, community_id)
    authorize("read_audit", community)
    return render("accounts/audit.html", community=community, entries=services.audit_entries(community))
