"""The search outbox, and the documents of the PostgreSQL search backend."""
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import Base, UTCDateTime, utcnow


class SearchOutbox(Base):
    """One searchable item changed: written in the same transaction as the change, and
    removed once the index has the item's new state (so a crash in between loses nothing)."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SearchDocument(Base):
    """A searchable item for FORUM_SEARCH_BACKEND=postgres: jieba's words and the character
    grams as a weighted tsvector (title A, the rest D) under a GIN index. Unused on SQLite.
    `item_id` is a copy, not a foreign key: the outbox removes a row when its item goes."""

    __tablename__ = "search_document"
    __table_args__ = (
        Index("ix_search_document_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_document_kind_date", "kind", "date"),
        Index("ix_search_document_date", "date", "item_id"),  # the newest matches of a common word
        Index("ix_search_document_members", "community_id", postgresql_where=text("audience = 'members'"),
              sqlite_where=text("audience = 'members'")),
    )

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default="")
    audience: Mapped[str] = mapped_column(String(10), default="public")
    date: Mapped[datetime] = mapped_column(UTCDateTime())
    tsv: Mapped[str] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
