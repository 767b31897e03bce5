"""privacy: deleted accounts, household keys as digests, audit entries kept at least 183 days

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 09:00:00

- `user.deleted_at`: an account deleted by its owner (注销) keeps an emptied row for its content.
- `poll_voter.household_key` held the household's address in plain text; it becomes a digest of
  it (forum.voting.electorate), so a voter record says nothing about where anyone lives.
- The audit trail stays unchangeable, but an entry older than 183 days may now be deleted
  (`forum audit prune`); the database still refuses to delete a younger one.

"""
import hashlib

from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

RETENTION_DAYS = 183
REFUSED = f"audit entries are kept at least {RETENTION_DAYS} days"


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', forum.core.models.UTCDateTime(timezone=True), nullable=True))
    _digest_household_keys()
    _keep_audit_entries_for_the_retention_period()


def downgrade():
    _keep_audit_entries_for_ever()
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
    # The household digests cannot be turned back into addresses; they stay digests.


def _digest_household_keys():
    voters = sa.table('poll_voter', sa.column('poll_id'), sa.column('user_id'), sa.column('household_key'))
    bind = op.get_bind()
    rows = bind.execute(sa.select(voters.c.poll_id, voters.c.user_id, voters.c.household_key)
                        .where(voters.c.household_key.is_not(None))).all()
    for poll_id, user_id, key in rows:
        if len(key) == 64 and all(ch in "0123456789abcdef" for ch in key):
            continue
        bind.execute(voters.update().where(voters.c.poll_id == poll_id, voters.c.user_id == user_id)
                     .values(household_key=hashlib.sha256(key.encode()).hexdigest()))


def _keep_audit_entries_for_the_retention_period():
    """Replace the refusal of every delete by a refusal of deleting entries younger than the period."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("""
            CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry
            FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
        """)
        op.execute(f"""
            CREATE FUNCTION audit_entry_retention() RETURNS trigger AS $$
            BEGIN
                IF OLD.created_at > now() - interval '{RETENTION_DAYS} days' THEN
                    RAISE EXCEPTION '{REFUSED}';
                END IF;
                RETURN OLD;
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_entry_retention BEFORE DELETE ON audit_entry
            FOR EACH ROW EXECUTE FUNCTION audit_entry_retention()
        """)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        # created_at is stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, which compares as text.
        op.execute(f"""
            CREATE TRIGGER audit_entry_retention BEFORE DELETE ON audit_entry
            WHEN OLD.created_at > datetime('now', '-{RETENTION_DAYS} days')
            BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END
        """)


def _keep_audit_entries_for_ever():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_retention ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_retention()")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("""
            CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
            FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
        """)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_retention")
        op.execute("""
            CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
            BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END
        """)
