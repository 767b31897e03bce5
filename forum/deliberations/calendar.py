"""A deliberation as an iCalendar file (RFC 5545), to add the meeting to a phone's calendar."""
from flask_babel import gettext as _
from icalendar import Calendar, Event

from forum.core.models import utcnow
from forum.deliberations.models import KIND_LABELS, Deliberation
from forum.deliberations.services import ends_at

ICS_STATUS = {"cancelled": "CANCELLED"}


def calendar_ics(deliberation: Deliberation, url: str, host: str) -> bytes:
    """One VEVENT in UTC; `url` is the deliberation's page (absolute), `host` names the site in the UID."""
    calendar = Calendar()
    calendar.add("prodid", "-//议事厅//deliberations//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"deliberation-{deliberation.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("last-modified", deliberation.updated_at)
    event.add("dtstart", deliberation.starts_at)
    event.add("dtend", ends_at(deliberation))
    event.add("summary", deliberation.title)
    event.add("location", deliberation.place or deliberation.online_url)
    event.add("url", url)
    event.add("description", _description(deliberation, url))
    event.add("status", ICS_STATUS.get(deliberation.status, "CONFIRMED"))
    calendar.add_component(event)
    return calendar.to_ical()


def _description(deliberation: Deliberation, url: str) -> str:
    lines = [f"{KIND_LABELS[deliberation.kind]} · {deliberation.community.name}"]
    if deliberation.place and deliberation.online_url:
        lines.append(_("Online: %(url)s", url=deliberation.online_url))
    if deliberation.agenda:
        lines += ["", _("Agenda")]
        lines += [f"{item.position}. {item.title}" for item in deliberation.agenda]
    lines += ["", url]
    return "\n".join(lines)
