"""sensitive words: the global and community word lists, and the community's pre-moderation of new users

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('word_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_word_list_community_id_community'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_word_list')),
    sa.UniqueConstraint('community_id', name=op.f('uq_word_list_community_id'))
    )
    op.create_table('sensitive_word',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.Column('normalised', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_sensitive_word_added_by_id_user'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['list_id'], ['word_list.id'], name=op.f('fk_sensitive_word_list_id_word_list'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sensitive_word')),
    sa.UniqueConstraint('list_id', 'normalised', name=op.f('uq_sensitive_word_list_id'))
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderate_new_users', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('premoderate_new_users')

    op.drop_table('sensitive_word')
    op.drop_table('word_list')
