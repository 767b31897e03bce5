"""page cache: page_state, a version of the whole database that PostgreSQL's triggers move

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-25 04:10:00

PostgreSQL only (SQLite's PRAGMA data_version is its own). One row; page_state_bump() adds one
to it, run by a trigger on every table deferred to the commit of a transaction that wrote
(forum/core/database_state.py gives the tables their triggers after every migration run).
page_state_first_write() lets only the first row a transaction writes queue that trigger: the
setting it leaves is local to the transaction, and to a savepoint rolled back.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("CREATE TABLE page_state (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
               "version bigint NOT NULL DEFAULT 0)")
    op.execute("INSERT INTO page_state DEFAULT VALUES")
    op.execute("""
        CREATE FUNCTION page_state_first_write() RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('forum.page_state_written', true) = 'on' THEN
                RETURN false;
            END IF;
            PERFORM set_config('forum.page_state_written', 'on', true);
            RETURN true;
        END $$""")
    op.execute("""
        CREATE FUNCTION page_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE page_state SET version = version + 1;
            RETURN NULL;
        END $$""")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP FUNCTION page_state_bump() CASCADE")  # and the tables' triggers
    op.execute("DROP FUNCTION page_state_first_write()")
    op.execute("DROP TABLE page_state")
