"""search: the outbox of changes to index, and the documents of the PostgreSQL search backend

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    op.create_table('search_document',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('date', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tsv', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_search_document'))
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_document_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_search_document_kind_date', ['kind', 'date'], unique=False)
        batch_op.create_index('ix_search_document_tsv', ['tsv'], unique=False, postgresql_using='gin')


def downgrade():
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index('ix_search_document_tsv', postgresql_using='gin')
        batch_op.drop_index('ix_search_document_kind_date')
        batch_op.drop_index(batch_op.f('ix_search_document_community_id'))

    op.drop_table('search_document')
    op.drop_table('search_outbox')
