"""Calendar rules with a period (every month, every N months from a month, named months),
their Vietnamese wording, the cells' calendars and the due dates that follow them, and the
meetings a period's calendars give."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import BriefingCalendar, BriefingRule, WorkingDays
from domain.cell_calendar import CellCalendars
from domain.errors import InvalidCommand
from domain.reference import Cell, Commune, Department, District, Zone
from domain.vocabulary import MeetingKind
from stores.reference import VietnameseHolidays
from usecases.meeting_calendar import planned

D = date
WORKING = VietnameseHolidays()

days = st.integers(1, 31)
weekday_rules = st.tuples(st.integers(0, 6), st.sampled_from([1, 2, 3, 4, -1]))
anchors = st.tuples(st.integers(2000, 2090), st.integers(1, 12))
months_of = st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True)


def months_between(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (b[0] - a[0]) * 12 + b[1] - a[1]


@pytest.mark.parametrize(
    "text",
    ["day:5", "day:31", "weekday:0:1", "weekday:4:-1"],
)
def test_a_rule_of_before_periods_means_what_it_meant(text: str) -> None:
    rule = BriefingRule.parse(text)
    assert str(rule) == text
    assert rule.every is None and rule.months == ()
    assert all(rule.scheduled(2026, m) is not None for m in range(1, 13))
    assert rule.label().endswith("hằng tháng")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("day:3", "ngày 3 hằng tháng"),
        ("day:3;every:2:2026-01", "ngày 3, 2 tháng một lần, từ tháng 1/2026"),
        ("weekday:0:1;months:6,12", "thứ Hai đầu tiên của tháng 6 và tháng 12"),
        ("day:5;months:3,6,9,12", "ngày 5 tháng 3, tháng 6, tháng 9 và tháng 12"),
        ("weekday:4:-1;months:12", "thứ Sáu cuối cùng của tháng 12"),
        ("weekday:2:2;every:3:2025-02", "thứ Tư thứ hai, 3 tháng một lần, từ tháng 2/2025"),
    ],
)
def test_the_vietnamese_wording(text: str, label: str) -> None:
    assert BriefingRule.parse(text).label() == label


def test_named_months_are_read_in_any_order_and_written_in_order() -> None:
    rule = BriefingRule.parse("weekday:0:1; months:12,6")
    assert str(rule) == "weekday:0:1;months:6,12"
    assert rule.scheduled(2026, 6) == D(2026, 6, 1)
    assert rule.scheduled(2026, 12) == D(2026, 12, 7)
    assert [m for m in range(1, 13) if rule.scheduled(2026, m)] == [6, 12]


@pytest.mark.parametrize(
    "text",
    [
        "day:3;every:1:2026-01",  # every month is written without a period
        "day:3;every:13:2026-01",
        "day:3;every:2",
        "day:3;every:2:2026-13",
        "day:3;every:2:26-01",
        "day:3;months:",
        "day:3;months:0",
        "day:3;months:13",
        "day:3;months:6,6",
        "day:3;weekly",
        "day:0;months:6",
        "weekday:0:5;every:2:2026-01",
    ],
)
def test_bad_periods_are_refused_as_invalid(text: str) -> None:
    with pytest.raises(InvalidCommand):
        BriefingRule.parse(text)


@given(days, anchors, st.integers(2, 12), st.integers(2000, 2095), st.integers(1, 12))
def test_every_n_months_meets_exactly_n_months_apart(
    day: int, anchor: tuple[int, int], every: int, year: int, month: int
) -> None:
    rule = BriefingRule(day=day, every=every, anchor=anchor)
    assert BriefingRule.parse(str(rule)) == rule
    found = rule.scheduled(year, month)
    assert (found is not None) == (months_between(anchor, (year, month)) % every == 0)
    if found is not None:  # clamped to the month's end
        assert found == D(year, month, min(day, calendar.monthrange(year, month)[1]))
    calendar_ = BriefingCalendar(rule)
    after = D(year, month, 15)
    first = calendar_.next_after(after)
    second = calendar_.next_after(first)
    assert months_between((first.year, first.month), (second.year, second.month)) == every
    assert months_between(anchor, (first.year, first.month)) % every == 0
    assert calendar_.previous_before(second) == first


@given(weekday_rules, months_of, st.integers(2000, 2095))
def test_named_months_meet_in_those_months_only(
    weekday: tuple[int, int], months: list[int], year: int
) -> None:
    rule = BriefingRule(weekday=weekday[0], nth=weekday[1], months=tuple(sorted(months)))
    assert BriefingRule.parse(str(rule)) == rule
    held = BriefingCalendar(rule).between(D(year, 1, 1), D(year, 12, 31))
    assert [d.month for d in held] == sorted(months)
    assert all(d.weekday() == weekday[0] for d in held)


@given(st.integers(29, 31), st.integers(2000, 2095))
def test_named_months_clamp_to_the_months_end(day: int, year: int) -> None:
    rule = BriefingRule(day=day, months=(2, 4))
    assert rule.scheduled(year, 2) == D(year, 2, 29 if calendar.isleap(year) else 28)
    assert rule.scheduled(year, 4) == D(year, 4, min(day, 30))
    assert rule.scheduled(year, 3) is None


def test_a_calendar_of_two_briefings_a_year_with_a_moved_one() -> None:
    rule = BriefingRule.parse("weekday:0:1;months:6,12")
    held = BriefingCalendar(rule, moved={D(2026, 12, 7): D(2026, 12, 14)})
    assert held.between(D(2026, 1, 1), D(2027, 12, 31)) == [
        D(2026, 6, 1),
        D(2026, 12, 14),
        D(2027, 6, 7),
        D(2027, 12, 6),
    ]
    assert held.next_after(D(2026, 6, 1)) == D(2026, 12, 14)
    assert held.holds(D(2026, 12, 14)) and not held.holds(D(2026, 12, 7))


def district(
    cells: CellCalendars, due_after: str = "briefing", retired: date | None = None
) -> District:
    briefing = BriefingCalendar(BriefingRule.parse("day:10"))
    return District(
        name="Huyện mẫu",
        zones={"k": Zone("k", "Khu", briefing)},
        communes={"x": Commune("x", "Xã", "k"), "y": Commune("y", "Xã khác", "k")},
        cells={
            "c": Cell("c", "Chi bộ", "x"),
            "d": Cell("d", "Chi bộ khác", "y"),
            "e": Cell("e", "Chi bộ riêng", "y", retired_on=retired),
        },
        departments={"p": Department("p", "Phòng")},
        working_days=WorkingDays(WORKING),
        cell_meetings=cells,
        due_after=due_after,
    )


MONTHLY_3RD = BriefingCalendar(BriefingRule.parse("day:3"))
COMMUNE_20TH = BriefingCalendar(BriefingRule.parse("day:20"))
CELL_LAST_FRIDAY = BriefingCalendar(BriefingRule.parse("weekday:4:-1"))
CELLS = CellCalendars(MONTHLY_3RD, True, {"y": COMMUNE_20TH, "e": CELL_LAST_FRIDAY})


def test_a_cell_meets_by_its_own_calendar_else_its_communes_else_the_organisations() -> None:
    d = district(CELLS)
    assert d.cell_calendar("c") is MONTHLY_3RD
    assert d.cell_calendar("d") is COMMUNE_20TH
    assert d.cell_calendar("e") is CELL_LAST_FRIDAY
    assert district(CellCalendars()).cell_calendar("c") is None


def test_due_dates_follow_the_briefing_by_default_and_the_cell_meeting_when_set() -> None:
    assigned = D(2026, 3, 2)
    assert district(CELLS).default_due_date("k", assigned, "c") == D(2026, 3, 10)
    follows = district(CELLS, due_after="cell_meeting")
    # the 3rd of March leaves too few working days: the 3rd of April
    assert follows.default_due_date("k", assigned, "c") == D(2026, 4, 3)
    assert follows.default_due_date("k", assigned, "d") == D(2026, 3, 20)
    assert follows.default_due_date("k", assigned) == D(2026, 3, 10)  # no cell: the briefing
    assert follows.due_basis("k", "c", D(2026, 4, 3)) == "cell_meeting"
    assert follows.due_basis("k", "c", D(2026, 3, 10)) == "briefing"
    assert follows.due_basis("k", "c", D(2026, 3, 11)) is None
    # a cell without a calendar follows the briefing, whatever the setting
    bare = district(CellCalendars(), due_after="cell_meeting")
    assert bare.due_follows("c") == "briefing"
    assert bare.default_due_date("k", assigned, "c") == D(2026, 3, 10)


def test_a_period_gives_each_zones_briefings_and_each_cells_meetings() -> None:
    d = district(CELLS, retired=D(2026, 5, 1))
    found = planned(d, D(2026, 4, 1), D(2026, 5, 31), tuple(MeetingKind))
    briefings = [
        (p.zone, p.scheduled_on) for p in found if p.kind is MeetingKind.SECRETARY_BRIEFING
    ]
    assert briefings == [("k", D(2026, 4, 10)), ("k", D(2026, 5, 10))]
    cells = sorted((p.cell, p.scheduled_on) for p in found if p.kind is MeetingKind.CELL_MEETING)
    assert cells == [
        ("c", D(2026, 4, 3)),
        ("c", D(2026, 5, 3)),
        ("d", D(2026, 4, 20)),
        ("d", D(2026, 5, 20)),
        ("e", D(2026, 4, 24)),  # retired from May on
    ]
    assert [p.scheduled_on for p in found] == sorted(p.scheduled_on for p in found)
    assert {p.commune for p in found if p.cell == "d"} == {"y"}
    only_cells = planned(d, D(2026, 4, 1), D(2026, 5, 31), (MeetingKind.CELL_MEETING,))
    assert len(only_cells) == 5
    assert len({p.id("huyen") for p in found}) == len(found)
