"""proposals and deliberations: supporters, participants, agenda; community proposal settings

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 07:57:22.974675

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deliberation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('starts_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('online_url', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_deliberation_community_id_community')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_deliberation_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation'))
    )
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.create_index('ix_deliberation_list', ['community_id', 'status', 'starts_at'], unique=False)

    op.create_table('deliberation_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deliberation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seat', sa.String(length=40), nullable=False),
    sa.Column('is_moderator', sa.Boolean(), nullable=False),
    sa.Column('rsvp', sa.String(length=10), nullable=True),
    sa.Column('rsvp_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('attendance_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('attendance_recorded_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attendance_recorded_by_id'], ['user.id'], name=op.f('fk_deliberation_participant_attendance_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], name=op.f('fk_deliberation_participant_deliberation_id_deliberation')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_deliberation_participant_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation_participant')),
    sa.UniqueConstraint('deliberation_id', 'user_id', name=op.f('uq_deliberation_participant_deliberation_id'))
    )
    with op.batch_alter_table('deliberation_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_participant_deliberation_id'), ['deliberation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliberation_participant_user_id'), ['user_id'], unique=False)

    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('support_threshold', sa.Integer(), nullable=True),
    sa.Column('collecting_since', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('collecting_until', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_proposal_author_id_user')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_proposal_community_id_community')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_proposal_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_proposal_due', ['status', 'collecting_until'], unique=False)
        batch_op.create_index('ix_proposal_list', ['community_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_proposal_status_created', ['status', 'created_at'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deliberation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], name=op.f('fk_agenda_item_deliberation_id_deliberation')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_agenda_item_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item')),
    sa.UniqueConstraint('deliberation_id', 'position', name=op.f('uq_agenda_item_deliberation_id'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_deliberation_id'), ['deliberation_id'], unique=False)

    op.create_table('deliberation_proposal',
    sa.Column('deliberation_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], name=op.f('fk_deliberation_proposal_deliberation_id_deliberation')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_deliberation_proposal_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('deliberation_id', 'proposal_id', name=op.f('pk_deliberation_proposal'))
    )
    with op.batch_alter_table('deliberation_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_proposal_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_support_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_proposal_support_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_support')),
    sa.UniqueConstraint('proposal_id', 'user_id', name=op.f('uq_proposal_support_proposal_id'))
    )
    with op.batch_alter_table('proposal_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_support_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_support_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_threshold', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('proposal_window_days', sa.Integer(), server_default='30', nullable=False))



def downgrade():
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('proposal_window_days')
        batch_op.drop_column('proposal_threshold')

    with op.batch_alter_table('proposal_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_support_user_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_support_proposal_id'))

    op.drop_table('proposal_support')
    with op.batch_alter_table('deliberation_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_proposal_proposal_id'))

    op.drop_table('deliberation_proposal')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_deliberation_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_status_created')
        batch_op.drop_index(batch_op.f('ix_proposal_project_id'))
        batch_op.drop_index('ix_proposal_list')
        batch_op.drop_index('ix_proposal_due')
        batch_op.drop_index(batch_op.f('ix_proposal_author_id'))

    op.drop_table('proposal')
    with op.batch_alter_table('deliberation_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_participant_user_id'))
        batch_op.drop_index(batch_op.f('ix_deliberation_participant_deliberation_id'))

    op.drop_table('deliberation_participant')
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.drop_index('ix_deliberation_list')

    op.drop_table('deliberation')
