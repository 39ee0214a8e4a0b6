"""District reference data: look-ups and the default due date."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import BriefingCalendar, BriefingRule
from domain.errors import InvalidCommand
from domain.reference import Cell, Commune, Department, District, Former, Zone


def district(briefing_day: int | None = 3) -> District:
    calendar = None if briefing_day is None else BriefingCalendar(BriefingRule(day=briefing_day))
    return District(
        name="Huyện mẫu",
        zones={"khu-1": Zone("khu-1", "Khu 1", calendar)},
        communes={"xa-a": Commune("xa-a", "Xã A", "khu-1")},
        cells={"c-1": Cell("c-1", "Chi bộ thôn 1", "xa-a")},
        departments={"roads": Department("roads", "Phòng Kinh tế và Hạ tầng")},
        answer_period_days=30,
    )


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 3)),
        (date(2026, 3, 3), date(2026, 4, 3)),  # strictly after: not the same day's briefing
        (date(2026, 12, 20), date(2027, 1, 3)),
    ],
)
def test_next_briefing(after: date, expected: date) -> None:
    assert district().next_briefing("khu-1", after) == expected


def test_briefing_day_is_clamped_to_the_end_of_short_months() -> None:
    d = district(briefing_day=31)
    assert d.next_briefing("khu-1", date(2026, 2, 1)) == date(2026, 2, 28)
    assert d.next_briefing("khu-1", date(2028, 2, 1)) == date(2028, 2, 29)


def test_default_due_date_without_a_calendar_is_the_configured_period() -> None:
    assert district(briefing_day=None).default_due_date("khu-1", date(2026, 3, 5)) == date(
        2026, 4, 4
    )
    assert district().default_due_date("khu-1", date(2026, 3, 5)) == date(2026, 4, 3)


def test_unknown_codes_are_invalid_commands() -> None:
    d = district()
    for lookup, field in ((d.cell, "cell"), (d.department, "department"), (d.category, "category")):
        with pytest.raises(InvalidCommand) as caught:
            lookup("nowhere")
        assert caught.value.field == field
    assert d.zone_of_cell("c-1").code == "khu-1"


def test_previous_briefing() -> None:
    d = district()
    assert d.previous_briefing("khu-1", date(2026, 4, 3)) == date(2026, 3, 3)
    assert d.previous_briefing("khu-1", date(2026, 4, 4)) == date(2026, 4, 3)
    assert d.previous_briefing("khu-1", date(2026, 1, 2)) == date(2025, 12, 3)
    assert district(briefing_day=None).previous_briefing("khu-1", date(2026, 4, 3)) is None


def test_a_renamed_cell_reads_the_name_of_each_day_and_a_retired_one_is_closed() -> None:
    cell = Cell(
        "c-1",
        "Chi bộ thôn Hòa Bình",
        "xa-a",
        former=(
            Former("Chi bộ thôn 1", date(2025, 7, 1)),
            Former("Chi bộ thôn Một", date(2026, 1, 1)),
        ),
        retired_on=date(2026, 6, 1),
    )
    assert cell.name_on(date(2025, 6, 30)) == "Chi bộ thôn 1"
    assert cell.name_on(date(2025, 7, 1)) == "Chi bộ thôn Một"
    assert cell.name_on(date(2026, 1, 1)) == cell.name_on(None) == "Chi bộ thôn Hòa Bình"
    assert cell.open_on(date(2026, 5, 31)) and not cell.open_on(date(2026, 6, 1))
    district = District("Huyện", {}, {}, {"c-1": cell}, {})
    assert district.cell_on("c-1", date(2026, 5, 31)) is cell
    with pytest.raises(InvalidCommand, match="retired on 2026-06-01") as refused:
        district.cell_on("c-1", date(2026, 6, 1))
    assert refused.value.details["field"] == "cell"
