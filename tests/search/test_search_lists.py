"""Every list page takes `q=`: the search's matches, still under the list's own filters."""
import re

import pytest
from search_fixtures import *  # noqa: F403  (fixtures: app on each search backend, search_backend, search_page)

from forum.activities import services as activities
from forum.lists import projects, resources
from forum.proposals import queries as proposals


def listed(kind):
    """Two items the list shows without words, with titles that share no word."""
    items = {
        "resources": lambda: resources.list_page(resources.Filters(), 1).items,
        "projects": lambda: projects.list_page(None, None, 1).items,
        "activities": lambda: activities.list_page(community_id=None, status=None, page=1).items,
        "proposals": lambda: proposals.list_page(proposals.Filters(), 1).items,
    }[kind]()
    first = items[0]
    other = next(item for item in items[1:] if not set(item.title) & set(first.title[:4]))
    return first, other


@pytest.mark.parametrize("kind", ["resources", "projects", "activities", "proposals"])
def test_a_list_shows_only_what_its_words_match(demo, client, kind):
    wanted, other = listed(kind)
    html = client.get(f"/{kind}/", query_string={"q": wanted.title}).get_data(as_text=True)
    assert wanted.title in html and other.title not in html
    assert re.search(r'<input type="search" id="f-q" name="q" value="[^"]+"', html), "the words stay in the box"
    html = client.get(f"/{kind}/", query_string={"q": "！？"}).get_data(as_text=True)
    assert wanted.title not in html, "words with nothing to search for match nothing"
    assert client.get(f"/{kind}/", query_string={"q": wanted.title, "page": 2}).status_code == 200
