"""Pagination of select() statements, by page number, for list pages."""
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from forum.extensions import db

PER_PAGE = 20


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(statement, page: int | None, per_page: int = PER_PAGE) -> Page:
    """One page of `statement`'s rows and the total count (both use the same filters)."""
    page = max(1, page or 1)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = list(db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)
