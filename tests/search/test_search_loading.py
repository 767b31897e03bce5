"""The search page loads what its hits name (authors, offering units and people, communities) for
all the hits of a kind at once: more hits do not mean more trips to the database."""
import re

import sqlalchemy as sa
from search_fixtures import *  # noqa: F403  (fixtures: app on each search backend, search_backend, search_page)

from forum.extensions import db
from forum.lists.resources import post_resource


def offer_books(make_user, community, n):
    for _ in range(n):
        owner = make_user(community, verified=True, roles=("volunteer",))
        post_resource(owner, unit=None, community=community, fields={
            "title": f"{owner.display_name}的旧书", "body": "家里有一些旧书可以借给邻居看", "category": "culture",
            "kind": "goods", "capacity": "", "available_from": None, "available_until": None, "scope": "communities"})


def found_and_statements(search_page, query) -> tuple[list[str], int]:
    """The titles found for `query`, and how many SQL statements of the search page read people or
    units (the search itself and the outbox of changes to index are not counted)."""
    seen = []

    def grab(conn, cursor, sql, params, context, executemany):
        if re.search(r'\bFROM "?(user|unit)"?\b', sql):
            seen.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", grab)
    try:
        titles, _ = search_page(query)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", grab)
    return titles, len(seen)


def test_twelve_offers_found_cost_as_many_queries_as_two(demo, make_user, search_page):
    offer_books(make_user, demo.community, 2)
    titles, few = found_and_statements(search_page, "旧书")
    assert len([t for t in titles if t.endswith("的旧书")]) == 2
    offer_books(make_user, demo.community, 10)
    titles, many = found_and_statements(search_page, "旧书")
    assert len([t for t in titles if t.endswith("的旧书")]) == 12
    assert many == few
