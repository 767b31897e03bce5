"""Declared workflows: a table of (state, action) → state with the roles allowed.

No code sets a status field directly. A feature declares its Workflow once, and
calls `workflow.apply(item, action, actor, note)`; that checks the transition and
the actor's permission, moves the item and writes a StatusChange row, which the
item's page shows as its timeline.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import Base, UTCDateTime, utcnow


class StatusChange(Base):
    __tablename__ = "status_change"
    # An item's timeline, and the statistics' response and resolution times, look rows up by subject.
    __table_args__ = (Index("ix_status_change_subject", "subject_type", "subject_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[Optional[str]] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User")


class TransitionNotAllowed(Exception):
    """The item's state has no such action (a stale page, a double click)."""


@dataclass(frozen=True)
class Transition:
    to_state: str
    roles: frozenset[str]
    needs_note: bool = False


class Workflow:
    def __init__(self, name: str, initial: str, transitions: dict):
        """`transitions` maps (state, action) to (to_state, roles[, needs_note])."""
        self.name = name
        self.initial = initial
        self.transitions = {
            key: Transition(value[0], frozenset(value[1]), *value[2:])
            for key, value in transitions.items()
        }

    @property
    def states(self) -> set[str]:
        found = {self.initial}
        for (state, _), transition in self.transitions.items():
            found |= {state, transition.to_state}
        return found

    def transition(self, state: str, action: str) -> Transition:
        try:
            return self.transitions[(state, action)]
        except KeyError:
            raise TransitionNotAllowed(f"{self.name}: no '{action}' from '{state}'") from None

    def actions_from(self, state: str) -> list[str]:
        return [action for (s, action) in self.transitions if s == state]

    def start(self, session, item, actor, note: str = "") -> StatusChange:
        """Put a new item into its initial state, recorded as its first timeline row."""
        item.status = self.initial
        session.flush()
        change = StatusChange(
            subject_type=self.name, subject_id=item.id, action="create",
            from_state=None, to_state=self.initial, actor_id=getattr(actor, "id", None), note=note,
        )
        session.add(change)
        return change

    def apply(self, session, item, action: str, actor, note: str = "") -> StatusChange:
        """Take `action` on `item` as `actor`; raise if the state or the actor forbids it."""
        from forum.core.permissions import ensure

        self.transition(item.status, action)  # an unknown step is refused before permissions
        ensure(actor, f"{self.name}:{action}", item)
        return self._move(session, item, action, actor, note)

    def apply_as_system(self, session, item, action: str, note: str = "") -> StatusChange:
        """A step the site takes by a rule (e.g. auto-publish), with no person acting."""
        return self._move(session, item, action, None, note)

    def _move(self, session, item, action, actor, note) -> StatusChange:
        transition = self.transition(item.status, action)
        if transition.needs_note and not note.strip():
            raise ValueError("this action needs a note")
        change = StatusChange(
            subject_type=self.name, subject_id=item.id, action=action,
            from_state=item.status, to_state=transition.to_state,
            actor_id=getattr(actor, "id", None), note=note.strip(),
        )
        item.status = transition.to_state
        session.add(change)
        return change

    def timeline(self, session, item) -> list[StatusChange]:
        return list(session.scalars(
            select(StatusChange)
            .where(StatusChange.subject_type == self.name, StatusChange.subject_id == item.id)
            .order_by(StatusChange.id)
        ))


# Every workflow declared by a feature, by name, so the permissions module can find
# the roles a transition allows.
REGISTRY: dict[str, Workflow] = {}


def declare(name: str, initial: str, transitions: dict) -> Workflow:
    workflow = Workflow(name, initial, transitions)
    REGISTRY[name] = workflow
    return workflow
