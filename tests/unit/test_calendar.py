"""Briefing calendars (rules, moved and cancelled briefings) and due dates in working days,
across Tết, month ends and weekends. Holidays come from the `holidays` package, as in
production."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import BriefingCalendar, BriefingRule, WorkingDays
from domain.errors import InvalidCommand
from domain.reference import Cell, Commune, Department, District, Zone
from service.reference import VietnameseHolidays

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
