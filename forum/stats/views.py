"""/stats/: the figures of a community or a street over a period, and its ledgers (台账) for staff."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forum.core.categories import CATEGORIES
from forum.core.limits import rate_limit
from forum.core.models import utcnow
from forum.core.permissions import authorize
from forum.core.rendering import render
from forum.extensions import db
from forum.home.services import home_community
from forum.places.models import Community, Street
from forum.stats import charts, files, scope, services
from forum.stats.forms import LedgerForm, StatsForm
from forum.stats.ledgers import LEDGERS, Filters

bp = Blueprint("stats", __name__, url_prefix="/stats")


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _chosen_scope(args) -> scope.Scope | None:
    """`scope=c3` / `s1` from the form, or `community=` / `street=` from a link (404 when unknown); else
    the visitor's own community, else the first one (None while there is none)."""
    if args.get("scope"):
        return scope.from_key(args["scope"]) or abort(404)
    if args.get("community"):
        return scope.of_community(db.get_or_404(Community, args.get("community", type=int) or 0))
    if args.get("street"):
        return scope.of_street(db.get_or_404(Street, args.get("street", type=int) or 0))
    community = home_community(current_user) or db.session.scalar(select(Community).order_by(Community.id))
    return scope.of_community(community) if community else None


def _form(chosen) -> StatsForm:
    form = StatsForm(request.args)
    form.scope.choices = scope.choices()
    form.scope.data = chosen.key if chosen else None
    return form


@bp.get("/")
@rate_limit("view_stats")
def index():
    chosen = _chosen_scope(request.args)
    form = _form(chosen)
    if chosen is None or not form.validate():
        return render("stats/index.html", form=form, scope=chosen, figures=None,
                      status=400 if chosen is not None else 200)
    period = form.chosen_period(datetime.now(_tz()).date())
    figures = services.figures(chosen, period.bounds(_tz()), utcnow())
    return render("stats/index.html", form=form, scope=chosen, period=period, figures=figures,
                  charts=charts.charts_of(figures), ledgers=LEDGERS.values(), categories=CATEGORIES,
                  duration=charts.duration_text, percent=charts.percent_text)


def _filters(ledger) -> Filters:
    form = LedgerForm(request.args)
    form.status.choices = [("", "")] + list(ledger.statuses.items())
    if not form.validate():
        abort(400)
    return Filters(category=form.category.data or None if ledger.by_category else None,
                   status=form.status.data or None if ledger.statuses else None)


def _notes(ledger, chosen, period, filters) -> list[tuple[str, str]]:
    when = datetime.now(_tz()).strftime("%Y-%m-%d %H:%M")
    notes = [(_("Ledger"), str(ledger.title)), (_("Community or street"), chosen.name),
             (_("Period"), _("%(start)s to %(end)s", start=period.start.isoformat(), end=period.end.isoformat()))]
    if filters.category:
        notes.append((_("Category"), str(CATEGORIES[filters.category])))
    if filters.status:
        notes.append((_("Status"), str(ledger.statuses[filters.status])))
    notes += [(_("Exported at"), when), (_("Exported by"), current_user.display_name)]
    if ledger.personal:
        notes.append((_("Personal data"), _("Phone numbers are masked. This download is recorded in the audit "
                                            "trail; keep the file safe and delete it when it is no longer needed.")))
    return notes


@bp.get("/ledgers/<name>")
@rate_limit("export_ledger")
def ledger(name):
    ledger = LEDGERS.get(name) or abort(404)
    fmt = request.args.get("format", "xlsx")
    if fmt not in files.FORMATS:
        abort(404)
    chosen = _chosen_scope(request.args) or abort(404)
    authorize("download_ledgers", chosen.place)
    form = _form(chosen)
    if not form.validate():
        abort(400)
    period = form.chosen_period(datetime.now(_tz()).date())
    filters = _filters(ledger)
    made = files.export(current_user, ledger, chosen, period, filters, fmt,
                        _notes(ledger, chosen, period, filters), _tz())
    return send_file(io.BytesIO(made.data), mimetype=made.mimetype, as_attachment=True,
                     download_name=made.filename, max_age=0)
