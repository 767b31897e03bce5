"""matching decisions; joins the lists, activities and notifications branches

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-11-24 07:00:00

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = ('0002', '0003', '0004')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('match_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_match_decision_decided_by_id_user')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_match_decision_need_id_need')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_match_decision_project_id_project')),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_match_decision_resource_id_resource')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_decision')),
    sa.UniqueConstraint('need_id', 'resource_id', name=op.f('uq_match_decision_need_id'))
    )
    with op.batch_alter_table('match_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_decision_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_decision_resource_id'), ['resource_id'], unique=False)


def downgrade():
    with op.batch_alter_table('match_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_decision_resource_id'))
        batch_op.drop_index(batch_op.f('ix_match_decision_need_id'))
    op.drop_table('match_decision')
