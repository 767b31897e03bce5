"""Pages of moderation: report (举报), the queue and its cases, the author's review request, the log."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.limits import rate_limit
from forum.core.permissions import authorize, can, sanction_of
from forum.core.rendering import render
from forum.extensions import db
from forum.moderation import actions, kinds, log, queue, services
from forum.moderation.forms import ReasonForm, ReportForm, SettingsForm, SuspendForm
from forum.moderation.models import ModerationCase
from forum.places.models import Community

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.app_context_processor
def helpers():
    return {"moderation_notice": lambda item: services.notice_for(current_user, item),
            "report_reasons": services.REASONS, "moderation_causes": services.CAUSES,
            "moderation_labels": log.LABELS, "sanction_of": sanction_of, "sanction_reason": services.sanction_reason,
            "reportable_kind": kinds.kind_of}


def _item_or_404(kind: str, item_id: int):
    """The item, if the user may see it (else 404: whether it exists is nobody else's business)."""
    item = kinds.load(kind, item_id)
    if item is None or not can(current_user, kinds.KINDS[kind].view_action, item):
        abort(404)
    return item


def _report_page(item, form, status=200):
    entry = kinds.entry_of(item)
    return render("moderation/report.html", status=status, form=form, item=item, kind=entry.name,
                  kind_label=entry.label, title=entry.title(item), url=entry.url(item),
                  already=services.already_reported(current_user, item))


@bp.get("/report/<kind>/<int:item_id>")
@login_required
def report_form(kind, item_id):
    item = _item_or_404(kind, item_id)
    authorize("report_content", item)
    return _report_page(item, ReportForm())


@bp.post("/report/<kind>/<int:item_id>")
@login_required
@rate_limit("report_content")
def report(kind, item_id):
    item = _item_or_404(kind, item_id)
    authorize("report_content", item)
    form = ReportForm()
    if not form.validate_on_submit():
        return _report_page(item, form, status=400)
    try:
        services.report(current_user, item, form.reason.data, form.note.data)
    except services.ModerationError as error:
        db.session.rollback()
        flash(str(error.message), "info")
        return redirect(kinds.entry_of(item).url(item), 303)
    flash(_("Thank you. The moderators will look at your report."), "success")
    return redirect(kinds.entry_of(item).url(item), 303)


@bp.post("/review/<kind>/<int:item_id>")
@login_required
def request_review(kind, item_id):
    item = _item_or_404(kind, item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.request_review(current_user, item)
    flash(_("You asked for a review. A moderator will look at it again."), "success")
    return redirect(kinds.entry_of(item).url(item), 303)


@bp.get("/")
@login_required
def index():
    authorize("use_moderation_queue")
    return _queue_page(queue.Filters.from_args(request.args))


def _queue_page(filters, settings_form=None, status=200):
    user = current_user._get_current_object()
    communities = queue.moderated_communities(user)
    settings_community = next((c for c in communities if c.id == filters.community), None) \
        or (communities[0] if len(communities) == 1 else None)
    if settings_community is not None and not can(user, "manage_moderation_settings", settings_community):
        settings_community = None
    if settings_form is None and settings_community is not None:
        settings_form = SettingsForm(obj=settings_community)
    return render("moderation/queue.html", fragment="results", status=status, filters=filters,
                  page=queue.queue_page(user, filters, request.args.get("page", type=int)),
                  communities=communities, states=queue.STATES, settings_community=settings_community,
                  settings_form=settings_form)


@bp.post("/cases/bulk")
@login_required
def bulk():
    authorize("use_moderation_queue")
    if not EmptyForm().validate_on_submit():
        abort(400)
    ids = request.form.getlist("case", type=int)
    if not ids:
        flash(_("Please select at least one case."), "error")
    else:
        try:
            done = actions.bulk(current_user, ids, request.form.get("action", ""))
            flash(_("%(num)d cases decided.", num=done), "success")
        except services.ModerationError as error:
            flash(str(error.message), "error")
    return redirect(url_for("moderation.index", **_filters_from_form()), 303)


def _filters_from_form() -> dict:
    return queue.Filters.from_args(request.form).as_args()


def _case_or_404(case_id) -> ModerationCase:
    case = db.get_or_404(ModerationCase, case_id)
    authorize("moderate_case", case)
    return case


def _case_page(case, status=200, **forms):
    forms = {"hide_form": ReasonForm(prefix="hide"), "warn_form": ReasonForm(prefix="warn"),
             "suspend_form": SuspendForm(prefix="suspend"), "ban_form": ReasonForm(prefix="ban"), **forms}
    return render("moderation/case.html", status=status, entry=queue.entry_for(case), case=case,
                  history=log.of_case(case), **forms)


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id):
    return _case_page(_case_or_404(case_id))


SIMPLE_ACTIONS = {
    "dismiss": (actions.dismiss, True), "restore": (actions.restore, True),
    "lock": (actions.lock_thread, False), "lift": (actions.lift_sanctions, False),
}
REASON_ACTIONS = {"hide": (actions.hide, True), "warn": (actions.warn, False), "ban": (actions.ban, False)}
DONE_MESSAGES = {
    "dismiss": _l("The case is closed and the post is shown."), "restore": _l("The post is shown again."),
    "lock": _l("The discussion is locked."), "lift": _l("The user may post again."),
    "hide": _l("The post is hidden."), "warn": _l("The author has been warned."),
    "ban": _l("The user is banned."), "suspend": _l("The user is suspended."),
}


def _done(case, action):
    """Back to the queue when the case is decided, else to the case."""
    flash(str(DONE_MESSAGES[action]), "success")
    closes = SIMPLE_ACTIONS.get(action, REASON_ACTIONS.get(action, (None, False)))[1]
    if closes:
        return redirect(url_for("moderation.index"), 303)
    return redirect(url_for("moderation.case", case_id=case.id), 303)


@bp.post("/cases/<int:case_id>/<any(dismiss, restore, lock, lift):action>")
@login_required
def simple_action(case_id, action):
    case = _case_or_404(case_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        SIMPLE_ACTIONS[action][0](current_user, case)
    except services.ModerationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("moderation.case", case_id=case.id), 303)
    return _done(case, action)


@bp.post("/cases/<int:case_id>/<any(hide, warn, ban):action>")
@login_required
def reason_action(case_id, action):
    case = _case_or_404(case_id)
    form = ReasonForm(prefix=action)
    if not form.validate_on_submit():
        return _case_page(case, status=400, **{f"{action}_form": form})
    REASON_ACTIONS[action][0](current_user, case, form.reason.data)
    return _done(case, action)


@bp.post("/cases/<int:case_id>/suspend")
@login_required
def suspend(case_id):
    case = _case_or_404(case_id)
    form = SuspendForm(prefix="suspend")
    if not form.validate_on_submit():
        return _case_page(case, status=400, suspend_form=form)
    actions.suspend(current_user, case, form.days.data, form.reason.data)
    return _done(case, "suspend")


@bp.post("/settings/<int:community_id>")
@login_required
def settings(community_id):
    community = db.get_or_404(Community, community_id)
    authorize("manage_moderation_settings", community)
    form = SettingsForm()
    filters = queue.Filters(community=community.id)
    if not form.validate_on_submit():
        return _queue_page(filters, settings_form=form, status=400)
    services.change_settings(current_user, community, form.report_hide_threshold.data)
    flash(_("Settings saved."), "success")
    return redirect(url_for("moderation.index", community=community.id), 303)


@bp.get("/log")
@login_required
def moderation_log():
    authorize("read_moderation_log")
    user = current_user._get_current_object()
    readable = [c for c in queue.all_communities() if can(user, "read_moderation_log", c)]
    community_id = request.args.get("community", type=int)
    ids = [c.id for c in readable if community_id in (None, c.id)]
    page = log.entries(ids, request.args.get("page", type=int), everything=user.is_admin and not community_id)
    return render("moderation/log.html", page=page, communities=readable, community_id=community_id)
