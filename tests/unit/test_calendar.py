"""Briefing calendars (rules, moved and cancelled briefings) and due dates in working days,
across Tết, month ends and weekends. Holidays come from the `holidays` package, as in
production."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from domain.calendar import BriefingCalendar, BriefingRule, BusinessDates, WorkingDays
from domain.errors import InvalidCommand
from domain.reference import Cell, Commune, Department, District, Zone
from stores.reference import VietnameseHolidays

D = date
WORKING = WorkingDays(VietnameseHolidays())


def district(calendar: BriefingCalendar | None, min_working_days: int = 5) -> District:
    return District(
        name="Huyện mẫu",
        zones={"k": Zone("k", "Khu", calendar)},
        communes={"x": Commune("x", "Xã", "k")},
        cells={"c": Cell("c", "Chi bộ", "x")},
        departments={"d": Department("d", "Phòng")},
        min_working_days=min_working_days,
        working_days=WORKING,
    )


@pytest.mark.parametrize(
    ("rule", "month", "expected"),
    [
        ("day:3", (2026, 3), D(2026, 3, 3)),
        ("day:31", (2026, 2), D(2026, 2, 28)),  # clamped to a short month
        ("day:31", (2028, 2), D(2028, 2, 29)),
        ("weekday:0:1", (2026, 6), D(2026, 6, 1)),  # first Monday
        ("weekday:0:1", (2026, 9), D(2026, 9, 7)),
        ("weekday:4:-1", (2026, 7), D(2026, 7, 31)),  # last Friday
        ("weekday:2:3", (2026, 12), D(2026, 12, 16)),  # third Wednesday
    ],
)
def test_rules(rule: str, month: tuple[int, int], expected: date) -> None:
    parsed = BriefingRule.parse(rule)
    assert parsed.scheduled(*month) == expected
    assert str(parsed) == rule


@pytest.mark.parametrize(
    "text", ["day:0", "day:32", "weekday:7:1", "weekday:0:5", "monthly", "day:x"]
)
def test_bad_rules_are_refused(text: str) -> None:
    with pytest.raises(InvalidCommand):
        BriefingRule.parse(text)


def test_vietnamese_labels() -> None:
    assert BriefingRule.parse("day:3").label() == "ngày 3 hằng tháng"
    assert BriefingRule.parse("weekday:0:1").label() == "thứ Hai đầu tiên hằng tháng"
    assert BriefingRule.parse("weekday:4:-1").label() == "thứ Sáu cuối cùng hằng tháng"


def test_moved_and_cancelled_briefings() -> None:
    calendar = BriefingCalendar(
        BriefingRule(day=5),
        moved={D(2026, 2, 5): D(2026, 2, 26)},
        cancelled=frozenset({D(2026, 8, 5)}),
    )
    assert calendar.next_after(D(2026, 1, 5)) == D(2026, 2, 26)  # moved after Tết
    assert calendar.next_after(D(2026, 2, 26)) == D(2026, 3, 5)
    assert calendar.previous_before(D(2026, 3, 5)) == D(2026, 2, 26)
    assert calendar.next_after(D(2026, 7, 5)) == D(2026, 9, 5)  # August cancelled
    assert calendar.previous_before(D(2026, 9, 5)) == D(2026, 7, 5)
    moved_back = BriefingCalendar(BriefingRule(day=3), moved={D(2026, 4, 3): D(2026, 3, 30)})
    assert moved_back.next_after(D(2026, 3, 20)) == D(2026, 3, 30)  # held in the month before
    assert moved_back.next_after(D(2026, 3, 30)) == D(2026, 5, 3)


def test_working_days_skip_weekends_and_tet() -> None:
    # Tết Bính Ngọ: 16-20 February 2026 are public holidays.
    assert not WORKING.is_working(D(2026, 2, 17))
    assert not WORKING.is_working(D(2026, 2, 14))  # a Saturday
    assert WORKING.is_working(D(2026, 2, 23))
    assert WORKING.between(D(2026, 2, 13), D(2026, 2, 23)) == 1  # only 23 February
    assert WORKING.add(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert WORKING.between(D(2026, 4, 29), D(2026, 5, 4)) == 1  # 30/4 and 1/5 are holidays


def test_due_date_is_the_next_briefing_with_enough_working_days() -> None:
    d = district(BriefingCalendar(BriefingRule(day=3)))
    assert d.default_due_date("k", D(2026, 3, 5)) == D(2026, 4, 3)
    # Assigned on 27 March: only 5 working days to 3 April (30, 31/3, 1, 2, 3/4): enough.
    assert d.default_due_date("k", D(2026, 3, 27)) == D(2026, 4, 3)
    # Assigned on 30 March: 4 working days: too close, the May briefing.
    assert d.default_due_date("k", D(2026, 3, 30)) == D(2026, 5, 3)


def test_due_date_across_tet() -> None:
    d = district(BriefingCalendar(BriefingRule(day=24)))
    # From 12 February to 24 February 2026: 13, 23, 24 are working days (Tết and weekends
    # between): 3 < 5, so the March briefing.
    assert d.default_due_date("k", D(2026, 2, 12)) == D(2026, 3, 24)
    assert district(BriefingCalendar(BriefingRule(day=24)), min_working_days=3).default_due_date(
        "k", D(2026, 2, 12)
    ) == D(2026, 2, 24)


def test_due_date_at_month_end_and_moved_briefing() -> None:
    calendar = BriefingCalendar(BriefingRule(day=31), moved={D(2026, 4, 30): D(2026, 5, 4)})
    d = district(calendar)
    assert d.default_due_date("k", D(2026, 2, 2)) == D(2026, 2, 28)
    assert d.default_due_date("k", D(2026, 4, 1)) == D(2026, 5, 4)  # moved past the holidays
    assert d.next_briefing("k", D(2026, 5, 4)) == D(2026, 5, 31)


def test_without_a_calendar_the_configured_period() -> None:
    assert district(None).default_due_date("k", D(2026, 3, 5)) == D(2026, 4, 4)


# ---- the calendar's edges -----------------------------------------------------------------


@pytest.mark.parametrize("rule", ["day:3", "day:31", "weekday:0:1", "weekday:4:-1"])
@pytest.mark.parametrize("assigned_on", [date.min, D(1, 2, 15), D(9999, 11, 15), date.max])
def test_the_calendars_edges_are_refused_as_invalid_never_value_or_overflow_errors(
    rule: str, assigned_on: date
) -> None:
    """Near year 1 or 9999 the calendar answers a briefing if there is one on it, else
    InvalidCommand (the API's 422): never ValueError (year 0 or 10000) or OverflowError."""
    d = district(BriefingCalendar(BriefingRule.parse(rule)))
    for reckon in (d.next_briefing, d.previous_briefing, d.default_due_date):
        try:
            found = reckon("k", assigned_on)
        except InvalidCommand as refused:
            assert refused.field == "date" and "calendar" in refused.message
        else:
            assert found is not None and abs((found - assigned_on).days) < 800


def test_the_calendar_still_reckons_right_beside_its_edges() -> None:
    d = district(BriefingCalendar(BriefingRule(day=3)))
    assert d.next_briefing("k", D(9999, 11, 15)) == D(9999, 12, 3)
    assert d.previous_briefing("k", D(1, 2, 15)) == D(1, 2, 3)
    with pytest.raises(InvalidCommand):
        d.next_briefing("k", D(9999, 12, 3))  # no briefing after it on the calendar
    with pytest.raises(InvalidCommand):
        d.previous_briefing("k", D(1, 1, 3))
    with pytest.raises(InvalidCommand):
        district(None).default_due_date("k", date.max - timedelta(days=29))  # 30 days later
    assert district(None).default_due_date("k", date.max - timedelta(days=30)) == date.max
    with pytest.raises(InvalidCommand):
        WORKING.add(D(9999, 12, 30), 5)


def test_a_calendar_that_cancels_every_briefing_is_refused_not_crashed() -> None:
    rule = BriefingRule(day=3)
    every = frozenset(rule.scheduled(y, m) for y in range(2025, 2029) for m in range(1, 13))
    d = district(BriefingCalendar(rule, cancelled=every))
    with pytest.raises(InvalidCommand):
        d.default_due_date("k", D(2026, 6, 1))


def test_business_dates_span_the_configured_earliest_to_2100() -> None:
    dates = BusinessDates(earliest=D(1995, 7, 1))
    assert dates.check("on", D(1995, 7, 1)) == D(1995, 7, 1)
    assert dates.check("on", D(2100, 12, 31)) == D(2100, 12, 31)
    for outside in (date.min, D(1995, 6, 30), D(2101, 1, 1), date.max):
        with pytest.raises(InvalidCommand) as refused:
            dates.check("on", outside)
        assert refused.value.field == "on"
    assert dates.check_year("year", 1995) == 1995
    with pytest.raises(InvalidCommand):
        dates.check_year("year", 1994)
    with pytest.raises(InvalidCommand):
        dates.check_year("year", 2101)
    with pytest.raises(ValueError):
        BusinessDates(earliest=date.min)
    with pytest.raises(ValueError):
        BusinessDates(earliest=D(2101, 1, 1))


def test_moments_at_the_calendars_ends_are_refused_not_overflowed() -> None:
    dates = BusinessDates()
    east, west = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))
    for moment in (datetime(1, 1, 1, tzinfo=east), datetime(9999, 12, 31, 23, 59, tzinfo=west)):
        with pytest.raises(InvalidCommand):
            dates.check_moment("as_of", moment)
    # 23:59 on 31/12/1999 at UTC-12 is already 1 January 2000 in Vietnam.
    moment = datetime(1999, 12, 31, 23, 59, tzinfo=west)
    assert dates.check_moment("as_of", moment) == moment
