"""下载我的数据: a ZIP of the person's own data as JSON, with no one else's and no secret ballot choice."""
import io
import json
import re
import zipfile

import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.extensions import db
from privacy_scenario import BUILDING, EMAIL, NAME, ROOM, build


def _archive(response) -> dict:
    files = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: files.read(name).decode() for name in files.namelist()}


def test_a_resident_downloads_their_data(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    auth.login(victim.phone)
    response = client.post("/privacy/data")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert re.search(r'attachment; filename=yishiting-data-\d{4}-\d{2}-\d{2}\.zip',
                     response.headers["Content-Disposition"])
    files = _archive(response)
    assert set(files) == {"README.txt", "profile.json", "needs_proposals_resources.json", "comments.json",
                          "supports.json", "votes.json", "participation.json", "notifications.json"}

    profile = json.loads(files["profile.json"])
    assert profile["phone"] == victim.phone and profile["display_name"] == NAME
    assert profile["memberships"][0]["building"] == BUILDING and profile["memberships"][0]["room"] == ROOM
    assert [r["role"] for r in profile["roles"]] == ["council_member"] and profile["unit_contact_of"] == ["青松路小学"]
    posts = json.loads(files["needs_proposals_resources.json"])
    assert {n["title"] for n in posts["needs"]} == {"单元门禁坏了", "需要上门量血压"}
    assert [p["title"] for p in posts["proposals"]] == ["增设电动车充电桩"]
    assert [c["body"] for c in json.loads(files["comments.json"])["comments"]] == ["同意，晚上确实很黑。"]
    supports = json.loads(files["supports.json"])
    assert [s["title"] for s in supports["needs"]] == ["楼下路灯不亮"]
    assert [s["title"] for s in supports["proposals"]] == ["开设四点半课堂"]
    notes = json.loads(files["notifications.json"])
    assert any("回复了您" in n["text"] for n in notes) and all(n["url"].startswith("/") for n in notes)
    participation = json.loads(files["participation.json"])
    assert [s["deliberation"] for s in participation["deliberation_seats"]] == ["电梯议事会"]
    assert [f["subject_type"] for f in participation["follows"]] == ["need"]
    assert [r["reason"] for r in participation["reports_made"]] == ["abuse"]
    assert profile["email_notifications"] == {"address": EMAIL, "frequency": "daily"}


def test_open_ballots_are_exported_and_secret_ones_only_as_taking_part(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    auth.login(victim.phone)
    files = _archive(client.post("/privacy/data"))
    votes = json.loads(files["votes.json"])
    assert votes["open_ballots"] == [{"poll_id": victim.open_poll.id, "poll": "记名表决：广场舞时段",
                                      "receipt": victim.receipts["open"], "choices": ["晚八点"]}]
    assert votes["secret_polls_voted_in"] == [{"poll_id": victim.secret_poll.id, "poll": "一户一票：是否更换电梯"}]
    everything = "".join(files.values())
    assert victim.receipts["secret"] not in everything and "维修" not in everything
    assert "无记名" in files["README.txt"] and "回执码" in files["README.txt"]


def test_the_archive_holds_no_one_elses_data(client, auth, app, demo, make_user):
    victim = build(demo, make_user)
    auth.login(victim.phone)
    everything = "".join(_archive(client.post("/privacy/data")).values())
    others = db.session.scalars(sa.select(db.metadata.tables["user"].c.phone)
                                .where(db.metadata.tables["user"].c.id != victim.user.id)).all()
    assert [phone for phone in others if phone in everything] == []
    assert demo.staff.display_name not in everything  # who verified the household is not theirs to export
    assert "谢谢支持！" not in everything  # the reply to her comment is the neighbour's


def test_each_download_is_in_the_audit_trail(client, auth, demo):
    auth.login(demo.resident.phone)
    client.post("/privacy/data")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.export"))
    assert entry.actor_id == demo.resident.id and entry.community_id == demo.community.id and entry.detail == ""
    auth.login(demo.staff.phone)
    assert "下载了本人数据" in client.get(f"/communities/{demo.community.id}/audit").get_data(as_text=True)


def test_downloads_are_rate_limited(make_app, demo_phone="13900000004"):
    app = make_app(demo=True, RATELIMIT_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        client.post("/auth/login", data={"phone": demo_phone, "password": "demo-pass-2026"})
        codes = [client.post("/privacy/data").status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]


def test_only_a_logged_in_person_downloads_and_only_their_own(client, auth, demo):
    assert client.post("/privacy/data").status_code == 302
    auth.login(demo.staff.phone)
    files = _archive(client.post("/privacy/data", data={"user_id": demo.resident.id}))
    assert json.loads(files["profile.json"])["phone"] == demo.staff.phone
    assert demo.resident.phone not in "".join(files.values())


def test_every_demo_account_can_download_its_data(client, auth, demo):
    from forum.accounts.models import User

    for user in db.session.scalars(sa.select(User).order_by(User.id)).all():
        auth.login(user.phone)
        files = _archive(client.post("/privacy/data"))
        assert json.loads(files["profile.json"])["id"] == user.id
        assert all(json.loads(text) is not None for name, text in files.items() if name.endswith(".json"))
        auth.logout()
