"""Setting search up for an application: the index, the outbox hook, the start-up catch-up."""
import gc
import threading

import click
from flask import Flask

from forum.core import page_cache
from forum.extensions import db


class SearchSettingError(RuntimeError):
    pass


def init_app(app: Flask) -> None:
    import forum.search.outbox  # noqa: F401  (registers the session hooks)
    from forum.search.analysis import quiet_jieba
    from forum.search.index import SearchIndex

    quiet_jieba()

    backend = app.config["SEARCH_BACKEND"]
    if backend not in ("whoosh", "postgres"):
        raise SearchSettingError(f"FORUM_SEARCH_BACKEND must be whoosh or postgres, not {backend!r}")
    if backend == "postgres" and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise SearchSettingError("FORUM_SEARCH_BACKEND=postgres needs FORUM_DATABASE_URL to be PostgreSQL")
    engines = {}

    def engine():
        if "engine" not in engines:
            with app.app_context():
                engines["engine"] = db.engine
        return engines["engine"]

    index = SearchIndex(app, engine)
    app.extensions["forum_search"] = index
    if backend == "whoosh":  # on PostgreSQL the index is in the database, whose state the cache reads anyway
        page_cache.depends_on(app, index.backend.generation)
    index.catch_up(in_background=not app.config.get("TESTING"))
    # A server process (wsgi.py sets SEARCH_WARMUP) warms the search up beside its first requests;
    # a command (`flask --app wsgi forum ...`) runs inside click and would only lose the time.
    if app.config.get("SEARCH_WARMUP") and click.get_current_context(silent=True) is None:
        threading.Thread(target=_warm_up_server, args=(index,), name="search-warm-up", daemon=True).start()


def _warm_up_server(index) -> None:
    """Warm the search up, then take what the process holds by now (jieba's dictionary, the index's
    tables, the app) out of the garbage collector's full passes (gc.freeze): going through them
    paused a request now and then (load benchmark, need list p99 207 -> 52 ms)."""
    index.warm_up()
    gc.freeze()
