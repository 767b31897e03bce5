"""The open data API shows only what is public, and no person: not held, hidden, draft or
unpublished content, no author of a need, no phone, no household, and the same to everyone."""
import json
import re

import sqlalchemy as sa

from forum.extensions import db
from test_routes import _minutes_ids

COLLECTIONS = ("communities", "needs", "resources", "projects", "proposals", "deliberations", "polls")


def _everything(client) -> str:
    """Every list (every status) and every listed item, as one text."""
    from forum.api.collections import COLLECTIONS as DEFINED

    texts = []
    for name in COLLECTIONS:
        statuses = DEFINED[name].filters.get("status", {}).get("enum", [None])
        for status in statuses:
            query = f"?per_page=100&status={status}" if status else "?per_page=100"
            page = client.get(f"/api/v1/{name}{query}")
            assert page.status_code == 200, (name, status)
            texts.append(page.get_data(as_text=True))
            for item in page.get_json()["items"]:
                texts.append(client.get(f"/api/v1/{name}/{item['id']}").get_data(as_text=True))
    return "\n".join(texts)


def _need(demo, title, **fields):
    from forum.core.models import utcnow
    from forum.lists.models import Need

    need = Need(community=demo.community, author_id=demo.resident.id, title=title, body="正文", category="facilities",
                status="published", created_at=utcnow(), **fields)
    db.session.add(need)
    db.session.commit()
    return need


def test_held_hidden_and_unreviewed_needs_are_nowhere(client, demo):
    held = _need(demo, "先审后发的需求甲", moderation_state="held")
    hidden = _need(demo, "被隐藏的需求乙", moderation_state="hidden")
    waiting = _need(demo, "待审核的需求丙")
    waiting.status = "submitted"
    db.session.commit()
    shown = _need(demo, "公开的需求丁")
    everything = _everything(client)
    assert "公开的需求丁" in everything
    for need in (held, hidden, waiting):
        assert need.title not in everything
        response = client.get(f"/api/v1/needs/{need.id}")
        assert response.status_code == 404 and response.is_json
    assert client.get(f"/api/v1/needs/{shown.id}").get_json()["title"] == "公开的需求丁"


def test_draft_and_hidden_proposals_are_nowhere(client, demo):
    from forum.proposals.models import Proposal

    draft = db.session.scalar(sa.select(Proposal).where(Proposal.status == "draft"))
    hidden = db.session.scalar(sa.select(Proposal).where(Proposal.status == "collecting"))
    hidden.moderation_state = "hidden"
    db.session.commit()
    everything = _everything(client)
    for proposal in (draft, hidden):
        assert proposal.title not in everything
        assert client.get(f"/api/v1/proposals/{proposal.id}").status_code == 404


def test_no_author_phone_or_household_appears(client, demo, make_user):
    from forum.accounts.models import Membership, User
    from forum.lists.needs import create_for_resident

    secret_author = make_user(demo.community, verified=True, name="匿名作者欧阳")
    _need(demo, "匿名提出的需求", anonymous=True).author_id = secret_author.id
    create_for_resident(demo.staff, demo.community, "代录入的上官", "13712345678",
                        {"title": "代录入的需求", "body": "帮老人录入", "category": "elderly"}, [])
    db.session.commit()
    everything = _everything(client)
    assert "匿名提出的需求" in everything and "代录入的需求" in everything
    assert "匿名作者欧阳" not in everything and "代录入的上官" not in everything
    for user in db.session.scalars(sa.select(User)):
        assert user.phone not in everything
    for membership in db.session.scalars(sa.select(Membership).where(Membership.room.is_not(None))):
        assert membership.household not in everything
    assert not re.search(r'"(author\w*|\w*phone\w*|household\w*|voter\w*|supporters|participants|attendees|'
                         r'absentees|recorder|owner\w*)":', everything)


def test_only_published_minutes_and_closed_polls_are_shown(client, demo):
    from forum.minutes.models import MinutesVersion
    from forum.voting.models import Poll

    deliberation_id = _minutes_ids(demo)["minuted"]
    correction = db.session.scalar(sa.select(MinutesVersion).where(MinutesVersion.deliberation_id == deliberation_id,
                                                                   MinutesVersion.number == 2))
    correction.summary = "尚未发布的更正稿摘要"
    db.session.commit()
    record = client.get(f"/api/v1/deliberations/{deliberation_id}").get_json()
    assert [(m["number"], m["status"]) for m in record["minutes"]] == [(1, "published")]
    assert record["minutes"][0]["summary"] == "同意重新划线。"
    assert "尚未发布的更正稿摘要" not in _everything(client)
    open_poll = db.session.scalar(sa.select(Poll).where(Poll.status == "open"))
    assert client.get(f"/api/v1/polls/{open_poll.id}").status_code == 404
    listed = {p["id"] for p in client.get("/api/v1/polls?per_page=100").get_json()["items"]}
    assert listed == set(db.session.scalars(sa.select(Poll.id).where(Poll.status == "closed")))


def test_a_logged_in_staff_member_sees_exactly_what_anyone_sees(client, auth, demo):
    _need(demo, "只给工作人员看的待审需求").status = "submitted"
    db.session.commit()
    anonymous = _everything(client)
    auth.login(demo.staff.phone)
    assert _everything(client) == anonymous
    assert "只给工作人员看的待审需求" not in anonymous


def test_lists_filter_and_page_like_the_pages(client, demo):
    page = client.get(f"/api/v1/needs?community={demo.community.id}&category=facilities&per_page=1").get_json()
    assert page["per_page"] == 1 and page["total"] >= 1 and len(page["items"]) == 1
    assert {i["community"]["id"] for i in page["items"]} == {demo.community.id}
    assert {i["category"] for i in page["items"]} == {"facilities"}
    second = client.get(f"/api/v1/needs?community={demo.community.id}&category=facilities&per_page=1&page=2")
    if page["total"] > 1:
        assert second.get_json()["items"][0]["id"] != page["items"][0]["id"]
    for bad in ("per_page=101", "page=0", "status=submitted", "category=food", "community=abc"):
        response = client.get(f"/api/v1/needs?{bad}")
        assert response.status_code == 400, bad
        assert "error" in response.get_json()
    assert client.get("/api/v1/needs?community=999").status_code == 404


def test_answers_are_json_with_an_etag(client, demo):
    response = client.get("/api/v1/needs")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert json.loads(response.get_data(as_text=True))["items"]
    again = client.get("/api/v1/needs", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/api/v1/nothing/here").mimetype == "application/json"


def test_the_document_describes_every_collection(client):
    from forum.api.collections import COLLECTIONS as DEFINED

    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    for name, entry in DEFINED.items():
        operation = document["paths"][f"/api/v1/{name}"]["get"]
        assert {p["name"] for p in operation["parameters"]} == set(entry.filters) | {"page", "per_page"}
        assert f"/api/v1/{name}/{{id}}" in document["paths"]
        assert entry.schema in document["components"]["schemas"]
