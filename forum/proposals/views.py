"""Pages of proposals (being built)."""
from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")
