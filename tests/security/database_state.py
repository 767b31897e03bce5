"""Everything the database holds, to show that a refused request changed nothing."""
import sqlalchemy as sa

from forum.extensions import db


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (expired first, so nothing cached hides a change)."""
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        state[table.name] = [tuple(row) for row in db.session.execute(sa.select(table).order_by(*order))]
    db.session.rollback()
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))
