"""Pages of minutes (being built)."""
from flask import Blueprint

bp = Blueprint("minutes", __name__, url_prefix="/deliberations")
