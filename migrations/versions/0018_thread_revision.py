"""discussion: thread.revision, the key of a thread's pages of comments kept as HTML

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-24 21:40:00

Bumped with every change to a thread's comments or their authors' names
(forum/discussion/revisions.py); a page of comments is kept per server process under it.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_column('revision')
