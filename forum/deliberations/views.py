"""Pages of deliberations (being built)."""
from flask import Blueprint

bp = Blueprint("deliberations", __name__, url_prefix="/deliberations")
