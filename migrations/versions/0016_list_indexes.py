"""lists: indexes for the public needs and proposals lists, newest first

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24 16:00:00

The unfiltered /needs/ and /proposals/ lists ask for several statuses, moderation_state IS NULL
and the newest first, with a count for the pages. SQLite, without statistics, took the index on
moderation_state alone (every row matches it) and sorted the table: 0.5 s for /needs/ with 100k
needs (bench/load.py); with (status, moderation_state, created_at) it reads the page and the
count from this index alone. PostgreSQL sorted all the matching rows (40 ms); with
(created_at, id) it reads the newest rows backwards until the page is full.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('need', 'proposal'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_listed', ['status', 'moderation_state', 'created_at'], unique=False)
            batch_op.create_index(f'ix_{table}_created', ['created_at', 'id'], unique=False)


def downgrade():
    for table in ('proposal', 'need'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_created')
            batch_op.drop_index(f'ix_{table}_listed')
