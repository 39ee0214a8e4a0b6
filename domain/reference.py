"""Reference data of a district: zones, communes, party cells, departments, categories.

The data itself lives in PostgreSQL (loaded from a seed file by the service); this module
holds the value objects and the look-ups the command handlers validate against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from domain.calendar import BriefingCalendar, WorkingDays, days_after
from domain.errors import InvalidCommand

T = TypeVar("T")


def known(table: dict[str, T], code: str, field_name: str, what: str) -> T:
    """The entry of ``table`` under ``code``; a command naming an unknown one is invalid."""
    try:
        return table[code]
    except KeyError:
        raise InvalidCommand(field_name, f"unknown {what} {code!r}") from None


@dataclass(frozen=True)
class Category:
    code: str
    label: str  # Vietnamese, as the district's statistics name it
    label_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("agriculture", "Sản xuất nông nghiệp, thủy lợi", "agriculture and irrigation"),
    Category("transport", "Giao thông – xây dựng", "transport and construction"),
    Category("environment", "Tài nguyên, môi trường", "natural resources and environment"),
    Category("services", "Dịch vụ", "services"),
    Category("policy", "Chế độ chính sách", "social policies and benefits"),
    Category("security", "An ninh trật tự", "security and public order"),
    Category("party", "Công tác đảng", "party work"),
    Category("other", "Khác", "other"),
)


@dataclass(frozen=True)
class Zone:
    """A cluster of communes holding one secretary briefing a month, by its ``calendar``
    (None where the zone keeps none)."""

    code: str
    name: str
    calendar: BriefingCalendar | None


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    zone: str


@dataclass(frozen=True)
class Cell:
    """A grassroots party cell (chi bộ)."""

    code: str
    name: str
    commune: str


@dataclass(frozen=True)
class Department:
    """A district department (phòng, ban, ngành) that answers petitions."""

    code: str
    name: str


@dataclass(frozen=True)
class District:
    """All reference data of one district, indexed by code."""

    name: str
    zones: dict[str, Zone]
    communes: dict[str, Commune]
    cells: dict[str, Cell]
    departments: dict[str, Department]
    categories: dict[str, Category] = field(default_factory=lambda: {c.code: c for c in CATEGORIES})
    answer_period_days: int = 30
    min_working_days: int = 5
    working_days: WorkingDays = field(default_factory=WorkingDays)

    def cell(self, code: str) -> Cell:
        return known(self.cells, code, "cell", "party cell")

    def department(self, code: str) -> Department:
        return known(self.departments, code, "department", "department")

    def category(self, code: str) -> Category:
        return known(self.categories, code, "category", "category")

    def zone_of_cell(self, cell_code: str) -> Zone:
        return self.zones[self.communes[self.cell(cell_code).commune].zone]

    def next_briefing(self, zone_code: str, after: date) -> date | None:
        """The zone's first briefing strictly after ``after``, if it keeps a calendar."""
        zone_calendar = self.zones[zone_code].calendar
        return None if zone_calendar is None else zone_calendar.next_after(after)

    def previous_briefing(self, zone_code: str, before: date) -> date | None:
        """The zone's last briefing strictly before ``before``, if it keeps a calendar."""
        zone_calendar = self.zones[zone_code].calendar
        return None if zone_calendar is None else zone_calendar.previous_before(before)

    def default_due_date(self, zone_code: str, assigned_on: date) -> date:
        """The zone's next briefing after ``assigned_on`` that leaves at least
        ``min_working_days`` working days to answer (else the one after); without a
        calendar, ``answer_period_days`` later."""
        briefing = self.next_briefing(zone_code, assigned_on)
        if briefing is None:
            return days_after(assigned_on, self.answer_period_days)
        while self.working_days.between(assigned_on, briefing) < self.min_working_days:
            briefing = self.next_briefing(zone_code, briefing)
            assert briefing is not None
        return briefing
