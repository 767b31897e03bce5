"""A server process warms search up as it starts, so its first search is not the slow one."""
import jieba
from whoosh import index as whoosh_index

from forum.search import whoosh_sets


def _search_index(app):
    index = app.extensions["forum_search"]
    assert index.warmed.wait(30), "the warm-up did not run"
    return index


def test_a_server_process_has_the_index_open_before_its_first_search(make_app):
    built = make_app(demo=True)
    path = built.config["SEARCH_INDEX_PATH"]
    with built.app_context():
        built.extensions["forum_search"].rebuild()

    server = make_app(demo=True, SEARCH_INDEX_PATH=path, SEARCH_WARMUP=True)
    backend = _search_index(server).backend
    assert jieba.dt.initialized
    assert backend._index is not None  # opened, and each segment's tables read
    segments = [segment.segment_id() for segment in backend._index._segments()]
    assert segments and all(segment in whoosh_sets._facts for segment in segments)


def test_the_warm_up_leaves_a_missing_index_to_be_built_by_the_first_search(make_app):
    server = make_app(demo=True, SEARCH_WARMUP=True)
    path = server.config["SEARCH_INDEX_PATH"]
    _search_index(server)
    assert not whoosh_index.exists_in(path)
    response = server.test_client().get("/search", query_string={"q": "议事"})
    assert response.status_code == 200 and "条结果" in response.get_data(as_text=True)
