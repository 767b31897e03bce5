"""Register, log in and out, and the user's own profile."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts import services
from forum.accounts.forms import LoginForm, PasswordForm, ProfileForm, RegisterForm
from forum.accounts.models import User
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.core.security import local_target
from forum.core.limits import rate_limit
from forum.extensions import db
from forum.places.models import Community

bp = Blueprint("accounts", __name__)


def _failed(response) -> bool:
    """Only failed attempts count toward the login and register limits."""
    return response.status_code != 303


def _phone_key() -> str:
    return "phone:" + services.normalise_phone(request.form.get("phone", ""))


def _safe_next(target: str | None) -> str:
    return local_target(target) or url_for("home.index")


def _community_choices(form: RegisterForm) -> None:
    communities = db.session.scalars(select(Community).order_by(Community.id)).all()
    form.community.choices = [("", _("Choose your community"))] + [(c.id, c.full_name) for c in communities]
    form.compound.choices = [("", _("Not listed / skip"))] + [
        (compound.id, f"{c.name} · {compound.name}") for c in communities for compound in c.compounds
    ]


@bp.get("/auth/register")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm(community=request.args.get("community", type=int))
    _community_choices(form)
    return render("accounts/register.html", form=form)


@bp.post("/auth/register")
@rate_limit("register_ip", key_func=get_remote_address, deduct_when=_failed)
def register_post():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    _community_choices(form)
    if form.validate_on_submit():
        community = db.session.get(Community, form.community.data)
        compound = next((c for c in community.compounds if c.id == form.compound.data), None) if community else None
        try:
            if community is None or (form.compound.data and compound is None):
                raise services.AccountError("compound", _("This compound is not in the chosen community."))
            services.register(form.phone.data, form.display_name.data, form.password.data, community, compound)
        except services.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("Welcome! Please visit your community office once to have your household verified."), "success")
            return redirect(url_for("home.index"), 303)
    return render("accounts/register.html", form=form, status=400)


@bp.get("/auth/login")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render("accounts/login.html", form=LoginForm(), next=request.args.get("next"))


@bp.post("/auth/login")
@rate_limit("login_ip", key_func=get_remote_address, deduct_when=_failed)
@rate_limit("login_phone", key_func=_phone_key, deduct_when=_failed)
def login_post():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.phone.data, form.password.data)
        if user is not None:
            services.start_session(user, remember=form.remember.data)
            return redirect(_safe_next(request.form.get("next")), 303)
        form.password.errors.append(_("The mobile number or the password is not correct."))
    return render("accounts/login.html", form=form, next=request.form.get("next"), status=400)


@bp.post("/auth/logout")
@login_required
def logout():
    services.end_session(current_user._get_current_object())
    flash(_("You have logged out."), "success")
    return redirect(url_for("home.index"), 303)


@bp.get("/profile")
@login_required
def profile():
    user = current_user._get_current_object()
    return render("accounts/profile.html", user=user,
                  form=ProfileForm(obj=user), password_form=PasswordForm())


@bp.post("/profile")
@login_required
def profile_post():
    user = current_user._get_current_object()
    form = ProfileForm()
    if form.validate_on_submit():
        services.update_profile(user, form.display_name.data)
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"), 303)
    return render("accounts/profile.html", user=user, form=form, password_form=PasswordForm(), status=400)


@bp.post("/profile/password")
@login_required
@rate_limit("password_change")
def password_post():
    user = current_user._get_current_object()
    form = PasswordForm(phone=user.phone)
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current.data, form.password.data)
        except services.AccountError as error:
            form.current.errors.append(error.message)
        else:
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.profile"), 303)
    return render("accounts/profile.html", user=user, form=ProfileForm(obj=user),
                  password_form=form, status=400)


@bp.get("/users/<int:user_id>")
def user_page(user_id):
    user = db.get_or_404(User, user_id)
    authorize("view_profile", user)
    return render("accounts/user.html", user=user)
