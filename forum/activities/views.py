"""Pages of the activities list: browse, create, sign up and cancel, confirm attendance, hours."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.activities import services
from forum.activities.forms import ActivityForm, AttendanceForm, StepForm
from forum.activities.models import ACTION_LABELS, BADGE_LABELS, STATUS_LABELS, Activity
from forum.core.limits import rate_limit
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.core.workflow import TransitionNotAllowed
from forum.extensions import db
from forum.home.services import all_communities, requested_community
from forum.places.models import Community, Unit
from forum.search.services import words_of

bp = Blueprint("activities", __name__, url_prefix="/activities")
LABELS = {"status_labels": STATUS_LABELS, "badge_labels": BADGE_LABELS, "action_labels": ACTION_LABELS}


def _back_to(activity: Activity):
    return redirect(url_for("activities.show", activity_id=activity.id), 303)


@bp.get("/")
def index():
    community = requested_community(request.args)
    community_id = community.id if community else None
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    words = words_of(request.args)
    page = services.list_page(community_id=community_id, status=status, page=request.args.get("page", type=int),
                              words=words)
    args = {k: v for k, v in {"community": community_id, "status": status, "q": words}.items() if v}
    return render("activities/index.html", fragment="results", page=page, community=community, state=status,
                  args=args, communities=all_communities(),
                  may_create=bool(services.creatable_communities(current_user)), **LABELS)


@bp.get("/mine")
@login_required
def mine():
    user = current_user._get_current_object()
    return render("activities/mine.html", signups=services.my_signups(user), hours=services.hours_of_user(user),
                  units=[(unit, services.unit_summary(unit)) for unit in user.units], **LABELS)


@bp.get("/units/<int:unit_id>")
def unit(unit_id):
    unit = db.get_or_404(Unit, unit_id)
    page = services.unit_activities(unit, request.args.get("page", type=int))
    return render("activities/unit.html", unit=unit, summary=services.unit_summary(unit), page=page,
                  hours=services.hours_by_activity(page.items), **LABELS)


def _new_form(form: ActivityForm) -> ActivityForm:
    communities, units, in_own_name = services.choices_for_new(current_user)
    if not communities:
        abort(403)
    form.set_choices(communities, units, in_own_name)
    return form


@bp.get("/new")
@login_required
def new():
    form = _new_form(ActivityForm(community=request.args.get("community", type=int)))
    return render("activities/new.html", form=form)


@bp.post("/new")
@rate_limit("post_activity")
@login_required
def create():
    form = _new_form(ActivityForm())
    if form.validate_on_submit():
        community = db.session.get(Community, form.community.data)
        unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
        try:
            activity = services.create_activity(current_user, community, unit, form.activity_fields())
        except services.ActivityError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The activity is published and open for sign-up."), "success")
            return _back_to(activity)
    return render("activities/new.html", form=form, status=400)


def _show(activity: Activity, status=200, attendance_form=None, step_form=None):
    due = services.attendance_due(activity)
    return render(
        "activities/show.html", status=status, activity=activity,
        signup=services.signup_of(current_user, activity), timeline=services.timeline(activity),
        steps=services.available_steps(current_user, activity), step_form=step_form or StepForm(),
        attendance_due=due, came=services.hours_of_activity(activity),
        people={s.id: s.user for s in activity.signups},
        attendance_form=attendance_form or (AttendanceForm.for_activity(activity) if due else None),
        **LABELS,
    )


@bp.get("/<int:activity_id>")
def show(activity_id):
    return _show(db.get_or_404(Activity, activity_id))


@bp.post("/<int:activity_id>/signup")
@rate_limit("sign_up")
@login_required
def sign_up(activity_id):
    activity = db.get_or_404(Activity, activity_id)
    authorize("sign_up_for_activity", activity)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.sign_up(current_user, activity)
    except services.ActivityError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You have signed up. See you there!"), "success")
    return _back_to(activity)


@bp.post("/<int:activity_id>/signup/cancel")
@login_required
def cancel_signup(activity_id):
    activity = db.get_or_404(Activity, activity_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.cancel_signup(current_user, activity)
    except services.ActivityError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your sign-up has been cancelled; the place is free for someone else."), "success")
    return _back_to(activity)


@bp.post("/<int:activity_id>/steps/<action>")
@login_required
def step(activity_id, action):
    activity = db.get_or_404(Activity, activity_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _show(activity, status=400, step_form=form)
    try:
        services.take_step(current_user, activity, action, form.note.data)
    except TransitionNotAllowed:
        flash(_("This step is no longer possible; the page has been refreshed."), "error")
    except services.ActivityError as error:
        form.note.errors = [error.message]
        return _show(activity, status=400, step_form=form)
    return _back_to(activity)


@bp.post("/<int:activity_id>/attendance")
@login_required
def attendance(activity_id):
    activity = db.get_or_404(Activity, activity_id)
    authorize("confirm_attendance", activity)
    form = AttendanceForm()
    if form.validate_on_submit():
        try:
            services.confirm_attendance(current_user, activity, form.attended())
        except TransitionNotAllowed:
            flash(_("Attendance has already been confirmed."), "error")
            return _back_to(activity)
        except services.ActivityError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("Attendance is confirmed and the volunteer hours are recorded."), "success")
            return _back_to(activity)
    return _show(activity, status=400, attendance_form=form)
