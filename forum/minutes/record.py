"""What a minutes version records besides its text, and the plain-text form its versions are compared in.

The attendance and the closed polls' results are copied into the version each time its
text is saved, so published minutes keep saying what was true when they were written.
"""
import difflib
from dataclasses import dataclass

from flask_babel import gettext as _

from forum.core.models import utcnow
from forum.minutes.models import MinutesVersion

CONTEXT_LINES = 2


def agenda_titles(deliberation) -> list[str]:
    """The agenda items the minutes report on; a deliberation without an agenda has its title."""
    return [item.title for item in deliberation.agenda] or [deliberation.title]


def attendance(deliberation) -> tuple[list[dict], list[dict]]:
    """Who came and who did not, as recorded by the moderator; not recorded counts as absent."""
    present, absent = [], []
    for participant in deliberation.participants:
        person = {"name": participant.user.display_name, "seat": participant.seat,
                  "recorded": participant.attended is not None}
        (present if participant.attended else absent).append(person)
    return present, absent


def closed_polls(deliberation) -> list[dict]:
    from forum.voting.summary import poll_summaries

    return [{"title": poll.title, "url": poll.url, "sentence": poll.sentence, "passed": poll.passed}
            for poll in poll_summaries(deliberation) if poll.is_closed]


def take_snapshot(version: MinutesVersion, at=None) -> None:
    """Copy the attendance and the closed polls into `version` (new lists, so the change is seen)."""
    deliberation = version.deliberation
    version.attendees, version.absentees = attendance(deliberation)
    version.poll_results = closed_polls(deliberation)
    version.snapshot_at = at or utcnow()


def _people(people: list[dict]) -> str:
    return "、".join(f"{p['name']}（{p['seat']}）" for p in people) or _("nobody")


def _block(label: str, text: str) -> list[str]:
    lines = [line.rstrip() for line in (text or "").strip().splitlines() if line.strip()]
    return [label] + (lines or [_("(none)")])


def as_text(version: MinutesVersion) -> list[str]:
    """The version as plain lines, in the reader's language: what the diff compares."""
    lines = [_("Attendees: %(people)s", people=_people(version.attendees)),
             _("Absent: %(people)s", people=_people(version.absentees)), ""]
    lines += _block(_("Summary"), version.summary) + [""]
    for number, note in enumerate(version.agenda_notes, start=1):
        lines.append(_("Agenda item %(number)d: %(title)s", number=number, title=note["title"]))
        lines += _block(_("Discussion"), note.get("discussion", ""))
        lines += _block(_("Decision"), note.get("decision", "")) + [""]
    lines += _block(_("Dissenting opinions"), version.dissent) + [""]
    lines.append(_("Action items"))
    for number, item in enumerate(version.action_items, start=1):
        lines.append(_("%(number)d. %(task)s; owner: %(owner)s; due: %(due)s", number=number, task=item["task"],
                       owner=item["owner"], due=item.get("due") or _("no date")))
    if not version.action_items:
        lines.append(_("(none)"))
    if version.poll_results:
        lines += ["", _("Poll results")] + [f"{poll['title']}：{poll['sentence']}" for poll in version.poll_results]
    return lines + ["", _("Recorder: %(name)s", name=version.recorder)]


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "deleted" or "inserted"
    text: str
    # The line cut into (text, changed) pieces: in a line replaced by another, what differs.
    parts: tuple = ()

    @property
    def pieces(self):
        return self.parts or ((self.text, False),)


def _changed_pieces(old: str, new: str) -> tuple[tuple, tuple]:
    """Which characters of a changed line differ, so a one-character fix is easy to spot."""
    before, after = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if old[i1:i2]:
            before.append((old[i1:i2], tag != "equal"))
        if new[j1:j2]:
            after.append((new[j1:j2], tag != "equal"))
    return tuple(before), tuple(after)


def _replaced(old_lines: list[str], new_lines: list[str]) -> list[DiffLine]:
    if len(old_lines) != len(new_lines):
        return [DiffLine("deleted", line) for line in old_lines] + [DiffLine("inserted", line) for line in new_lines]
    pairs = [_changed_pieces(a, b) for a, b in zip(old_lines, new_lines)]
    return ([DiffLine("deleted", line, pieces[0]) for line, pieces in zip(old_lines, pairs)]
            + [DiffLine("inserted", line, pieces[1]) for line, pieces in zip(new_lines, pairs)])


def compare(old: MinutesVersion, new: MinutesVersion) -> list[list[DiffLine]]:
    """The changed stretches between two versions, each with a little unchanged text around it."""
    before, after = as_text(old), as_text(new)
    hunks = []
    for group in difflib.SequenceMatcher(None, before, after, autojunk=False).get_grouped_opcodes(CONTEXT_LINES):
        hunk = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk += [DiffLine("same", line) for line in before[i1:i2]]
            elif tag == "replace":
                hunk += _replaced(before[i1:i2], after[j1:j2])
            else:
                hunk += [DiffLine("deleted", line) for line in before[i1:i2]]
                hunk += [DiffLine("inserted", line) for line in after[j1:j2]]
        hunks.append(hunk)
    return hunks
