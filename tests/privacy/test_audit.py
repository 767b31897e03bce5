"""The audit trail: every look at a full phone number is recorded; entries are kept at least 183 days."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.core import audit
from forum.core.audit import AuditEntry
from forum.core.models import utcnow
from forum.extensions import db


def _old_entry(days: int, demo) -> int:
    """An entry written `days` ago (inserting with a past time is allowed; changing one is not)."""
    entry = audit.record(db.session, demo.staff, "member.reveal_phone", demo.resident, community_id=demo.community.id)
    entry.created_at = utcnow() - timedelta(days=days)
    db.session.flush()
    entry_id = entry.id
    db.session.commit()
    return entry_id


def _ids():
    return set(db.session.scalars(sa.select(AuditEntry.id)))


def test_prune_refuses_less_than_six_months(app, demo):
    result = app.test_cli_runner().invoke(args=["forum", "audit", "prune", "--older-than", "182"])
    assert result.exit_code != 0 and "at least 183 days" in result.output
    with pytest.raises(ValueError):
        audit.prune(db.session, 30)


def test_prune_deletes_only_entries_older_than_asked(app, demo):
    ancient, old, recent = _old_entry(400, demo), _old_entry(200, demo), _old_entry(10, demo)
    result = app.test_cli_runner().invoke(args=["forum", "audit", "prune", "--older-than", "365"])
    assert result.exit_code == 0 and "Deleted 1 audit entries" in result.output
    db.session.expire_all()
    assert ancient not in _ids() and {old, recent} <= _ids()


def test_the_database_keeps_entries_younger_than_the_retention_period(app, demo):
    old, recent = _old_entry(190, demo), _old_entry(100, demo)
    db.session.close()  # no transaction of the test's own holds SQLite's write lock
    with pytest.raises(sa.exc.DatabaseError):
        with db.engine.begin() as conn:
            conn.execute(sa.delete(AuditEntry).where(AuditEntry.id == recent))
    with db.engine.begin() as conn:
        conn.execute(sa.delete(AuditEntry).where(AuditEntry.id == old))
    db.session.expire_all()
    assert recent in _ids() and old not in _ids()


def test_staff_looking_at_the_phone_of_a_need_entered_for_a_resident_is_recorded(client, auth, demo):
    from forum.lists import needs

    need = needs.create_for_resident(demo.staff, demo.community, "王桂兰", "13700005678", {
        "title": "需要有人帮忙取药", "body": "", "category": "elderly", "urgency": 2, "location": "",
        "anonymous": False}, [])
    auth.login(demo.staff.phone)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "137****5678" in page and "13700005678" not in page
    revealed = client.post(f"/needs/{need.id}/phone").get_data(as_text=True)
    assert 'href="tel:13700005678"' in revealed
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "need.reveal_phone"))
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (demo.staff.id, "need", need.id)
    auth.login(demo.resident.phone)
    assert client.post(f"/needs/{need.id}/phone").status_code == 403


def test_a_verification_is_recorded_without_the_address(client, auth, demo):
    auth.login(demo.staff.phone)
    compound = demo.community.compounds[0]
    client.post(f"/communities/{demo.community.id}/members/{demo.unverified.id}/verify", data={
        "compound": compound.id, "building": "九幢", "room": "1101室", "floor_area": "80"})
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "member.verify",
                                                          AuditEntry.subject_id == demo.unverified.id))
    assert entry.detail == compound.name
