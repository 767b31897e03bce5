"""Object-level authorization for every demo role: nobody edits, deletes, hides or reads what
is another person's, and a refused attempt changes nothing in the database.

Built on tests/test_routes.py: its roles, its demo objects (route_ids) and its table of
every page, so a page added there is searched for leaks here too.
"""
import io
import zipfile
from decimal import Decimal

import pytest
import sqlalchemy as sa

from forum.extensions import db
from security.database_state import changed_tables, database_state
from test_routes import ROLES, ROUTES, route_ids

SEES_HOUSEHOLDS = {"resident", "admin", "staff"}  # her own, and the staff of her community


def _secrets(demo, ids) -> dict[str, set[str]]:
    """Private things of the resident 刘桂芳, each with the roles that may ever see it."""
    from forum.lists.models import Need
    from forum.notifications.services import notify
    from forum.proposals.models import Proposal

    membership = demo.resident.membership_in(demo.community.id)
    membership.building, membership.room, membership.floor_area = "秘楼B4417", "秘室R9173", Decimal("87.65")
    need = Need(community=demo.community, author_id=demo.resident.id, title="待审核的秘密需求N5531", body="",
                body_html="", category="other", status="submitted")
    db.session.add(need)
    notify([demo.resident], "%(provider)s will help with your need “%(title)s”.", "/needs/mine",
           provider="秘密单位P2207", title="秘密通知T6604")
    draft = db.session.get(Proposal, ids["draft_proposal"])
    draft.title = "秘密草稿议题D3390"
    db.session.commit()
    return {
        demo.resident.phone: {"resident"},  # the full number; others see 139****0004
        "秘楼B4417": SEES_HOUSEHOLDS, "秘室R9173": SEES_HOUSEHOLDS, "87.65": SEES_HOUSEHOLDS,
        "待审核的秘密需求N5531": {"resident", "admin", "staff"},  # waiting for review: author and staff
        "秘密通知T6604": {"resident"}, "秘密单位P2207": {"resident"},
        "秘密草稿议题D3390": {"resident", "admin", "staff"},  # a draft: author and staff
    }


def _downloaded_text(client) -> str:
    """Everything in the person's own data download (下载我的数据), as one text."""
    response = client.post("/privacy/data")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_data_download_shows_a_residents_private_data_to_anyone_not_entitled(client, auth, demo, role):
    ids = route_ids(demo)
    secrets = _secrets(demo, ids)
    pages = {}
    if role != "anonymous":
        auth.login(getattr(demo, role).phone)
        pages["data download"] = _downloaded_text(client)
        assert getattr(demo, role).phone in pages["data download"]  # it is theirs
    for endpoint, (method, template, _) in ROUTES.items():
        if method == "GET":
            pages[endpoint] = client.get(template.format(**ids)).get_data(as_text=True)
    for url in ("/needs/mine", "/proposals/mine", "/search?q=秘密", "/notifications/", f"/users/{demo.resident.id}"):
        pages[url] = client.get(url).get_data(as_text=True)
    leaks = [(where, secret) for where, page in pages.items() for secret, entitled in secrets.items()
             if role not in entitled and secret in page]
    assert not leaks
    # The markers are where they belong, so their absence elsewhere means something.
    if role == "resident":
        assert demo.resident.phone in pages["accounts.profile"] and "秘密通知T6604" in pages["/notifications/"]
        assert "秘密草稿议题D3390" in pages["/proposals/mine"] and "待审核的秘密需求N5531" in pages["/needs/mine"]
        assert "秘室R9173" in pages["data download"]
    if role == "staff":
        assert "秘室R9173" in pages["staff.member"]
    if "data download" in pages and role != "resident":  # staff see households at work, not in their download
        assert not any(secret in pages["data download"] for secret in ("秘楼B4417", "秘室R9173", "87.65"))


def _attempts(demo, ids) -> dict:
    """attempt: (URL, form, roles it is for). Each acts on something that is not the other roles'."""
    from forum.lists.models import Need
    from forum.moderation import services as moderation
    from forum.notifications.models import Notification
    from forum.notifications.services import notify

    need = db.session.get(Need, ids["published_need"])
    moderation.report(demo.resident2, need, "spam")
    notify([demo.resident], "Notifications", "/")
    db.session.commit()
    unread = db.session.scalar(sa.select(sa.func.max(Notification.id)).where(Notification.user_id == demo.resident.id))
    case = moderation.case_of(need)
    comment = ids["comment"]
    return {
        "edit the school's resource": ("/resources/1/edit", {"title": "被人改掉的资源标题"}, {"unit_contact"}),
        "edit the resident's draft proposal": (f"/proposals/{ids['draft_proposal']}/edit", {
            "title": "被人改掉的议题标题", "body": "被人改掉的议题内容，足足二十个字以上，能通过校验。", "category": "other"},
            {"resident"}),
        "edit the resident's comment": (f"/discussion/comments/{comment}/edit", {"body": "被人改掉的评论"}, {"resident"}),
        "hide the reported need (moderation)": (f"/moderation/cases/{case.id}/hide", {"hide-reason": "广告"},
                                                {"admin", "staff", "council"}),
        # workflow steps: an administrator may take any of them
        "withdraw the resident's need": (f"/needs/{ids['published_need']}/steps/withdraw", {}, {"resident", "admin"}),
        "read the resident's notification": (f"/notifications/{unread}/read", {}, {"resident"}),
        "delete the resident's comment": (f"/discussion/comments/{comment}/delete", {}, {"resident"}),
        "verify the unverified resident": (f"/communities/{ids['c1']}/members/{demo.unverified.id}/verify", {
            "compound": demo.community.compounds[0].id, "building": "1号楼", "room": "101"}, {"admin", "staff"}),
        "reveal the resident's phone number": (f"/communities/{ids['c1']}/members/{demo.resident.id}/phone", {},
                                               {"admin", "staff"}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_nobody_acts_on_what_is_not_theirs_and_a_refusal_changes_nothing(client, auth, demo, role):
    ids = route_ids(demo)
    attempts = _attempts(demo, ids)
    assert db.session.get(type(demo.resident), demo.resident.id).phone  # the demo is as expected
    if role != "anonymous":
        auth.login(getattr(demo, role).phone)
    wrong = []
    for name, (url, form, entitled) in attempts.items():
        before = database_state()
        response = client.post(url, data=form)
        changed = changed_tables(before, database_state())
        if role in entitled:
            if response.status_code not in (200, 303) or not changed:
                wrong.append((name, "refused to the entitled", response.status_code))
        elif response.status_code not in (302, 403, 404) or changed:
            wrong.append((name, response.status_code, changed))
    assert not wrong


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_profile_can_only_be_changed_by_its_owner(client, auth, demo, role):
    """/profile has no user in its address: whoever posts renames only themselves."""
    auth.login(getattr(demo, role).phone)
    client.post("/profile", data={"display_name": "改过的名字", "user_id": demo.resident.id, "id": demo.resident.id})
    db.session.expire_all()
    names = dict(db.session.execute(sa.select(type(demo.resident).id, type(demo.resident).display_name)).all())
    renamed = {user_id for user_id, name in names.items() if name == "改过的名字"}
    assert renamed == {getattr(demo, role).id}
