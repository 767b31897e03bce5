"""The period a page of statistics or a ledger covers: whole local days (Asia/Shanghai), end included.

A plain value with no app: `preset("quarter", today)` or `custom(start, end)`; `bounds(tz)` gives
the half-open UTC interval [start 00:00 local, the day after the end 00:00 local) that queries use.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

PRESETS = ("month", "quarter", "year")
DEFAULT = "quarter"


@dataclass(frozen=True)
class Period:
    name: str  # "month", "quarter", "year" or "custom"
    start: date
    end: date  # included

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as UTC datetimes: start included, end excluded."""
        start = datetime.combine(self.start, time(), tz).astimezone(timezone.utc)
        end = datetime.combine(self.end + timedelta(days=1), time(), tz).astimezone(timezone.utc)
        return start, end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def months_back(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def preset(name: str, today: date) -> Period:
    """本月 (from the 1st), 近三个月 (from the same day three months ago) or 今年 (from 1 January), to today."""
    if name == "month":
        return Period(name, today.replace(day=1), today)
    if name == "year":
        return Period(name, date(today.year, 1, 1), today)
    if name == "quarter":
        return Period(name, months_back(today, 3) + timedelta(days=1), today)
    raise ValueError(f"unknown period {name!r}")


def custom(start: date, end: date) -> Period:
    if end < start:
        raise ValueError("the period ends before it starts")
    return Period("custom", start, end)
