"""The search page, /search?q= (its box is also in the site header)."""
from flask import Blueprint, request
from flask_login import current_user

from forum.core.rendering import render
from forum.home.services import all_communities
from forum.search import services
from forum.search.labels import status_choices, status_labels

bp = Blueprint("search", __name__)


@bp.record_once
def _set_up(state) -> None:
    from forum.search.setup import init_app

    init_app(state.app)


@bp.get("/search")
def search():
    query = (request.args.get("q") or "").strip()
    filters = services.SearchFilters.from_args(request.args)
    results = services.search(current_user, query, filters) if query else None
    return render("search/index.html", fragment="results", q=query, filters=filters, results=results,
                  communities=all_communities(), kind_labels=services.kind_labels(), sorts=services.SORTS,
                  status_choices=status_choices(filters.kind), status_labels=status_labels())
