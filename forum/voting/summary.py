"""What other features need to know of a deliberation's polls (being built by the voting feature)."""
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class PollSummary:
    title: str
    url: str
    is_closed: bool
    sentence: str  # the result explained in one sentence, once it may be shown
    passed: Optional[bool]  # None while open or when it decides nothing


def poll_summaries(deliberation) -> list[PollSummary]:
    return []
