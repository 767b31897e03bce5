"""outreach: follows (关注) and e-mail notification settings

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00

- `follow`: a user follows a need, proposal, project or deliberation and hears of its status
  changes and new comments.
- `email_settings`: a user's optional e-mail address, how often notifications are mailed
  (none, immediate, a daily digest) and the secret of the unsubscribe link.

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_follow_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow')),
    sa.UniqueConstraint('user_id', 'subject_type', 'subject_id', name=op.f('uq_follow_user_id'))
    )
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.create_index('ix_follow_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('email_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('digest_until', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("frequency IN ('none', 'immediate', 'daily')",
                       name=op.f('ck_email_settings_frequency_choice')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_email_settings_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_email_settings')),
    sa.UniqueConstraint('token', name=op.f('uq_email_settings_token'))
    )


def downgrade():
    op.drop_table('email_settings')
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_subject')

    op.drop_table('follow')
