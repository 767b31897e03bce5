"""voting: polls, options, voters, ballots, paper counts

Ballots and their choices are WITHOUT ROWID tables on SQLite: keyed by the random receipt
code only, so not even a hidden row number keeps the order they were cast in.

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-24 08:10:11.432539

"""
from alembic import op
import sqlalchemy as sa

import forum.core.models

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('deliberation_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('electorate', sa.String(length=12), nullable=False),
    sa.Column('opens_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('results_live', sa.Boolean(), nullable=False),
    sa.Column('quorum_percent', sa.Integer(), nullable=False),
    sa.Column('pass_rule', sa.String(length=20), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('electorate_size', sa.Integer(), nullable=True),
    sa.Column('electorate_area', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('quorum_met', sa.Boolean(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('created_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_poll_closes_after_opening')),
    sa.CheckConstraint('max_choices IS NULL OR max_choices >= 1', name=op.f('ck_poll_max_choices_positive')),
    sa.CheckConstraint('quorum_percent >= 0 AND quorum_percent <= 100', name=op.f('ck_poll_quorum_range')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_poll_community_id_community')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_poll_created_by_id_user')),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], name=op.f('fk_poll_deliberation_id_deliberation')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_poll_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll'))
    )
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_deliberation_id'), ['deliberation_id'], unique=False)
        batch_op.create_index('ix_poll_due', ['status', 'closes_at'], unique=False)
        batch_op.create_index('ix_poll_list', ['community_id', 'closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('poll_ballot',
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_ballot_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['user.id'], name=op.f('fk_poll_ballot_voter_id_user')),
    sa.PrimaryKeyConstraint('receipt', name=op.f('pk_poll_ballot')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_ballot_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_compound',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('compound_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['compound_id'], ['compound.id'], name=op.f('fk_poll_compound_compound_id_compound')),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_compound_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'compound_id', name=op.f('pk_poll_compound'))
    )
    op.create_table('poll_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('key', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_option_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_option')),
    sa.UniqueConstraint('poll_id', 'position', name=op.f('uq_poll_option_poll_id'))
    )
    op.create_table('poll_paper_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', forum.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', forum.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('ballot_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('ballot_count >= 0', name=op.f('ck_poll_paper_tally_ballots_not_negative')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id'], name=op.f('fk_poll_paper_tally_confirmed_by_id_user')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_poll_paper_tally_entered_by_id_user')),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_paper_tally_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_paper_tally')),
    sa.UniqueConstraint('poll_id', name=op.f('uq_poll_paper_tally_poll_id'))
    )
    op.create_table('poll_voter',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('household_key', sa.String(length=200), nullable=True),
    sa.Column('household_label', sa.String(length=200), nullable=True),
    sa.Column('floor_area', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_voter_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_poll_voter_user_id_user')),
    sa.PrimaryKeyConstraint('poll_id', 'user_id', name=op.f('pk_poll_voter')),
    sa.UniqueConstraint('poll_id', 'household_key', name=op.f('uq_poll_voter_poll_id'))
    )
    with op.batch_alter_table('poll_voter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_voter_user_id'), ['user_id'], unique=False)

    op.create_table('poll_ballot_choice',
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['poll_option.id'], name=op.f('fk_poll_ballot_choice_option_id_poll_option'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_ballot_choice_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['receipt'], ['poll_ballot.receipt'], name=op.f('fk_poll_ballot_choice_receipt_poll_ballot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('receipt', 'option_id', name=op.f('pk_poll_ballot_choice')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('poll_ballot_choice', schema=None) as batch_op:
        batch_op.create_index('ix_poll_ballot_choice_count', ['poll_id', 'option_id'], unique=False)

    op.create_table('poll_paper_line',
    sa.Column('tally_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('area', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.CheckConstraint('votes >= 0', name=op.f('ck_poll_paper_line_votes_not_negative')),
    sa.ForeignKeyConstraint(['option_id'], ['poll_option.id'], name=op.f('fk_poll_paper_line_option_id_poll_option'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tally_id'], ['poll_paper_tally.id'], name=op.f('fk_poll_paper_line_tally_id_poll_paper_tally'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tally_id', 'option_id', name=op.f('pk_poll_paper_line'))
    )


def downgrade():
    op.drop_table('poll_paper_line')
    with op.batch_alter_table('poll_ballot_choice', schema=None) as batch_op:
        batch_op.drop_index('ix_poll_ballot_choice_count')

    op.drop_table('poll_ballot_choice')
    with op.batch_alter_table('poll_voter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_voter_user_id'))

    op.drop_table('poll_voter')
    op.drop_table('poll_paper_tally')
    op.drop_table('poll_option')
    op.drop_table('poll_compound')
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_ballot_poll_id'))

    op.drop_table('poll_ballot')
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_proposal_id'))
        batch_op.drop_index('ix_poll_list')
        batch_op.drop_index('ix_poll_due')
        batch_op.drop_index(batch_op.f('ix_poll_deliberation_id'))

    op.drop_table('poll')
