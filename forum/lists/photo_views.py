"""Serving stored photos, with long cache headers; a hidden need's photos stay hidden."""
import re

from flask import Blueprint, abort, make_response
from sqlalchemy import select

from forum.core.permissions import authorize
from forum.extensions import db
from forum.lists import photos
from forum.lists.models import Photo
from forum.lists.needs import is_public

bp = Blueprint("photos", __name__)
NAME = re.compile(r"^([0-9a-f]{32})(-thumb)?\.webp$")


@bp.get("/photos/<name>")
def photo(name):
    match = NAME.match(name)
    if not match:
        abort(404)
    record = db.session.scalar(select(Photo).where(Photo.key == match.group(1)))
    if record is None:
        abort(404)
    if record.need is not None:
        authorize("view_need", record.need)
    data = photos.load(name)
    if data is None:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = "image/webp"
    # The name never changes meaning (a new photo gets a new key), so caches may keep it.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    if record.need is not None and not is_public(record.need):
        response.headers["Cache-Control"] = "private, max-age=3600"
    return response
