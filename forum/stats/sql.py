"""SQL pieces the figures share: a duration in seconds on SQLite and PostgreSQL, and a median in SQL."""
from sqlalchemy import Float, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from forum.extensions import db


class seconds_between(FunctionElement):
    """`later - earlier` in seconds, as a float (NULL when either is NULL)."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


def within(column, bounds):
    """Conditions: `column` falls in the period's UTC bounds (start included, end excluded)."""
    start, end = bounds
    return (column >= start, column < end)


def first_change_at(model, subject_type: str, *conditions):
    """When the item (a row of `model`, correlated) first had a status change meeting `conditions`."""
    from forum.core.workflow import StatusChange

    return (select(func.min(StatusChange.created_at))
            .where(StatusChange.subject_type == subject_type, StatusChange.subject_id == model.id, *conditions)
            .correlate(model).scalar_subquery())


def earliest(first, second):
    """The earlier of two datetimes, either of which may be NULL (LEAST ignores NULL only on PostgreSQL)."""
    from sqlalchemy import case

    return case((first.is_(None), second), (second.is_(None), first), (first <= second, first), else_=second)


def median(stmt) -> tuple[float | None, int]:
    """The median of the one column `stmt` selects and how many values it was taken of (NULLs left
    out), in one pass of the database: the values numbered in order, then the middle one or two
    (row n/2 to n/2 + 1) averaged."""
    values = stmt.subquery()
    column = values.c[0]
    ranked = (select(column.label("value"), func.row_number().over(order_by=column).label("position"),
                     func.count().over().label("total"))
              .where(column.is_not(None)).subquery())
    middle, total = db.session.execute(
        select(func.avg(ranked.c.value), func.max(ranked.c.total))
        .where(ranked.c.position >= ranked.c.total / 2.0, ranked.c.position <= ranked.c.total / 2.0 + 1)).one()
    return (float(middle), total) if total else (None, 0)
