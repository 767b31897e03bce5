"""search: indexes that let PostgreSQL search answer a common word without reading all its matches

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-24 19:00:00

A common word (号楼 is in a third of all documents) was counted, and ranked, over every match:
1.8 s at the reference scale. The postgres backend now counts up to a limit and ranks the newest
matches, reading (date, item_id) backwards until it has enough; and the few documents only
members may see are found through their own small partial index instead of a scan of the table.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

MEMBERS_ONLY = sa.text("audience = 'members'")


def upgrade():
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index('ix_search_document_date', ['date', 'item_id'], unique=False)
        batch_op.create_index('ix_search_document_members', ['community_id'], unique=False,
                              postgresql_where=MEMBERS_ONLY, sqlite_where=MEMBERS_ONLY)


def downgrade():
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index('ix_search_document_members')
        batch_op.drop_index('ix_search_document_date')
