"""The index stays in step with the database: through crashes, several writing processes,
`forum search status` and `forum reindex`."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin
from search_fixtures import *  # noqa: F403  (fixtures: app on each search backend, search_backend, search_page)

from forum import create_app
from forum.discussion.services import post_comment
from forum.extensions import db
from forum.lists import needs
from forum.lists.models import Need, Resource
from forum.search import services
from forum.search.models import SearchOutbox

WRITER = Path(__file__).with_name("search_writer.py")


@pytest.fixture
def shared(app, demo):
    """The demo database and its index, with the test's own transaction ended (other processes write)."""
    db.session.commit()
    app.extensions["forum_search"].ensure_built()
    return app


def run_writer(app, mode, prefix, count=1, wait=True):
    env = {**os.environ, "FORUM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "FORUM_INSTANCE_PATH": app.instance_path, "FORUM_SECRET_KEY": "test-secret-key",
           "FORUM_SEARCH_BACKEND": app.config["SEARCH_BACKEND"],
           "FORUM_SEARCH_INDEX_PATH": app.config["SEARCH_INDEX_PATH"]}
    process = subprocess.Popen([sys.executable, str(WRITER), mode, prefix, str(count)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if wait:
        process.wait(timeout=120)
    return process


def restarted(app):
    """A new server process's app on the same database and index (its start-up catches up)."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "SECRET_KEY_CONFIGURED": True,
                       "INSTANCE_PATH": app.instance_path,
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "SEARCH_BACKEND": app.config["SEARCH_BACKEND"]})


def titles_found(app, query):
    with app.test_request_context():
        results = services.search(AnonymousUserMixin(), query, services.SearchFilters(per_page=100))
        return sorted(hit.title for hit in results.hits), results.total


def pending(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(SearchOutbox.id)))


def close(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_change_and_its_outbox_row_are_committed_together(app, demo):
    app.extensions["forum_search"].drain_after_commit = False
    need = needs.create_for_resident(demo.staff, demo.community, "张阿姨", "13712345678", {
        "title": "消防通道被占", "body": "", "category": "safety", "urgency": 1, "compound": None,
        "location": "", "anonymous": False}, [])
    rows = db.session.scalars(sa.select(SearchOutbox.kind + ":" + sa.cast(SearchOutbox.item_id, sa.String))).all()
    assert f"need:{need.id}" in rows
    before = len(rows)
    need.title = "消防通道被私家车占用"
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) == before


def test_killed_between_commit_and_indexing_loses_no_update(shared):
    writer = run_writer(shared, "kill-after-commit", "断电测试", wait=False)
    assert writer.stdout.readline().strip() == "committed"
    writer.kill()
    writer.wait(timeout=30)
    assert titles_found(shared, "断电测试") == ([], 0)  # nothing drained it yet
    server = restarted(shared)
    try:
        assert titles_found(server, "断电测试") == (["断电测试0号"], 1)
        assert pending(server) == 0
    finally:
        close(server)


@pytest.mark.parametrize("mode", ["crash-after-index-write", "crash-inside-index-write"])
def test_a_crash_while_indexing_loses_nothing_and_duplicates_nothing(shared, mode):
    if mode == "crash-inside-index-write" and shared.config["SEARCH_BACKEND"] != "whoosh":
        pytest.skip("a PostgreSQL transaction cannot be cut in half from the inside")
    writer = run_writer(shared, mode, "崩溃测试")
    assert writer.returncode == 9
    server = restarted(shared)
    try:
        assert titles_found(server, "崩溃测试") == (["崩溃测试0号"], 1)
        assert pending(server) == 0
        with server.app_context():
            assert server.extensions["forum_search"].drift().in_step
    finally:
        close(server)


def test_several_writing_processes_leave_a_consistent_index(shared):
    writers = [run_writer(shared, "write", f"并发{n}栋", count=6, wait=False) for n in range(3)]
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    expected = sorted(f"并发{n}栋{i}号楼" for n in range(3) for i in range(6))
    assert titles_found(shared, "并发") == (expected, 18)
    assert titles_found(shared, "号楼")[1] >= 18
    assert pending(shared) == 0
    assert shared.extensions["forum_search"].drift().in_step


def test_status_reports_drift_and_reindex_repairs_it(shared, demo):
    runner = shared.test_cli_runner()
    assert runner.invoke(args=["forum", "search", "status"]).exit_code == 0
    lost, hidden, moved = db.session.scalars(sa.select(Need).where(
        Need.status.in_(("published", "claimed", "in_progress"))).order_by(Need.id)).all()[:3]
    lost, hidden, moved = lost.id, hidden.id, moved.id
    shared.extensions["forum_search"].backend.write([], [f"need:{lost}"])
    for need_id, status in ((hidden, "withdrawn"), (moved, "resolved")):  # behind the ORM's back: no outbox rows
        db.session.execute(sa.update(Need).where(Need.id == need_id).values(status=status))
    db.session.commit()  # (and read nothing more through the session: on SQLite that takes the write lock)
    result = runner.invoke(args=["forum", "search", "status"])
    assert result.exit_code == 1
    for line in (f"missing: 1 (need:{lost})", f"extra: 1 (need:{hidden})", f"stale: 1 (need:{moved})"):
        assert line in result.output
    result = runner.invoke(args=["forum", "reindex"])
    assert result.exit_code == 0 and "Indexed" in result.output
    result = runner.invoke(args=["forum", "search", "status"])
    assert result.exit_code == 0 and "in step" in result.output


def test_a_new_display_name_reaches_the_comments(app, demo, search_page):
    need = db.session.scalar(sa.select(Need).where(Need.status == "published"))
    post_comment(demo.council, need, "同意楼上的说法")
    demo.council.display_name = "李建华"
    db.session.commit()
    titles, html = search_page("李建华")
    assert titles and "同意楼上的说法" in html


def test_a_unit_renamed_reaches_its_resources(app, demo, search_page):
    offered = db.session.scalars(sa.select(Resource.title).where(Resource.unit_id == demo.school.id,
                                                                 Resource.status == "available")).all()
    assert offered, "the demo school offers resources"
    assert search_page("实验学校", type="resource")[0] == []
    demo.school.name = "青松实验学校"
    db.session.commit()
    titles, _ = search_page("实验学校", type="resource")
    assert set(offered) <= set(titles)
