"""discussion: threads, comments and the earlier versions of edited comments

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 07:05:00

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('locked_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.Column('comment_count', sa.Integer(), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_thread_community_id_community')),
    sa.ForeignKeyConstraint(['locked_by_id'], ['user.id'], name=op.f('fk_thread_locked_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread')),
    sa.UniqueConstraint('subject_type', 'subject_id', name=op.f('uq_thread_subject_type'))
    )
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_community_id'), ['community_id'], unique=False)
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('edited_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pinned_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user')),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment')),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_comment_thread_id_thread')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_comment_thread_parent', ['thread_id', 'parent_id', 'id'], unique=False)
    op.create_table('comment_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('written_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_revision_comment_id_comment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_revision'))
    )
    with op.batch_alter_table('comment_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_revision_comment_id'), ['comment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comment_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_revision_comment_id'))
    op.drop_table('comment_revision')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_thread_parent')
        batch_op.drop_index(batch_op.f('ix_comment_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comment_author_id'))
    op.drop_table('comment')
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_community_id'))
    op.drop_table('thread')
