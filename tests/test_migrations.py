"""The schema comes only from Alembic, and the migrations match the models exactly."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from forum.core import audit
from forum.core.database_state import is_a_model_table
from forum.extensions import db


def _pending_diff():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                         "include_name": is_a_model_table})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(app):
    assert _pending_diff() == []


def test_downgrade_and_upgrade_again_round_trip(app):
    downgrade(revision="base")
    inspector = sa.inspect(db.engine)
    assert set(inspector.get_table_names()) <= {"alembic_version"}  # page_state too is gone
    upgrade(revision="heads")
    assert _pending_diff() == []


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET detail = 'rewritten'",
    "DELETE FROM audit_entry",
])
def test_the_database_refuses_to_rewrite_the_audit_trail(app, demo, statement):
    audit.record(db.session, demo.staff, "member.verify", demo.resident, community_id=demo.community.id)
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count(audit.AuditEntry.id)))  # the demo's entries and this one
    with pytest.raises(sa.exc.DatabaseError):
        with db.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(audit.AuditEntry.id))) == before >= 1


def test_the_orm_refuses_to_edit_an_audit_entry(app, demo):
    entry = audit.record(db.session, demo.staff, "member.verify", demo.resident)
    db.session.commit()
    entry.detail = "changed"
    with pytest.raises(audit.AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()
