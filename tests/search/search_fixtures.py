"""Fixtures of the search tests (imported by each test module: a conftest.py here would shadow
the top one for `from conftest import ...`). Search tests run on every search backend the database
allows: whoosh always, and PostgreSQL full text search when the tests run on PostgreSQL
(FORUM_TEST_DATABASE_URL)."""
import os

__all__ = ["app", "search_backend", "search_page"]

import pytest

SEARCH_BACKENDS = ["whoosh"] + (["postgres"] if os.environ.get("FORUM_TEST_DATABASE_URL") else [])


@pytest.fixture(params=SEARCH_BACKENDS)
def search_backend(request, backend):
    if request.param == "postgres" and backend.name != "postgresql":
        pytest.skip("PostgreSQL full text search needs the PostgreSQL database")
    return request.param


@pytest.fixture
def app(make_app, request, search_backend):
    app = make_app(demo="demo" in request.fixturenames, SEARCH_BACKEND=search_backend)
    with app.app_context():
        yield app


def _found(client, query, **args):
    """The result titles (comments: the title of their subject) of a search page, and the page."""
    import re

    response = client.get("/search", query_string={"q": query, **args})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    titles = [re.sub(r"<[^>]+>", "", title).strip()
              for title in re.findall(r'<a class="card-link" href="[^"]*">(.*?)</a>', html, re.DOTALL)]
    return titles, html


@pytest.fixture
def search_page(client):
    return lambda query, **args: _found(client, query, **args)


