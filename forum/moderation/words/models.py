"""Sensitive-word lists (敏感词): one global list and one per community, each word with its action.

A list's `version` goes up with every change; the matcher cache is keyed by the versions of
the lists it was built from, so every server process rebuilds its automaton after a change
and never before.
"""
from typing import Optional

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, CreatedMixin

ACTIONS = ("hold", "mask")
WORD_MAX = 40
# Normalising can lengthen a word (㍿ → 株式会社); longer ones are refused.
NORMALISED_MAX = WORD_MAX * 3


class WordList(CreatedMixin, Base):
    __tablename__ = "word_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the global list, which applies in every community.
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"),
                                                        unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    community = relationship("Community")
    words: Mapped[list["SensitiveWord"]] = relationship(back_populates="word_list", order_by="SensitiveWord.id")


class SensitiveWord(CreatedMixin, Base):
    __tablename__ = "sensitive_word"
    __table_args__ = (UniqueConstraint("list_id", "normalised"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("word_list.id", ondelete="CASCADE"))
    word: Mapped[str] = mapped_column(String(WORD_MAX))
    # The word as the matcher sees it (normalise_word): one entry per variant spelling.
    normalised: Mapped[str] = mapped_column(String(NORMALISED_MAX))
    action: Mapped[str] = mapped_column(String(10))
    added_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    word_list: Mapped[WordList] = relationship(back_populates="words")
    added_by = relationship("User")
