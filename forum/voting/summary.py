"""What other features need to know of a deliberation's polls (the minutes snapshot it).

Nothing here writes: a poll whose time is up counts as closed and its result is worked
out on the spot, so callers in the middle of their own transaction are never committed.
"""
from dataclasses import dataclass

from forum.core.urls import path_for


@dataclass(frozen=True)
class PollSummary:
    title: str
    url: str
    is_closed: bool
    sentence: str  # the result explained in one sentence, once it may be shown
    passed: bool | None  # None while open or when it decides nothing


def poll_summaries(deliberation) -> list[PollSummary]:
    """The deliberation's polls in the order they open: closed ones with their result,
    open ones with sentence "" (unless their results are shown live)."""
    from forum.voting import results, services

    summaries = []
    for poll in services.polls_of_deliberation(deliberation):
        outcome = results.outcome(poll) if poll.results_visible else None
        summaries.append(PollSummary(
            title=poll.title, url=path_for("polls.show", poll_id=poll.id), is_closed=poll.is_closed,
            sentence=outcome.sentence if outcome else "",
            passed=outcome.result.passed if outcome and poll.is_closed else None))
    return summaries
