"""Briefing calendars, working days, and the span of dates the service reckons with.

Each zone holds its secretary briefing by a monthly rule ("the 3rd of each month", "the
first Monday"), with exceptions: a briefing moved to another day, or cancelled. Deadlines
count working days: weekends and public holidays (Tết included) do not count; which days
are holidays is given by the service (from the maintained ``holidays`` package).

Every date the service is given (a business date, a due date, a date asked about) lies
within ``BusinessDates``; and the calendar's own arithmetic refuses with ``InvalidCommand``,
never ``ValueError`` or ``OverflowError``, where it would run off the calendar.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta

from domain.errors import InvalidCommand
from domain.messages import Message, say
from domain.vietnam import local_date

WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
ORDINALS_VI = {1: "đầu tiên", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư", -1: "cuối cùng"}

EARLIEST_BUSINESS_DATE = date(2000, 1, 1)  # the default; the service configures its own
LATEST_DATE = date(2100, 12, 31)
FIRST_EARLIEST = date(1900, 1, 1)  # no district enters minutes older than this


@dataclass(frozen=True)
class BusinessDates:
    """The dates the service reckons with: from ``earliest`` (older minutes are not
    entered; the service's setting) to ``latest`` (nothing is due or planned later).
    Every business date, due date and date asked about (a board's day, a briefing, a
    period, a year, a moment) is checked against them, so nothing computed from a date
    the service accepted runs off the calendar."""

    earliest: date = EARLIEST_BUSINESS_DATE
    latest: date = LATEST_DATE

    def __post_init__(self) -> None:
        if not FIRST_EARLIEST <= self.earliest < self.latest:
            raise ValueError(
                f"the earliest business date must be from {FIRST_EARLIEST.isoformat()} "
                f"and before {self.latest.isoformat()}, not {self.earliest.isoformat()}"
            )

    def check(self, field: str, day: date) -> date:
        """``day``, if within the span; else ``InvalidCommand`` naming ``field``."""
        if day < self.earliest:
            raise InvalidCommand(
                field,
                say("calendar.before_earliest", day=day, earliest=self.earliest),
                earliest=self.earliest.isoformat(),
            )
        if day > self.latest:
            raise InvalidCommand(
                field,
                say("calendar.after_latest", day=day, latest=self.latest),
                latest=self.latest.isoformat(),
            )
        return day

    def check_year(self, field: str, year: int) -> int:
        if not self.earliest.year <= year <= self.latest.year:
            raise InvalidCommand(
                field,
                say("calendar.year", year=year, first=self.earliest.year, last=self.latest.year),
                earliest=self.earliest.isoformat(),
                latest=self.latest.isoformat(),
            )
        return year

    def check_moment(self, field: str, moment: datetime) -> datetime:
        """A moment (with its time zone) whose business date is within the span."""
        try:
            day = local_date(moment)
        except OverflowError:  # within a day of the calendar's first or last
            day = date.min if moment.year == MINYEAR else date.max
        self.check(field, day)
        return moment


def off_the_calendar(day: date, message: Message) -> InvalidCommand:
    """What the calendar answers where its arithmetic from ``day`` would leave it."""
    return InvalidCommand("date", message, date=day.isoformat())


def days_after(day: date, days: int) -> date:
    """``day`` plus ``days`` days; ``InvalidCommand`` past the calendar's last day."""
    if (date.max - day).days < days:
        raise off_the_calendar(day, say("calendar.past", days=days, day=day))
    return day + timedelta(days=days)


@dataclass(frozen=True)
class BriefingRule:
    """Either ``day`` N of every month (clamped to the month's last day), or the ``nth``
    ``weekday`` of every month (0 is Monday; ``nth`` -1 is the last)."""

    day: int | None = None
    weekday: int | None = None
    nth: int | None = None

    def __post_init__(self) -> None:
        by_day = self.day is not None and self.weekday is None and self.nth is None
        by_weekday = self.day is None and self.weekday is not None and self.nth is not None
        if not (by_day or by_weekday):
            raise InvalidCommand("briefing_rule", say("briefing_rule.shape"))
        if self.day is not None and by_day and not 1 <= self.day <= 31:
            raise InvalidCommand("briefing_rule", say("briefing_rule.day"))
        if (
            self.weekday is not None
            and by_weekday
            and (not 0 <= self.weekday <= 6 or self.nth not in ORDINALS_VI)
        ):
            raise InvalidCommand("briefing_rule", say("briefing_rule.weekday"))

    @classmethod
    def parse(cls, text: str) -> BriefingRule:
        """``day:3`` (the 3rd) or ``weekday:0:1`` (the first Monday), ``weekday:4:-1``."""
        parts = text.strip().split(":")
        try:
            if parts[0] == "day" and len(parts) == 2:
                return cls(day=int(parts[1]))
            if parts[0] == "weekday" and len(parts) == 3:
                return cls(weekday=int(parts[1]), nth=int(parts[2]))
        except ValueError:
            pass
        raise InvalidCommand("briefing_rule", say("briefing_rule.unread", text=text))

    def __str__(self) -> str:
        return f"day:{self.day}" if self.day is not None else f"weekday:{self.weekday}:{self.nth}"

    def label(self) -> str:
        """The rule in Vietnamese, as a district office writes it."""
        if self.day is not None:
            return f"ngày {self.day} hằng tháng"
        assert self.weekday is not None and self.nth is not None
        return f"{WEEKDAYS_VI[self.weekday]} {ORDINALS_VI[self.nth]} hằng tháng"

    def scheduled(self, year: int, month: int) -> date:
        last = calendar.monthrange(year, month)[1]
        if self.day is not None:
            return date(year, month, min(self.day, last))
        assert self.weekday is not None and self.nth is not None
        days = [
            date(year, month, d)
            for d in range(1, last + 1)
            if date(year, month, d).weekday() == self.weekday
        ]
        return days[self.nth - 1] if self.nth > 0 else days[-1]


@dataclass(frozen=True)
class BriefingCalendar:
    """A zone's briefings: the rule, less the cancelled ones, with the moved ones moved."""

    rule: BriefingRule
    moved: Mapping[date, date] = field(default_factory=dict)  # scheduled day -> day held
    cancelled: frozenset[date] = frozenset()

    def held(self, year: int, month: int) -> date | None:
        scheduled = self.rule.scheduled(year, month)
        if scheduled in self.cancelled:
            return None
        return self.moved.get(scheduled, scheduled)

    def around(self, year: int, month: int, months: int) -> Iterator[date]:
        """Briefings of ``months`` months from the month before ``month`` of ``year`` on
        (a move may cross into a neighbouring month), less months off the calendar."""
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        for _ in range(months):
            day = self.held(year, month) if MINYEAR <= year <= MAXYEAR else None
            if day is not None:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def next_after(self, after: date) -> date:
        later = [d for d in self.around(after.year, after.month, 27) if d > after]
        if not later:
            raise off_the_calendar(after, say("calendar.no_briefing_after", day=after))
        return min(later)

    def previous_before(self, before: date) -> date:
        earlier = [d for d in self.around(before.year - 2, before.month, 27) if d < before]
        if not earlier:
            raise off_the_calendar(before, say("calendar.no_briefing_before", day=before))
        return max(earlier)


@dataclass(frozen=True)
class WorkingDays:
    """Monday to Friday, less the public holidays ``is_holiday`` names."""

    is_holiday: Callable[[date], bool] = lambda _day: False

    def is_working(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        return sum(
            self.is_working(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
        )

    def add(self, start: date, count: int) -> date:
        day = start
        while count > 0:
            day = days_after(day, 1)
            count -= self.is_working(day)
        return day
