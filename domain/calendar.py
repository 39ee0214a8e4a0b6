"""Briefing calendars, working days, and the span of dates the service reckons with.

Each zone holds its secretary briefing, and each party cell its meeting, by a rule ("the
3rd of each month", "the first Monday", "the 3rd, every two months", "the first Monday of
June and December"), with exceptions: a briefing moved to another day, or cancelled. Deadlines
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
from typing import Any

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
    """A meeting's day in a month: either ``day`` N (clamped to the month's last day), or
    the ``nth`` ``weekday`` (0 is Monday; ``nth`` -1 is the last); and the months it
    meets in: every month (the default), every ``every`` months counted from the month
    ``anchor`` (year, month), or the named ``months`` only. Written ``day:3``,
    ``weekday:0:1``, ``day:3;every:2:2026-01``, ``weekday:0:1;months:6,12``: a rule of
    before periods (``day:5``) reads as it always did, every month."""

    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    every: int | None = None
    anchor: tuple[int, int] | None = None
    months: tuple[int, ...] = ()

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
        if (self.every is None) != (self.anchor is None) or (self.every and self.months):
            raise InvalidCommand("briefing_rule", say("briefing_rule.period"))
        if self.every is not None and self.anchor is not None:
            year, month = self.anchor
            if not (2 <= self.every <= EVERY_MAX and 1 <= month <= 12 and 1 <= year <= 9999):
                raise InvalidCommand("briefing_rule", say("briefing_rule.every", most=EVERY_MAX))
        if self.months and (
            any(not 1 <= m <= 12 for m in self.months)
            or list(self.months) != sorted(set(self.months))
        ):
            raise InvalidCommand("briefing_rule", say("briefing_rule.months"))

    @classmethod
    def parse(cls, text: str) -> BriefingRule:
        """``day:3`` (the 3rd) or ``weekday:0:1`` (the first Monday), ``weekday:4:-1``;
        then, after ``;``, ``every:N:YYYY-MM`` or ``months:M,M,…`` (months given in any
        order, each once)."""
        head, _, period = text.strip().partition(";")
        parts = head.strip().split(":")
        found: dict[str, Any] = {}
        try:
            if parts[0] == "day" and len(parts) == 2:
                found = {"day": int(parts[1])}
            elif parts[0] == "weekday" and len(parts) == 3:
                found = {"weekday": int(parts[1]), "nth": int(parts[2])}
            if found and period:
                found |= cls.parse_period(period.strip())
        except ValueError:
            found = {}
        if not found:
            raise InvalidCommand("briefing_rule", say("briefing_rule.unread", text=text))
        return cls(**found)

    @staticmethod
    def parse_period(text: str) -> dict[str, Any]:
        kind, _, rest = text.partition(":")
        if kind == "every":
            count, _, anchor = rest.partition(":")
            year, _, month = anchor.partition("-")
            if len(year) != 4 or not month:
                raise ValueError(text)
            return {"every": int(count), "anchor": (int(year), int(month))}
        if kind == "months" and rest:
            months = [int(m) for m in rest.split(",")]
            if len(set(months)) != len(months):
                raise ValueError(text)
            return {"months": tuple(sorted(months))}
        raise ValueError(text)

    def __str__(self) -> str:
        head = f"day:{self.day}" if self.day is not None else f"weekday:{self.weekday}:{self.nth}"
        if self.every is not None and self.anchor is not None:
            return f"{head};every:{self.every}:{self.anchor[0]:04d}-{self.anchor[1]:02d}"
        if self.months:
            return f"{head};months:{','.join(map(str, self.months))}"
        return head

    def label(self) -> str:
        """The rule in Vietnamese, as a district office writes it: "ngày 3 hằng tháng",
        "ngày 3, 2 tháng một lần, từ tháng 1/2026", "thứ Hai đầu tiên của tháng 6 và
        tháng 12"."""
        if self.day is not None:
            head, of = f"ngày {self.day}", ""
        else:
            assert self.weekday is not None and self.nth is not None
            head, of = f"{WEEKDAYS_VI[self.weekday]} {ORDINALS_VI[self.nth]}", "của "
        if self.every is not None and self.anchor is not None:
            year, month = self.anchor
            return f"{head}, {self.every} tháng một lần, từ tháng {month}/{year}"
        if self.months:
            named = [f"tháng {m}" for m in self.months]
            listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} và {named[-1]}"
            return f"{head} {of}{listed}"
        return f"{head} hằng tháng"

    def meets_in(self, year: int, month: int) -> bool:
        """Whether the rule gives a meeting in ``month`` of ``year``."""
        if self.every is not None and self.anchor is not None:
            since = (year - self.anchor[0]) * 12 + (month - self.anchor[1])
            return since % self.every == 0
        return not self.months or month in self.months

    def scheduled(self, year: int, month: int) -> date | None:
        """The day the rule gives in ``month`` of ``year`` (None: it skips that month)."""
        if not self.meets_in(year, month):
            return None
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


EVERY_MAX = 12  # a rule meets at least once a year
# How often a rule meets (``BriefingRule``'s periods): the admin's choices
PERIODS = ("monthly", "every", "months")


@dataclass(frozen=True)
class BriefingCalendar:
    """A zone's briefings: the rule, less the cancelled ones, with the moved ones moved."""

    rule: BriefingRule
    moved: Mapping[date, date] = field(default_factory=dict)  # scheduled day -> day held
    cancelled: frozenset[date] = frozenset()

    def held(self, year: int, month: int) -> date | None:
        scheduled = self.rule.scheduled(year, month)
        if scheduled is None or scheduled in self.cancelled:
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

    def holds(self, day: date) -> bool:
        """Whether a meeting of the calendar is held on ``day``."""
        return day in self.around(day.year, day.month, 3)

    def between(self, start: date, end: date) -> list[date]:
        """The meetings held from ``start`` to ``end``, both included, in order."""
        months = (end.year - start.year) * 12 + end.month - start.month + 3
        return sorted(d for d in self.around(start.year, start.month, months) if start <= d <= end)

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

    def holidays(self, start: date, end: date) -> list[date]:
        """The holidays after ``start`` up to and including ``end`` that fall on a weekday
        (a holiday on a weekend was no working day anyway)."""
        return [
            day
            for n in range(1, (end - start).days + 1)
            if (day := start + timedelta(days=n)).weekday() < 5 and self.is_holiday(day)
        ]

    def add(self, start: date, count: int) -> date:
        day = start
        while count > 0:
            day = days_after(day, 1)
            count -= self.is_working(day)
        return day
