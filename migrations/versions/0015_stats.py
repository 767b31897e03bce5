"""stats: status changes indexed by subject

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:00:00

The statistics find each need's first response and resolution, and each proposal's decision,
from its status changes; so does every item's timeline. Without this index each lookup read the
whole status_change table.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.create_index('ix_status_change_subject', ['subject_type', 'subject_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.drop_index('ix_status_change_subject')
