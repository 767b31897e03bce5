"""moderation: reports and their cases, the append-only moderation log, held/hidden content, sanctions

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('moderation_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_moderation_action_actor_id_user')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_moderation_action_community_id_community')),
    sa.ForeignKeyConstraint(['target_user_id'], ['user.id'], name=op.f('fk_moderation_action_target_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_action'))
    )
    with op.batch_alter_table('moderation_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_action_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_action_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_action_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_moderation_action_item', ['kind', 'item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_action_target_user_id'), ['target_user_id'], unique=False)

    op.create_table('moderation_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('cause', sa.String(length=20), nullable=False),
    sa.Column('matched_words', sa.JSON(), nullable=False),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('opened_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hide_reason', sa.Text(), nullable=True),
    sa.Column('review_requested_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_moderation_case_author_id_user')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_moderation_case_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_case')),
    sa.UniqueConstraint('kind', 'item_id', name=op.f('uq_moderation_case_kind'))
    )
    with op.batch_alter_table('moderation_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_case_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_case_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_moderation_case_queue', ['status', 'community_id', 'report_count'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_case.id'], name=op.f('fk_report_case_id_moderation_case')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_report_reporter_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('case_id', 'reporter_id', name=op.f('uq_report_case_id'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_reporter_id'), ['reporter_id'], unique=False)

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation_state', sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f('ix_comment_moderation_state'), ['moderation_state'], unique=False)

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_hide_threshold', sa.Integer(), server_default='3', nullable=False))

    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation_state', sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f('ix_need_moderation_state'), ['moderation_state'], unique=False)

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation_state', sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f('ix_proposal_moderation_state'), ['moderation_state'], unique=False)

    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation_state', sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f('ix_resource_moderation_state'), ['moderation_state'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_until', forum.core.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('banned_at', forum.core.models.UTCDateTime(timezone=True), nullable=True))

    _protect_moderation_log()


def _protect_moderation_log():
    """The moderation log is append-only in the database itself, not only in the ORM."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION moderation_action_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'moderation_action is append-only';
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER moderation_action_append_only BEFORE UPDATE OR DELETE ON moderation_action
            FOR EACH ROW EXECUTE FUNCTION moderation_action_append_only()
        """)
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER moderation_action_no_{event.lower()} BEFORE {event} ON moderation_action
                BEGIN SELECT RAISE(ABORT, 'moderation_action is append-only'); END
            """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS moderation_action_append_only ON moderation_action")
        op.execute("DROP FUNCTION IF EXISTS moderation_action_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS moderation_action_no_update")
        op.execute("DROP TRIGGER IF EXISTS moderation_action_no_delete")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('banned_at')
        batch_op.drop_column('suspended_until')

    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_moderation_state'))
        batch_op.drop_column('moderation_state')

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_moderation_state'))
        batch_op.drop_column('moderation_state')

    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_moderation_state'))
        batch_op.drop_column('moderation_state')

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('report_hide_threshold')

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_moderation_state'))
        batch_op.drop_column('moderation_state')

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_reporter_id'))

    op.drop_table('report')
    with op.batch_alter_table('moderation_case', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_case_queue')
        batch_op.drop_index(batch_op.f('ix_moderation_case_community_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_case_author_id'))

    op.drop_table('moderation_case')
    with op.batch_alter_table('moderation_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_action_target_user_id'))
        batch_op.drop_index('ix_moderation_action_item')
        batch_op.drop_index(batch_op.f('ix_moderation_action_created_at'))
        batch_op.drop_index(batch_op.f('ix_moderation_action_community_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_action_action'))

    op.drop_table('moderation_action')
