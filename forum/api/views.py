"""The open data API, /api/v1/: read-only JSON, paginated, filtered like the pages.

Every answer is JSON (errors too), the same for everyone (no cookie or login changes
it), with an ETag and a short public cache time.
"""
import re

from flask import Blueprint, Response, current_app, request
from sqlalchemy import func, select

from forum.api.collections import ANYONE, COLLECTIONS, MAX_ID
from forum.api.openapi import PAGING, document
from forum.core.permissions import can
from forum.core.urls import absolute_url
from forum.extensions import db
from forum.places.models import Community

bp = Blueprint("api", __name__, url_prefix="/api/v1")
DIGITS = re.compile(r"^[0-9]{1,10}$")
MAX_AGE = 60


class BadRequest(ValueError):
    pass


def _json(data, status: int = 200) -> Response:
    body = current_app.json.dumps(data, ensure_ascii=False)
    response = Response(body, status=status, mimetype="application/json")
    if status == 200:
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
        response.add_etag()
        response.make_conditional(request)
    return response


def _error(status: int, message: str) -> Response:
    return _json({"error": {"status": status, "message": message}}, status)


def _parse(name: str, schema: dict, raw: str):
    if schema["type"] == "integer":
        value = int(raw) if DIGITS.match(raw) else None
        if value is None or value < schema.get("minimum", 0) or value > schema.get("maximum", MAX_ID):
            raise BadRequest(f"{name} must be a whole number from {schema.get('minimum', 0)} to "
                             f"{schema.get('maximum', MAX_ID)}")
        return value
    if raw not in schema["enum"]:
        raise BadRequest(f"{name} must be one of: {', '.join(schema['enum'])}")
    return raw


def _arguments(filters: dict) -> dict:
    """The known query parameters, checked against the same schemas the OpenAPI document gives."""
    parsed = {}
    for name, schema in {**filters, **PAGING}.items():
        if name in request.args:
            parsed[name] = _parse(name, schema, request.args[name])
    return parsed


@bp.get("/")
def index():
    return _json({"openapi": absolute_url("api.openapi"),
                  "collections": {name: absolute_url("api.collection", name=name) for name in COLLECTIONS}})


@bp.get("/openapi.json")
def openapi():
    return _json(document())


@bp.get("/<name>")
def collection(name):
    entry = COLLECTIONS.get(name)
    if entry is None:
        return _error(404, "No such collection.")
    try:
        args = _arguments(entry.filters)
    except BadRequest as error:
        return _error(400, str(error))
    if args.get("community") and db.session.get(Community, args["community"]) is None:
        return _error(404, "No such community.")
    statement = entry.statement(args)
    page, per_page = args.get("page", 1), args.get("per_page", PAGING["per_page"]["default"])
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return _json({"items": [entry.record(item) for item in items], "page": page, "per_page": per_page,
                  "total": total, "pages": max(1, -(-total // per_page))})


@bp.get("/<name>/<item_id>")
def item(name, item_id):
    entry = COLLECTIONS.get(name)
    if entry is None:
        return _error(404, "No such collection.")
    found = db.session.get(entry.model, int(item_id)) if DIGITS.match(item_id) and int(item_id) <= MAX_ID else None
    if found is None or not entry.shown(found) or (entry.view_action and not can(ANYONE, entry.view_action, found)):
        return _error(404, "Not found, or not public.")
    return _json(entry.record(found))


@bp.get("/<path:rest>")
def unknown(rest):
    return _error(404, "No such address in the API; see /api/v1/openapi.json.")
