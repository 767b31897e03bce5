"""activities: activities and their sign-ups with volunteer hours

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-24 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('starts_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('signup_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_activity_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_activity_ends_after_start')),
    sa.CheckConstraint('signup_count >= 0 AND signup_count <= capacity', name=op.f('ck_activity_within_capacity')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_activity_author_id_user')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_activity_community_id_community')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_activity_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_list', ['community_id', 'status', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_unit_id'), ['unit_id'], unique=False)

    op.create_table('activity_signup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('confirmed_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('hours IS NULL OR (hours >= 0 AND hours <= 24)', name=op.f('ck_activity_signup_hours_range')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_signup_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id'], name=op.f('fk_activity_signup_confirmed_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_activity_signup_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_signup')),
    sa.UniqueConstraint('activity_id', 'user_id', name=op.f('uq_activity_signup_activity_id'))
    )
    with op.batch_alter_table('activity_signup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_signup_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('activity_signup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_signup_user_id'))

    op.drop_table('activity_signup')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_unit_id'))
        batch_op.drop_index(batch_op.f('ix_activity_starts_at'))
        batch_op.drop_index('ix_activity_list')

    op.drop_table('activity')
