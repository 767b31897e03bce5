"""Hostile Markdown in proposals, deliberations and minutes is stored clean and shown where htmx ignores it."""
import sqlalchemy as sa

from forum.deliberations.models import Deliberation
from forum.deliberations.services import Seat, schedule
from forum.extensions import db
from forum.minutes import services as minutes
from forum.proposals import services as proposals

from discussion.test_markup import EXECUTABLE, HOSTILE  # the same hostile corpus as comments

SOURCE = "\n\n".join(HOSTILE)


def shown_prose(page: str) -> list[str]:
    """The user-written parts of a page: every block rendered from stored Markdown."""
    parts = page.split('<div class="prose" hx-disable>')[1:]
    assert parts, "the page shows no user text"
    return [part.split("</div>")[0] for part in parts]


def assert_nothing_executable(page: str) -> None:
    for prose in shown_prose(page):
        assert not EXECUTABLE.search(prose), prose


def test_a_hostile_proposal_body_is_shown_inert(client, demo):
    proposal = proposals.create_proposal(demo.resident, demo.community, {
        "title": "楼道照明", "body": SOURCE, "category": "facilities"}, submit=True)
    assert proposal.body == SOURCE  # what the resident typed is kept as typed
    assert not EXECUTABLE.search(proposal.body_html)
    assert_nothing_executable(client.get(f"/proposals/{proposal.id}").get_data(as_text=True))


def test_a_hostile_deliberation_description_is_shown_inert(client, demo):
    from datetime import timedelta

    from forum.core.models import utcnow

    starts_at = utcnow().replace(microsecond=0) + timedelta(days=3)
    deliberation = schedule(demo.staff, demo.community, {
        "kind": "residents_council", "title": "楼道改造议事会", "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2), "place": "党群服务中心", "online_url": None,
        "description": SOURCE}, [Seat(demo.council.id, "居民代表", True)], ["议程一"], [])
    assert not EXECUTABLE.search(deliberation.description_html)
    assert_nothing_executable(client.get(f"/deliberations/{deliberation.id}").get_data(as_text=True))


def test_hostile_minutes_are_shown_inert(client, auth, demo):
    concluded = db.session.scalar(sa.select(Deliberation).where(Deliberation.status == "published"))
    published = minutes.current_published(minutes.versions_of(concluded))
    correction = minutes.start_correction(demo.council, published, "补充会议概要")
    fields = {"summary": SOURCE, "dissent": SOURCE, "recorder": "李国华", "action_items": [],
              "agenda": [{"discussion": SOURCE, "decision": SOURCE} for _ in concluded.agenda]}
    minutes.save_text(demo.council, correction, fields)
    for html in (correction.summary_html, correction.dissent_html):
        assert not EXECUTABLE.search(html)
    auth.login(demo.staff.phone)
    page = client.get(f"/deliberations/{concluded.id}/minutes/versions/{correction.number}").get_data(as_text=True)
    assert len(shown_prose(page)) >= 2 + len(concluded.agenda)
    assert_nothing_executable(page)
